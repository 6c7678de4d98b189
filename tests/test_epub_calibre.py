"""The EPUB through a real reading system's converter: calibre's ebook-convert to TXT.

calibre is large and not installed by `make`; the test is skipped, saying so, when
`ebook-convert` is not on the PATH.
"""

from __future__ import annotations

import shutil
import subprocess
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


def test_txt_has_no_navigation_text_and_every_character(sample_build: Path,
                                                        tmp_path: Path) -> None:
    txt = tmp_path / "sample.txt"
    subprocess.run([str(EBOOK_CONVERT), str(sample_build / f"{SAMPLE.stem}.epub"), str(txt)],
                   check=True, capture_output=True, timeout=600)
    text = txt.read_text("utf-8")
    for hidden in (LABELS["landmarks"], LABELS["pages"]):  # the hidden navigation's headings
        assert hidden not in text
    assert f"{LABELS['cover']}\n{LABELS['toc']}\n{LABELS['bodymatter']}" not in text
    missing, _ = han_difference(SAMPLE.read_text("utf-8"), text, decorations(read(SAMPLE)))
    assert not missing
