"""The sample's outputs opened as a reader would open them."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from layout.decorations import PageDecorations
from layout.fidelity import han_difference
from layout.readers import read

from .conftest import SAMPLE

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

NAME = SAMPLE.stem
XHTML = "http://www.w3.org/1999/xhtml"


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_outputs_exist(sample_build: Path) -> None:
    for ext in ("pdf", "epub", "html"):
        assert (sample_build / f"{NAME}.{ext}").stat().st_size > 1000


def test_pdf_one_broadsheet_page_with_metadata(sample_build: Path) -> None:
    reader = PdfReader(sample_build / f"{NAME}.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 390
    assert reader.metadata.title == "增强党建凝聚力 共画发展同心圆"
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert titles[0] == "增强党建凝聚力 共画发展同心圆"


def test_pdf_fonts_embedded(sample_build: Path) -> None:
    out = subprocess.run(["pdffonts", str(sample_build / f"{NAME}.pdf")], capture_output=True,
                         text=True, check=True).stdout.splitlines()[2:]
    assert out
    for row in out:
        cols = row.split()
        assert cols[-5:-3] == ["yes", "yes"], row  # emb, sub
    # No face is bold by name only: the Kai fonts have no bold, so nothing is set bold in Kai
    # (a fake bold is what preflight P225 rejects in a file for the press).
    assert not [row for row in out if "Kai" in row.split()[0] and "Bold" in row.split()[0]]


def test_pdf_keeps_every_han_character(sample_build: Path) -> None:
    doc = read(SAMPLE)
    text = pdf_text(sample_build / f"{NAME}.pdf")
    missing, extra = han_difference(SAMPLE.read_text("utf-8"), text,
                                    PageDecorations("人民日报", doc.kicker).all_texts(doc, 1))
    assert not missing and not extra


def test_epub_keeps_every_han_character(sample_build: Path) -> None:
    text = []
    with zipfile.ZipFile(sample_build / f"{NAME}.epub") as z:
        assert z.namelist()[0] == "mimetype"
        for name in z.namelist():
            if name.endswith(".xhtml") and "nav" not in name:
                body = etree.fromstring(z.read(name)).find(f"{{{XHTML}}}body")
                text.append("".join(body.itertext()))
    missing, extra = han_difference(SAMPLE.read_text("utf-8"), "".join(text), ["图片说明"])
    assert not missing and not extra
