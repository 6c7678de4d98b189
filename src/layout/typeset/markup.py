"""Text -> HTML with the spans the typesetting layer needs; the text itself is unchanged.

- ``<span class="zq">`` on the first mark of two adjacent full-width marks: the CSS gives
  it ``font-feature-settings: "halt"`` (half-width alternates), so "。”" takes 1.5 em;
  ``zo`` is added when the mark opens (“《).  With ``cells=True`` (text set in a face that
  may lack ``halt`` or full-width quotes, such as a Kai) every quotation mark outside a
  Latin word is a ``<span class="zp">`` too; :mod:`.marks` gives them their cells.
- ``<span class="zl zl-s|e|se">`` around a Latin/digit run directly next to Han characters
  (at its start, end or both): the CSS gives it a quarter-em margin on that side; the
  justification layer removes the margin where the run starts or ends a line.
- ``<span class="zn">`` (``white-space: nowrap``) around "——"/"……" and the character
  before them, so no line starts with the double mark; and around the last two Han
  characters of the text, so no paragraph ends on a line holding one character ("绩。"):
  where the break would fall between them, the line before gives up one character and
  is justified a little looser instead.
- a zero-width space (a break opportunity, see ``BREAK``) before an opening quotation
  mark and after a closing one.
- ``<span class="zf">`` holding a zero-width space (``last_line_mark``), where the caller
  asks: a break opportunity after which the justification layer sets the line as a
  paragraph's last (before a caption's credit, kept whole: a credit wrapped to a line of
  its own leaves the caption's text unspread).

Apart from those break opportunities only tags are added; every character of the source
stays, in order, escaped.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict

from markupsafe import Markup, escape

from ..chars import NO_LINE_END, NO_LINE_START, OPENING, SQUEEZABLE, is_han, is_han_like

# Pango (UAX #14 before Unicode 15.1) never breaks next to a quotation mark, which leaves
# lines short before “…” in Chinese.  A zero-width space allows the break Chinese rules
# allow: before an opening quote, after a closing one.  Pango draws it as an empty glyph,
# so it never reaches the PDF's text.
BREAK = "\u200b"
OPENING_QUOTES = "“‘"
CLOSING_QUOTES = "”’"
QUOTES = OPENING_QUOTES + CLOSING_QUOTES
_LATIN_RUN = re.compile(r"[A-Za-z0-9\u00c0-\u024f](?:[A-Za-z0-9\u00c0-\u024f%.,:/+\-'’&]*"
                        r"[A-Za-z0-9\u00c0-\u024f%])?")
_DOUBLE = re.compile(r"(?:——+|……+)")
NOWRAP = '<span class="zn">'
LAST_LINE_MARK = "zf"


def last_line_mark() -> Markup:
    """A break opportunity after which a line is set as a paragraph's last (the class is
    :data:`LAST_LINE_MARK`)."""
    return Markup('<span class="{}">{}</span>').format(LAST_LINE_MARK, BREAK)


def _break_before(text: str, i: int) -> bool:
    ch, before = text[i], text[i - 1] if i else ""
    if not before:
        return False
    if ch in OPENING_QUOTES and before not in NO_LINE_END and before not in OPENING_QUOTES:
        return True
    return before in CLOSING_QUOTES and ch not in NO_LINE_START and ch not in CLOSING_QUOTES


def _tail_start(text: str, latin: dict[int, int], keep: int = 2) -> int:
    """Index where the last ``keep`` Han characters begin (with whatever stands between and
    after them); -1 when there are fewer, or when the text ends on a Latin/number run (its
    last line can then never be a lone Han character)."""
    seen = 0
    i = len(text) - 1
    while i >= 0:
        if i in latin:
            if not seen:
                return -1  # the text ends on a number or word: its last line is never one Han
            i = latin[i] - 1
            continue
        if not is_han(text[i]):
            i -= 1
            continue
        seen += 1
        if seen == keep:
            return i
        i -= 1
    return -1


def mark_classes(text: str, cells: bool = False) -> dict[int, str]:
    """Index -> classes of each mark of ``text`` that needs a span: ``zq`` (the first of
    a pair), ``zp`` (with ``cells``: a quotation mark outside a Latin word), ``zo`` (it
    opens).  The print's markup and the EPUB's inline pass both use it."""
    latin = {i for m in _LATIN_RUN.finditer(text) for i in range(m.start(), m.end())
             } if cells else set()
    out: dict[int, str] = {}
    for i, ch in enumerate(text):
        classes = []
        if ch in SQUEEZABLE and i + 1 < len(text) and text[i + 1] in SQUEEZABLE:
            classes.append("zq")
        if cells and ch in QUOTES and i not in latin:
            classes.append("zp")
        if classes and ch in OPENING:
            classes.append("zo")
        if classes:
            out[i] = " ".join(classes)
    return out


def typeset_markup(text: str, keep_tail: bool = True, cells: bool = False) -> Markup:
    """Escape ``text`` and add the typesetting spans (see the module docstring).

    ``keep_tail=False`` leaves out the span keeping the last two characters together;
    ``cells=True`` marks every quotation mark (for faces that draw them proportional).
    A plain string's markup is remembered (:data:`MEMO_TEXTS`): a story's HTML is made
    once per measure and once more for the page, of the same paragraphs.
    """
    if type(text) is str:
        return _remembered(text, keep_tail, cells)
    return _markup(text, keep_tail, cells)


MEMO_TEXTS = 4096  # texts whose markup this process keeps (a plain string: not Markup)


@functools.lru_cache(maxsize=MEMO_TEXTS)
def _remembered(text: str, keep_tail: bool, cells: bool) -> Markup:
    return _markup(text, keep_tail, cells)


def _markup(text: str, keep_tail: bool, cells: bool) -> Markup:
    """:func:`typeset_markup`, made."""
    opens: dict[int, list[str]] = defaultdict(list)
    closes: dict[int, int] = defaultdict(int)
    latin_start: dict[int, int] = {}  # index inside a Latin run -> the run's start

    for m in _LATIN_RUN.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        for i in range(m.start(), m.end()):
            latin_start[i] = m.start()
        sides = ("s" if before and is_han_like(before) else "") + (
            "e" if after and is_han_like(after) else "")
        if sides:
            opens[m.start()].append(f'<span class="zl zl-{sides}">')
            closes[m.end()] += 1

    nowrap: list[tuple[int, int]] = []
    for m in _DOUBLE.finditer(text):
        start = m.start() - 1 if m.start() else 0
        nowrap.append((latin_start.get(start, start), m.end()))
    tail = _tail_start(text, latin_start) if keep_tail else -1
    if tail > 0:
        for start, end in nowrap:
            if start < tail < end:
                tail = start
        nowrap.append((tail, len(text)))
    for start, end in nowrap:
        opens[start].insert(0, NOWRAP)  # outside any Latin span that starts here
        closes[end] += 1

    marks = mark_classes(text, cells)
    out: list[str] = []
    for i, ch in enumerate(text):
        out += opens.get(i, ())
        if i not in latin_start and _break_before(text, i):
            out.append(BREAK)
        e = str(escape(ch))
        if i in marks:
            e = f'<span class="{marks[i]}">{e}</span>'
        out.append(e)
        out.append("</span>" * closes.get(i + 1, 0))
    return Markup("".join(out))


_CLAUSE_GAP = re.compile(r"([ \u3000]+)")


def headline_markup(text: str) -> Markup:
    """A headline whose space-separated clauses ("增强党建凝聚力 共画发展同心圆") each stay
    on one line, so a long headline breaks between clauses, not inside a word."""
    parts = _CLAUSE_GAP.split(text)
    return Markup("".join(
        str(escape(part)) if n % 2 else f'{NOWRAP}{typeset_markup(part, keep_tail=False)}</span>'
        for n, part in enumerate(parts) if part))
