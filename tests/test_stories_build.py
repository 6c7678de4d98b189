"""A source of several stories builds one PDF and one EPUB holding every story, in order."""

from __future__ import annotations

import dataclasses
import os
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from layout.app.build import build
from layout.model import PageInfo
from layout.settings import Publication, Settings
from layout.writers.page_metadata import with_page_metadata

from .newsroom_copy import ARCHIVE_THREE

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

TITLES = ["春耕备耕有序展开", "外贸开局平稳向好", "城市更新让老街焕发新生"]


def a4(**publication: object) -> Settings:
    settings = Settings.default(page="a4")
    return dataclasses.replace(settings, publication=Publication(**publication))  # type: ignore[arg-type]


def test_page_metadata_fills_what_the_run_leaves_open() -> None:
    page = PageInfo(line=1, date="2001-03-05", number=4, name="要闻", paper="某某日报")
    got = with_page_metadata(a4(), page).publication
    assert (got.issue_date, got.section_name, got.folio, got.paper) == (
        "2001年3月5日", "要闻", 4, "人民日报")
    told = with_page_metadata(a4(issue_date="3月6日", section_name="经济", folio=2),
                              page).publication
    assert (told.issue_date, told.section_name, told.folio) == ("3月6日", "经济", 2)
    assert with_page_metadata(a4(), None) == a4()


def _build(source: Path, out: Path) -> list[Path]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        result = build(source, a4(), out, ("pdf", "epub"))
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    assert not result.failed, result.diagnostics
    return result.outputs


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("stories")
    source = folder / "archive.txt"
    source.write_text(ARCHIVE_THREE, "utf-8")
    outputs = _build(source, folder / "out")
    assert sorted(p.name for p in outputs) == ["archive.epub", "archive.pdf"]
    return source, folder / "out"


@pytest.mark.slow
def test_pdf_holds_every_story_in_order_under_the_archive_page_head(
        built: tuple[Path, Path]) -> None:
    reader = PdfReader(built[1] / "archive.pdf")
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) == 3
    for title, text in zip(TITLES, pages, strict=True):
        assert title in text.replace("\n", "")
        assert "第4版" in text and "2001年3月5日" in text and "要闻" in text
    assert [o.title for o in reader.outline if not isinstance(o, list)][:3] == TITLES
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"


@pytest.mark.slow
def test_epub_has_a_chapter_per_story(built: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(built[1] / "archive.epub") as z:
        nav = next(z.read(n).decode() for n in z.namelist() if n.endswith("nav.xhtml"))
        text = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    positions = [nav.index(t) for t in TITLES]
    assert positions == sorted(positions)
    assert "<ol/>" not in nav and not re.search(r"<ol>\s*</ol>", nav)  # stories without heads
    for needle in ("连日来，各地抓住有利天气", "专家表示，外贸韧性持续显现。",
                   "居民说：住在这里越来越舒心了！"):
        assert needle in text


@pytest.mark.slow
def test_same_source_same_bytes(built: tuple[Path, Path], tmp_path: Path) -> None:
    source, out = built
    _build(source, tmp_path)
    for name in ("archive.pdf", "archive.epub"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_kobo_edition_of_several_stories(tmp_path: Path) -> None:
    """--format kepub on a several-story source writes the Kobo edition, never nothing."""
    source = tmp_path / "archive.txt"
    source.write_text(ARCHIVE_THREE, "utf-8")
    result = build(source, a4(), tmp_path / "out", ("kepub",))
    assert not result.failed, result.diagnostics
    assert [p.name for p in result.outputs] == ["archive.kepub.epub"]
    with zipfile.ZipFile(result.outputs[0]) as z:
        text = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    assert 'class="koboSpan"' in text
    assert all(title in text for title in TITLES)


@pytest.mark.slow
def test_merged_pdf_keeps_what_layout_check_reads(built: tuple[Path, Path],
                                                  tmp_path: Path) -> None:
    """The grid every story was made on and each story's free band, at its page in the
    merged PDF: the check measures against the grid and leaves the bands alone."""
    from pypdf import PdfWriter

    from layout.check.layout import measure
    from layout.makeup.grid import FREE_KEY, PDF_KEY, parse_free

    merged = built[1] / "archive.pdf"
    info = PdfReader(merged).metadata
    assert info is not None and PDF_KEY in info
    free = parse_free(str(info[FREE_KEY]))
    assert sorted(free) == [1, 2, 3]  # three short stories, each on its own page
    report = measure(merged)
    assert report.recorded_grid
    assert all(page.empty_share <= 0.03 for page in report.pages)
    # The same pages without the record: the bands below the stories count as holes.
    stripped = PdfWriter(clone_from=merged)
    stripped.add_metadata({FREE_KEY: ""})
    bare = tmp_path / "bare.pdf"
    stripped.write(bare)
    assert max(page.empty_share for page in measure(bare).pages) > 0.03
