"""A composed page measured fast (its paragraphs' lines counted with Pango,
layout.makeup.fastmeasure) is the page the reference measure (the whole measuring
document laid out by WeasyPrint) makes; a count the final layout contradicts falls back
to the reference."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from layout.app import pages
from layout.app.pages import compose_page
from layout.makeup import linebreak
from layout.readers import read
from layout.settings import Settings

from . import compose_copy as copy

pytestmark = pytest.mark.slow  # every test here lays pages out


def _page(folder: Path) -> str:
    sources = [copy.news(folder, "lead.txt", "春耕备耕有序展开", 7),
               copy.news(folder, "second.txt", "外贸开局平稳向好", 8, byline="本报记者　李华"),
               copy.news(folder, "third.txt", "城市更新让老街焕发新生", 6, byline="本报记者　赵明")]
    made = compose_page([(s, read(s)) for s in sources], Settings.default(page="a3"),
                        folder / "out", created="2026-03-05T00:00:00Z")
    assert not made.failed, made.diagnostics
    return made.html


def test_the_fast_measure_makes_the_reference_s_page_and_a_miscount_falls_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
        ) -> None:
    monkeypatch.setattr(pages, "FAST_MEASURE", False)
    reference = _page(tmp_path)
    monkeypatch.setattr(pages, "FAST_MEASURE", True)
    with caplog.at_level(logging.DEBUG, logger="layout.app.pages"):
        assert _page(tmp_path) == reference
    assert "the fast measure miscounted" not in caplog.text
    real_fill = linebreak.fill

    def one_line_short(chars: list, width: float, indent: float) -> tuple[int, tuple[int, ...]]:
        count, starts = real_fill(chars, width, indent)
        return (count - 1, starts[:-1]) if count > 2 else (count, starts)

    monkeypatch.setattr(linebreak, "fill", one_line_short)
    monkeypatch.setattr(linebreak, "_LINES", linebreak.Memo(linebreak.MEMO_CHARS))  # none kept
    with caplog.at_level(logging.DEBUG, logger="layout.app.pages"):
        assert _page(tmp_path) == reference  # the page made on the reference measure
    assert "the fast measure miscounted the lines of" in caplog.text
