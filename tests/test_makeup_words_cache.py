"""jieba's prefix dictionary is kept in layout's cache folder, never in the shared
temporary folder (where jieba keeps it by default and reads back whatever file it finds
there), and in a private folder removed after when caching is off.

Where the file goes does not depend on the dictionary's words: jieba reads a dictionary of
the headlines' words here (its own, ~350,000 words, takes ~1.5 s a test to build)."""

from __future__ import annotations

import io
import marshal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import jieba
import pytest

from layout.makeup import words

# word, frequency: what jieba's dictionary says of the headlines' words
WORDS = "".join(f"{word} {freq}\n" for word, freq in (
    ("城市更新", 50000), ("城市", 500), ("更新", 500), ("让", 5000), ("老街", 500), ("焕发", 500),
    ("新生", 500), ("全民", 500), ("阅读", 5000), ("活动", 5000), ("启动", 5000)))


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A tokenizer not built yet (of :data:`WORDS`), and a temporary folder of this test's
    own."""
    shared = tmp_path / "tmp"
    shared.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    monkeypatch.setattr(jieba.Tokenizer, "get_dict_file",
                        lambda self: io.BytesIO(WORDS.encode("utf-8")))
    words._tokenizer.cache_clear()
    words.boundaries.cache_clear()
    yield shared
    words._tokenizer.cache_clear()
    words.boundaries.cache_clear()


def test_the_prefix_dictionary_is_kept_in_the_cache_folder(
        fresh: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / "cache"))
    assert words.boundaries("城市更新让老街焕发新生") == (4, 5, 7, 9)
    assert list(fresh.iterdir()) == []
    kept = tmp_path / "cache" / "jieba" / jieba.__version__ / "jieba.cache"
    assert kept.is_file() and marshal.loads(kept.read_bytes())[0]["老街"] == 500


def test_with_caching_off_nothing_is_left_anywhere(
        fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAYOUT_CACHE_DIR", "")
    assert words.boundaries("全民阅读活动启动") == (2, 4, 6)
    assert list(fresh.iterdir()) == []
