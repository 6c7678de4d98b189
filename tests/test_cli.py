"""The command line as users and CI scripts meet it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import SAMPLE, run_layout

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess


def test_inspect_json_is_the_model() -> None:
    proc = run_layout("inspect", str(SAMPLE), "--json")
    assert proc.returncode == 0, proc.stderr
    model = json.loads(proc.stdout)
    assert model["title"] == "增强党建凝聚力 共画发展同心圆"
    assert set(model) == {"kicker", "title", "subtitle", "byline", "dateline", "editor_note",
                          "lead", "sections", "figures", "sidebars", "warnings"}


def test_inspect_outline() -> None:
    proc = run_layout("inspect", str(SAMPLE))
    assert proc.returncode == 0
    assert "section 23: 覆盖万千党员 / 党员工作生活在哪里，党组织就覆盖到哪里" in proc.stdout
    assert f"{SAMPLE}:19: R201 " in proc.stderr


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "R301"), (b"\x00\x01\x02\x03" * 64, "R302"), (b"\x80\xff\x80\xff\x81", "R303")],
)
def test_bad_input_exits_3_without_output(tmp_path: Path, data: bytes, code: str) -> None:
    source = tmp_path / "bad.txt"
    source.write_bytes(data)
    out = tmp_path / "out"
    proc = run_layout("build", str(source), "-o", str(out))
    assert proc.returncode == 3
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{source}: {code} ")
    assert "Traceback" not in proc.stderr
    assert not out.exists() or not any(out.iterdir())


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_layout("build", "--format", "docx").returncode == 2
    assert run_layout("build", str(SAMPLE), "--page", "legal", "-o", str(tmp_path)).returncode == 2
    assert run_layout("frobnicate").returncode == 2


def test_strict_turns_fpo_warning_into_error(tmp_path: Path) -> None:
    proc = run_layout("build", str(SAMPLE), "--strict", "-o", str(tmp_path), "--format", "pdf")
    assert proc.returncode == 3
    assert f"{SAMPLE}:103: B101 " in proc.stderr
    assert not list(tmp_path.glob("*.pdf"))
