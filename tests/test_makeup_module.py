"""A short story as a module narrower than the page (issue 11): the plan of a module of the
page's first columns, the free record that says where it ends and how wide it is, and
L102 judging the module alone (the space beside and below it is for other stories)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pdfplumber
import pytest

from layout.check.layout import LayoutLimits, Piece, _measure_page
from layout.makeup.grid import (
    FREE_KEY,
    Grid,
    describe_free,
    parse_free,
    parse_free_beside,
    shift_free,
)
from layout.makeup.plan import plan_page
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
