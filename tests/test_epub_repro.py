"""Reproducible EPUBs: the same source and SOURCE_DATE_EPOCH give the same bytes.

Each comparison is between a shared build (made in the test process) and one rebuild in a
separate process, so that what varies between interpreters (hash seeds) is covered too.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from .conftest import SAMPLE, Builds, run_layout
from .epub_support import EPOCH, Epub, build

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

SHORT = "短讯标题\n\n这是一段很短的正文。\n"  # where the property does not depend on the text


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rebuilt(out: Path, *args: str) -> Path:
    """The sample's EPUB built again, in a separate process, at SOURCE_DATE_EPOCH=EPOCH."""
    proc = run_layout("build", str(SAMPLE), "-o", str(out), "-q", "--format", "epub", *args,
                      env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert proc.returncode == 0, proc.stderr
    return out / f"{SAMPLE.stem}.epub"


def test_two_builds_are_byte_identical(built: Builds, tmp_path: Path) -> None:
    first = built(SAMPLE, preset="a4") / f"{SAMPLE.stem}.epub"
    assert sha256(first) == sha256(rebuilt(tmp_path, "--page", "a4"))


@pytest.mark.heavy
def test_embedded_fonts_are_reproducible_too(built: Builds, tmp_path: Path) -> None:
    first = built(SAMPLE, flags=("--embed-fonts",)) / f"{SAMPLE.stem}.epub"
    assert sha256(first) == sha256(rebuilt(tmp_path, "--embed-fonts"))


def test_entries_dated_source_date_epoch(sample_build: Path) -> None:
    when = datetime.fromtimestamp(int(EPOCH), UTC).timetuple()[:6]
    with zipfile.ZipFile(sample_build / f"{SAMPLE.stem}.epub") as z:
        infos = z.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert all(i.date_time == when and i.extra == b"" for i in infos)
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])


def test_identifier_stable_across_times_modified_follows(tmp_path: Path) -> None:
    source = tmp_path / "short.txt"
    source.write_text(SHORT, "utf-8")
    a = Epub(build(source, tmp_path / "a", "--format", "epub", epoch="1600000000"))
    b = Epub(build(source, tmp_path / "b", "--format", "epub", epoch="1700000000"))
    assert a.dc("identifier")[0].text == b.dc("identifier")[0].text
    assert a.meta("dcterms:modified") == ["2020-09-13T12:26:40Z"]
    assert b.meta("dcterms:modified") == ["2023-11-14T22:13:20Z"]


def test_modified_from_the_source_mtime_without_source_date_epoch(tmp_path: Path) -> None:
    source = tmp_path / "article.txt"
    source.write_text(SHORT, "utf-8")
    os.utime(source, (1650000000, 1650000000))
    book = Epub(build(source, tmp_path / "out", "--format", "epub", epoch=None))
    assert book.meta("dcterms:modified") == ["2022-04-15T05:20:00Z"]
