"""`layout check` as CI meets it: the three report formats, exit codes, the summary."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree

from layout.check import CHECKS, Options, run
from layout.check.report import as_json, as_junit, as_text

from . import check_support as support
from .conftest import OPENING, Builds, layout_cli

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

NON_TYPOGRAPHY = ("typography",)
FINDING = re.compile(r"^\S+?(:\d+)?: [PETFVCL]\d{3} .+$")


@pytest.fixture(scope="session")
def sample_report(sample_build: Path):  # noqa: ANN201
    """The sample's build checked once (EPUBCheck included) with every non-typography check."""
    return run([sample_build], Options(skip=NON_TYPOGRAPHY))


def test_sample_passes_in_all_three_formats(sample_report) -> None:  # noqa: ANN001
    report = sample_report
    assert not report.failed, as_text(report)
    text = as_text(report)
    assert text.splitlines()[-1].startswith("layout check: 2 files, ")
    data = json.loads(as_json(report))
    assert data["passed"] is True and data["summary"]["failed"] == 0
    assert data["summary"]["checks"] == len(data["results"]) == len(report.results)
    suites = etree.fromstring(as_junit(report).encode("utf-8"))
    assert suites.tag == "testsuites" and suites.get("failures") == "0"
    assert not suites.findall(".//failure")


def test_junit_has_one_test_case_per_check(sample_report) -> None:  # noqa: ANN001
    report = sample_report
    suites = etree.fromstring(as_junit(report).encode("utf-8"))
    cases = suites.findall("testsuite/testcase")
    assert len(cases) == len(report.results) == int(suites.get("tests"))
    per_file = {s.get("name"): [c.get("name") for c in s.findall("testcase")]
                for s in suites.findall("testsuite")}
    pdf = next(v for k, v in per_file.items() if k.endswith(".pdf"))
    epub = next(v for k, v in per_file.items() if k.endswith(".epub"))
    assert set(pdf) | set(epub) <= set(CHECKS)
    assert len(pdf) == len(set(pdf)) and len(epub) == len(set(epub))
    skipped = suites.findall(".//skipped")  # the typography checks, skipped on request
    assert len(skipped) == int(suites.get("skipped")) == 7


def test_cli_failure_lines_json_and_junit_file(built: Builds, tmp_path: Path) -> None:
    folder, line, _ = support.cut_paragraph_build(built)
    junit = tmp_path / "report.xml"
    proc = layout_cli("check", str(folder), "--source", str(support.SAMPLE), "--no-epubcheck",
                      "--skip", "typography", "--skip", "layout", "--format", "junit",
                      "--output", str(junit))
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert all(FINDING.match(ln) for ln in lines[:-1]), lines
    assert {ln.split(": ", 1)[1].split()[0] for ln in lines[:-1]} == {"F101", "F103"}
    assert lines[-1].startswith("layout check: 2 files,") and "failed" in lines[-1]
    failures = etree.parse(str(junit)).getroot().findall(".//failure")
    assert sorted(f.get("type") for f in failures) == ["F101", "F101", "F103", "F103"]
    proc = layout_cli("check", str(folder), "--source", str(support.SAMPLE), "--no-epubcheck",
                      "--skip", "typography", "--skip", "layout", "--format", "json")
    data = json.loads(proc.stdout)
    assert data["passed"] is False
    codes = [f["code"] for r in data["results"] for f in r["findings"]]
    assert sorted(codes) == ["F101", "F101", "F103", "F103"]
    assert any(f"{support.SAMPLE}:{line} " in f["message"] for r in data["results"]
               for f in r["findings"])


@pytest.mark.parametrize("args", [
    ("check", "no/such/folder"),
    ("check", "--update-baseline"),
    ("check", "--skip", "nonsense"),
    ("check", "--han-latin-gap", "0.3"),
    ("check", "--source", "no/such/source.txt"),
])
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    proc = layout_cli(*args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_build_check_gates_the_build(tmp_path: Path) -> None:
    """`layout build --check` checks what it wrote (typography off with the layer off), on
    the sample's opening: the same 34 checks as on the whole sample, 7 skipped."""
    source = tmp_path / "source" / support.SAMPLE.name
    source.parent.mkdir()
    source.write_text(OPENING, "utf-8")
    proc = layout_cli("build", str(source), "-o", str(tmp_path), "-q", "--check",
                      "--no-typeset")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary.startswith("layout check: 2 files,") and " 0 failed" in summary
    (tmp_path / f"{support.NAME}.pdf").write_bytes(b"%PDF-1.7\n")  # damaged after the build
    proc = layout_cli("check", str(tmp_path / f"{support.NAME}.pdf"))
    assert proc.returncode == 1 and "P002" in proc.stdout


def test_the_measures_share_one_reading_of_the_pdf(built: Builds,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The typography and layout measures read the PDF's characters and drawings from one
    pdfplumber reading (each page parsed once: a check of the sample 0.99 -> 0.82 s)."""
    real, opened = pdfplumber.open, []

    def counted(path: object, *args: object, **kwargs: object) -> object:
        opened.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pdfplumber, "open", counted)
    report = run([built()], Options(skip=("epub.epubcheck",)))
    assert not report.failed
    assert {"typography.justified", "layout.baseline-grid"} <= {
        r.check for r in report.results if r.status == "pass"}
    assert len(opened) == 1, opened
