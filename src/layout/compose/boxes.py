"""Boxes a page plan reserves (advertisements), apart from the search so that reading
layout.toml does not import the layout engine.

A box stands at a named place of the type area (top or bottom × left, centre or right) or
at a given column and line; the free area around the boxes is cut into rectangles for
the stories (:func:`free_regions`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

POSITIONS = ("bottom-right", "bottom-left", "bottom-centre", "top-right", "top-left",
             "top-centre")

Region = tuple[int, int, int, int]  # x, y, columns, lines (0-based grid cells)


@dataclass(frozen=True)
class FixedBox:
    """A box the page plan reserves (an advertisement): columns × lines, at a named
    position, or at ``column`` and ``line`` (1-based) when both are given."""

    label: str
    columns: int
    lines: int
    position: str = "bottom-right"  # one of POSITIONS; ignored at a given column and line
    column: int = 0
    line: int = 0

    def origin(self, columns: int, lines: int) -> tuple[int, int]:
        """The box's first column and line (0-based) on a grid of ``columns`` × ``lines``."""
        if self.column and self.line:
            return self.column - 1, self.line - 1
        vertical, horizontal = self.position.split("-")
        x = {"left": 0, "right": columns - self.columns,
             "centre": (columns - self.columns) // 2}[horizontal]
        return x, 0 if vertical == "top" else lines - self.lines

    def region(self, columns: int, lines: int) -> Region:
        return (*self.origin(columns, lines), self.columns, self.lines)


def misplaced(boxes: tuple[FixedBox, ...], columns: int, lines: int) -> str | None:
    """Why the boxes cannot stand on this grid (outside it, or overlapping), else None."""
    regions = [b.region(columns, lines) for b in boxes]
    for box, (x, y, w, h) in zip(boxes, regions, strict=True):
        if x < 0 or y < 0 or x + w > columns or y + h > lines:
            return (f"the box “{box.label}” ({w} columns × {h} lines at column {x + 1}, line "
                    f"{y + 1}) does not fit the type area of {columns} columns × {lines} lines")
    for (a, ra), (b, rb) in itertools.combinations(zip(boxes, regions, strict=True), 2):
        if _meet(ra, rb):
            return f"the boxes “{a.label}” and “{b.label}” overlap"
    return None


def _meet(a: Region, b: Region) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and (
        b[1] < a[1] + a[3])


def free_regions(area: Region, boxes: list[Region]) -> list[list[Region]]:
    """The ways to cut ``area`` less ``boxes`` into rectangles by straight cuts along the
    boxes' edges (each cut through the whole piece it divides), the rectangles in reading
    order (above before below, left before right); no box is cut.  Distinct cuttings
    only, in a fixed order."""
    inside = [b for b in boxes if _meet(area, b)]
    if not inside:
        return [[area]]
    if inside == [area]:
        return [[]]
    x, y, w, h = area
    out: list[list[Region]] = []
    cuts = sorted({b[1] for b in inside} | {b[1] + b[3] for b in inside})
    for at in cuts:  # across, at a line no box straddles
        if y < at < y + h and not any(b[1] < at < b[1] + b[3] for b in inside):
            top, bottom = (x, y, w, at - y), (x, at, w, y + h - at)
            out += [a + b for a, b in itertools.product(free_regions(top, inside),
                                                        free_regions(bottom, inside))]
    cuts = sorted({b[0] for b in inside} | {b[0] + b[2] for b in inside})
    for at in cuts:  # down, at a column no box straddles
        if x < at < x + w and not any(b[0] < at < b[0] + b[2] for b in inside):
            left, right = (x, y, at - x, h), (at, y, x + w - at, h)
            out += [a + b for a, b in itertools.product(free_regions(left, inside),
                                                        free_regions(right, inside))]
    return list(map(list, dict.fromkeys(map(tuple, out))))
