"""Make-up of one article: measure the copy once, plan the columns, fill whole pages.

``make_up`` is called with a ``measure`` function that lays the print HTML out with
:func:`layout.makeup.measure.measuring_css` (the caller owns WeasyPrint and its sandbox).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Block, Diagnostic, Document, Sidebar
from ..settings import Settings
from .figures import Frame, body_blocks, line_range
from .flow import HEAD_TEXT, Flow, Item, fill
from .measure import Measured
from .plan import Plan, plan_page

NOTE_FIXED = 2  # grid lines of an editor's note besides its text: rules, margin
FREE_WARNING = 0.03  # a share of the last page left free that the build reports (L203)
SHRINK_SHARE = 0.5  # a last page emptier than this: try to set the story on one page fewer
MAX_REFITS = 3  # measuring layouts spent on fitting, at most
MAX_BOX = 20  # grid lines: a sidebar this short is kept whole in one column


@dataclass(frozen=True)
class Attempt:
    settings: Settings
    plan: Plan
    flow: Flow
    text: int  # column-lines of text (paragraphs), which change with the body size only

    @property
    def share(self) -> float:
        return self.plan.free_share


def make_up(doc: Document, settings: Settings,
            measure: Callable[[Plan, Settings], Measured], autofit: bool = True
            ) -> tuple[Plan, Settings, list[Diagnostic]]:
    """The make-up of ``doc``, and the settings it is set at.

    With ``autofit``, a story whose last page is not full is set again once or twice with
    the leading and then the body size moved within the preset's limits, towards filling
    its pages or one page fewer (every attempt is one measuring layout, no page render).
    """
    first = best = _attempt(doc, settings, measure)
    if autofit:
        tried = {_key(settings)}
        for _ in range(MAX_REFITS):
            if best.share <= FREE_WARNING:
                break
            target = best.flow.pages - 1 if (
                best.flow.pages > 1 and best.share > SHRINK_SHARE) else best.flow.pages
            candidate = _refit(best, target)
            if candidate is None or _key(candidate) in tried:
                break
            tried.add(_key(candidate))
            trial = _attempt(doc, candidate, measure)
            if (trial.flow.pages, trial.share) < (best.flow.pages, best.share):
                best = trial
        if first.flow.pages == best.flow.pages == 1 and best.share > FREE_WARNING:
            best = first  # too short to fill a page at the limits: a compact module as set
    diagnostics = []
    if best.share > FREE_WARNING:
        pages = best.flow.pages
        what = ("a compact module at the top of the page; the space is for other stories"
                if pages == 1 else f"at the foot of the last of {pages} pages")
        diagnostics.append(Diagnostic(
            "L203", doc.head_line,
            f"the story leaves {best.share:.0%} of its last page free ({what})"))
    return best.plan, best.settings, diagnostics


def _key(settings: Settings) -> tuple[float, float]:
    return settings.design.page.body_size, settings.design.page.leading


def _attempt(doc: Document, settings: Settings,
             measure: Callable[[Plan, Settings], Measured]) -> Attempt:
    plan = plan_page(doc, settings)
    measured = measure(plan, settings)
    grid = plan.grid
    frames = [f for group in plan.frames.values() for f in group]
    by_key = {f"l{f.figure.line}": f for f in frames}
    items = _items(doc, plan, measured)
    note = _note_lines(doc, plan, measured)
    before = {it.key: it.lines for it in items}
    items, flow = fill(items, grid.columns, grid.lines - measured.head - note, grid.lines)
    plan = _with_flow(doc, plan, items, flow, by_key, before, max(0, note - NOTE_FIXED))
    if flow.pages == 1:
        # One page: the body's columns as deep as planned, filled in turn (WeasyPrint's
        # balancing does not know where the make-up put the heads and photos).
        # (Should WeasyPrint need more, the build sets it again balanced: layout.app.article.)
        plan = dataclasses.replace(plan, body_lines=flow.capacities[0])
    share = flow.free() / (grid.columns * grid.lines)
    plan = dataclasses.replace(plan, free_share=share)
    text = sum(it.lines for it in items if it.kind == "text")
    return Attempt(settings, plan, flow, text)


def _refit(best: Attempt, pages: int) -> Settings | None:
    """Settings whose leading (then body size) should make the copy fill ``pages`` pages.

    Text lines keep their count when only the leading changes and grow with the body
    size; heads, photos and boxes keep their height in points.
    """
    page = best.settings.design.page
    grid = best.plan.grid
    columns = grid.columns
    used = sum(sum(u) for u in best.flow.used[:-1]) + sum(best.flow.used[-1])
    capacity = columns * (grid.lines * pages - (grid.lines - best.flow.first))
    other = (used - best.text) * grid.pitch  # column-points that do not scale
    room = capacity * grid.pitch - other
    if room <= 0 or best.text <= 0:
        return None
    leading = room / best.text / page.body_size
    low = page.min_leading or page.leading
    high = page.max_leading or page.leading
    if low <= leading <= high:
        return _with(best.settings, page.body_size, math.floor(leading * 100) / 100)
    leading = min(max(leading, low), high)
    # Text column-points go with the square of the body size (more lines, each taller).
    body = page.body_size * math.sqrt(room / (best.text * page.body_size * leading))
    body = min(max(body, page.min_body_size or page.body_size),
               page.max_body_size or page.body_size)
    return _with(best.settings, math.floor(body * 10) / 10, leading)


def _with(settings: Settings, body: float, leading: float) -> Settings:
    return settings.with_page(dataclasses.replace(settings.design.page, body_size=body,
                                                  leading=round(leading, 2)))


def _items(doc: Document, plan: Plan, measured: Measured) -> list[Item]:
    lines = measured.lines
    out: list[Item] = []

    def photos_after(line: int) -> None:
        for frame in plan.frames.get(line, ()):
            key = f"l{frame.figure.line}"
            _, most = line_range(plan.grid, frame.ratio, frame.photo)
            out.append(Item(key, "photo", lines.get(key, frame.lines + 2),
                            max(0, most - frame.lines), margin=1))

    for block in doc.lead:
        out.append(_block_item(block, lines))
        photos_after(block.line)
    for section in doc.sections:
        out.append(Item(f"l{section.line}", "head", lines.get(f"l{section.line}", 3),
                        margin=1))
        for block in section.blocks:
            out.append(_block_item(block, lines))
            photos_after(block.line)
    photos_after(-1)
    for sidebar in doc.sidebars:
        out += _sidebar_items(sidebar, lines)
    return out


def _sidebar_items(sidebar: Sidebar, lines: dict[str, int]) -> list[Item]:
    """A sidebar as the flow sees it: its top (space, rule, label) as a head, each
    paragraph of its entries as text, its foot (space, rule) as one line of text.  A
    sidebar that fits a column is one box."""
    key = f"l{sidebar.line}"
    total = lines.get(key, 1)
    paragraphs: list[Item] = []
    for entry in sidebar.entries:
        ids = [f"l{n}" for n in entry.lines] if entry.lines else []
        inside = [Item(i, "text", lines.get(i, 1)) for i in ids]
        rest = lines.get(f"e{entry.line}", 0) - sum(it.lines for it in inside)
        paragraphs += inside + ([Item(f"e{entry.line}", "text", rest)] if rest > 0 else [])
    top = total - sum(it.lines for it in paragraphs) - 1
    if top < 1 or total <= MAX_BOX:
        return [Item(key, "box", total, margin=1)]
    return [Item(key, "head", top, margin=1), *paragraphs, Item(f"{key}-foot", "text", 1)]


def _block_item(block: Block, lines: dict[str, int]) -> Item:
    """A paragraph; a lead-in is a head, a paragraph opening with a run-in head needs room
    for its first line and HEAD_TEXT more."""
    key = f"l{block.line}"
    if block.type == "lead_in":
        return Item(key, "lead", lines.get(key, 1))
    return Item(key, "text", lines.get(key, 1), opens=1 + HEAD_TEXT if block.run_in else 0)


def _note_lines(doc: Document, plan: Plan, measured: Measured) -> int:
    if not doc.editor_note:
        return 0
    text = measured.lines.get("editor-note", NOTE_FIXED) - NOTE_FIXED
    return math.ceil(text / plan.note_columns) + NOTE_FIXED


def _with_flow(doc: Document, plan: Plan, items: list[Item], flow: Flow,
               frames: dict[str, Frame], before: dict[str, int], note: int) -> Plan:
    """The plan with each photo's final height and its place in the flow: after the body
    block it follows, or at the end of the body (before the sidebar)."""
    blocks = {f"l{b.line}": b.line for b in body_blocks(doc)}
    heads = {f"l{s.line}" for s in doc.sections}
    grown = {it.key: it for it in items if it.kind == "photo"}
    placed: dict[int, list[Frame]] = {}
    after = 0  # 0: the start of the body; -1: its end; else the source line of a block
    for item in flow.order:
        if item.kind == "photo":
            frame = frames[item.key]
            extra = grown[item.key].lines - before[item.key]
            placed.setdefault(after, []).append(
                dataclasses.replace(frame, lines=frame.lines + extra))
        elif item.key in blocks:
            after = blocks[item.key]
        elif item.key not in heads:
            after = -1  # the sidebar's parts
    return dataclasses.replace(plan, frames=placed, column_breaks=frozenset(flow.column_breaks),
                               column_tops=frozenset(flow.column_tops), note_lines=note)
