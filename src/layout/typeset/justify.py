"""Inter-character justification for WeasyPrint (which only stretches spaces).

How it works, and why it is safe to rely on:

1. Line breaking is WeasyPrint's own (Pango, UAX #14, plus the spans of
   :mod:`layout.typeset.markup`).
2. When WeasyPrint aligns a finished line it calls ``layout.inline.text_align``.  We wrap
   it: for a justified, non-final line we spread the line's slack over the gaps between
   its characters (:func:`expandable` decides which gaps may grow),
   widen each text box by what its gaps received, and shift the boxes after it — the
   same bookkeeping WeasyPrint's own ``add_word_spacing`` does for spaces.  The gaps are
   kept for the box's Pango layout object (``_spacing``).  Han–Latin margins at a line's
   start or end are removed here too (on every line).
3. When WeasyPrint draws a text box it calls ``Layout.reactivate``, which re-shapes the
   text with Pango, then ``draw_first_line``.  We wrap both: the gaps are drawn as PDF
   character spacing (``Tc``) and glyphs that take no gap are narrowed to cancel it.  The
   text content is unchanged, and extraction tools count character spacing as part of a
   character, so copying text out of the PDF inserts no spaces between Han characters.

All of this touches WeasyPrint internals (pinned to 70.0 in pyproject.toml);
:func:`check_internals` fails loudly when they change, and a test calls it.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import weasyprint
from weasyprint.draw import text as draw_text
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import ffi, pango

from ..chars import SQUEEZABLE, is_latin
from .markup import LAST_LINE_MARK

SUPPORTED_WEASYPRINT = "70.0"
TO_UNITS = 1024  # Pango units per CSS px, as in weasyprint.text.ffi
# A line whose gaps would each grow by more than this share of the font size stays ragged
# (e.g. a line ended early by an unbreakable Latin word): spacing it out looks worse.
MAX_GAP_EM = 1.0
# Break opportunities and joiners: they take no space and get no gap.
ZERO_WIDTH = {"\u200b", "\u2060", "\u200c", "\u200d", "\ufeff"}

_active: contextvars.ContextVar[bool] = contextvars.ContextVar("zh_justify", default=False)
_original_text_align = inline.text_align
_original_reactivate = line_break.Layout.reactivate
_original_draw_first_line = draw_text.draw_first_line


@dataclass
class _Spacing:
    """What justification decided for the text of one Pango layout, until it is drawn."""

    gaps: dict[int, float] = field(default_factory=dict)  # UTF-8 offset -> px added there
    width: float = 0.0  # what the drawn glyphs must add up to (see _space_glyphs)
    tc: float = 0.0  # the character spacing the text is drawn with
    tracked: bool = False  # letter-spaced (CSS tracking): drawn with ActualText


# A text box keeps its Pango layout from line breaking to drawing; the entries go with it.
_spacing: weakref.WeakKeyDictionary[line_break.Layout, _Spacing] = weakref.WeakKeyDictionary()


def expandable(a: str, b: str) -> bool:
    """May justification add space between ``a`` and ``b``?

    Never inside "——" or "……", never inside a Latin word or a number (12.5%), never
    between two marks set as a pair (。” ，“: the first squeezed to half an em by the
    markup; a gap there would undo the squeeze, as JLREQ and clreq keep such a group
    together when a line is spread), and never between two spaces.
    """
    if (a == b and a in "—…") or (a in SQUEEZABLE and b in SQUEEZABLE):
        return False
    if (is_latin(a) or a in ".,%") and (is_latin(b) or b in ".,%"):
        return False
    return not (b.isspace() and a.isspace())



class InternalsChanged(RuntimeError):
    """WeasyPrint no longer looks like the version this layer was written for."""


def check_internals() -> None:
    """Raise :class:`InternalsChanged` unless the patched WeasyPrint internals are as expected."""
    problems = []
    if weasyprint.__version__ != SUPPORTED_WEASYPRINT:
        problems.append(f"WeasyPrint {weasyprint.__version__}, layer written for "
                        f"{SUPPORTED_WEASYPRINT}")
    code = _original_text_align.__code__
    if code.co_varnames[:4] != ("context", "line", "available_width", "last"):
        problems.append("layout.inline.text_align signature changed")
    if "text_align" not in inline.get_next_linebox.__code__.co_names:
        problems.append("get_next_linebox no longer calls text_align")
    if "reactivate" not in draw_text.draw_text.__code__.co_names:
        problems.append("draw_text no longer calls Layout.reactivate")
    if "draw_first_line" not in draw_text.draw_text.__code__.co_names:
        problems.append("draw_text no longer calls draw_first_line")
    if _original_draw_first_line.__code__.co_varnames[:2] != ("stream", "textbox"):
        problems.append("draw_first_line signature changed")
    if _original_reactivate.__code__.co_varnames[:2] != ("self", "style"):
        problems.append("Layout.reactivate signature changed")
    if "set_single_paragraph_mode" not in str(
            _original_draw_first_line.__code__.co_names):
        problems.append("draw_first_line no longer sets single-paragraph mode")
    if problems:
        raise InternalsChanged("; ".join(problems))


@contextlib.contextmanager
def justification() -> Iterator[None]:
    """Justify CJK text in WeasyPrint layouts made inside this block."""
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)


@dataclass
class _Char:
    box: boxes.TextBox
    index: int  # character index in box.text
    char: str


def _leaves(box: boxes.Box) -> Iterator[boxes.Box]:
    """Text boxes and atomic inline boxes of a line, in order (LTR)."""
    for child in box.children:
        if not child.is_in_normal_flow():
            continue
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.InlineBox):
            yield from _leaves(child)
        else:
            yield child


def _ends_at_mark(line: boxes.LineBox) -> bool:
    """Whether the line ends with a ``LAST_LINE_MARK`` (:func:`.markup.last_line_mark`:
    its box holds only a zero-width space, the break opportunity)."""
    box: boxes.Box = line
    while children := [c for c in box.children if c.is_in_normal_flow()]:
        box = children[-1]
        element = getattr(box, "element", None)
        if isinstance(box, boxes.InlineBox) and element is not None and (
                LAST_LINE_MARK in (element.get("class") or "").split()):
            return all(ch in ZERO_WIDTH for leaf in _leaves(box)
                       if isinstance(leaf, boxes.TextBox) for ch in leaf.text)
        if not isinstance(box, boxes.InlineBox):
            return False
    return False


def _line_chars(line: boxes.LineBox) -> list[_Char | None]:
    """The characters of a line in order; ``None`` stands for an atomic box (no gap)."""
    out: list[_Char | None] = []
    for leaf in _leaves(line):
        if isinstance(leaf, boxes.TextBox):
            out += [_Char(leaf, i, ch) for i, ch in enumerate(leaf.text)
                    if ch not in ZERO_WIDTH]
        else:
            out.append(None)
    while out and out[-1] is not None and out[-1].char.isspace():
        out.pop()
    return out


def _gaps(line: boxes.LineBox) -> list[tuple[_Char, _Char]]:
    """The characters after which justification may add space, each with the next."""
    chars = _line_chars(line)
    return [(a, b) for a, b in zip(chars, chars[1:], strict=False)
            if a is not None and b is not None and expandable(a.char, b.char)]


def _shift(box: boxes.Box, extra: dict[int, float], x_advance: float) -> float:
    """Move boxes right by the space added before them and widen those that got gaps."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        grow = extra.get(id(box), 0.0)
        box.width += grow
        return x_advance + grow
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _shift(child, extra, x_advance)
        box.width += x_advance - before
        return x_advance
    box.translate(x_advance, 0)
    return x_advance


def _punctuation_cell(box: boxes.Box) -> bool:
    """A mark's cell (layout.typeset.marks): a full-width mark keeps it at a line's edge,
    as a face's own full-width glyph would."""
    element = getattr(box, "element", None)
    classes = (element.get("class") or "").split() if element is not None else ()
    return "zq" in classes or "zp" in classes


def _trim_latin_margins(line: boxes.LineBox) -> None:
    """Drop Han–Latin margins at the start and the end of a line."""
    leaves = list(_leaves(line))
    if not leaves:
        return
    first, last = leaves[0], leaves[-1]
    for box in _ancestors(line, last):
        if box.margin_right and not _punctuation_cell(box):
            removed = box.margin_right
            box.margin_right = 0
            for outer in _ancestors(line, box)[:-1]:
                outer.width -= removed
            line.width -= removed
    for box in _ancestors(line, first):
        if box.margin_left and not _punctuation_cell(box):
            removed = box.margin_left
            box.margin_left = 0
            for child in box.children:
                child.translate(-removed, 0)
            _translate_after(line, box, -removed)
            for outer in _ancestors(line, box)[:-1]:
                outer.width -= removed
            line.width -= removed


def _ancestors(line: boxes.Box, target: boxes.Box) -> list[boxes.Box]:
    """Inline boxes from ``line`` (exclusive) down to ``target`` (inclusive)."""
    def walk(box: boxes.Box, path: list[boxes.Box]) -> list[boxes.Box] | None:
        for child in getattr(box, "children", ()):
            if child is target:
                return [*path, child]
            if isinstance(child, boxes.InlineBox):
                found = walk(child, [*path, child])
                if found:
                    return found
        return None

    return [b for b in (walk(line, []) or []) if isinstance(b, (boxes.InlineBox,
                                                                boxes.TextBox))]


def _translate_after(line: boxes.Box, box: boxes.Box, dx: float) -> None:
    """Translate every box that follows ``box`` on the line (siblings of it and its parents)."""
    path = _ancestors(line, box)
    parents = [line, *path[:-1]]
    for parent, child in zip(parents, path, strict=True):
        after = False
        for sibling in parent.children:
            if after:
                sibling.translate(dx, 0)
            if sibling is child:
                after = True


def levelled(spaces: list[float], extra: float) -> tuple[float, list[float]]:
    """``extra`` spread over gaps that hold ``spaces`` already, so that the gaps come out as
    even as they can: the level every gap is raised to (none lowered), and what each gets.
    A gap with no space of its own gets the level; a Han–Latin margin gets what it lacks
    of it (none while the level is below the margin).  Without spaces, the level is
    ``extra`` over the gaps."""
    ordered = sorted(spaces)
    held = 0.0
    level = 0.0
    for k, space in enumerate(ordered, 1):
        held += space
        level = (extra + held) / k
        if k == len(ordered) or level <= ordered[k]:
            break
    return level, [max(0.0, level - space) for space in spaces]


def _space_before(a: _Char, b: _Char) -> float:
    """The space between two characters of a line before it is justified: a Han–Latin
    margin (``.zl``, markup), where one is a Latin letter or digit and the other not."""
    if a.box is b.box or is_latin(a.char) == is_latin(b.char):
        return 0.0
    return max(0.0, b.box.position_x - (a.box.position_x + a.box.width))


def justify_chinese_line(line: boxes.LineBox, extra_width: float) -> bool:
    """Spread ``extra_width`` over the line's inter-character gaps, evenly as the eye sees
    them (:func:`levelled`: a Han–Latin margin takes only what the gaps beside it exceed
    it by, so a Latin run is not set looser than the Han around it); False if it can't."""
    gaps = _gaps(line)
    if not gaps:
        return False
    level, added = levelled([_space_before(a, b) for a, b in gaps], extra_width)
    if level > MAX_GAP_EM * line.style["font_size"]:
        return False
    extra: dict[int, float] = {}
    for (c, _), grow in zip(gaps, added, strict=True):
        spacing = _spacing.setdefault(c.box.pango_layout, _Spacing())
        byte = len(c.box.text[: c.index + 1].encode())  # gap after this character
        spacing.gaps[byte] = spacing.gaps.get(byte, 0.0) + grow
        extra[id(c.box)] = extra.get(id(c.box), 0.0) + grow
    _shift(line, extra, 0.0)
    for c, _ in gaps:
        _spacing[c.box.pango_layout].width = c.box.width
    return True


def text_align(context: Any, line: boxes.LineBox, available_width: float, last: bool
               ) -> float:
    """Replacement for ``weasyprint.layout.inline.text_align`` (see the module docstring)."""
    if not _active.get():
        return _original_text_align(context, line, available_width, last)
    for leaf in _leaves(line):
        if isinstance(leaf, boxes.TextBox) and leaf.style["letter_spacing"] not in ("normal", 0):
            # drawn with ActualText, see draw_first_line
            _spacing.setdefault(leaf.pango_layout, _Spacing()).tracked = True
    _trim_latin_margins(line)
    align = line.style["text_align_all"]
    if last or _ends_at_mark(line):  # a paragraph's last line: ``text-align-last``
        # (justify where the make-up cut the paragraph between columns, layout.makeup.columns)
        align = align if line.style["text_align_last"] == "auto" else (
            line.style["text_align_last"])
    collapsing = line.style["white_space"] in ("normal", "nowrap", "pre-line")
    if (align == "justify" and collapsing and line.width < available_width
            and justify_chinese_line(line, available_width - line.width)):
        return 0
    return _original_text_align(context, line, available_width, last)


def reactivate(self: line_break.Layout, style: dict[str, Any]) -> None:
    """Replacement for ``Layout.reactivate``: re-shape, then space the glyphs (see below)."""
    _original_reactivate(self, style)
    spacing = _spacing.get(self)
    if spacing is not None and spacing.gaps:
        spacing.tc = _space_glyphs(self, spacing.gaps, spacing.width)


def draw_first_line(stream: Any, textbox: boxes.TextBox, text_overflow: str,
                    block_ellipsis: Any, matrix: Any) -> list[list[Any]]:
    """Replacement for ``draw.text.draw_first_line``: draw under the box's character spacing.

    The gaps are drawn as PDF character spacing (``Tc``), not as positioning between
    glyphs: text extraction (poppler, pdfium, pdfminer) counts character spacing as part of
    a character's advance, so justified Chinese copies out without inserted spaces.
    """
    spacing = _spacing.get(textbox.pango_layout) or _Spacing()
    tc = spacing.tc
    if not (tc or spacing.tracked):
        return _original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    # poppler subtracts character spacing before it looks for word gaps: for it, the box's
    # text is also given as ActualText, which it spreads evenly over the drawn glyphs.  The
    # same helps tracked text (the kicker band).
    actual = "".join(ch for ch in textbox.pango_layout.text if ch not in ZERO_WIDTH)
    stream.stream.append(b"/Span <</ActualText <FEFF" + actual.encode("utf-16-be").hex().encode()
                         + b">>> BDC" + (f" {tc:.4f} Tc".encode() if tc else b""))
    start = len(stream.stream)
    try:
        return _original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        stream.stream[start:] = [_EMPTY_START.sub(b"[<", op) if isinstance(op, bytes) else op
                                 for op in stream.stream[start:]]
        stream.stream.append(b"0 Tc EMC" if tc else b"EMC")


# A text box opening with a zero-width space (a break opportunity, markup.BREAK) is drawn
# with an empty string and a zero adjustment first ("[<>-0.0<...>] TJ"), which shows
# nothing; pdfminer (pdfplumber, layout check) counts character spacing before the first
# glyph after any adjustment, and reads the box a gap to the right.  Dropped.
_EMPTY_START = re.compile(rb"^\[<>-?0(?:\.0*)?<")


def _space_glyphs(layout: line_break.Layout, gaps: dict[int, float], width: float) -> float:
    """Prepare the shaped glyphs for drawing with character spacing; return that spacing.

    A justified line has one gap size, drawn as character spacing after every glyph; the
    glyphs with no gap after them (inside "——", a Latin word) are narrowed by as much, which
    WeasyPrint writes as a positioning that cancels it.  Pango's letter-spacing (CSS
    tracking) is trimmed differently at box edges when a line is shaped for layout and when
    it is shaped again for drawing, so the drawn advances are measured and the difference
    goes to the gaps: the drawn text spans exactly ``width``.
    """
    # draw_first_line sets single-paragraph mode; setting it first keeps our edits
    # (Pango re-lays the text out only when the value changes).
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    line, _ = layout.get_first_line()
    tc = max(gaps.values())
    tc_units = int(round(tc * TO_UNITS))
    spaced = []
    total = 0
    run = line.runs
    while run != ffi.NULL:
        item = run.data
        glyphs = item.glyphs
        count = glyphs.num_glyphs
        offset = item.item.offset
        for i in range(count):
            glyph = glyphs.glyphs[i]
            total += glyph.geometry.width
            if glyph.glyph == pango.PANGO_GLYPH_EMPTY:
                continue  # not drawn, so no character spacing after it
            # The last glyph of a cluster carries the gap that follows the character.
            last = i + 1 == count or glyphs.log_clusters[i + 1] != glyphs.log_clusters[i]
            end = offset + (glyphs.log_clusters[i + 1] if i + 1 < count else item.item.length)
            gap = gaps.get(end) if last else None
            if gap is None:
                glyph.geometry.width -= tc_units
            else:
                glyph.geometry.width += int(round(gap * TO_UNITS)) - tc_units
                spaced.append(glyph)
        run = run.next
    if spaced:
        missing = int(round(width * TO_UNITS)) - total - sum(
            int(round(g * TO_UNITS)) for g in gaps.values())
        for n, glyph in enumerate(spaced):
            glyph.geometry.width += missing // len(spaced) + (
                1 if n < missing % len(spaced) else 0)
    return tc


def install() -> None:
    """Install the wrappers (idempotent); they act only inside :func:`justification`."""
    check_internals()
    inline.text_align = text_align
    line_break.Layout.reactivate = reactivate  # type: ignore[method-assign]
    draw_text.draw_first_line = draw_first_line
