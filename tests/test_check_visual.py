"""Visual regression: pages compared with stored PNGs; a changed page is V001 with a diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from layout.check import Options, run
from layout.check.visual import VisualOptions

from . import check_support as support
from .conftest import Builds

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess


def visual(pdf: Path, baseline: Path, update: bool = False) -> tuple[list[str], int]:
    report = run([pdf], Options(skip=("pdf", "fidelity", "typography", "layout"),
                                visual=VisualOptions(baseline, update)))
    return [f.code for f in report.findings], report.baseline_pages


def test_unchanged_page_passes_and_changed_page_is_v001(sample_build: Path, built: Builds,
                                                        tmp_path: Path) -> None:
    baseline = tmp_path / "baseline"
    pdf = sample_build / f"{support.NAME}.pdf"
    pages = len(PdfReader(pdf).pages)
    assert visual(pdf, baseline, update=True) == ([], pages)
    stored = baseline / support.NAME / "page-001.png"
    assert stored.is_file()
    assert visual(pdf, baseline) == ([], 0)
    # the same article without one paragraph: the page looks different
    cut, _, _ = support.cut_paragraph_build(built)
    changed = support.copy_as(cut / f"{support.NAME}.pdf", tmp_path / "changed")
    codes, _ = visual(changed, baseline)
    assert "V001" in codes and set(codes) <= {"V001", "V003", "V004"}
    diff = baseline / support.NAME / "page-001.diff.png"
    with Image.open(diff) as image, Image.open(stored) as expected:
        assert image.size == expected.size
        assert (220, 0, 0) in {c for _, c in image.convert("RGB").getcolors(1 << 20)}
    assert visual(pdf, baseline) == ([], 0)
    assert not diff.exists()  # a page that matches again loses its stale diff


def test_missing_and_resized_baselines(sample_build: Path, tmp_path: Path) -> None:
    pdf = sample_build / f"{support.NAME}.pdf"
    baseline = tmp_path / "baseline"
    pages = len(PdfReader(pdf).pages)
    assert visual(pdf, baseline)[0] == ["V003"] * pages
    visual(pdf, baseline, update=True)
    stored = baseline / support.NAME / "page-001.png"
    with Image.open(stored) as image:
        image.resize((image.width // 2, image.height // 2)).save(stored)
    assert visual(pdf, baseline)[0] == ["V002"]
    extra = baseline / support.NAME / f"page-{pages + 1:03d}.png"
    Image.new("RGB", (10, 10), "white").save(extra)
    assert "V004" in visual(pdf, baseline)[0]  # the baseline has a page more than the PDF
    visual(pdf, baseline, update=True)
    assert visual(pdf, baseline)[0] == []  # the update removed the stale second page
