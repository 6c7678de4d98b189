"""A headline with no clause to break it at, over a module too narrow for it in one line
(issue 11): broken between words in two lines, as a desk breaks it, never inside a word
nor after a one-character word; only for a module narrower than the page, and only when
no setting broken between clauses fits."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.errors import LayoutError
from layout.makeup.grid import page_grid
from layout.makeup.headline import fit_headline, word_lines
from layout.makeup.plan import headline_range, plan_page
from layout.readers import read
from layout.settings import Settings

from .newsroom_copy import FIXTURES


def one_column(preset: str) -> tuple[float, float, float]:
    """The width of one column of ``preset`` and a module's headline sizes there."""
    settings = Settings.default("newspaper", preset)
    largest, smallest = headline_range(settings, True)
    return page_grid(settings.design.page).module(1).type_width, largest, smallest


@pytest.mark.parametrize(("preset", "text", "lines"), [
    ("a4", "城市更新让老街焕发新生", ("城市更新", "让老街焕发新生")),  # not 城市更新让 / 老街…
    ("tabloid", "全民阅读活动启动", ("全民阅读", "活动启动")),
])
def test_a_headline_without_clauses_is_broken_between_words(preset: str, text: str,
                                                             lines: tuple[str, ...]) -> None:
    width, largest, smallest = one_column(preset)
    with pytest.raises(LayoutError):
        fit_headline(text, width, largest, smallest)  # one line: too long at the least size
    headline = fit_headline(text, width, largest, smallest, words=True)
    assert headline.lines == lines and "".join(headline.lines) == text
    assert smallest <= headline.size <= largest
    assert headline.size * max(len(line) for line in lines) <= width


def test_a_break_between_clauses_is_kept_where_one_fits() -> None:
    width, largest, smallest = one_column("a4")
    text = "城市更新 老街新生"
    assert fit_headline(text, width, largest, smallest, words=True) == fit_headline(
        text, width, largest, smallest)


def test_no_break_between_words_fits_a_width_too_narrow_for_half_the_headline() -> None:
    assert word_lines("城市更新让老街焕发新生", 60.0, 30.0, 15.0) is None


def test_only_a_module_narrower_than_the_page_breaks_between_words(tmp_path: Path) -> None:
    source = tmp_path / "briefs.txt"
    source.write_text(FIXTURES["briefs"], encoding="utf-8")
    story = read(source).stories()[2]
    assert story.title == "全民阅读活动启动"
    settings = Settings.default("newspaper", "tabloid")
    with pytest.raises(LayoutError):
        plan_page(story, settings, columns=1)
    assert plan_page(story, settings, columns=1, words=True).headline.lines == (
        "全民阅读", "活动启动")
    # Across the page it fits in one line: no word break asked.
    assert len(plan_page(story, settings, words=True).headline.lines) == 1
