"""The one character-class module: Han, punctuation classes, Latin."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from layout.chars import (
    HAN,
    NO_LINE_END,
    NO_LINE_START,
    SQUEEZABLE,
    han_chars,
    is_han,
    is_han_like,
    is_latin,
)
from layout.typeset.justify import expandable

HAN_RE = re.compile(HAN)


@given(st.characters())
def test_the_pattern_and_the_predicate_agree(ch: str) -> None:
    assert bool(HAN_RE.fullmatch(ch)) == is_han(ch)


def test_han_covers_the_extensions_and_nothing_else() -> None:
    assert all(is_han(c) for c in "中㐀豈𠀀𰀀")
    assert not any(is_han(c) for c in "，。あアa1（")
    assert han_chars("2026年，AI与农业") == "年与农业"


def test_punctuation_classes() -> None:
    assert {"，", "。", "”", "）", "—", "…"} <= NO_LINE_START
    assert {"“", "（", "《"} <= NO_LINE_END and not NO_LINE_START & NO_LINE_END
    assert {"。", "”", "，", "“"} <= SQUEEZABLE and "—" not in SQUEEZABLE


def test_latin_and_han_like() -> None:
    assert all(is_latin(c) for c in "aZ9éΩ")
    assert not any(is_latin(c) for c in "中あ１，")  # full-width digit: a CJK form
    assert is_han_like("あ") and is_han_like("中") and not is_han_like("a")


def test_justification_never_splits_words_numbers_or_dashes() -> None:
    assert not expandable("a", "b") and not expandable("2", ".") and not expandable("5", "%")
    assert not expandable("—", "—") and not expandable("…", "…")
    assert expandable("中", "文") and expandable("中", "a") and expandable("，", "中")
    # a pair of marks, its first squeezed to half an em: no gap inside it
    assert not expandable("。", "”") and not expandable("，", "“") and not expandable("）", "、")
    assert expandable("”", "农") and expandable("亩", "。")
