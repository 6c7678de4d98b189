"""Full-width punctuation in a face that cannot set it by itself.

The layer squeezes two adjacent marks with the face's ``halt`` feature (half-width
alternates) and trusts the face to draw ，。“” on a full-width cell.  A Kai face may do
neither: LXGW WenKai has no ``halt`` and draws “”‘’ on a third of an em, as Latin
quotes.  Such a face gets the cells from CSS margins instead, computed here from the
font program.  The ink of a closing or pause mark lies at the left of its cell and that
of an opening mark at the right (mainland forms), so the cell grows or shrinks on the
other side:

- ``.zq`` (the first mark of a pair, :mod:`.markup`): a half-width cell;
- ``.zp`` (a quotation mark): a full-width cell, or a half-width one with ``.zq``;
- ``.zo``: the mark opens, and its margin goes on its left.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import fontTools
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont, TTLibError

from .. import diskcache, fontfiles
from ..glyphs import GENERIC, FontconfigMissing

QUOTES = "“”‘’"
# The marks whose advance stands for all the others (the full stop's, in any CJK face).
OTHER = "。"
TOLERANCE = 0.02  # em: an advance this close to the cell is the cell


@dataclass(frozen=True)
class MarkMetrics:
    """What a face does with full-width punctuation."""

    family: str
    halt: bool  # has half-width alternates (GPOS halt)
    quote: float  # advance of “ in em
    other: float  # advance of 。 in em
    stop: str  # where 。 is inked in its cell: "left" (mainland), "centre" (Taiwan), ""
    quote_side: bool = True  # “ is inked in the right half of its cell, ” in the left

    @property
    def needs_cells(self) -> bool:
        return bool(self.css(("",)))

    def css(self, scopes: Sequence[str]) -> str:
        """The rules giving the marks inside ``scopes`` (selectors) their cells; empty
        when the face sets them itself.  A centred mark loses a quarter em on each side
        (its ink stays whole); a quotation mark inked at its side loses the other half."""
        rules = []
        if not self.halt and self.stop == "left":
            rules += _cells(scopes, ".zq", 0.5 - self.other)
        elif not self.halt and self.stop == "centre":
            trim = (0.5 - self.other) / 2
            rules.append(_rule(scopes, ".zq", f"margin-left: {trim:.3f}em; "
                                              f"margin-right: {trim:.3f}em;"))
            if self.quote_side and abs(1 - self.quote) <= TOLERANCE:
                rules += _cells(scopes, ".zp.zq", 0.5 - self.quote)
        if abs(1 - self.quote) > TOLERANCE:
            rules += _cells(scopes, ".zp", 1 - self.quote)
            rules += _cells(scopes, ".zp.zq", 0.5 - self.quote)
        return "\n".join(rules)


def _rule(scopes: Sequence[str], classes: str, declarations: str) -> str:
    return ", ".join(f"{s} {classes}".strip() for s in scopes) + f" {{ {declarations} }}"


def _cells(scopes: Sequence[str], classes: str, extra: float) -> list[str]:
    """A closing mark's cell ends ``extra`` em after its advance; an opening one's starts
    ``extra`` em before it."""
    extra = 0.0 if abs(extra) <= TOLERANCE else extra
    return [_rule(scopes, classes, f"margin-left: 0; margin-right: {extra:.3f}em;"),
            _rule(scopes, f"{classes}.zo", f"margin-left: {extra:.3f}em; margin-right: 0;")]


def _ink(font: TTFont, glyph: str) -> tuple[float, float] | None:
    """The horizontal extent of a glyph's ink, in font units."""
    glyphs = font.getGlyphSet()
    pen = BoundsPen(glyphs)
    glyphs[glyph].draw(pen)
    return (pen.bounds[0], pen.bounds[2]) if pen.bounds else None


@functools.cache
def _metrics(family: str, path: str, index: int) -> MarkMetrics | None:
    """The metrics of a font file, read once per process and kept on disk
    (:mod:`layout.diskcache`) by the file's identity and this module's code: reading a
    CJK font's tables takes about 0.1 s."""
    key = _file_key(path, index)
    kept = diskcache.load("marks", key) if key else None
    if isinstance(kept, dict):
        with contextlib.suppress(TypeError):  # not an entry of these fields
            return MarkMetrics(family, **kept)
    metrics = _read_metrics(family, path, index)
    if key and metrics is not None:
        kept = dataclasses.asdict(metrics)
        del kept["family"]  # the name asked for, not the file's
        diskcache.store("marks", key, kept)
    return metrics


def _file_key(path: str, index: int) -> str | None:
    """The font file as it is now (path, size, times, inode) and what reads it."""
    try:
        real = os.path.realpath(path)
        st = os.stat(real)
    except OSError:
        return None
    return "\0".join(map(str, (_code(), fontTools.version, real, index, st.st_size,
                                st.st_mtime_ns, st.st_ctime_ns, st.st_ino)))


@functools.cache
def _code() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _read_metrics(family: str, path: str, index: int) -> MarkMetrics | None:
    try:
        font = TTFont(path, fontNumber=index, lazy=True)
        cmap = font.getBestCmap() or {}
        upm = font["head"].unitsPerEm
        advances = {ch: font["hmtx"][cmap[ord(ch)]][0] / upm
                    for ch in QUOTES[0] + OTHER if ord(ch) in cmap}
        features = {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord
                    } if "GPOS" in font else set()
        if len(advances) < 2:
            return None  # the marks come from a fallback face
        stop, quote = _ink(font, cmap[ord(OTHER)]), _ink(font, cmap[ord(QUOTES[0])])
    except (OSError, TTLibError, KeyError, AttributeError):
        return None  # unreadable: WeasyPrint falls back as it will; nothing to correct
    where = ""
    if stop and stop[1] / upm <= advances[OTHER] / 2:
        where = "left"
    elif stop and abs((stop[0] + stop[1]) / 2 / upm - advances[OTHER] / 2) < 0.1:
        where = "centre"
    side = quote is not None and quote[0] / upm >= advances[QUOTES[0]] / 2 - TOLERANCE
    return MarkMetrics(family, "halt" in features, advances[QUOTES[0]], advances[OTHER],
                       where, side)


def face_marks(families: Iterable[str]) -> MarkMetrics | None:
    """The metrics of the first installed face of ``families`` (a role's font list), or
    None when none is installed or fontconfig is missing."""
    for family in families:
        if family in GENERIC:
            return None
        try:
            found = fontfiles.locate(family)
        except FontconfigMissing:
            return None
        if found:
            return _metrics(*found)
    return None
