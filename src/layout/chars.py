"""Character classes of Chinese text, in one place for readers, transforms, typeset and check.

Han characters are what fidelity is counted on; the punctuation classes follow W3C clreq
and GB/T 15834 (line-start and line-end prohibitions, squeezable pairs).
"""

from __future__ import annotations

import re
import unicodedata

# CJK Unified Ideographs and Extension A, compatibility ideographs, Extensions B–F and G–H.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2EBEF),
              (0x30000, 0x3134F))
# The same as a regular-expression character class.
HAN = "[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in HAN_RANGES) + "]"

OPENING = "“‘（《「『【〔〖〈"  # opening quotes and brackets: never at a line end
CLOSING = "”’）》」』】〕〗〉"  # closing quotes and brackets: never at a line start
PAUSES = "、，。．：；！？"  # pause and stop marks: never at a line start
INSEPARABLE = "—…"  # "——" and "……" are never split, never start a line
SQUEEZABLE = frozenset(OPENING + CLOSING + PAUSES)  # two in a row: the first set half-width
NO_LINE_START = frozenset(PAUSES + CLOSING + INSEPARABLE + "·～")
NO_LINE_END = frozenset(OPENING)
SPACES = " \u00a0\u3000\t\r\n"


def is_han(ch: str) -> bool:
    """True for a Han character (a CJK unified or compatibility ideograph)."""
    cp = ord(ch)
    for lo, hi in HAN_RANGES:  # a loop, not any(): the build asks of every character
        if lo <= cp <= hi:
            return True
    return False


_HAN_RUNS = re.compile(HAN + "+")


def han_chars(text: str) -> str:
    """The Han characters of ``text``, in order (by their runs: fidelity counts the whole
    text of every build and check)."""
    return "".join(_HAN_RUNS.findall(text))


def is_latin(ch: str) -> bool:
    """A letter or digit set half-width (Latin, Greek, Cyrillic…): the other side of
    Han–Latin spacing; never a Han character, kana or a full-width form."""
    return (len(ch) == 1 and ch.isalnum() and not is_han(ch)
            and unicodedata.east_asian_width(ch) not in "WF")


def is_han_like(ch: str) -> bool:
    """Han characters and kana: the side of Han–Latin spacing set in a CJK font."""
    return is_han(ch) or "\u3040" <= ch <= "\u30ff"


def is_punctuation(text: str) -> bool:
    return all(unicodedata.category(ch).startswith("P") for ch in text)
