"""The largest empty rectangle of a page: what `layout check` measures on a PDF (``L102``)
and what the composer (:mod:`layout.compose`) measures on the page it plans, on the same
cells and with the same margins around ink, so that the composer never makes a page the
check rejects.

Ink is a list of rectangles (left, top, right, bottom, in pt): text lines, pictures and
filled boxes.  Each is widened by 0.75 em to each side and half a grid line up and down,
so gutters and line spacing inside set text are not holes; the page is measured on cells
of a quarter line.
"""

from __future__ import annotations

from collections.abc import Iterable

Rect = tuple[float, float, float, float]  # left, top, right, bottom

# The largest empty rectangle a composed page (拼版) may hold, of its type area: the limit
# the composer measures its pages against and the one `layout check` holds a page
# recording its modules to (issue 13's figure).  A plan whose best arrangement leaves more
# is refused (L211); docs/pages.md, "How often a page composes", says how often that is.
COMPOSED_MAX_EMPTY = 0.02
# An empty rectangle no larger than this many lines of a column is never a hole (the space
# the grid gives a head, a figure or a sidebar; on a page of one narrow column, as a
# book's, a line of it is more than 3% of the type area).
SPACE_LINES = 2


def largest_empty(area: Rect, ink: Iterable[Rect], em: float, pitch: float) -> Rect:
    """The largest rectangle of ``area`` with no ``ink`` near it (see the module's doc).

    The cells are those of a quarter line; runs of cells that no ink's edge divides are
    taken together (the same rectangle, found in less time)."""
    cell = max(1.0, pitch / 4)
    x0, y0, x1, y1 = area
    cols = max(1, int((x1 - x0) / cell))
    rows = max(1, int((y1 - y0) / cell))
    inked = []
    for bx0, btop, bx1, bbottom in ink:
        c0 = max(0, int((bx0 - 0.75 * em - x0) / cell))
        c1 = min(cols, int((bx1 + 0.75 * em - x0) / cell) + 1)
        r0 = max(0, int((btop - pitch / 2 - y0) / cell))
        r1 = min(rows, int((bbottom + pitch / 2 - y0) / cell) + 1)
        if c0 < c1 and r0 < r1:
            inked.append((c0, r0, c1, r1))
    # the cell columns and rows where a run starts, and where the last ends
    xs = sorted({0, cols, *(c for i in inked for c in (i[0], i[2]))})
    ys = sorted({0, rows, *(r for i in inked for r in (i[1], i[3]))})
    xi = {c: n for n, c in enumerate(xs)}
    yi = {r: n for n, r in enumerate(ys)}
    grid = [bytearray(len(xs) - 1) for _ in range(len(ys) - 1)]
    for c0, r0, c1, r1 in inked:
        full = b"\x01" * (xi[c1] - xi[c0])
        for r in range(yi[r0], yi[r1]):
            grid[r][xi[c0]:xi[c1]] = full
    best = (0, 0, 0, 0, 0)  # area in cells, col0, row0, col1, row1
    n = len(xs) - 1
    heights = [0] * n  # cells of empty rows above and in the current run of rows
    for r in range(len(ys) - 1):
        row, tall, bottom = grid[r], ys[r + 1] - ys[r], ys[r + 1]
        for c in range(n):
            heights[c] = 0 if row[c] else heights[c] + tall
        stack: list[int] = []
        for c in range(n + 1):
            h = heights[c] if c < n else 0
            while stack and heights[stack[-1]] >= h:
                top_h = heights[stack.pop()]
                left = xs[stack[-1] + 1] if stack else 0
                size = top_h * (xs[c] - left)
                if size > best[0]:
                    best = (size, left, bottom - top_h, xs[c], bottom)
            stack.append(c)
    _, c0, r0, c1, r1 = best
    return (x0 + c0 * cell, y0 + r0 * cell, x0 + c1 * cell, y0 + r1 * cell)


def is_hole(rect: Rect, share: float, limit: float, column: float, pitch: float) -> bool:
    """Whether the empty ``rect``, ``share`` of the type area, is a hole: above ``limit``
    and larger than SPACE_LINES lines of a ``column``."""
    return share > limit and (rect[2] - rect[0]) * (rect[3] - rect[1]) > (
        SPACE_LINES * column * pitch + 1e-6)
