"""The EPUB through a real reading system's converter: calibre's ebook-convert to TXT.

`scripts/ensure-system.sh` installs calibre (Debian package `calibre`); the test is skipped,
saying so, where `ebook-convert` is not on the PATH.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from layout.fidelity import han_difference
from layout.readers import read
from layout.writers.epub import LABELS, decorations

from .conftest import SAMPLE

EBOOK_CONVERT = shutil.which("ebook-convert")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(EBOOK_CONVERT is None, reason="calibre's ebook-convert is not "
                       "installed (apt-get install calibre): the converter test is skipped"),
]


def converted(epub: Path, txt: Path) -> str:
    subprocess.run([str(EBOOK_CONVERT), str(epub), str(txt)], check=True, capture_output=True,
                   timeout=600)
    return txt.read_text("utf-8")


def hidden_navigation_text(text: str) -> list[str]:
    found = [h for h in (LABELS["landmarks"], LABELS["pages"]) if h in text]
    listed = f"{LABELS['cover']}\n{LABELS['toc']}\n{LABELS['bodymatter']}"
    return found + ([listed] if listed in text else [])


def test_txt_has_no_navigation_text_and_every_character(sample_build: Path,
                                                        tmp_path: Path) -> None:
    text = converted(sample_build / f"{SAMPLE.stem}.epub", tmp_path / "sample.txt")
    assert not hidden_navigation_text(text)  # the hidden navigation's headings
    missing, _ = han_difference(SAMPLE.read_text("utf-8"), text, decorations(read(SAMPLE)))
    assert not missing


def test_the_converter_test_sees_navigation_that_is_not_hidden(sample_build: Path,
                                                               tmp_path: Path) -> None:
    """The same EPUB without the stylesheet rule that hides [hidden] for converters: calibre
    prints the landmarks and the page-list, and the test above would fail."""
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(sample_build / f"{SAMPLE.stem}.epub") as src, \
            zipfile.ZipFile(broken, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("style.css"):
                data = data.replace(b"nav[hidden], [hidden] { display: none; }", b"")
            out.writestr(info, data)
    assert hidden_navigation_text(converted(broken, tmp_path / "broken.txt"))
