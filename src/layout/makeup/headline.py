"""Headlines fitted to their width: the largest size of the style's range at which the
headline's clauses fill at most ``MAX_LINES`` lines, broken only between clauses, with
the lines balanced.  A headline that cannot fit at the smallest size is an error
(L201), never a line run past the page edge.

Widths are estimated from the characters: a wide (Han, full-width) character is one em,
anything else ``NARROW`` em.  The heading faces (Noto Sans CJK) set Han characters on a
square em, so the estimate is exact for Chinese and errs wide for Latin letters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..errors import LayoutError

MAX_LINES = 2
NARROW = 0.62  # em, digits and Latin letters of the heading face (widest measured: 0.6)
SPACE = 0.3  # em, the space between two clauses on one line
SAFETY = 0.98  # share of the width a line may fill
# How much larger a setting in one line more must be to be chosen: a quarter (two lines
# at a fifth more than one line across leave a hole beside each: the lines of 9 of 18
# characters of a broadsheet's 64 pt head stand 72 mm short of each edge of its 8 columns)
MORE_LINES = 0.25
# A clause ends at a space or after a mark that closes a clause.
CLAUSE = re.compile(r"(?<=[，、：；！？。])|\s+")


@dataclass(frozen=True)
class Headline:
    size: float  # pt
    lines: tuple[str, ...]  # joined, they are the headline's text


def clauses(text: str) -> list[str]:
    return [c for c in CLAUSE.split(text.strip()) if c]


def width_em(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else NARROW for ch in text)


def _line_width(parts: list[str]) -> float:
    """Em width of clauses set on one line (a space between Latin-ending clauses only)."""
    total = 0.0
    for i, part in enumerate(parts):
        total += width_em(part)
        if i and not _closes(parts[i - 1]):
            total += SPACE
    return total


def _closes(clause: str) -> bool:
    return unicodedata.east_asian_width(clause[-1]) in "WF" and unicodedata.category(
        clause[-1]).startswith("P")


def _partitions(parts: list[str], count: int) -> list[list[list[str]]]:
    """Every way to set ``parts`` on ``count`` lines, in order."""
    if count == 1:
        return [[parts]]
    out = []
    for cut in range(1, len(parts) - count + 2):
        out += [[parts[:cut], *rest] for rest in _partitions(parts[cut:], count - 1)]
    return out


def fit_headline(text: str, width: float, largest: float, smallest: float,
                 where: str = "", words: bool = False) -> Headline:
    """The largest size in [smallest, largest] (whole points) at which ``text`` fits
    ``width`` pt in at most MAX_LINES balanced lines broken between clauses; with
    ``words`` (a module narrower than the page), when none fits, in two lines broken
    between words (:func:`word_lines`)."""
    parts = clauses(text)
    if not parts:
        return Headline(largest, (text,))
    try:
        return _fit_clauses(text, parts, width, largest, smallest, where)
    except LayoutError:
        broken = word_lines(text, width, largest, smallest) if words else None
        if broken is None:
            raise
        return broken


def word_lines(text: str, width: float, largest: float, smallest: float) -> Headline | None:
    """``text`` in two lines broken between words (as a desk breaks a headline over a
    narrow module that has no clause to break it at): the break at which it is largest,
    within [smallest, largest] (whole points), of those leaving no one-character word at
    the first line's end (a verb or a preposition cut from what it governs); the earlier
    break of two as large.  None when no such break fits."""
    from .words import boundaries  # the word segmenter is loaded only for this

    best: tuple[float, int] | None = None
    previous = 0
    for cut in boundaries(text):
        one = cut - previous == 1  # the word before the break is one character
        previous = cut
        head, tail = text[:cut].rstrip(), text[cut:].lstrip()
        if one or not head or not tail:
            continue
        size = min(largest, width * SAFETY / max(width_em(head), width_em(tail)))
        if size >= smallest and (best is None or int(size) > int(best[0])):
            best = (size, cut)
    if best is None:
        return None
    size, cut = best
    return Headline(float(int(size)), (text[:cut], text[cut:]))


def _fit_clauses(text: str, parts: list[str], width: float, largest: float,
                 smallest: float, where: str) -> Headline:
    best: tuple[float, list[list[str]]] | None = None
    for count in range(1, min(MAX_LINES, len(parts)) + 1):
        for lines in _partitions(parts, count):
            widest = max(_line_width(line) for line in lines)
            size = min(largest, width * SAFETY / widest)
            # Fewer lines win unless more are clearly larger (a headline across the width
            # at a little less than the largest size, not two short lines beside a hole);
            # then the balanced setting (widest smallest).
            if size >= smallest and (best is None or size > (best[0] + 0.5) * (
                    1 + MORE_LINES * (count - len(best[1])))):
                best = (size, lines)
    if best is None:
        widest = min(max(_line_width(line) for line in lines)
                     for count in range(1, min(MAX_LINES, len(parts)) + 1)
                     for lines in _partitions(parts, count))
        raise LayoutError(
            "L201", f"the headline “{text}” does not fit the width ({width / 72 * 25.4:.0f} "
            f"mm) in {MAX_LINES} lines broken between clauses even at {smallest:g}pt "
            f"(it needs {width * SAFETY / widest:.1f}pt): shorten it or break it with a "
            "space", where, exit_code=3)
    size, lines = best
    # A line broken at a space keeps it at its end: invisible where the line breaks, and
    # the headline's text stays the source's.
    return Headline(float(int(size)), tuple(
        _join(line) + ("" if last or _closes(line[-1]) else " ")
        for last, line in ((i == len(lines) - 1, line) for i, line in enumerate(lines))))


def _join(parts: list[str]) -> str:
    out = parts[0]
    for prev, part in zip(parts, parts[1:], strict=False):
        out += part if _closes(prev) else " " + part
    return out
