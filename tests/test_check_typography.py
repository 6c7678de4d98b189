"""The typography measures, proven both ways: they flag ragged and unsqueezed setting and
pass a synthetic page whose lines exactly fill their columns."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from layout.check import Options, run
from layout.check.typography import Limits, measure, typography_findings

from . import check_support as support
from .conftest import Builds
from .layout_pages import EM, GRID, made_up_page

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess


@pytest.fixture(scope="session")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "check"


def found(pdf: Path, limits: Limits | None = None) -> dict[str, list[str]]:
    report = measure(pdf)
    return {check: [f.code for f in findings]
            for check, findings in typography_findings(report, limits or Limits()).items()}


def test_flush_page_passes_every_measure(base: Path) -> None:
    pdf = support.synthetic_pdf(base, "flush")
    report = measure(pdf)
    assert len(report.lines) == 36 and len(report.non_final) == 27
    assert report.ragged() == []
    assert report.pair_advances == pytest.approx([0.5] * 18, abs=0.01)
    assert report.han_latin_gaps == pytest.approx([0.25] * 18, abs=0.01)
    assert all(not v for v in found(pdf).values()), found(pdf)


def test_column_edges_come_from_the_column_rules(base: Path) -> None:
    report = measure(support.synthetic_pdf(base, "flush"))
    widths = {round((ln.right - ln.left) / ln.em, 3) for ln in report.lines}
    assert widths == {12.0}  # three columns of exactly 12 em
    assert {ln.column for ln in report.lines} == {0, 1, 2}


def test_a_line_ending_in_a_squeezed_mark_sets_no_edge_past_the_grid(tmp_path: Path) -> None:
    """A mark squeezed to half an em at a justified line's end keeps its whole em in the
    PDF's font widths: the column's edge is the recorded grid's, not that line's end
    (the book at B5 had every flush line of a page reported ragged by half an em)."""
    report = measure(made_up_page(tmp_path / "squeezed.pdf", squeezed_end=True))
    squeezed = [ln for ln in report.lines if ln.ink[-1].text == "："]
    assert len(squeezed) == 1 and squeezed[0].ink[-1].x1 > squeezed[0].right + 0.4 * EM
    right = GRID.column_edges()[0][1]
    assert {round(ln.right - right, 2) for ln in report.lines if ln.column == 0} == {0}
    assert report.ragged() == [] and found(tmp_path / "squeezed.pdf")["typography.justified"] == []


def test_unsqueezed_page_fails_pairs_and_han_latin(base: Path) -> None:
    pdf = support.synthetic_pdf(base, "plain")
    report = measure(pdf)
    assert report.pair_advances == pytest.approx([1.0] * 18, abs=0.01)
    assert report.han_latin_gaps == pytest.approx([0.0] * 18, abs=0.01)
    result = found(pdf)
    assert result["typography.punctuation-pairs"] == ["T104"]
    assert result["typography.han-latin"] == ["T105"]
    assert result["typography.justified"] == ["T101"]  # its lines are 1 em short


def test_line_rules_and_clean_text(base: Path) -> None:
    result = found(support.synthetic_pdf(base, "defects"))
    assert result["typography.line-start"] == ["T102"]  # "，…"
    assert result["typography.line-end"] == ["T103"]  # "…“"
    assert result["typography.last-lines"] == ["T106"]  # "绩。"
    assert result["typography.clean-text"] == ["T108"]  # "发 党": a space the source lacks


def test_zero_width_characters_in_the_text_are_t107(base: Path) -> None:
    """WeasyPrint drops U+200B/U+2060 from the text; a PDF whose text has them is made by
    editing a flush page's ToUnicode map."""
    pdf = support.append_to_text(support.synthetic_pdf(base, "flush"),
                                 base / "synthetic" / "zwsp.pdf", "党", "\u200b")
    result = found(pdf)
    assert result["typography.clean-text"] == ["T107"]
    assert "U+200B" in typography_findings(measure(pdf), Limits())[
        "typography.clean-text"][0].message


def test_limits_are_configurable(base: Path) -> None:
    pdf = support.synthetic_pdf(base, "plain")
    lenient = Limits(max_ragged=1.0, max_pair_advance=1.0, han_latin_gap=(0.0, 0.35))
    result = found(pdf, lenient)
    assert result["typography.justified"] == result["typography.punctuation-pairs"] == []
    assert result["typography.han-latin"] == []


def test_sample_set_without_the_typesetting_layer_is_flagged(base: Path) -> None:
    """WeasyPrint alone does not justify Chinese: most body lines end short, and adjacent
    marks take two full ems."""
    pdf = support.ragged_sample_pdf(base)
    report = measure(pdf)
    assert report.body_font == "Noto-Serif-CJK-SC" and report.body_size == 9.5
    assert len(report.non_final) > 150  # the sample has ~200 non-final body lines
    assert report.ragged_share() > 0.5
    assert {ln.column for ln in report.lines} == {0, 1, 2, 3, 4}
    result = run([pdf], Options(skip=("pdf", "fidelity")))
    codes = {f.code for f in result.findings}
    assert {"T101", "T104", "T105"} <= codes


def test_build_with_the_typesetting_layer_off_is_flagged(built: Builds) -> None:
    """`layout build --no-typeset`: ragged lines and unsqueezed pairs, found from the PDF."""
    pdf = support.no_typeset_pdf(built)
    report = measure(pdf)
    assert report.ragged_share() > 0.1  # lines broken early (before a mark) end ~1 em short
    assert statistics.median(report.pair_advances) == pytest.approx(1.0, abs=0.01)
    codes = {f.code for f in run([pdf], Options(skip=("pdf", "fidelity"))).findings}
    assert {"T101", "T104"} <= codes


def test_summary_for_the_benchmark(base: Path) -> None:
    summary = measure(support.synthetic_pdf(base, "flush")).summary()
    assert summary["ragged_share"] == 0.0
    assert summary["pair_advance_median"] == pytest.approx(0.5, abs=0.01)
    assert summary["han_latin_gap_median"] == pytest.approx(0.25, abs=0.01)
    assert summary["lines"] == 36
