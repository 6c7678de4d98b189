"""The code registry: every code raised is registered once, and the docs show the registry."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

from layout.codes import CODES, FAMILIES, lookup

ROOT = Path(__file__).resolve().parent.parent
LITERAL = re.compile(r"""["']([A-Z]\d{3})["']""")


def _spec_module():
    spec = importlib.util.spec_from_file_location(
        "update_code_tables", ROOT / "scripts" / "update-code-tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def used_codes() -> dict[str, list[str]]:
    """Every code-shaped string literal in src/ except the registry, with where it stands."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "src" / "layout").rglob("*.py")):
        if path.name == "codes.py":
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            for code in LITERAL.findall(line):
                found.setdefault(code, []).append(f"{path.relative_to(ROOT)}:{number}")
    return found


def test_every_code_raised_is_registered() -> None:
    missing = {c: where for c, where in used_codes().items() if c not in CODES}
    assert not missing, f"codes used in src/ but not in layout/codes.py: {missing}"


def test_every_registered_code_is_raised() -> None:
    unused = sorted(set(CODES) - set(used_codes()))
    assert not unused, f"registered but never raised (remove or use): {unused}"


def test_registry_rows_are_unique_and_complete() -> None:
    source = (ROOT / "src" / "layout" / "codes.py").read_text("utf-8")
    rows = re.findall(r'^\s*\("([A-Z]\d{3})",', source, re.M)
    assert len(rows) == len(set(rows)) == len(CODES)
    for code in CODES.values():
        assert code.code[0] in FAMILIES
        assert code.severity in ("error", "warning", "info", "finding")
        assert (code.exit == 0) == (code.severity in ("warning", "info"))
        assert code.meaning and not code.meaning.endswith(".")
    assert lookup("R101").family == FAMILIES["R"]


def test_docs_tables_match_the_registry() -> None:
    module = _spec_module()
    stale = [str(p.relative_to(ROOT)) for p in module.documents()
             if module.regenerated(p.read_text("utf-8")) != p.read_text("utf-8")]
    assert not stale, f"run python scripts/update-code-tables.py: {stale} are stale"
    assert "<!-- codes" in (ROOT / "docs" / "codes.md").read_text("utf-8")


def test_a_stale_table_is_detected() -> None:
    module = _spec_module()
    text = "<!-- codes R -->\n| code |\n<!-- /codes -->\n"
    assert module.regenerated(text) != text


def raised_exits() -> dict[str, set[int]]:
    """The exit status each ``LayoutError("CODE", …)`` in src/ gives (3 when unsaid)."""
    found: dict[str, set[int]] = {}
    for path in sorted((ROOT / "src" / "layout").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "LayoutError"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            status = next((k.value.value for k in node.keywords if k.arg == "exit_code"
                           and isinstance(k.value, ast.Constant)), 3)
            found.setdefault(node.args[0].value, set()).add(status)
    return found


def test_errors_exit_as_registered() -> None:
    wrong = {code: (sorted(statuses), CODES[code].exit)
             for code, statuses in raised_exits().items()
             if code in CODES and statuses != {CODES[code].exit}}
    assert not wrong, f"raised with (exit statuses) but registered with (exit): {wrong}"
