"""Kai in print: LXGW WenKai (mainland punctuation, a real bold) on the baseline grid, with
its punctuation in full-width cells and adjacent pairs squeezed though it has no ``halt``.

Measured from the sample's PDF (the session build) and, to show the measures can fail,
from builds whose style sets Kai the way that broke them: on the block (the Kai face's
own strut moves the baseline off the grid) and without the cells (``--no-typeset``)."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from layout.check.layout import measure
from layout.check.pairs import mark_widths
from layout.typeset.marks import face_marks

from .conftest import SAMPLE, Builds, layout_cli

pytestmark = pytest.mark.slow
KAI = "LXGW-WenKai"


def kai_lines(pdf: Path) -> tuple[int, int]:
    """(on the grid, off it): body-size lines set in the Kai face (the sidebar)."""
    report = measure(pdf)
    on = sum(1 for page in report.pages for p in page.pieces
             if p.font.startswith(KAI) and abs(p.size - report.body_size) < 0.05)
    off = sum(1 for page in report.pages for p in page.off_grid if p.font.startswith(KAI))
    return on - off, off


def test_wenkai_is_the_kai_and_it_draws_what_the_cells_assume() -> None:
    marks = face_marks(["LXGW WenKai"])
    assert marks is not None
    assert not marks.halt and marks.stop == "left" and marks.other == 1.0
    assert marks.quote < 0.5  # Latin-width quotes: the cells are needed


def test_kai_lines_are_on_the_grid(sample_build: Path) -> None:
    on, off = kai_lines(sample_build / f"{SAMPLE.stem}.pdf")
    assert on > 50 and off == 0


def test_kai_marks_take_full_cells_and_pairs_are_squeezed(sample_build: Path) -> None:
    widths = mark_widths(sample_build / f"{SAMPLE.stem}.pdf")
    single, pairs = widths[(KAI, 1)], widths[(KAI, 2)]
    assert len(single) > 50 and len(pairs) >= 5
    assert min(single) > 0.95 and statistics.median(single) == pytest.approx(1.0, abs=0.02)
    assert statistics.median(pairs) == pytest.approx(1.5, abs=0.05)
    assert max(pairs) < 1.75


def test_kai_on_the_block_is_off_the_grid(tmp_path: Path) -> None:
    """The measure fails where the Kai face sets the block's strut (as before the span)."""
    style = tmp_path / "styles" / "newspaper"
    style.mkdir(parents=True)
    base = (Path(__file__).parent.parent / "styles" / "newspaper" / "style.css").read_text()
    (style / "style.css").write_text(base + '.sidebar-body p { font-family: "LXGW WenKai"; }')
    (tmp_path / "layout.toml").write_text('[style]\nname = "newspaper"\n')
    proc = layout_cli("build", str(SAMPLE), "-o", str(tmp_path / "out"), "--format", "pdf",
                      "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    on, off = kai_lines(tmp_path / "out" / f"{SAMPLE.stem}.pdf")
    assert off > 50


def test_kai_without_cells_fails_the_measures(built: Builds) -> None:
    """Without the typesetting layer WenKai's quotes are a third of an em and no pair is
    squeezed: the measures see both."""
    widths = mark_widths(built(SAMPLE, flags=("--no-typeset",)) / f"{SAMPLE.stem}.pdf")
    assert min(widths[(KAI, 1)]) < 0.5
    assert min(widths[(KAI, 2)]) < 1.0 or max(widths[(KAI, 2)]) > 1.9
