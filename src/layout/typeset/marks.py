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

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont, TTLibError

from .. import fontfiles
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
    ink_left: bool  # 。 is inked in the left half of its cell (mainland, not centred)

    @property
    def needs_cells(self) -> bool:
        return bool(self.css(("",)))

    def css(self, scopes: Sequence[str]) -> str:
        """The rules giving the marks inside ``scopes`` (selectors) their cells; empty
        when the face sets them itself."""
        rules = []
        if not self.halt and self.ink_left:  # a centred mark cannot lose half its cell
            rules += _cells(scopes, ".zq", 0.5 - self.other)
        if abs(1 - self.quote) > TOLERANCE:
            rules += _cells(scopes, ".zp", 1 - self.quote)
            rules += _cells(scopes, ".zp.zq", 0.5 - self.quote)
        return "\n".join(rules)


def _cells(scopes: Sequence[str], classes: str, extra: float) -> list[str]:
    """A closing mark's cell ends ``extra`` em after its advance; an opening one's starts
    ``extra`` em before it."""
    def rule(selector: str, declarations: str) -> str:
        return ", ".join(f"{s} {selector}".strip() for s in scopes) + f" {{ {declarations} }}"

    if abs(extra) <= TOLERANCE:
        return [rule(classes, "margin-right: 0;"), rule(f"{classes}.zo", "margin-left: 0;")]
    return [rule(classes, f"margin-right: {extra:.3f}em;"),
            rule(f"{classes}.zo", f"margin-left: {extra:.3f}em; margin-right: 0;")]


@functools.cache
def _metrics(family: str, path: str, index: int) -> MarkMetrics | None:
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
        glyphs = font.getGlyphSet()
        pen = BoundsPen(glyphs)
        glyphs[cmap[ord(OTHER)]].draw(pen)
    except (OSError, TTLibError, KeyError, AttributeError):
        return None  # unreadable: WeasyPrint falls back as it will; nothing to correct
    ink_left = pen.bounds is not None and pen.bounds[2] / upm <= advances[OTHER] / 2
    return MarkMetrics(family, "halt" in features, advances[QUOTES[0]], advances[OTHER],
                       ink_left)


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
