"""jieba's prefix dictionary is kept in layout's cache folder, never in the shared
temporary folder (where jieba keeps it by default and reads back whatever file it finds
there), and in a private folder removed after when caching is off."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import jieba
import pytest

from layout.makeup import words

pytestmark = pytest.mark.slow  # builds jieba's prefix dictionary (~1 s) twice


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A tokenizer not built yet, and a temporary folder of this test's own."""
    shared = tmp_path / "tmp"
    shared.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
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
    assert kept.is_file() and kept.stat().st_size > 1_000_000


def test_with_caching_off_nothing_is_left_anywhere(
        fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAYOUT_CACHE_DIR", "")
    assert words.boundaries("全民阅读活动启动") == (2, 4, 6)
    assert list(fresh.iterdir()) == []
