"""Where a planned page will carry ink, and the largest empty rectangle it will hold: what
`layout check` measures on the rendered page (``L102``, :func:`layout.holes.largest_empty`),
measured on the page the search plans, before anything is rendered.

A module's ink, from its fit: its head group's texts line by line (each as wide as its
text, centred; a column label at the left), the rule under the head group (the check
reads it as a filled box), the top photo's frame and its caption, and each body column
from its first line to its last (the story's last line short: taken as two characters,
for it may end anywhere).  The rule above a module under another and the rules between
columns are not ink, as in the check.  A fixed box is ink all over.  A text line of ``s``
pt in a line box of ``L`` pt has its characters' boxes from ``L/2 - 0.28 s`` to ``L/2 +
0.72 s`` below the box's top (the heading and body faces' metrics, as the PDF gives them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..holes import Rect, largest_empty
from ..makeup.grid import Grid, lines_for
from ..makeup.headline import width_em
from .boxes import FixedBox
from .content import Story

if TYPE_CHECKING:
    from .fit import Fitter, HeadFit, ModuleFit

HEAD_FOOT = 2  # grid lines under a head group: its rule and a line of space

ABOVE = 0.28  # of the type size: the characters' top above the line box's middle
LAST_LINE = 2  # characters the story's last line is taken to hold


def _line(top: float, leading: float, size: float, left: float, right: float) -> Rect:
    middle = top + leading / 2
    return (left, middle - ABOVE * size, right, middle + (1 - ABOVE) * size)


def _lines(top: float, lines: int, pitch: float, size: float, left: float, right: float
           ) -> Rect:
    """Lines of type filling ``left``…``right`` on ``lines`` grid lines from ``top``."""
    return (left, _line(top, pitch, size, 0, 0)[1], right,
            _line(top + (lines - 1) * pitch, pitch, size, 0, 0)[3])


def _text(text: str, size: float, lines: int, each: int, top: float, pitch: float,
          left: float, width: float, centred: bool) -> list[Rect]:
    """A head text on ``lines`` grid lines at ``size``, ``each`` grid lines a line of
    type: full lines, then a last line holding the rest of its width (the text's at the
    least)."""
    count = lines // each
    if not count or not text:
        return []
    leading = each * pitch
    rest = width_em(text) * size - (count - 1) * width
    wide = min(width, max(rest, width_em(text) * size / count))
    x0 = left + (width - wide) / 2 if centred else left
    out = [_lines(top, count - 1, leading, size, left, left + width)] if count > 1 else []
    return [*out, _line(top + (count - 1) * leading, leading, size, x0, x0 + wide)]


def head_ink(fitter: Fitter, story: Story, head: HeadFit, width: int, left: float,
             top: float) -> tuple[list[Rect], float]:
    """The ink of ``story``'s head group ``width`` columns wide at ``left``, ``top`` (pt),
    its rule under it included, and where its foot's space starts."""
    grid = fitter.grid
    pitch, body = grid.pitch, fitter.page.body_size
    wide_pt = fitter.width_pt(width)
    out: list[Rect] = []
    heads = fitter.texts(story, width)
    sizes = fitter.style.sizes
    if head.headline is None:  # a 简讯 column's label: a filled box around its text
        size = sizes["sidebar_title"] * body
        wide = min(wide_pt, (width_em(story.title) + 1) * size)
        label = (head.lines - HEAD_FOOT) * pitch
        out.append((left + (wide_pt - wide) / 2, top, left + (wide_pt + wide) / 2,
                    top + label))
        line = top + label
    else:
        doc = story.doc
        line = top
        texts = {"column": doc.column, "kicker": doc.kicker, "subtitle": doc.subtitle,
                 "byline": " ".join([*([doc.byline.role] if doc.byline.role else []),
                                     *doc.byline.authors]) if doc.byline else ""}

        def text(name: str) -> None:
            nonlocal line
            lines = heads.get(name, 0)
            size = sizes[name] * body
            out.extend(_text(texts[name] or "", size, lines, lines_for(grid, size), line,
                             pitch, left, wide_pt, name != "column"))
            line += lines * pitch

        text("column")
        text("kicker")
        hl = head.headline
        for words in hl.lines:
            wide = min(wide_pt, width_em(words.strip()) * hl.size)
            out.append(_line(line, hl.leading, hl.size, left + (wide_pt - wide) / 2,
                             left + (wide_pt + wide) / 2))
            line += hl.leading
        text("subtitle")
        text("byline")
    # the rule under the head group, in the middle of its first line of foot
    out.append((left, line + pitch / 2 - 2, left + wide_pt, line + pitch / 2 + 2))
    return out, line


def module_ink(fitter: Fitter, fit: ModuleFit, x: int, y: int) -> list[Rect]:
    """The ink of ``fit`` placed at column ``x``, line ``y`` (pt from the type area's
    top-left corner)."""
    grid = fitter.grid
    pitch, body = grid.pitch, fitter.page.body_size
    left = x * (grid.column + grid.gutter)
    width = fitter.width_pt(fit.width)
    top = (y + fit.below) * pitch
    if fit.span:  # the head over the first columns, the copy from the top beside it
        out, _ = head_ink(fitter, fit.story, fit.head, fit.span, left, top)
        line = top
    else:
        out, line = head_ink(fitter, fit.story, fit.head, fit.width, left, top)
        line += HEAD_FOOT * pitch + fit.air * pitch
    if fit.photo:
        out.append((left, line, left + width, line + fit.photo * pitch))
        line += fit.photo * pitch
        if fit.caption:
            out.append(_lines(line, fit.caption, pitch, body, left, left + width))
        line += (fit.caption + 1) * pitch
    tops = fit.columns[0].tops if fit.columns else (0,) * len(fit.feet)
    last = max((c for c, used in enumerate(fit.feet) if used), default=-1)
    for c, (used, first) in enumerate(zip(fit.feet, tops, strict=True)):
        if used <= first:
            continue
        x0 = left + c * (grid.column + grid.gutter)
        start = line + first * pitch
        full = used - first - (c == last)
        if full:
            out.append(_lines(start, full, pitch, fit.size, x0, x0 + grid.column))
        if c == last:
            out.append(_line(start + full * pitch, pitch, fit.size, x0,
                             x0 + min(grid.column, LAST_LINE * fit.size)))
    return out


def box_ink(grid: Grid, x: int, y: int, box: FixedBox) -> Rect:
    left = x * (grid.column + grid.gutter)
    return (left, y * grid.pitch, left + box.columns * grid.column
            + (box.columns - 1) * grid.gutter, (y + box.lines) * grid.pitch)


def area(grid: Grid) -> Rect:
    return (0.0, 0.0, grid.type_width, grid.lines * grid.pitch)


def empty(fitter: Fitter, ink: Iterable[Rect], em: float) -> tuple[Rect, float]:
    """The largest empty rectangle of the type area around ``ink``, and its share."""
    grid = fitter.grid
    whole = area(grid)
    rect = largest_empty(whole, ink, em, grid.pitch)
    return rect, (rect[2] - rect[0]) * (rect[3] - rect[1]) / (whole[2] * whole[3])
