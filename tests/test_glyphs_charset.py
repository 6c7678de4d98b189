"""The glyph check reads a CID-keyed CFF font's charset itself (the CIDs it has), as
fontTools names them, without naming every glyph: the same CIDs for each of the charset's
three formats, and nothing (fontTools decides) for a charset it would refuse."""

from __future__ import annotations

import io
import struct
from types import SimpleNamespace

import pytest
from fontTools.cffLib import parseCharset, parseCharset0

from layout.check.glyphs import CidRuns, _cid_charset

OFFSET = 10  # where the charset starts in the (otherwise empty) font data


def _top(form: int, body: bytes, count: int, ros: bool = True) -> SimpleNamespace:
    raw = {"charset": OFFSET, **({"ROS": ("Adobe", "Identity", 0)} if ros else {})}
    return SimpleNamespace(rawDict=raw, numGlyphs=count,
                           file=io.BytesIO(bytes(OFFSET) + bytes([form]) + body))


def _fonttools(form: int, body: bytes, count: int) -> set[int]:
    file = io.BytesIO(body)
    names = parseCharset0(count, file, None, True) if form == 0 else parseCharset(
        count, file, None, True, form)
    assert len(names) == count
    return {0} | {int(n[3:]) for n in names if n.startswith("cid")}


CIDS = [1, 2, 3, 7, 300, 301, 302, 65535]
RANGES = [(1, 4), (10, 0), (300, 700), (600, 10), (60000, 255)]  # (first, left): one overlap
CHARSETS = [
    (0, b"".join(struct.pack(">H", c) for c in CIDS), len(CIDS) + 1),
    (1, b"".join(struct.pack(">HB", f, min(n, 255)) for f, n in RANGES),
     1 + sum(min(n, 255) + 1 for _, n in RANGES)),
    (2, b"".join(struct.pack(">HH", f, n) for f, n in RANGES),
     1 + sum(n + 1 for _, n in RANGES)),
]


@pytest.mark.parametrize(("form", "body", "count"), CHARSETS, ids=["format0", "format1",
                                                                    "format2"])
def test_the_cids_are_those_fonttools_names(form: int, body: bytes, count: int) -> None:
    found = _cid_charset(_top(form, body, count))
    assert found is not None and found[0] == count
    assert {cid for cid in range(0x10000) if cid in found[1]} == _fonttools(form, body, count)


def test_runs_that_overlap_or_touch_hold_their_union() -> None:
    runs = CidRuns([(0, 0), (10, 20), (15, 30), (31, 31), (40, 40)])
    assert [c for c in range(50) if c in runs] == [0, *range(10, 32), 40]


@pytest.mark.parametrize(("form", "body", "count"), CHARSETS, ids=["format0", "format1",
                                                                    "format2"])
def test_a_charset_fonttools_would_refuse_or_name_otherwise_is_left_to_it(
        form: int, body: bytes, count: int) -> None:
    assert _cid_charset(_top(form, body[:-1], count)) is None  # past the data's end
    assert _cid_charset(_top(form, body, count, ros=False)) is None  # not CID-keyed
    assert _cid_charset(_top(3, body, count)) is None  # no such format
    if form:
        # ranges covering more glyphs than the font has (fontTools: AssertionError)
        assert _cid_charset(_top(form, body, count - 1)) is None
