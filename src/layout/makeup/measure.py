"""Measuring the copy cheaply: one WeasyPrint layout of the print HTML with every block
set at its column's width, one column, on one tall page.  Each block's height, in grid
lines, is what the make-up plans with; no page is rendered per candidate arrangement."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from .grid import Grid
from .linebreak import element_text, line_offsets

PX_PER_PT = 96 / 72
TALL = 40000  # pt: the measuring page is taller than any story's column of text


@dataclass(frozen=True)
class Measured:
    """Grid lines of each element with an id, and of the head and the boxes' texts;
    ``breaks``: for a block of text with an id, the offsets in its text (its text boxes,
    joined) where each line after the first starts."""

    lines: dict[str, int]
    head: int
    breaks: dict[str, tuple[int, ...]] = field(default_factory=dict)


def measuring_css(grid: Grid, note_column: float | None) -> str:
    """CSS that, added after the print CSS, sets each block once at its column's width
    (the editor's note at ``note_column``, or at the type area's width when None).

    The body and the note are not multi-column boxes here: WeasyPrint balances one by
    laying its content out again and again, which made this layout twice the final one.
    """
    note = f".editor-note {{ width: {note_column:.3f}pt; }}" if note_column else ""
    return note + f"""
@page {{ size: {grid.type_width:.3f}pt {TALL}pt; margin: 0; }}
.body, .editor-note {{ columns: auto !important; height: auto !important; }}
.head {{ width: {grid.type_width:.3f}pt; }}
.body {{ width: {grid.column:.3f}pt; }}
"""


def measure_blocks(document: Document, grid: Grid) -> Measured:
    """The heights in ``document``, laid out with :func:`measuring_css`."""
    lines: dict[str, int] = {}
    breaks: dict[str, tuple[int, ...]] = {}
    head = 0
    pitch_px = grid.pitch * PX_PER_PT
    for page in document.pages:
        for box, element in _blocks(page._page_box):
            height = round(box.margin_height() / pitch_px)
            eid = element.get("id")
            if eid:
                lines[eid] = lines.get(eid, 0) + height
                if _line_boxes(box):
                    breaks[eid] = line_starts(box)
            elif "head" in (element.get("class") or "").split():
                head += height
    return Measured(lines, head, breaks)


def _line_boxes(box: boxes.Box) -> list[boxes.LineBox]:
    return [c for c in getattr(box, "children", ()) if isinstance(c, boxes.LineBox)]


def _texts(box: boxes.Box) -> Iterator[str]:
    if isinstance(box, boxes.TextBox):
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def line_starts(box: boxes.Box) -> tuple[int, ...]:
    """Where each line box of a laid-out ``box`` after the first starts in its element's
    text (:func:`layout.makeup.linebreak.element_text`)."""
    return line_offsets(["".join(_texts(line)) for line in _line_boxes(box)],
                        element_text(box.element))


def _blocks(box: boxes.Box, owner: object = None) -> Iterator[tuple[boxes.Box, Element]]:
    """Block boxes of elements, each element once (a multi-column box repeats its element
    on its column boxes), with their elements."""
    element = box.element if isinstance(box, boxes.BlockBox) else None
    if element is not None and element is not owner and (
            box.element_tag and "::" not in box.element_tag):
        yield box, element
        owner = element
    for child in getattr(box, "children", ()):
        yield from _blocks(child, owner)


def overflowing(document: Document, limits: dict[str, int]) -> bool:
    """Whether a multi-column box of ``document`` (by class: at most ``limits[class]``
    columns) has more columns than it may: its copy overflowed the height it was given,
    and the extra columns stand beside the type area."""
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if not isinstance(box, boxes.BlockBox) or element is None:
                continue
            for name in (element.get("class") or "").split():
                if name in limits:
                    columns = [c for c in box.children if getattr(c, "element", None) is element]
                    if len(columns) > limits[name]:
                        return True
    return False
