"""Regenerate the code tables in README.md and docs/*.md from src/layout/codes.py.

A table sits between ``<!-- codes LETTERS -->`` and ``<!-- /codes -->``; LETTERS are the
families it lists. ``tests/test_codes.py`` fails when a table differs from the registry.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from layout.codes import markdown_table  # noqa: E402

BLOCK = re.compile(r"(<!-- codes ([A-Z]+) -->\n)(.*?)(<!-- /codes -->)", re.S)
DOCUMENTS = ("README.md", "docs/*.md")


def documents() -> list[Path]:
    return sorted({p for pattern in DOCUMENTS for p in ROOT.glob(pattern)})


def regenerated(text: str) -> str:
    return BLOCK.sub(lambda m: f"{m[1]}{markdown_table(m[2])}\n{m[4]}", text)


def main() -> int:
    if os.environ.get("CI"):
        print("update-code-tables: refused under CI (tables are updated by a developer)",
              file=sys.stderr)
        return 2
    for path in documents():
        text = path.read_text("utf-8")
        new = regenerated(text)
        if new != text:
            path.write_text(new, "utf-8")
            print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
