"""The page grid of a preset: columns of whole body characters and a baseline grid.

A preset gives the page size, its margins (the largest type area allowed), the number of
columns, the gutter and the body type.  The grid narrows the type area so that every
column is a whole number of body characters wide (the leftover goes equally to the side
margins) and shortens it to a whole number of body lines (the leftover goes to the foot
margin).  Every element of the page is then a whole number of grid lines tall, so body
lines of adjacent columns sit level.

The grid is written into the print HTML as ``<meta name="layout-grid">`` (WeasyPrint copies
it into the PDF's document information as ``/layoutgrid``), so that ``layout check`` can
measure a PDF against the grid it was made on.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

from ..settings import PagePreset

PT_PER_MM = 72 / 25.4
META_NAME = "layout-grid"
PDF_KEY = "/layoutgrid"  # WeasyPrint keeps the letters and digits of the meta name
# Where a story that leaves space for other stories ends: "page N from Y" (Y in pt from
# the trim's top), and "beside X" when its module is narrower than the type area (X in pt
# from the trim's left: its right edge); ``layout check`` does not count the space below
# Y, nor beside the module, as a hole.
FREE_META = "layout-free"
FREE_KEY = "/layoutfree"
_FREE = re.compile(r"page (\d+) from (\d+(?:\.\d+)?)(?: beside (\d+(?:\.\d+)?))?")


def describe_free(page: int, y: float, x: float | None = None) -> str:
    return f"page {page} from {y:.2f}" + ("" if x is None else f" beside {x:.2f}")


def _free_entries(text: str) -> dict[int, tuple[float, float | None]]:
    out = {}
    for entry in text.split(";"):
        m = _FREE.fullmatch(entry.strip())
        if m:
            out[int(m[1])] = (float(m[2]), float(m[3]) if m[3] else None)
    return out


def parse_free(text: str) -> dict[int, float]:
    """The free bands of a record: one ``describe_free`` entry per story that leaves one,
    separated by ``;`` in a PDF of several stories; a malformed entry is ignored."""
    return {page: y for page, (y, _) in _free_entries(text).items()}


def parse_free_beside(text: str) -> dict[int, float]:
    """The right edge of each narrower module a free record names, by page."""
    return {page: x for page, (_, x) in _free_entries(text).items() if x is not None}


def shift_free(text: str, pages: int) -> str:
    """A free record of a PDF whose pages come after ``pages`` others in a merged PDF."""
    return "; ".join(describe_free(page + pages, y, x)
                     for page, (y, x) in _free_entries(text).items())


@dataclass(frozen=True)
class Grid:
    """A page grid in points, measured from the trim box's top-left corner."""

    width: float  # trim
    height: float
    left: float  # type area
    top: float
    columns: int
    column: float  # column width (a whole number of body characters)
    gutter: float
    pitch: float  # baseline grid: the body leading
    lines: int  # body lines in a full column

    @property
    def right(self) -> float:
        return self.left + self.type_width

    @property
    def bottom(self) -> float:
        return self.top + self.lines * self.pitch

    @property
    def type_width(self) -> float:
        return self.columns * self.column + (self.columns - 1) * self.gutter

    def module(self, columns: int) -> Grid:
        """The grid of a module of the first ``columns`` columns, full depth."""
        return dataclasses.replace(self, columns=columns)

    def column_edges(self) -> list[tuple[float, float]]:
        """(left, right) of every column."""
        step = self.column + self.gutter
        return [(self.left + k * step, self.left + k * step + self.column)
                for k in range(self.columns)]

    def margins_mm(self) -> tuple[float, float, float, float]:
        """The page margins (top, right, bottom, left) that give this type area."""
        return (self.top / PT_PER_MM, (self.width - self.right) / PT_PER_MM,
                (self.height - self.bottom) / PT_PER_MM, self.left / PT_PER_MM)

    def describe(self) -> str:
        """The grid as ``<meta name="layout-grid">`` content (points, 2 decimals)."""
        return (f"trim {self.width:.2f} {self.height:.2f}; "
                f"area {self.left:.2f} {self.top:.2f} {self.right:.2f} {self.bottom:.2f}; "
                f"columns {self.columns} {self.column:.2f} {self.gutter:.2f}; "
                f"pitch {self.pitch:.3f}")

    @classmethod
    def parse(cls, text: str) -> Grid | None:
        """The grid :meth:`describe` wrote, or None when ``text`` is not one."""
        number = r"(-?\d+(?:\.\d+)?)"
        m = re.fullmatch(
            rf"trim {number} {number}; area {number} {number} {number} {number}; "
            rf"columns (\d+) {number} {number}; pitch {number}", text.strip())
        if not m:
            return None
        w, h, x0, y0, _x1, y1, n, col, gut, pitch = (float(v) for v in m.groups())
        return cls(w, h, x0, y0, int(n), col, gut, pitch, round((y1 - y0) / pitch))


def page_grid(page: PagePreset) -> Grid:
    """The grid of ``page``: whole characters per column, whole lines per column."""
    em = page.body_size
    pitch = round(page.body_size * page.leading, 3)
    gutter = page.gutter * PT_PER_MM
    top, right, bottom, left = (m * PT_PER_MM for m in page.margin)
    width, height = page.width * PT_PER_MM, page.height * PT_PER_MM
    available = width - left - right
    chars = math.floor((available - (page.columns - 1) * gutter) / page.columns / em + 1e-6)
    column = chars * em
    used = page.columns * column + (page.columns - 1) * gutter
    lines = math.floor((height - top - bottom) / pitch + 1e-6)
    return Grid(width, height, left + (available - used) / 2, top, page.columns, column,
                gutter, pitch, lines)


def lines_for(grid: Grid, size: float, leading: float = 1.2) -> int:
    """Grid lines a line of type at ``size`` pt takes: at least ``size × leading``."""
    return max(1, math.ceil(size * leading / grid.pitch - 1e-6))


def box_inset(grid: Grid, em: float, least: float) -> float:
    """Side inset of a box one column wide whose text is a whole number of ``em`` wide
    (inset at least ``least``)."""
    chars = math.floor((grid.column - 2 * least) / em + 1e-6)
    return (grid.column - chars * em) / 2
