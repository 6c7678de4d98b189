"""Counting a paragraph's lines with Pango directly, as WeasyPrint would break them.

WeasyPrint breaks a line by asking Pango, text box by text box, for the first line that
fits the room left, and between boxes by asking whether the last letter of one and the
first of the next may be parted (``layout.inline.split_inline_box``).  For Chinese copy in
boxes of fixed advances that is a greedy fill: a line ends at the last break opportunity
whose content fits.  Here each text box is shaped once, by WeasyPrint's own ``Layout``
(same font description, features, language), its advances and Pango's break
opportunities are read, and the greedy fill runs over them: C speed for the shaping, one
pass of Python per character.

:func:`paragraph_lines` only answers for what it models exactly (text and inline boxes
with horizontal margins, ``white-space: normal``/``nowrap``, ``text-indent``); it returns
None for anything else, and the caller measures that with WeasyPrint.  The make-up
verifies the prediction on the final layout (``layout.app.article``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any
from xml.etree.ElementTree import Element

from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import ffi, pango
from weasyprint.text.line_break import Layout, _font_style_cache_key, can_break_text

from ..memo import Memo

TO_UNITS = 1024  # Pango units per CSS pixel (PANGO_SCALE)
WRAPPING = ("normal", "nowrap")
MEMO_CHARS = 2_000_000  # characters of paragraph text whose lines this process keeps


@dataclass(frozen=True)
class Lines:
    """A paragraph's line count; for each line after the first, the offset in the
    paragraph's text (:func:`element_text`) where it starts; the width and font size (px)
    it was set at, which the build's check of the prediction compares."""

    count: int
    breaks: tuple[int, ...]
    width: float
    font_size: float


def element_text(element: Element | None) -> str:
    """An element's text as lines are counted in: its white space collapsed."""
    text = "".join(element.itertext()) if element is not None else ""
    return re.sub(r"[ \t\n\r\f]+", " ", text)


def line_offsets(lines: list[str], text: str) -> tuple[int, ...]:
    """Where each of ``lines`` (a block's lines, in order) after the first starts in
    ``text``; a line's spaces at either end, which a layout drops, are skipped."""
    starts = []
    position = 0
    for number, line in enumerate(lines):
        line = line.strip(" ")
        found = text.find(line, position) if line else -1
        position = found if found >= 0 else position
        if number:
            starts.append(position)
        position += len(line)
    return tuple(starts)


@dataclass(slots=True)
class _Char:
    width: int  # Pango units, with the margins of inline boxes that start or end here
    breakable: bool  # a line may start at this character
    space: bool  # a collapsible space: dropped at a line's start, hangs at its end
    white: bool  # other white space (U+3000): Pango hangs it, WeasyPrint counts it
    box: int  # the index of the first character of its text box


def _px(value: Any) -> float | None:
    """A computed length in CSS pixels, or None for what is not one (a percentage)."""
    if isinstance(value, (int, float)):
        return float(value)
    if getattr(value, "unit", None) == "px":
        return float(value.value)
    return None


def _edge(style: Any, side: str) -> float | None:
    """The margin, border and padding of an inline box on one side."""
    margin, padding = _px(style[f"margin_{side}"]), _px(style[f"padding_{side}"])
    if margin is None or padding is None:
        return None
    border = style[f"border_{side}_width"] if style[f"border_{side}_style"] != "none" else 0
    return margin + padding + border


def _plain(style: Any) -> bool:
    """Whether text in ``style`` is shaped and broken as modelled here."""
    return (style["white_space"] in WRAPPING and style["letter_spacing"] == "normal"
            and not style["word_spacing"] and style["overflow_wrap"] == "normal"
            and style["word_break"] == "normal" and style["direction"] == "ltr"
            and style["vertical_align"] == "baseline")


_Leaf = tuple[boxes.TextBox | str, float, tuple[boxes.Box, ...]]


def _leaves(box: boxes.Box, path: tuple[boxes.Box, ...]) -> list[_Leaf] | None:
    """Text boxes in order, and the start and end spacing of inline boxes (``"start"``,
    ``"end"`` and a width), each with its ancestors inside the line; None when something
    here is not modelled."""
    out: list[_Leaf] = []
    for child in box.children:
        if isinstance(child, boxes.TextBox):
            if not _plain(child.style) or "\xad" in child.text or "\n" in child.text:
                return None
            out.append((child, 0.0, path))
        elif isinstance(child, boxes.InlineBox) and _plain(child.style):
            start, end = _edge(child.style, "left"), _edge(child.style, "right")
            inner = _leaves(child, (*path, child))
            if start is None or end is None or inner is None:
                return None
            out += [("start", start, path), *inner, ("end", end, path)]
        else:
            return None
    return out


def _shape(text: str, style: Any, layouts: dict[Any, Any]
           ) -> tuple[list[int], list[bool], list[bool]]:
    """Each character's advance (Pango units), whether Pango may break before it and
    whether Pango takes it for white space; ``layouts`` keeps one Pango layout per font
    (setting one up costs more than shaping a paragraph).  Pango's arrays are read whole
    (:data:`_ARRAYS`), not a field at a time: the same values, several times faster."""
    key = _shape_key(style, layouts)
    layout = layouts.get(key)
    if layout is None:
        layout = layouts[key] = Layout(style)
    layout.set_text(text)
    if _ARRAYS is None:
        return _read_fields(text, layout)
    stride, width_at, break_mask, white_mask = _ARRAYS
    n = len(text)
    widths = [0] * n
    # the character each byte of the text's UTF-8 belongs to
    owner = list(chain.from_iterable(repeat(i, len(c.encode())) for i, c in enumerate(text))
                 ) if not text.isascii() else range(n)
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)
    run = line.runs
    while run != ffi.NULL:
        item = run.data
        glyphs, offset = item.glyphs, item.item.offset
        count = glyphs.num_glyphs
        if count:
            clusters = ffi.unpack(glyphs.log_clusters, count)
            advances = memoryview(ffi.buffer(glyphs.glyphs, count * stride * 4)).cast("i")[
                width_at::stride]
            for cluster, advance in zip(clusters, advances, strict=True):
                widths[owner[offset + cluster]] += advance
        run = run.next
    found = ffi.new(_INT)
    attrs = pango.pango_layout_get_log_attrs_readonly(layout.layout, found)
    words = memoryview(ffi.buffer(attrs, n * 4)).cast("I")
    return widths, [bool(w & break_mask) for w in words], [bool(w & white_mask) for w in words]


def _read_fields(text: str, layout: Layout) -> tuple[list[int], list[bool], list[bool]]:
    """:func:`_shape`'s values read from Pango's structures a field at a time."""
    widths = [0] * len(text)
    char_at = {}
    position = 0
    for index, char in enumerate(text):
        char_at[position] = index
        position += len(char.encode())
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)
    run = line.runs
    while run != ffi.NULL:
        item = run.data
        glyphs, offset = item.glyphs, item.item.offset
        for g in range(glyphs.num_glyphs):
            byte = offset + glyphs.log_clusters[g]
            while byte not in char_at:  # inside a multi-byte sequence: not expected
                byte -= 1
            widths[char_at[byte]] += glyphs.glyphs[g].geometry.width
        run = run.next
    count = ffi.new(_INT)
    attrs = pango.pango_layout_get_log_attrs_readonly(layout.layout, count)
    return (widths, [bool(attrs[i].is_line_break) for i in range(len(text))],
            [bool(attrs[i].is_white) for i in range(len(text))])


def _field(ctype: Any, name: str) -> Any:
    """The field ``name`` of the struct ``ctype`` points to (a cffi ``CField``)."""
    return dict(ctype.item.fields)[name]


# Pango's types as cffi knows them from WeasyPrint's declarations, reached from the
# functions' signatures: naming a type in a string has cffi parse C (~2 ms each).
_LOG_ATTRS = ffi.typeof(pango.pango_layout_get_log_attrs_readonly)
_LOG_ATTR, _INT = _LOG_ATTRS.result, _LOG_ATTRS.args[1]  # PangoLogAttr *, int *
_GLYPH_INFO = _field(_field(_field(_field(
    ffi.typeof(pango.pango_layout_get_line_readonly).result, "runs").type, "data").type,
    "glyphs").type, "glyphs").type  # PangoGlyphInfo *


def _arrays() -> tuple[int, int, int, int] | None:
    """How to read Pango's arrays whole, as laid out by cffi: a glyph's size and its
    advance's place (in 32-bit words), and the bits of a character's attributes that say
    a break may come before it and that it is white space; None when they are not laid
    out in whole words (then :func:`_read_fields`)."""
    info, attr = ffi.sizeof(_GLYPH_INFO.item), ffi.sizeof(_LOG_ATTR.item)
    geometry = _field(_GLYPH_INFO, "geometry")
    width_at = geometry.offset + dict(geometry.type.fields)["width"].offset
    if info % 4 or width_at % 4 or attr != 4 or ffi.sizeof(_INT.item) != 4:
        return None
    masks = []
    for name in ("is_line_break", "is_white"):
        one = ffi.new(_LOG_ATTR)
        setattr(one, name, 1)
        masks.append(int.from_bytes(bytes(ffi.buffer(one)), sys.byteorder))
    return info // 4, width_at // 4, masks[0], masks[1]


_ARRAYS = _arrays()


def _shape_key(style: Any, layouts: dict[Any, Any] | None = None) -> str:
    """What WeasyPrint's ``Layout`` of a text box (of :func:`_plain` style) depends on
    besides the font map: WeasyPrint's own key for it, the direction and the kerning.
    With ``layouts`` (a document's), kept there by the style's id: the text boxes of one
    element share their style."""
    if layouts is not None and (kept := layouts.get(id(style))) and kept[0] is style:
        return str(kept[1])
    key = (_font_style_cache_key(style, include_size=True) + style["direction"]
           + style["font_kerning"])
    if layouts is not None:
        layouts[id(style)] = (style, key)  # (the style kept alive: its id stays its own)
    return key


def _chars(leaves: list[_Leaf], layouts: dict[Any, Any]) -> list[_Char]:
    """The paragraph's characters (its :func:`_leaves`) as the greedy fill sees them."""
    chars: list[_Char] = []
    pending = 0.0  # start spacing waiting for the next character
    previous: tuple[str, tuple[boxes.Box, ...]] | None = None  # last letter and its path
    for leaf, spacing, path in leaves:
        if leaf == "end" and chars and not pending:
            chars[-1].width += round(spacing * TO_UNITS)
        elif isinstance(leaf, str):
            pending += spacing
        elif leaf.text:
            text = leaf.text
            widths, breaks, whites = _shape(text, leaf.style, layouts)
            nowrap = leaf.style["white_space"] == "nowrap"
            first = len(chars)
            for i, char in enumerate(text):
                if i == 0:
                    breakable = previous is not None and _boundary(previous, char,
                                                                   (*path, leaf))
                else:
                    breakable = breaks[i] and not nowrap
                chars.append(_Char(widths[i] + round(pending * TO_UNITS), breakable,
                                   char == " ", whites[i] and char != " ", first))
                pending = 0.0
            previous = (text[-1], (*path, leaf))
    if pending and chars:
        chars[-1].width += round(pending * TO_UNITS)
    return chars


def _boundary(previous: tuple[str, tuple[boxes.Box, ...]], first: str,
              path: tuple[boxes.Box, ...]) -> bool:
    """May a line break between two text boxes?  Decided by the box both sit in, as
    ``split_inline_box`` does: not inside a ``nowrap`` box, else by the two letters."""
    last, before = previous
    depth = 0
    while depth < min(len(before), len(path)) and before[depth] is path[depth]:
        depth += 1
    parent, child = path[depth - 1], path[depth]
    # After a collapsible space WeasyPrint asks the letters even inside a nowrap box.
    if last != " " and parent.style["white_space"] in ("pre", "nowrap"):
        return False
    return bool(can_break_text(last + first, child.style["lang"]))


def fill(chars: list[_Char], width: float, indent: float) -> tuple[int, tuple[int, ...]]:
    """Greedy line breaking of ``chars`` in ``width`` px, the first line indented: the
    number of lines and the index of the character each line after the first starts at."""
    starts: list[int] = []
    start, n = 0, len(chars)
    room = int(max(0.0, width - indent) * TO_UNITS)
    while True:
        while start < n and chars[start].space:
            start += 1
        end = _line_end(chars, start, room) if start < n else None
        if end is None:
            break
        starts.append(end)
        start, room = end, int(max(0.0, width) * TO_UNITS)
    return (1 + len(starts) if n else 0), tuple(starts)


def _line_end(chars: list[_Char], start: int, room: int) -> int | None:
    """Where the line from ``start`` ends (the next line's first character), or None when
    the rest of the paragraph fits."""
    used = 0
    last_break = None
    for i in range(start, len(chars)):
        c = chars[i]
        if i > start and c.breakable:
            last_break = i
        used += c.width
        if used <= room or c.space:
            continue
        if c.white and (hung := _hanging(chars, i, start)) is not None:
            return hung
        if last_break is not None:
            return last_break
        # Nothing fits: the line overflows up to the next opportunity.
        return next((j for j in range(i + 1, len(chars)) if chars[j].breakable), None)
    return None


def _hanging(chars: list[_Char], i: int, start: int) -> int | None:
    """Pango lets white space that is not a collapsible space (U+3000) hang past the end
    of a line; WeasyPrint then finds the text box's line too wide and breaks before the
    box (at the last opportunity on the line before it), or lets it overflow when there is
    none.  None when Pango would not hang it (no break opportunity after the run)."""
    box, n = chars[i].box, len(chars)
    j = i
    while j < n and chars[j].white and chars[j].box == box:
        j += 1
    if j < n and not chars[j].breakable:
        return None
    for k in range(box, start, -1):
        if chars[k].breakable:
            return k
    return j if j < n else None


def paragraph_lines(box: boxes.Box, width: float, layouts: dict[Any, Any]
                    ) -> Lines | None:
    """The lines of a block of only inline content set ``width`` px wide, or None when it
    holds what is not modelled (images, inline blocks, floats, tracking...); ``layouts``:
    Pango layouts by font (and the styles' fonts by their ids), shared by the paragraphs
    of one document."""
    if len(box.children) != 1 or not isinstance(box.children[0], boxes.LineBox):
        return None
    style = box.style
    indent = _px(style["text_indent"])
    if indent is None or not _plain(style) or style["hyphens"] == "auto":
        return None
    line = box.children[0]
    leaves = _leaves(line, (line,))
    if leaves is None:
        return None
    text = element_text(box.element)
    key = _memo_key(leaves, width, indent, style["font_size"], text, layouts)
    found = _LINES.get(key) if key is not None else None
    if found is not None:
        return found
    count, starts = fill(_chars(leaves, layouts), width, indent)
    joined = "".join(_texts(line))
    lines = [joined[a:b] for a, b in zip((0, *starts), (*starts, len(joined)), strict=True)]
    result = Lines(count, line_offsets(lines, text), width, style["font_size"])
    if key is not None:
        _LINES.put(key, result, len(text) + len(joined) + 64)
    return result


# A paragraph's lines, by everything they depend on (:func:`_memo_key`): the make-up
# measures the same paragraphs again at the same size and width (its photos one column
# wide, a refit that comes back to a body size, a rebuild in the preview server).
_LINES: Memo[tuple[object, ...], Lines] = Memo(MEMO_CHARS)


def _memo_key(leaves: list[_Leaf], width: float, indent: float, font_size: float,
              text: str, layouts: dict[Any, Any] | None = None) -> tuple[object, ...] | None:
    """Everything :func:`paragraph_lines` reads besides ``leaves``' boxes themselves:
    each text box's text and what its shaping depends on (:func:`_shape_key`), each
    spacing, and for each box on a leaf's path (numbered in the paragraph, so which boxes
    two leaves share is kept) the ``white-space`` and ``lang`` that decide a break between
    boxes (:func:`_boundary`); the width, indent, size and the element's text.  None when
    a font of the document's own (``@font-face``) is in use: its font map is the
    document's, not the system's."""
    numbers: dict[int, int] = {}
    parts: list[object] = [width, indent, font_size, text]
    for leaf, spacing, path in leaves:
        steps = []
        for step in path:
            number = numbers.setdefault(id(step), len(numbers))
            steps.append((number, step.style["white_space"], step.style["lang"]))
        if isinstance(leaf, str):
            parts.append((leaf, spacing, tuple(steps)))
            continue
        if getattr(getattr(leaf.style, "font_config", None), "_folder", None) is not None:
            return None
        parts.append((leaf.text, _shape_key(leaf.style, layouts), leaf.style["white_space"],
                      leaf.style["lang"], tuple(steps)))
    return tuple(parts)


def _texts(box: boxes.Box) -> Iterator[str]:
    if isinstance(box, boxes.TextBox):
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)
