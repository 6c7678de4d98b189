"""A headline's word boundaries are kept on disk (layout.diskcache): the next process
breaks it without loading jieba's dictionary; an entry of another jieba or a damaged one
is not taken."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from layout.makeup import words

pytestmark = pytest.mark.slow  # loads jieba's dictionary (~0.5 s)

TEXT = "城市更新让老街焕发新生"


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(folder))
    words.boundaries.cache_clear()
    yield folder
    words.boundaries.cache_clear()


def _unloadable() -> None:
    raise AssertionError("jieba's dictionary was loaded")


def test_the_next_process_breaks_a_headline_without_jieba(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = words.boundaries(TEXT)
    assert found == (4, 5, 7, 9)  # 城市/更新/让/老街/焕发新生
    words.boundaries.cache_clear()  # (as a new process)
    monkeypatch.setattr(words, "_tokenizer", _unloadable)
    assert words.boundaries(TEXT) == found
    assert len(list((cache / "words").glob("*.json"))) == 1


def test_another_jieba_s_or_a_damaged_entry_is_not_taken(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = words.boundaries(TEXT)
    words.boundaries.cache_clear()
    monkeypatch.setattr(words, "_version", lambda: "0.0")
    monkeypatch.setattr(words, "_tokenizer", _unloadable)
    with pytest.raises(AssertionError, match="was loaded"):
        words.boundaries(TEXT)  # a new key: segmented again
    monkeypatch.undo()
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(cache))
    (entry,) = (cache / "words").glob("*.json")
    kept = entry.read_text("utf-8")
    assert "[4, 5, 7, 9]" in kept
    entry.write_text(kept.replace("[4, 5, 7, 9]", '["x"]'), "utf-8")
    words.boundaries.cache_clear()
    assert words.boundaries(TEXT) == found  # segmented again, not the damaged entry
