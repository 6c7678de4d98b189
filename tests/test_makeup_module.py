"""A short story as a module narrower than the page (issue 11): the plan of a module of the
page's first columns, the free record that says where it ends and how wide it is, and
L102 judging the module alone (the space beside and below it is for other stories)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from layout.check.layout import LayoutLimits, Piece, _measure_page
from layout.compose.fit import RANK_LARGEST
from layout.makeup.flow import Flow
from layout.makeup.grid import (
    FREE_KEY,
    Grid,
    describe_free,
    parse_free,
    parse_free_beside,
    shift_free,
)
from layout.makeup.makeup import _shallow
from layout.makeup.plan import ABOVE, plan_page
from layout.makeup.style import makeup_style
from layout.readers import read
from layout.settings import Settings

from .conftest import Builds
from .newsroom_copy import FIXTURES, PHOTO_NEWS, WIRE

GRID = Grid(300.0, 600.0, 20.0, 40.0, 3, 80.0, 10.0, 15.0, 30)


def test_the_free_record_names_a_module_narrower_than_the_page() -> None:
    record = f"{describe_free(1, 200.5)}; {describe_free(2, 100.0, 310.25)}"
    assert record == "page 1 from 200.50; page 2 from 100.00 beside 310.25"
    assert parse_free(record) == {1: 200.5, 2: 100.0}
    assert parse_free_beside(record) == {2: 310.25}
    assert shift_free(record, 3) == "page 4 from 200.50; page 5 from 100.00 beside 310.25"


def module_page(beside: float | None) -> float:
    """The largest empty share of a page whose story is ten lines of the first column."""
    left, right = GRID.column_edges()[0]
    pieces = []
    for row in range(10):
        base = GRID.top + (row + 1) * GRID.pitch - 3
        pieces.append(Piece("字" * 8, left, right, base - 10, base, base, 10.0, "Song"))
    page = _measure_page(1, GRID, (0.0, 0.0, GRID.width, GRID.height), pieces, [], 10.0,
                         LayoutLimits(), GRID.top + 10 * GRID.pitch, None, "Song", beside)
    return page.empty_share


def test_l102_leaves_the_space_beside_a_module_alone() -> None:
    """Recorded as a module one column wide, the story has no hole; the same page recorded
    as ending ten lines down across the page has two empty columns beside its text."""
    assert module_page(GRID.column_edges()[0][1]) == 0.0
    assert module_page(None) > LayoutLimits().max_empty


def settings(preset: str) -> Settings:
    return Settings.default("newspaper", preset)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.txt"
    path.write_text(text, "utf-8")
    return path


def test_a_module_plan_keeps_the_page_grid(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "wire", WIRE))
    whole = plan_page(doc, settings("broadsheet"))
    module = plan_page(doc, settings("broadsheet"), columns=2)
    assert whole.page_grid is None and whole.page == whole.grid
    assert module.page == whole.grid and module.grid.columns == 2
    assert module.grid == dataclasses.replace(whole.grid, columns=2)
    # The headline fitted to two columns: smaller than the page's, within their width.
    assert module.headline.size < whole.headline.size
    width = max(len(line) for line in module.headline.lines) * module.headline.size
    assert width <= module.grid.type_width


def test_photo_news_fills_its_module(tmp_path: Path) -> None:
    """Photo news (a photo and its caption, no text) in a module: the photo as wide as the
    module; on the page it spans fewer columns than the page, for text beside it."""
    doc = read(write(tmp_path, "photo-news", PHOTO_NEWS))
    frames = [f for group in plan_page(doc, settings("a3"), columns=2).frames.values()
              for f in group]
    assert [f.span for f in frames] == [2]
    whole = [f for group in plan_page(doc, settings("a3")).frames.values() for f in group]
    assert [f.span for f in whole] == [2] and plan_page(doc, settings("a3")).grid.columns == 5


@pytest.mark.slow
def test_a_short_story_is_a_narrow_module_at_the_top_left(built: Builds) -> None:
    """The wire story on a broadsheet: two of eight columns (not eight columns three lines
    deep), its text and headline inside them, the PDF recording the module's right edge."""
    folder = built(built.source("newsroom/wire.txt", FIXTURES["wire"]), preset="broadsheet")
    with pdfplumber.open(folder / "wire.pdf") as pdf:
        record = str(pdf.metadata[FREE_KEY.lstrip("/")])
        grid = Grid.parse(str(pdf.metadata["layoutgrid"]))
        page = pdf.pages[0]
        assert grid is not None and grid.columns == 8
        assert 1 in parse_free_beside(record), record  # a module, not a band
        beside = parse_free_beside(record)[1]
        module_right = grid.column_edges()[1][1]
        assert beside == pytest.approx(module_right, abs=0.01)
        inside = [c for c in page.chars if grid.top < c["top"] < grid.bottom]
        assert inside and max(c["x1"] for c in inside) <= module_right + 1
        depth = (parse_free(record)[1] - grid.top) / grid.pitch
        assert depth >= 8  # lines: a module, not a band across the page


def test_a_short_storys_headline_ranks_below_a_pages_lead(tmp_path: Path) -> None:
    """A story shorter than the page (compact, across the page's columns or a module of
    fewer) is not the page's lead: its headline no larger than a composed page's second
    story's, however wide its module; a book's page (one column) keeps its headline."""
    text = "AI走进田间地头\n\n本报讯　" + "记者在田间地头看到。" * 8 + "\n"
    doc = read(write(tmp_path, "brief", text))
    for preset in ("broadsheet", "tabloid", "a3"):
        lead = plan_page(doc, settings(preset))
        assert lead.headline.size == settings(preset).design.page.headline_size
        for plan in (plan_page(doc, settings(preset), compact=True),
                     plan_page(doc, settings(preset), columns=4)):
            assert plan.compact and len(plan.headline.lines) == 1
            assert plan.headline.size <= RANK_LARGEST * lead.headline.size
    # On an A4 page of three columns, still a step larger than its head group's kicker.
    a4 = settings("a4")
    kicker = makeup_style({}, "").sizes["kicker"] * a4.design.page.body_size
    assert plan_page(doc, a4, compact=True).headline.size >= int(ABOVE * kicker)
    book = Settings.default("book", "a5")
    assert plan_page(doc, book, compact=True).headline == plan_page(doc, book).headline


def test_a_strip_of_short_legs_is_shallow() -> None:
    """Legs (a one-page flow's columns, photos at their heads counted) all less deep than
    a column is wide make a strip a desk sets on fewer columns; one leg as deep does not."""
    legs = int(GRID.column // GRID.pitch)  # 5 lines of 15 pt: 75 pt, the column is 80 pt

    def flow(used: list[int], reserved: dict[tuple[int, int], int] | None = None) -> Flow:
        return Flow(3, GRID.lines, GRID.lines, [GRID.lines], used=[used],
                    reserved=reserved or {})

    assert _shallow(flow([legs, legs, legs - 1]), GRID)
    assert not _shallow(flow([legs + 1, legs, legs]), GRID)
    assert not _shallow(flow([2, legs, legs], {(0, 0): legs - 1}), GRID)


BRIEF = """AI走进田间地头
本报记者　李明　王芳

本报北京3月5日电　当地负责人介绍，将进一步完善服务体系，帮助农户解决生产中遇到的实际困难。\
会议强调，要坚持稳中求进工作总基调，推动经济实现质的有效提升和量的合理增长。\
各地抓住有利天气组织农民开展春耕备耕，农业部门加大支持力度，确保粮食生产稳定。\
记者在田间地头看到，新型农机具广泛应用，智慧农业让耕种更加高效便捷。

这套系统基于AI视觉和5G网络，能在3秒内识别200多种病虫害，准确率超过98%。\
“过去一个人管50亩地，现在借助GPS导航拖拉机，一个人能管500亩。”农场负责人说。\
据统计，2023年全市新能源汽车产量达到35.6万辆，同比增长42%，出口额突破120亿元。
"""


@pytest.mark.slow
def test_a_brief_is_a_module_of_legs_under_a_second_storys_headline(built: Builds) -> None:
    """A two-paragraph brief on a tabloid (issue 11: was five legs of six lines across the
    page under a 44 pt headline): its headline at most a second story's size, its module
    narrower than the page, every leg at least as deep as a column is wide."""
    folder = built(built.source("desk/brief.txt", BRIEF), preset="tabloid")
    with pdfplumber.open(folder / "brief.pdf") as pdf:
        record = str(pdf.metadata[FREE_KEY.lstrip("/")])
        grid = Grid.parse(str(pdf.metadata["layoutgrid"]))
        assert grid is not None
        chars = [c for c in pdf.pages[0].chars if grid.top < c["top"] < grid.bottom]
    headline = max(c["size"] for c in chars)
    assert headline <= RANK_LARGEST * settings("tabloid").design.page.headline_size
    assert 1 in parse_free_beside(record), record  # a module narrower than the page
    body = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
    text = [c for c in chars if round(c["size"], 1) == body]
    below = (parse_free(record)[1] - min(c["top"] for c in text)) / grid.pitch
    assert below * grid.pitch >= grid.column  # its legs as deep as a column is wide
