"""The print PDF as a layout desk sees it: pages, running heads, bookmarks, boxes, photos."""

from __future__ import annotations

from pathlib import Path
from zipfile import ZipFile

import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader

from layout.check.layout import measure as layout_measure
from layout.decorations import PageDecorations
from layout.fidelity import han_difference
from layout.makeup.grid import Grid
from layout.readers import read

from .conftest import SAMPLE, Builds, layout_cli

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

# A second article: Latin words, years, percentages and amounts, two photos.
SECOND_ARTICLE = (Path(__file__).parent / "fixtures" / "ai-farming.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def a4_build(built: Builds) -> Path:
    return built(SAMPLE, preset="a4") / f"{SAMPLE.stem}.pdf"


def outline_titles(reader: PdfReader) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title))

    walk(reader.outline, 0)
    return out


def test_broadsheet_bookmarks_and_metadata(sample_build: Path) -> None:
    reader = PdfReader(sample_build / f"{SAMPLE.stem}.pdf")
    assert outline_titles(reader) == [
        (0, "增强党建凝聚力 共画发展同心圆"), (1, "覆盖万千党员"), (1, "激发创新活力"),
        (1, "引领发展方向"), (1, "感言")]
    info = reader.metadata
    assert info.author == "杜海涛"
    assert info.subject.startswith("党的二十大报告提出")
    assert "覆盖万千党员" in info["/Keywords"]
    assert info.creator.startswith("layout ")


def test_a4_flows_over_pages_with_running_heads(a4_build: Path) -> None:
    with pdfplumber.open(a4_build) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert "人民日报" in text and "新时代新征程新伟业" in text
        assert f"第{number}版" in text
        assert (f"（上接第{number - 1}版）" in text) == (number > 1)
        assert (f"（下转第{number + 1}版）" in text) == (number < len(texts))


def test_a4_keeps_every_han_character(a4_build: Path) -> None:
    doc = read(SAMPLE)
    pages = len(PdfReader(a4_build).pages)
    with pdfplumber.open(a4_build) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    missing, extra = han_difference(SAMPLE.read_text("utf-8"), text,
                                    PageDecorations("人民日报", doc.kicker).all_texts(doc, pages))
    assert not missing and not extra


@pytest.mark.parametrize("page", ["a3", "tabloid"])
def test_other_presets_build(built: Builds, page: str) -> None:
    assert len(PdfReader(built(SAMPLE, preset=page) / f"{SAMPLE.stem}.pdf").pages) >= 1


def test_bleed_and_crop_marks(built: Builds) -> None:
    out = built(SAMPLE, formats="pdf", flags=("--bleed", "3", "--marks", "crop"))
    page = PdfReader(out / f"{SAMPLE.stem}.pdf").pages[0]
    trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
    three_mm = 3 / 25.4 * 72
    assert float(trim.left) - float(bleed.left) == pytest.approx(three_mm, abs=0.05)
    assert float(bleed.right) - float(trim.right) == pytest.approx(three_mm, abs=0.05)
    assert float(media.width) > float(bleed.width) > float(trim.width)
    assert round((float(trim.width)) / 72 * 25.4) == 390


def test_pdf_ua_variant(built: Builds) -> None:
    out = built(SAMPLE, formats="pdf", flags=("--pdf-variant", "pdf/ua-1"))
    root = PdfReader(out / f"{SAMPLE.stem}.pdf").trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_supplied_photos_are_placed(tmp_path: Path) -> None:
    source = tmp_path / "farm.txt"
    source.write_text(SECOND_ARTICLE, "utf-8")
    for n, color in ((1, "darkgreen"), (2, "steelblue")):
        Image.new("RGB", (900 if n == 1 else 400, 600), color).save(tmp_path / f"fig{n}.jpg")
    out = tmp_path / "out"
    proc = layout_cli("build", str(source), "-o", str(out), "--page", "a4", "--format", "pdf",
                      "--strict")
    assert proc.returncode == 0, proc.stderr
    with pdfplumber.open(out / "farm.pdf") as pdf:
        images = [im for page in pdf.pages for im in page.images]
        text = "".join(page.extract_text() for page in pdf.pages)
    assert len(images) == 2
    assert "FPO" not in text
    # Each photo a whole number of columns wide (its edges on column edges, the gutters
    # between them included), its frame as tall as its own shape asks at that width (a
    # whole number of grid lines, so cropped by at most 15%).
    report = layout_measure(out / "farm.pdf")
    grid = report.pages[0].grid
    assert report.summary()["frames_off_grid"] == 0
    page = pdfium.PdfDocument(out / "farm.pdf")[0].render(scale=1).to_pil().convert("RGB")
    spans = []
    for color, ratio in (((0, 100, 0), 900 / 600), ((70, 130, 180), 400 / 600)):
        left, width, height = _extent(page, color)
        spans.append(_columns_spanned(grid, left, width))
        assert height == pytest.approx(width / ratio, rel=0.15)
        assert height % grid.pitch == pytest.approx(0, abs=2.5) or (
            height % grid.pitch == pytest.approx(grid.pitch, abs=2.5))
    assert spans[0] >= spans[1] >= 1  # the landscape green one at least as wide


def _extent(page: Image.Image, color: tuple[int, int, int]) -> tuple[int, int, int]:
    """Left edge, width and height in pixels of the area of ``page`` in ``color``."""
    xs = [x for x in range(page.width)
          if any(_near(page.getpixel((x, y)), color) for y in range(0, page.height, 4))]
    ys = [y for y in range(page.height)
          if any(_near(page.getpixel((x, y)), color) for x in range(0, page.width, 4))]
    assert xs and ys, f"no area in {color}"
    return xs[0], xs[-1] + 1 - xs[0], len(ys)


def _columns_spanned(grid: Grid, left: float, width: float) -> int:
    """How many whole columns a frame at ``left`` and ``width`` spans; fails when an edge
    is off a column edge or the width is not whole columns and the gutters between."""
    edges = grid.column_edges()
    first = min(range(len(edges)), key=lambda k: abs(edges[k][0] - left))
    assert left == pytest.approx(edges[first][0], abs=2), "frame's left edge off the columns"
    span = round((width + grid.gutter) / (grid.column + grid.gutter))
    assert 1 <= span <= grid.columns - first
    assert width == pytest.approx(span * grid.column + (span - 1) * grid.gutter, abs=2), (
        "frame's width not whole columns")
    assert left + width == pytest.approx(edges[first + span - 1][1], abs=2)
    return span


def _near(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return all(abs(x - y) < 12 for x, y in zip(a, b, strict=False))


def test_photo_and_folder_names_with_url_characters(tmp_path: Path) -> None:
    source = tmp_path / "farm news.txt"
    source.write_text(SECOND_ARTICLE, "utf-8")
    Image.new("RGB", (300, 200), "red").save(tmp_path / "图1.jpg")
    Image.new("RGB", (300, 200), "blue").save(tmp_path / "farm news-2.jpg")
    out = tmp_path / "out #1 50%"
    proc = layout_cli("build", str(source), "-o", str(out), "--format", "pdf", "--strict")
    assert proc.returncode == 0, proc.stderr
    with pdfplumber.open(out / "farm news.pdf") as pdf:
        assert len([im for page in pdf.pages for im in page.images]) == 2


def test_a_story_column_is_printed_and_checked(tmp_path: Path) -> None:
    """A column label (专栏) is the story's text: on the page, in the EPUB, and counted by
    `layout check` (it used to be read as metadata and printed nowhere)."""
    source = tmp_path / "forum.txt"
    source.write_text("人民论坛\n让青春在奋斗中闪光\n本报评论员\n\n"
                      "　　青年是国家的希望，民族的未来。我们要把个人理想融入国家发展之中。\n",
                      "utf-8")
    out = tmp_path / "out"
    proc = layout_cli("build", str(source), "-o", str(out), "--format", "pdf,epub", "-q")
    assert proc.returncode == 0, proc.stderr
    with pdfplumber.open(out / "forum.pdf") as pdf:
        words = pdf.pages[0].extract_words(extra_attrs=["size"])
    label = next(w for w in words if w["text"] == "人民论坛")
    headline = max(words, key=lambda w: w["size"])
    assert label["bottom"] <= headline["top"]  # above the headline group
    with ZipFile(out / "forum.epub") as epub:
        assert any('class="column-label">人民论坛<' in epub.read(n).decode()
                   for n in epub.namelist() if n.endswith(".xhtml"))
    proc = layout_cli("check", str(out), "--no-epubcheck", "--skip", "layout")  # a short story
    assert proc.returncode == 0, proc.stdout + proc.stderr
