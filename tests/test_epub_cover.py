"""The EPUB's covers: a typographic cover for the library shelf, the print page on request."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageFont
from pypdf import PdfReader

from layout.app.build import build as build_source
from layout.config import load_config
from layout.settings import RunOptions
from layout.writers.epub_cover import MAX_BYTES, SIZE, wrap
from layout.writers.epub_fonts import locate

from .conftest import SAMPLE
from .epub_support import NS, Epub

X = f"{{{NS['x']}}}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Epub, Path]:
    """The sample with bleed and crop marks, and the print page after the cover."""
    out = tmp_path_factory.mktemp("cover")
    settings = load_config(out).settings(
        page="a4", issue_date="2023年3月5日",
        run=RunOptions(bleed_mm=3, marks=("crop",), cover="print"))
    result = build_source(SAMPLE, settings, out, ("pdf", "epub"))
    assert not result.failed, result.diagnostics
    return Epub(out / f"{SAMPLE.stem}.epub"), out / f"{SAMPLE.stem}.pdf"


def image_of(book: Epub, href: str) -> tuple[Image.Image, int]:
    data = book.read(book.member(href))
    return Image.open(io.BytesIO(data)), len(data)


@pytest.mark.slow
def test_typographic_cover_is_small_and_portrait(built: tuple[Epub, Path]) -> None:
    book, _ = built
    cover = book.item_with("cover-image")
    image, size = image_of(book, cover.get("href"))
    assert image.size == SIZE and image.mode == "RGB"
    assert size <= MAX_BYTES
    (img,) = book.documents[book.spine[0]].iter(f"{X}img")
    assert "增强党建凝聚力 共画发展同心圆" in img.get("alt") and "2023年3月5日" in img.get("alt")


@pytest.mark.slow
def test_print_page_is_cut_to_the_trim_box(built: tuple[Epub, Path]) -> None:
    """No bleed, no crop marks: the image has the trim box's proportions, not the media's."""
    book, pdf = built
    assert book.spine[1] == "print-page.xhtml"
    (img,) = book.documents["print-page.xhtml"].iter(f"{X}img")
    image, _ = image_of(book, img.get("src"))
    page = PdfReader(pdf).pages[0]
    trim = float(page.trimbox.width) / float(page.trimbox.height)
    media = float(page.mediabox.width) / float(page.mediabox.height)
    assert abs(trim - media) > 0.005  # the test would notice a page with its bleed
    assert abs(image.width / image.height - trim) < 0.002
    assert image.convert("L").crop((0, 0, image.width, 8)).getextrema()[0] > 200  # no marks


def test_headline_breaks_between_clauses() -> None:
    located = locate("Noto Sans CJK SC", "bold")
    assert located
    font = ImageFont.truetype(located[1], 150, index=located[2])
    assert wrap("增强党建凝聚力 共画发展同心圆", font, 1360) == ["增强党建凝聚力", "共画发展同心圆"]
    lines = wrap("党的二十大报告提出，“加强新经济组织、新社会组织”", font, 700, by_clause=False)
    assert all(line[0] not in "，。、”" for line in lines)
    assert "".join(lines) == "党的二十大报告提出，“加强新经济组织、新社会组织”"
