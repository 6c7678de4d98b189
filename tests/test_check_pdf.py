"""`layout check` on PDFs: each deliberately broken PDF gives its exact code."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from layout.check import Options, run
from layout.check.fidelity import missing_blocks

from . import check_support as support
from .conftest import SAMPLE, Builds

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

NO_TYPOGRAPHY = ("typography",)


def codes(paths: list[Path], **options: object) -> dict[str, list[str]]:
    """Finding codes per check of one `layout check` run."""
    options.setdefault("skip", NO_TYPOGRAPHY)
    report = run(paths, Options(**options))
    out: dict[str, list[str]] = {}
    for r in report.results:
        out.setdefault(r.check, []).extend(f.code for f in r.findings)
    return out


@pytest.fixture(scope="session")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "check"


@pytest.fixture(scope="session")
def sample_pdf(sample_build: Path) -> Path:
    return sample_build / f"{support.NAME}.pdf"


def test_sample_pdf_passes_every_pdf_and_fidelity_check(sample_pdf: Path) -> None:
    report = run([sample_pdf], Options(skip=NO_TYPOGRAPHY))
    assert not report.failed, [f.format() for f in report.findings]
    ran = {r.check: r.status for r in report.results}
    # the source comes from the PDF's own metadata: fidelity ran, it was not skipped
    assert ran["fidelity.characters"] == ran["fidelity.blocks"] == "pass"
    assert ran["pdf.glyphs"] == ran["pdf.fonts-embedded"] == "pass"


def test_truncated_pdf_is_p002_and_nothing_else_runs(sample_pdf: Path, tmp_path: Path) -> None:
    data = sample_pdf.read_bytes()
    broken = tmp_path / "truncated.pdf"
    broken.write_bytes(data[: len(data) // 2])
    report = run([broken], Options())
    structure = next(r for r in report.results if r.check == "pdf.structure")
    assert [f.code for f in structure.findings] == ["P002"]
    assert {r.status for r in report.results if r.check != "pdf.structure"} == {"skip"}


def test_not_a_pdf_is_p001(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"<html>not a pdf</html>\n%%EOF\n")
    assert codes([junk])["pdf.structure"] == ["P001"]


def test_fonts_not_embedded_is_p101(sample_pdf: Path, tmp_path: Path) -> None:
    stripped = support.drop_font_programs(sample_pdf, tmp_path / "stripped.pdf")
    found = codes([stripped])
    faces = {str(f["/BaseFont"]) for page in PdfReader(sample_pdf).pages
             for f in (ref.get_object() for ref in page["/Resources"]["/Font"].values())}
    assert found["pdf.fonts-embedded"] == ["P101"] * len(faces)
    assert found["pdf.glyphs"] == []  # nothing embedded, nothing to look glyphs up in


@pytest.mark.parametrize("keep", [60, 200_000], ids=["header", "half-a-table"])
def test_a_damaged_font_program_is_p103(sample_pdf: Path, tmp_path: Path, keep: int) -> None:
    damaged = support.drop_font_programs(sample_pdf, tmp_path / "damaged.pdf", keep=keep)
    report = run([damaged], Options(skip=NO_TYPOGRAPHY))
    glyphs = next(r for r in report.results if r.check == "pdf.glyphs")
    # the three Noto faces (OpenType CFF: cut inside their CFF tables at either length)
    assert [f.code for f in glyphs.findings].count("P103") >= 3
    assert "Noto-Serif-CJK-SC" in " ".join(f.message for f in glyphs.findings)


def test_standard_14_font_is_p101(tmp_path: Path) -> None:
    found = codes([support.helvetica_pdf(tmp_path / "helvetica.pdf")])
    assert found["pdf.fonts-embedded"] == ["P101"]
    assert set(found["pdf.metadata"]) == {"P202"}  # no /Lang either
    assert found["pdf.outline"] == ["P204"]


def test_missing_glyph_is_p102(base: Path) -> None:
    pdf = support.missing_glyph_pdf(base)
    report = run([pdf], Options(skip=NO_TYPOGRAPHY))
    glyphs = next(r for r in report.results if r.check == "pdf.glyphs")
    assert [f.code for f in glyphs.findings] == ["P102"]
    assert glyphs.findings[0].page == 1
    assert "2 characters" in glyphs.findings[0].message
    assert "U+30000" in glyphs.findings[0].message
    others = [r for r in report.results if r.status == "fail" and r.check != "pdf.glyphs"]
    assert not others, [f.format() for r in others for f in r.findings]


def test_pdf_without_a_paragraph_fails_fidelity(built: Builds) -> None:
    folder, line, _ = support.cut_paragraph_build(built)
    # (the cut leaves a hole in its column: the layout family's business, not this test's)
    report = run([folder / f"{support.NAME}.pdf"],
                 Options(source=SAMPLE, skip=(*NO_TYPOGRAPHY, "layout")))
    found = {f.code: f for f in report.findings}
    assert set(found) == {"F101", "F103"}
    assert f"{SAMPLE}:{line} " in found["F103"].message


def test_recorded_source_that_is_gone_is_f001(built: Builds, tmp_path: Path) -> None:
    folder, _, _ = support.cut_paragraph_build(built)
    moved = support.copy_as(folder / f"{support.NAME}.pdf", tmp_path / "elsewhere")
    found = codes([moved])
    assert found["fidelity.characters"] == found["fidelity.blocks"] == ["F001"]


@pytest.mark.parametrize(
    ("segments", "blocks", "missing"),
    [
        (["甲乙丙丁戊", "己庚辛"], [(1, "甲乙"), (2, "丙丁戊己庚"), (3, "辛")], []),
        # a block runs over a page break, past the running heads drawn after the page
        (["甲乙丙丁戊人民日报", "己庚辛"], [(1, "甲乙"), (2, "丙丁戊己庚"), (3, "辛")], []),
        (["甲乙丙", "丁", "戊己庚辛"], [(1, "甲乙"), (2, "丙丁戊己庚"), (3, "辛")], []),
        (["甲乙丁戊", "己庚辛"], [(1, "甲乙"), (2, "丙丁戊己庚"), (3, "辛")],
         [(2, "丙丁戊己庚")]),
        (["辛甲乙丙丁戊", "己庚"], [(1, "甲乙"), (2, "丙丁戊己庚"), (3, "辛")], [(3, "辛")]),
    ],
)
def test_blocks_in_reading_order(segments: list[str], blocks: list[tuple[int, str]],
                                 missing: list[tuple[int, str]]) -> None:
    assert missing_blocks(segments, blocks) == missing
