"""The typesetting markup of a plain string, remembered (layout.typeset.markup): the same
as made afresh for every text and option; other strings are made each time."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from markupsafe import Markup

from layout.typeset import markup

SAMPLE = Path(__file__).resolve().parent.parent / "source" / "renmin-ribao-party-building.txt"
PIECES = ["党的建设", "，", "。", "“", "”", "——", "……", "《", "》", "2026年", "AI", "café",
          " ", "\u3000", "&", "<b>", "：", "？", "3.5%", "e-mail", "’", "（", "）"]


def _texts() -> list[str]:
    draw = random.Random(5)
    lines = [line for line in SAMPLE.read_text("utf-8").splitlines() if line.strip()]
    made = ["".join(draw.choice(PIECES) for _ in range(draw.randint(1, 30)))
            for _ in range(300)]
    return lines + made


@pytest.mark.parametrize(("keep_tail", "cells"), [(True, False), (False, False), (True, True),
                                                 (False, True)])
def test_remembered_markup_is_the_markup_made(keep_tail: bool, cells: bool) -> None:
    markup._remembered.cache_clear()
    texts = _texts()
    for _ in range(2):  # made, then remembered
        for text in texts:
            assert markup.typeset_markup(text, keep_tail, cells) == markup._markup(
                text, keep_tail, cells)
    assert markup._remembered.cache_info().hits >= len(set(texts))


def test_options_are_remembered_apart() -> None:
    markup._remembered.cache_clear()
    text = "他说：“好。”don’t 说完了"
    made = {(k, c): markup.typeset_markup(text, k, c) for k in (True, False)
            for c in (True, False)}
    assert len(set(made.values())) == 4
    assert made == {(k, c): markup._markup(text, k, c) for k in (True, False)
                    for c in (True, False)}


def test_only_plain_strings_are_remembered() -> None:
    """A subclass of str (Markup) may behave otherwise: made each time, never kept."""
    markup._remembered.cache_clear()
    plain = markup.typeset_markup("甲&乙<丙>丁")
    assert "&amp;" in plain and "&lt;" in plain
    given = markup.typeset_markup(Markup("甲&乙<丙>丁"))
    assert given == markup._markup(Markup("甲&乙<丙>丁"), True, False)
    assert markup._remembered.cache_info().currsize == 1
