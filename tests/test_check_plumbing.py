"""The check's pdfplumber reads content streams with a regular expression
(layout.check.plumbing): the objects pdfminer's own parser yields, the page objects
pdfplumber gives, and pdfminer's parser for whatever it might read otherwise."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import PSEOF
from weasyprint import HTML

from layout.check import plumbing


def _pdfminer(data: bytes) -> list[object]:
    parser = PDFContentParser([PDFStream({}, data)])
    out = []
    while True:
        try:
            out.append(parser.nextobject()[1])
        except PSEOF:
            return out


READ = [
    b"q 1 0 0 -1 0 841.89 cm BT /F1 10.5 Tf 1 0 0 -1 56.7 80 Tm [<0012>-250<00340056>] TJ ET Q",
    b"/Span << /MCID 3 /Lang /zh >> BDC 0 0 0 1 k 1.5 w 10 20 m 30.25 -.5 l S EMC",
    b"/P <</MCID 0>>BDC BT /F2 9 Tf 12 TL T* <0041> ' 1 2 <0042> \" ET EMC",
    b"[1 [2 3] /N] 0 d % a comment\n /Im0 Do 0.5 g 1 1 10 10 re f*",
    b"",
]


@pytest.mark.parametrize("data", READ)
def test_the_objects_are_pdfminer_s(data: bytes) -> None:
    assert plumbing.objects(data) == _pdfminer(data)


REFUSED = [
    b"BT (literal) Tj ET",  # literal strings
    b"BT <123> Tj ET",  # an odd hex string: pdfminer keeps the last digit as it is
    b"BI /W 1 /H 1 ID \xff EI",  # an inline image
    b"/N#20ame Do",  # an escape in a name
    b"1 0 0 1 0 0 cm\x00",  # a NUL
    b"/F1 10 Tf0.5 Tc",  # a keyword pdfminer reads on to its own delimiters
    b"[1 2 Tj]",  # an operator inside an array
    b"true false null",
    b"[1 2",  # unclosed
]


@pytest.mark.parametrize("data", REFUSED)
def test_what_pdfminer_might_read_otherwise_is_left_to_it(data: bytes) -> None:
    assert plumbing.objects(data) is None


def test_pdfplumber_gives_the_same_page_objects(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[bool] = []
    real = plumbing.objects

    def spy(data: bytes) -> list[object] | None:
        found = real(data)
        read.append(found is not None)
        return found

    monkeypatch.setattr(plumbing, "objects", spy)
    path = tmp_path / "page.pdf"
    HTML(string="<html lang=zh><body style='font: 12pt \"Noto Serif CJK SC\"'>"
         "<h1>标题</h1><p style='border-left: 1pt solid'>正文，“引号”与 Latin 1234。</p>"
         "<div style='height: 20pt; background: #000'></div></body></html>").write_pdf(path)
    with pdfplumber.open(path) as plain, plumbing.open_pdf(path) as fast:
        assert [p.objects for p in fast.pages] == [p.objects for p in plain.pages]
        assert fast.pages[0].chars and fast.pages[0].rects
    assert read and all(read)  # WeasyPrint's stream, read by the regular expression
