"""Results kept on disk between processes (layout.diskcache), and the punctuation
metrics of a font file kept there (layout.typeset.marks)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from layout import diskcache, fontfiles
from layout.typeset import marks


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(folder))
    return folder


def test_a_value_is_kept_by_its_key(cache: Path) -> None:
    diskcache.store("kind", "key one", {"a": [1, 2.5, "三"]})
    assert diskcache.load("kind", "key one") == {"a": [1, 2.5, "三"]}
    assert diskcache.load("kind", "key two") is None
    assert diskcache.load("other", "key one") is None
    entries = list((cache / "kind").iterdir())
    assert len(entries) == 1 and not entries[0].name.startswith(".")  # no temporary left


def test_an_unreadable_entry_is_none(cache: Path) -> None:
    diskcache.store("kind", "key", 1)
    (entry,) = (cache / "kind").iterdir()
    entry.write_text("{not json", "utf-8")
    assert diskcache.load("kind", "key") is None


def test_an_empty_folder_setting_keeps_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAYOUT_CACHE_DIR", "")
    diskcache.store("kind", "key", 1)
    assert diskcache.folder() is None and diskcache.load("kind", "key") is None


def test_a_folder_that_cannot_be_written_keeps_nothing(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", "utf-8")
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(blocked))
    diskcache.store("kind", "key", 1)  # no error
    assert diskcache.load("kind", "key") is None


def test_font_metrics_are_read_again_when_the_file_changes(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    font = tmp_path / "face.ttf"
    font.write_bytes(b"one")
    reads = []

    def read(family: str, path: str, index: int) -> marks.MarkMetrics:
        reads.append(path)
        return marks.MarkMetrics(family, False, 0.35 + len(reads), 1.0, "left", False)

    monkeypatch.setattr(marks, "_read_metrics", read)

    def metrics(family: str = "Face") -> marks.MarkMetrics | None:
        marks._metrics.cache_clear()  # a new process
        return marks._metrics(family, str(font), 0)

    first = metrics()
    assert first is not None and first.quote == 1.35
    assert metrics() == first and len(reads) == 1  # from the disk
    renamed = metrics("Other")
    assert renamed is not None and renamed.family == "Other" and len(reads) == 1
    font.write_bytes(b"two, longer")
    os.utime(font, ns=(1, 1))
    changed = metrics()
    assert changed is not None and changed.quote == 2.35 and len(reads) == 2
    marks._metrics.cache_clear()


def test_a_real_faces_metrics_are_the_same_from_the_disk(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = fontfiles.locate("LXGW WenKai")
    if found is None:
        pytest.skip("LXGW WenKai is not installed")
    read = marks._read_metrics(*found)
    marks._metrics.cache_clear()
    assert marks._metrics(*found) == read  # read, and kept
    marks._metrics.cache_clear()
    monkeypatch.setattr(marks, "_read_metrics", None)  # the file is not read again
    assert marks._metrics(*found) == read
    marks._metrics.cache_clear()
