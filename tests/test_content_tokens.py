"""The preflight's fast reader of content streams against pypdf's parser."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream

from layout.check import content_tokens
from layout.check.pdf_content import _raw, scan_pdf


def _plain(value: Any) -> Any:
    """Operands compared by value: numbers, names, string bytes."""
    if isinstance(value, int | float):
        return round(float(value), 4)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("/"):
        return value
    raw = _raw(value)
    return raw[2:] if raw[:2] == b"\xfe\xff" and not isinstance(value, bytes) else raw


def test_the_fast_reader_reads_what_pypdf_reads(sample_build: Path) -> None:
    reader = PdfReader(sample_build / "renmin-ribao-party-building.pdf")
    for page in reader.pages:
        contents = page.get_contents()
        assert contents is not None
        fast = content_tokens.operations(contents.get_data())
        slow = ContentStream(contents, reader).operations
        assert fast is not None and len(fast) == len(slow) > 1000
        for (operands, op), (expected, op_expected) in zip(fast, slow, strict=True):
            assert op == op_expected
            if op in (b"TJ", b"Tj", b"BDC"):
                continue  # pypdf decodes some strings to text (compared below, as bytes)
            assert _plain(operands) == _plain(expected)


def test_strings_are_their_bytes() -> None:
    ops = content_tokens.operations(b"BT /F1 9 Tf [<0018> -250 <4E8D 0011>] TJ ET")
    assert ops == [([], b"BT"), (["/F1", 9], b"Tf"), ([[b"\x00\x18", -250, b"N\x8d\x00\x11"]],
                                                         b"TJ"), ([], b"ET")]


def test_what_it_does_not_read_goes_to_pypdf() -> None:
    for stream in (b"BT (literal) Tj ET", b"BI /W 1 /H 1 ID \x00 EI", b"/A#20B cs",
                   b"[1 2", b"1 2 ] re", b"<< /A 1 >> BDC <<"):
        assert content_tokens.operations(stream) is None


def test_the_scan_counts_each_glyph_once(sample_build: Path) -> None:
    """Two bytes per glyph of the CID fonts: pypdf's text strings added a byte order mark."""
    data = (sample_build / "renmin-ribao-party-building.pdf").read_bytes()
    scan = scan_pdf(PdfReader(io.BytesIO(data)))
    reader = PdfReader(io.BytesIO(data))
    strings = 0
    for page in reader.pages:
        contents = page.get_contents()
        assert contents is not None
        for operands, op in content_tokens.operations(contents.get_data()) or []:
            if op == b"TJ":
                strings += sum(len(s) // 2 for s in operands[0] if isinstance(s, bytes))
    assert scan.glyphs == strings
