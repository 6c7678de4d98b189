"""Character classes of Chinese typesetting (W3C clreq, GB/T 15834)."""

from __future__ import annotations

from ..model import is_han

# Full-width marks that can be set half-width when two meet (squeezed pairs).
OPENING = "“‘（《「『【〔〖"
CLOSING = "”’）》」』】〕〗"
PAUSES = "、，。：；！？"
SQUEEZABLE = set(OPENING + CLOSING + PAUSES)
# Marks never at a line start (strict rule) and never at a line end.
NO_LINE_START = set(PAUSES + CLOSING) | {"—", "…", "·", "～"}
NO_LINE_END = set(OPENING)


def is_latin(ch: str) -> bool:
    """Latin letters and digits (half-width), the other side of Han–Latin spacing."""
    return ch.isascii() and ch.isalnum() or "\u00c0" <= ch <= "\u024f"


def is_han_like(ch: str) -> bool:
    """Han characters and kana: the side of Han–Latin spacing set in a CJK font."""
    return is_han(ch) or "\u3040" <= ch <= "\u30ff"


def expandable(a: str, b: str) -> bool:
    """May justification add space between ``a`` and ``b``?

    Never inside "——" or "……", never inside a Latin word or a number (12.5%), and never
    between two spaces.
    """
    if a == b and a in "—…":
        return False
    if (is_latin(a) or a in ".,%") and (is_latin(b) or b in ".,%"):
        return False
    return not (b.isspace() and a.isspace())
