"""Which characters a PDF shows with a missing glyph (``.notdef``), read from the PDF itself.

Text extraction cannot tell: a character without a glyph still extracts (its ToUnicode
entry survives) while the page shows an empty box.  So the content streams are walked
(pages and the form XObjects they draw), every shown string is decoded into character
ids with the font's encoding CMap, and each id is looked up in the embedded font
program: CID 0, glyph 0, or an id the program does not have means a missing glyph.

Composite (Type 0) fonts — everything WeasyPrint writes — are covered fully; simple
TrueType fonts are checked through their ``cmap``.  Fonts that are not embedded
cannot be checked here (the embedding check reports them).
"""

from __future__ import annotations

import array
import bisect
import io
import re
import sys
from collections import Counter
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont, TTLibError
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    PdfObject,
    StreamObject,
)

from .pdf_content import content_operations

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
TOKEN = re.compile(rb"<([0-9A-Fa-f\s]*)>|(-?\d+)|([A-Za-z]+)")


@dataclass
class FontGlyphs:
    """How codes shown with one font map to glyphs, and which glyphs the font has."""

    name: str
    decode: Callable[[bytes], list[int]]  # a shown string -> character codes/CIDs
    has_glyph: Callable[[int], bool]
    to_unicode: dict[int, str] = field(default_factory=dict)


def _hex(token: bytes) -> bytes:
    return bytes.fromhex(token.decode("ascii").replace(" ", "").replace("\n", ""))


def _cmap_tokens(data: bytes) -> Iterator[bytes | int | str]:
    for m in TOKEN.finditer(data):
        if m.group(1) is not None:
            yield _hex(m.group(1))
        elif m.group(2) is not None:
            yield int(m.group(2))
        else:
            yield m.group(3).decode("ascii")


# Entries of the CMap sections we read, and how many operands each entry has.
_ARITY = {"codespacerange": 2, "cidchar": 2, "cidrange": 3, "bfchar": 2, "bfrange": 3}


def _cmap_entries(data: bytes) -> Iterator[tuple[str, list[bytes | int]]]:
    """(section, operands) of every entry in the ``begin…``/``end…`` sections we read."""
    section = ""
    args: list[bytes | int] = []
    for tok in _cmap_tokens(data):
        if isinstance(tok, str):
            if tok.startswith("begin"):
                section, args = tok[5:], []
            elif tok.startswith("end"):
                section = ""
            continue
        if section not in _ARITY:
            continue
        args.append(tok)
        if len(args) == _ARITY[section]:
            yield section, args
            args = []


def parse_encoding_cmap(data: bytes) -> tuple[list[tuple[bytes, bytes]], dict[bytes, int],
                                              list[tuple[bytes, bytes, int]]]:
    """(codespace ranges, single codes -> CID, code ranges -> first CID) of an embedded CMap."""
    spaces: list[tuple[bytes, bytes]] = []
    chars: dict[bytes, int] = {}
    ranges: list[tuple[bytes, bytes, int]] = []
    for section, args in _cmap_entries(data):
        # An entry whose operands are not of the kinds its section takes is skipped.
        if section == "codespacerange":
            lo, hi = args
            if isinstance(lo, bytes) and isinstance(hi, bytes):
                spaces.append((lo, hi))
        elif section == "cidchar":
            code, cid = args
            if isinstance(code, bytes) and isinstance(cid, int):
                chars[code] = cid
        elif section == "cidrange":
            lo, hi, first = args
            if isinstance(lo, bytes) and isinstance(hi, bytes) and isinstance(first, int):
                ranges.append((lo, hi, first))
    return spaces, chars, ranges


def parse_to_unicode(data: bytes) -> dict[bytes, str]:
    """Codes -> text of a ToUnicode CMap (bfchar and bfrange)."""
    out: dict[bytes, str] = {}
    for section, args in _cmap_entries(data):
        if section == "bfchar":
            code, dst = args
            if isinstance(code, bytes) and isinstance(dst, bytes):
                out[code] = dst.decode("utf-16-be", "replace")
        elif section == "bfrange":
            lo, hi, dst = args
            if not isinstance(lo, bytes) or not isinstance(hi, bytes) or not isinstance(
                    dst, bytes):
                continue  # array destinations are rare; those codes stay unnamed
            start, end = int.from_bytes(lo, "big"), int.from_bytes(hi, "big")
            base = int.from_bytes(dst, "big")
            for n, code in enumerate(range(start, min(end, start + 0xFFFF) + 1)):
                text = (base + n).to_bytes(len(dst), "big").decode("utf-16-be", "replace")
                out[code.to_bytes(len(lo), "big")] = text
    return out


def _codespace_decoder(spaces: list[tuple[bytes, bytes]]) -> Callable[[bytes], list[bytes]]:
    def split(data: bytes) -> list[bytes]:
        codes, i = [], 0
        while i < len(data):
            for lo, hi in spaces:
                n = len(lo)
                chunk = data[i:i + n]
                if len(chunk) == n and all(a <= c <= b for a, c, b in zip(lo, chunk, hi,
                                                                       strict=True)):
                    codes.append(chunk)
                    i += n
                    break
            else:
                codes.append(data[i:i + 1])
                i += 1
        return codes
    return split


def _two_byte(data: bytes) -> list[bytes]:
    return [data[i:i + 2] for i in range(0, len(data) - 1, 2)]


_Pdf = TypeVar("_Pdf", bound=PdfObject)


def _resolved(obj: PdfObject, kind: type[_Pdf]) -> _Pdf:
    """``obj``, or the object it refers to, as a ``kind`` (TypeError: a damaged font)."""
    target = obj.get_object()
    if not isinstance(target, kind):
        raise TypeError(f"{kind.__name__} expected, found {type(target).__name__}")
    return target


def _font_program(descriptor: PdfObject | None) -> bytes | None:
    if descriptor is None:
        return None
    descriptor = _resolved(descriptor, DictionaryObject)
    for key in FONT_FILES:
        if key in descriptor:
            return _resolved(descriptor[key], StreamObject).get_data()
    return None


class CidRuns:
    """A set of CIDs as runs of consecutive ones (a subset's charset is one run of ~65,000):
    ``in`` by bisection."""

    def __init__(self, runs: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for first, last in sorted(runs):
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        self.firsts = [first for first, _ in merged]
        self.lasts = [last for _, last in merged]

    def __contains__(self, cid: object) -> bool:
        if not isinstance(cid, int):
            return False
        i = bisect.bisect_right(self.firsts, cid) - 1
        return i >= 0 and cid <= self.lasts[i]


def _cid_charset(top: Any) -> tuple[int, Container[int]] | None:
    """(glyph count, CIDs) of a CID-keyed CFF font's top DICT, read from its charset's
    codes: what fontTools' glyph names (``cid01234``) say, without naming each glyph (a
    subset of a CJK face keeps its ~65,000 glyph ids).  None for any other font, or a
    charset not of the three formats, shorter or longer than the glyphs or past the
    data's end: fontTools reads (or refuses) those."""
    raw = top.rawDict
    count = top.__dict__.get("numGlyphs")
    offset = raw.get("charset", 0)
    if "ROS" not in raw or not isinstance(count, int) or count < 1 or not isinstance(
            offset, int) or offset <= 2:
        return None
    data = top.file.getbuffer()
    if offset >= len(data) or data[offset] not in (0, 1, 2):
        return None
    form, at, n = data[offset], offset + 1, 1
    if form == 0:
        end = at + 2 * (count - 1)
        if end > len(data):
            return None
        codes = array.array("H")
        codes.frombytes(data[at:end])
        if sys.byteorder == "little":
            codes.byteswap()
        return count, {0, *codes}
    size = 3 if form == 1 else 4
    runs = [(0, 0)]
    while n < count:
        if at + size > len(data):
            return None
        first = int.from_bytes(data[at:at + 2], "big")
        left = int.from_bytes(data[at + 2:at + size], "big")
        runs.append((first, first + left))
        n += left + 1
        at += size
    return (count, CidRuns(runs)) if n == count else None


def _glyph_ids(program: bytes) -> tuple[int, Container[int] | None, TTFont | None]:
    """(glyph count, CIDs of a CID-keyed CFF or None, the parsed sfnt or None)."""
    if program[:4] in (b"OTTO", b"\x00\x01\x00\x00", b"true", b"ttcf"):
        font = TTFont(io.BytesIO(program), lazy=True)
        if "CFF " in font and (found := _cid_charset(font["CFF "].cff.topDictIndex[0])):
            return (*found, font)
        order = font.getGlyphOrder()
        cids = None
        if "CFF " in font and hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
            cids = {0} | {int(n[3:]) for n in order if n.startswith("cid") and n[3:].isdigit()}
        return len(order), cids, font
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(program), None)
    top = cff.topDictIndex[0]
    if found := _cid_charset(top):
        return (*found, None)
    names = top.charset
    if hasattr(top, "ROS"):
        return len(names), {0} | {int(n[3:]) for n in names if n.startswith("cid")}, None
    return len(names), None, None


def _type0(name: str, font: DictionaryObject) -> FontGlyphs | None:
    descendant = _resolved(_resolved(font["/DescendantFonts"], ArrayObject)[0],
                           DictionaryObject)
    program = _font_program(descendant.get("/FontDescriptor"))
    if program is None:
        return None
    encoding = font.get("/Encoding")
    encoding = encoding.get_object() if encoding is not None else None
    if isinstance(encoding, StreamObject):
        spaces, chars, ranges = parse_encoding_cmap(encoding.get_data())
        split = _codespace_decoder(spaces) if spaces else _two_byte

        def to_cid(code: bytes) -> int:
            if code in chars:
                return chars[code]
            for lo, hi, first in ranges:
                if len(code) == len(lo) and lo <= code <= hi:
                    return first + int.from_bytes(code, "big") - int.from_bytes(lo, "big")
            return 0
    elif str(encoding) in ("/Identity-H", "/Identity-V"):
        split = _two_byte

        def to_cid(code: bytes) -> int:
            return int.from_bytes(code, "big")
    else:
        return None  # a predefined CJK CMap: the CIDs are a registry's, not the program's
    count, cids, _ = _glyph_ids(program)
    cid_to_gid = descendant.get("/CIDToGIDMap")
    cid_to_gid = cid_to_gid.get_object() if cid_to_gid is not None else None
    gid_map = cid_to_gid.get_data() if isinstance(cid_to_gid, StreamObject) else None

    def has_glyph(cid: int) -> bool:
        if cid == 0:
            return False
        if descendant["/Subtype"] == "/CIDFontType0" and cids is not None:
            return cid in cids
        gid = cid
        if gid_map is not None:
            gid = int.from_bytes(gid_map[2 * cid:2 * cid + 2], "big") if 2 * cid + 2 <= len(
                gid_map) else 0
        return 0 < gid < count

    codes_to_unicode: dict[int, str] = {}
    if "/ToUnicode" in font:
        to_unicode = _resolved(font["/ToUnicode"], StreamObject).get_data()
        for code, text in parse_to_unicode(to_unicode).items():
            codes_to_unicode[to_cid(code)] = text
    return FontGlyphs(name, lambda data: [to_cid(c) for c in split(data)], has_glyph,
                      codes_to_unicode)


def _simple_truetype(name: str, font: DictionaryObject) -> FontGlyphs | None:
    program = _font_program(font.get("/FontDescriptor"))
    if program is None or font.get("/Subtype") != "/TrueType":
        return None
    try:
        _, _, tt = _glyph_ids(program)
    except (TTLibError, AssertionError, KeyError, ValueError):
        return None
    if tt is None or "cmap" not in tt:
        return None
    tables = {(t.platformID, t.platEncID): t.cmap for t in tt["cmap"].tables}
    to_unicode = {}
    if "/ToUnicode" in font:
        to_unicode = {int.from_bytes(k, "big"): v for k, v in
                      parse_to_unicode(_resolved(font["/ToUnicode"], StreamObject).get_data()
                                       ).items()}
    unicode_cmap = tt.getBestCmap() or {}

    def has_glyph(code: int) -> bool:
        for key, offset in (((3, 0), 0xF000), ((1, 0), 0)):
            if key in tables and (code + offset) in tables[key]:
                return True
        text = to_unicode.get(code)
        return text is not None and len(text) == 1 and ord(text) in unicode_cmap

    return FontGlyphs(name, list, has_glyph, to_unicode)


class GlyphScanner:
    """Walks a document's content streams and counts characters shown without a glyph."""

    def __init__(self, reader: PdfReader) -> None:
        self.reader = reader
        self._fonts: dict[Any, FontGlyphs | None] = {}

    def _font(self, ref: Any) -> FontGlyphs | None:
        key = (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else id(ref)
        if key not in self._fonts:
            font = ref.get_object()
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            try:
                if font.get("/Subtype") == "/Type0":
                    self._fonts[key] = _type0(name, font)
                else:
                    self._fonts[key] = _simple_truetype(name, font)
            except (TTLibError, AssertionError, KeyError, ValueError, IndexError, TypeError):
                self._fonts[key] = None  # a font program too damaged to read
        return self._fonts[key]

    def page(self, page: Any) -> Counter[tuple[str, str]]:
        """(font, character) -> times shown with a missing glyph on ``page``."""
        missing: Counter[tuple[str, str]] = Counter()
        self._walk(page.get_contents(), page.get("/Resources"), missing, set())
        return missing

    def _walk(self, content: Any, resources: Any, missing: Counter[tuple[str, str]],
              seen: set[int]) -> None:
        if content is None:
            return
        resources = resources.get_object() if resources is not None else DictionaryObject()
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else DictionaryObject()
        current: FontGlyphs | None = None
        stack: list[FontGlyphs | None] = []
        for operands, op in content_operations(content, self.reader):
            if op == b"q":
                stack.append(current)
            elif op == b"Q":
                current = stack.pop() if stack else None
            elif op == b"Tf" and operands and operands[0] in fonts:
                current = self._font(fonts.raw_get(operands[0]))
            elif op in (b"Tj", b"'", b'"', b"TJ") and current is not None:
                strings = operands[0] if op == b"TJ" else operands[-1:]
                for s in strings:
                    if isinstance(s, (str, bytes)):
                        self._show(current, _raw(s), missing)
            elif op == b"Do" and operands and operands[0] in xobjects:
                ref = xobjects.raw_get(operands[0])
                form = ref.get_object()
                key = ref.idnum if isinstance(ref, IndirectObject) else id(form)
                if form.get("/Subtype") == "/Form" and key not in seen:
                    self._walk(form, form.get("/Resources", resources), missing, seen | {key})

    @staticmethod
    def _show(font: FontGlyphs, data: bytes, missing: Counter[tuple[str, str]]) -> None:
        for code in font.decode(data):
            if not font.has_glyph(code):
                text = font.to_unicode.get(code) or f"code {code:#06x}"
                missing[(font.name, text)] += 1


def _raw(s: str | bytes) -> bytes:
    if isinstance(s, bytes):
        return s
    original = getattr(s, "original_bytes", None)
    return original if original is not None else s.encode("latin-1", "replace")
