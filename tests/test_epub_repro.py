"""Reproducible EPUBs: the same source and SOURCE_DATE_EPOCH give the same bytes."""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from .conftest import SAMPLE
from .epub_support import EPOCH, Epub, build

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build(SAMPLE, tmp_path / "one", "--format", "epub", "--page", "a4")
    second = build(SAMPLE, tmp_path / "two", "--format", "epub", "--page", "a4")
    assert sha256(first) == sha256(second)


def test_embedded_fonts_are_reproducible_too(tmp_path: Path) -> None:
    first = build(SAMPLE, tmp_path / "one", "--format", "epub", "--embed-fonts")
    second = build(SAMPLE, tmp_path / "two", "--format", "epub", "--embed-fonts")
    assert sha256(first) == sha256(second)


def test_entries_dated_source_date_epoch(tmp_path: Path) -> None:
    path = build(SAMPLE, tmp_path, "--format", "epub")
    when = datetime.fromtimestamp(int(EPOCH), UTC).timetuple()[:6]
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert all(i.date_time == when and i.extra == b"" for i in infos)
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])


def test_identifier_stable_across_times_modified_follows(tmp_path: Path) -> None:
    a = Epub(build(SAMPLE, tmp_path / "a", "--format", "epub", epoch="1600000000"))
    b = Epub(build(SAMPLE, tmp_path / "b", "--format", "epub", epoch="1700000000"))
    assert a.dc("identifier")[0].text == b.dc("identifier")[0].text
    assert a.meta("dcterms:modified") == ["2020-09-13T12:26:40Z"]
    assert b.meta("dcterms:modified") == ["2023-11-14T22:13:20Z"]


def test_modified_from_the_source_mtime_without_source_date_epoch(tmp_path: Path) -> None:
    source = tmp_path / "article.txt"
    shutil.copy(SAMPLE, source)
    os.utime(source, (1650000000, 1650000000))
    book = Epub(build(source, tmp_path / "out", "--format", "epub", epoch=None))
    assert book.meta("dcterms:modified") == ["2022-04-15T05:20:00Z"]
