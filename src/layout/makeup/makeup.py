"""Make-up of one article: measure the copy once, plan the columns, fill whole pages.

``make_up`` is called with a ``measure`` function that lays the print HTML out with
:func:`layout.makeup.measure.measuring_css` (the caller owns WeasyPrint and its sandbox).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from ..model import Diagnostic, Document
from ..settings import Settings
from .figures import Frame, wanted_lines
from .flow import Flow, Item, fill
from .measure import Measured
from .plan import Plan, plan_page

NOTE_FIXED = 2  # grid lines of an editor's note besides its text: rules, margin
FREE_WARNING = 0.03  # a share of the last page left free that the build reports (L203)


def make_up(doc: Document, settings: Settings, measure: Callable[[Plan], Measured]
            ) -> tuple[Plan, list[Diagnostic]]:
    plan = plan_page(doc, settings)
    measured = measure(plan)
    grid = plan.grid
    frames = [f for group in plan.frames.values() for f in group]
    by_key = {f"l{f.figure.line}": f for f in frames}
    items = _items(doc, plan, measured)
    note = _note_lines(doc, plan, measured)
    before = {it.key: it.lines for it in items}
    items, flow = fill(items, grid.columns, grid.lines - measured.head - note, grid.lines)
    plan = _with_flow(plan, items, flow, by_key, before, max(0, note - NOTE_FIXED))
    if flow.pages == 1:
        # One page: the body's columns as deep as planned, filled in turn (WeasyPrint's
        # balancing does not know where the make-up put the heads and photos).
        plan = dataclasses.replace(plan, body_lines=flow.capacities[0])
    share = flow.free() / (grid.columns * grid.lines)
    plan = dataclasses.replace(plan, free_share=share)
    diagnostics = []
    if share > FREE_WARNING:
        where = "the page" if flow.pages == 1 else f"the last of {flow.pages} pages"
        diagnostics.append(Diagnostic(
            "L203", doc.byline.line if doc.byline else 1,
            f"the story leaves {share:.0%} of {where} free (a compact module at the top; "
            "the space is for other stories)"))
    return plan, diagnostics


def _items(doc: Document, plan: Plan, measured: Measured) -> list[Item]:
    lines = measured.lines
    out: list[Item] = []

    def photos_after(line: int) -> None:
        for frame in plan.frames.get(line, ()):
            key = f"l{frame.figure.line}"
            least, most = wanted_lines(plan.grid, frame.ratio)
            out.append(Item(key, "photo", lines.get(key, frame.lines + 2),
                            max(0, most - frame.lines), margin=1))

    for block in doc.lead:
        out.append(_block_item(block.type, f"l{block.line}", lines))
        photos_after(block.line)
    for section in doc.sections:
        out.append(Item(f"l{section.line}", "head", lines.get(f"l{section.line}", 3),
                        margin=1))
        for block in section.blocks:
            out.append(_block_item(block.type, f"l{block.line}", lines))
            photos_after(block.line)
    photos_after(-1)
    out += [Item(f"l{sb.line}", "box", lines.get(f"l{sb.line}", 1), margin=1)
            for sb in doc.sidebars]
    return out


def _block_item(kind: str, key: str, lines: dict[str, int]) -> Item:
    return Item(key, "lead" if kind == "lead_in" else "text", lines.get(key, 1))


def _note_lines(doc: Document, plan: Plan, measured: Measured) -> int:
    if not doc.editor_note:
        return 0
    text = measured.lines.get("editor-note", NOTE_FIXED) - NOTE_FIXED
    return math.ceil(text / plan.note_columns) + NOTE_FIXED


def _with_flow(plan: Plan, items: list[Item], flow: Flow, frames: dict[str, Frame],
               before: dict[str, int], note: int) -> Plan:
    """The plan with each photo's final height and its place in the flow."""
    grown = {it.key: it for it in items if it.kind == "photo"}
    placed: dict[int, list[Frame]] = {}
    after = 0  # 0: the start of the body; else the source line of the block before
    for item in flow.order:
        if item.kind in ("text", "lead"):
            after = int(item.key[1:])
        elif item.kind == "photo":
            frame = frames[item.key]
            extra = grown[item.key].lines - before[item.key]
            placed.setdefault(after, []).append(
                dataclasses.replace(frame, lines=frame.lines + extra))
    return dataclasses.replace(plan, frames=placed, column_breaks=frozenset(flow.column_breaks),
                               column_tops=frozenset(flow.column_tops), note_lines=note)
