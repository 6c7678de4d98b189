"""Make-up of one article: measure the copy once, plan the columns, fill whole pages.

``make_up`` is called with a ``measure`` function that lays the print HTML out with
:func:`layout.makeup.measure.measuring_css` (the caller owns WeasyPrint and its sandbox).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import LayoutError
from ..forked import forked
from ..model import Block, Diagnostic, Document, Sidebar
from ..settings import Settings
from . import flow as flows
from .figures import SMALLER, TALLEST, Frame, body_blocks
from .flow import HEAD_TEXT, Flow, Item, bands, cuttable, fill, pour, spread, waste
from .grid import Grid
from .headline import width_em
from .measure import Measured
from .plan import NOTE_SETTINGS, NoteSetting, Plan, for_measuring, plan_page

NOTE_FIXED = 2  # grid lines of an editor's note besides its text: rules, margin
FREE_WARNING = 0.03  # a share of the last page left free that the build reports (L203)
SHRINK_SHARE = 0.5  # a last page emptier than this: try to set the story on one page fewer
MAX_REFITS = 3  # attempts at fitting, at most (only a new body size costs a measure)
FILLED = 3  # leadings, of the best as poured, filled and compared
MAX_BOX = 20  # grid lines: a sidebar this short is kept whole in one column
INDENT = 2  # em, a paragraph's first-line indent (style.css)
EVEN_TRIALS = 6  # other line counts a compact story is filled at, to even its feet
HEAD_SPACE = 1  # grid lines of space a head, lead-in or sidebar may get above it, to fill
# A compact story's module flatter than FLATTEST (its depth a share of its width) or of
# legs shallower than a column is wide, or one with a column left empty, or its feet
# uneven and no photo across columns (a story's photos set across columns stay where the
# page's flow evens them; a photo one column wide is one more column's copy), is set on
# fewer columns: the widest no flatter than UPRIGHT whose feet are even.
FLATTEST = 0.25
UPRIGHT = 0.5
MODULE_TRIALS = 3  # module widths measured, at most
FORK_WORTH = 0.02  # s of CPU: fills this slow are shared with a forked child (_filled_at)


@dataclass(frozen=True)
class Attempt:
    settings: Settings
    plan: Plan
    flow: Flow
    text: int  # column-lines of text (paragraphs), which change with the body size only
    measured: Measured
    narrow: bool = False  # every photo one column wide

    @property
    def share(self) -> float:
        return self.plan.free_share

    @property
    def columns(self) -> int | None:
        """The module's columns when narrower than the page (None: the page's)."""
        return self.plan.grid.columns if self.plan.page_grid else None

    @property
    def compact(self) -> bool:
        """Whether its headline ranks below a page's lead (plan_page's ``compact``)."""
        return self.plan.compact

    def rank(self, pages: int) -> tuple[bool, bool, int, int, float]:
        """Smaller is better: on ``pages`` pages, every head with its lines under it, the
        fewest lines left in bands across a page before the last (one column's), the
        fewest column-lines left empty, the larger leading."""
        return (self.flow.pages != pages, self.flow.stranded > 0, bands(self.flow),
                waste(self.flow), -self.settings.design.page.leading)


def make_up(doc: Document, settings: Settings,
            measure: Callable[[Plan, Settings], Measured], autofit: bool = True
            ) -> tuple[Plan, Settings, list[Diagnostic]]:
    """The make-up of ``doc``, and the settings it is set at.

    With ``autofit``, a story whose last page is not full is set again with the leading
    and then the body size moved within the preset's limits, towards filling its pages or
    one page fewer.  A new leading is predicted from the measure in hand; only a new body
    size costs a measuring layout (no page is rendered per attempt).
    """
    plans = _Plans(doc)
    best, diagnostics = _make_up(doc, settings, measure, autofit, plans, narrow=False)

    def worse(attempt: Attempt) -> tuple[int, bool, bool]:
        flow = attempt.flow
        return flow.pages, spread(flow) > 1, flow.stranded > 0

    if worse(best) > (1, False, False) and any(f.span > 1 for group in best.plan.frames.values()
                                        for f in group):
        # Photos across columns take more of the page and leave less text to even the
        # columns with: every photo one column wide, if that sets the story on fewer
        # pages, its last page's column feet flush or its heads with room below them.
        narrow, notes = _make_up(doc, settings, measure, autofit, plans, narrow=True)
        if worse(narrow) < worse(best):
            best, diagnostics = narrow, notes
    if bands(best.flow) and best.plan.frames:
        # On one column, photos as tall as half the type area may leave a band across a
        # page before the last (the next photo, or a head with its lines, does not fit
        # under the text) that no leading closes: a desk sets them smaller, at the
        # largest share of the page that leaves no band, on no more pages.
        for tallest in SMALLER:
            smaller, notes = _make_up(doc, settings, measure, autofit, _Plans(doc, tallest),
                                      narrow=False)
            if _banded(smaller) < _banded(best):
                best, diagnostics = smaller, notes
            if not bands(best.flow):
                break
    return best.plan, best.settings, diagnostics


def _banded(attempt: Attempt) -> tuple[bool, int, bool, bool, int]:
    """Smaller is better: no band across a page before the last (:func:`flow.bands`), the
    fewest pages, every head with its lines, the last page's feet even, the fewest lines
    in bands."""
    flow = attempt.flow
    return bands(flow) > 0, flow.pages, flow.stranded > 0, spread(flow) > 1, bands(flow)


def _make_up(doc: Document, settings: Settings,
             measure: Callable[[Plan, Settings], Measured], autofit: bool, plans: _Plans,
             narrow: bool) -> tuple[Attempt, list[Diagnostic]]:
    first = best = _attempt(doc, settings, measure, plans, narrow)
    if autofit:
        tried = {_key(settings)}
        for _ in range(MAX_REFITS):
            if best.share <= FREE_WARNING and waste(best.flow) <= 1:
                break  # full, at most a line left empty
            target = best.flow.pages - 1 if (
                best.flow.pages > 1 and best.share > SHRINK_SHARE) else best.flow.pages
            trial = _refit(doc, best, target, measure, plans, tried)
            if trial is None:
                break
            if _fuller(trial) < _fuller(best):
                best = trial
        if first.flow.pages == best.flow.pages == 1 and best.share > FREE_WARNING:
            # Too short to fill a page at the limits: a compact module as set (its
            # headline ranked below a page's lead when it leaves more than half the page
            # to other stories), at the leading nearest the style's that makes its feet
            # flush and its heads stand.
            if first.share > SHRINK_SHARE:
                first = _predicted(doc, first, first.settings.design.page.leading, plans,
                                   compact=True)
            best = _module(doc, _even_compact(doc, first, plans), measure, plans)
    diagnostics = []
    plan = best.plan
    if best.share > FREE_WARNING:
        pages = best.flow.pages
        # Recorded in the PDF: ``layout check`` leaves the band below the story alone.
        grid, flow = plan.grid, best.flow
        lines = flow.capacities[pages - 1] + (grid.lines - flow.first if pages == 1 else 0)
        plan = dataclasses.replace(plan, free_from=(
            pages, grid.top + lines * grid.pitch, grid.right if plan.page_grid else None))
        what = ("a compact module at the top of the page; the space is for other stories"
                if pages == 1 else f"at the foot of the last of {pages} pages")
        if plan.page_grid:
            what = (f"a module of {grid.columns} of its {plan.page.columns} columns at the "
                    "top left of the page; the space is for other stories")
        diagnostics.append(Diagnostic(
            "L203", doc.head_line,
            f"the story leaves {best.share:.0%} of its last page free ({what})"))
    return dataclasses.replace(best, plan=plan), diagnostics


def _fuller(attempt: Attempt) -> tuple[int, bool, int, int]:
    """How well a refit fills its pages (smaller is better): the fewest pages, every head
    with its lines under it, the fewest lines in bands (:func:`Attempt.rank`), the fewest
    column-lines left empty."""
    flow = attempt.flow
    return flow.pages, flow.stranded > 0, bands(flow), waste(flow)


def _even(flow: Flow) -> bool:
    """The last page's column feet within a line of each other, every head with room."""
    return spread(flow) <= 1 and not flow.stranded


def _even_compact(doc: Document, first: Attempt, plans: _Plans) -> Attempt:
    """``first``, a story on one page, else the same at the leading within the preset's
    limits nearest its own whose filled flow is even (:func:`_even`), if one is.  Leadings
    that give the same items (their lines and limits, predicted without measuring) are
    filled once, at most EVEN_TRIALS of them."""
    if _even(first.flow):
        return first
    page = first.settings.design.page
    own = page.leading
    low, high = page.min_leading or own, page.max_leading or own
    leadings = sorted((k / 100 for k in range(math.ceil(low * 100 - 1e-6),
                                              math.floor(high * 100 + 1e-6) + 1)),
                      key=lambda v: (abs(v - own), v))
    seen = {_items_of(first)}
    for leading in leadings:
        poured = _predicted(doc, first, leading, plans, filled=False)
        if poured.flow.pages > 1 or _items_of(poured) in seen:
            continue
        seen.add(_items_of(poured))
        trial = _predicted(doc, first, leading, plans)
        if trial.flow.pages == 1 and _even(trial.flow):
            return trial
        if len(seen) > EVEN_TRIALS:
            break
    return first


def _items_of(attempt: Attempt) -> tuple[Item, ...]:
    """What a one-page flow is made of: its items, their lines and limits (the page's
    depth does not matter: it is deep enough)."""
    return tuple(attempt.flow.order)


def _key(settings: Settings) -> tuple[float, float]:
    return settings.design.page.body_size, settings.design.page.leading


class _Plans:
    """The plans of one story at the settings its make-up tries, each made once (every
    leading's prediction, poured and then filled, asks for its own plan and the one as
    measured).  The settings tried differ in their body size and leading only."""

    def __init__(self, doc: Document, tallest: float = TALLEST) -> None:
        self.doc = doc
        self.tallest = tallest  # the share of the type area a photo may take (place_figures)
        self._made: dict[tuple[float, float, bool, int | None, bool], Plan] = {}
        # module widths whose headline may be broken between words (_module's last resort)
        self.words: set[int] = set()

    def __call__(self, settings: Settings, narrow: bool, columns: int | None = None,
                 compact: bool = False) -> Plan:
        """The plan at ``settings``; with ``narrow``, every photo one column wide; with
        ``columns``, a module of the page's first ``columns`` columns; ``compact``: a
        story shorter than the page (plan_page)."""
        key = (*_key(settings), narrow, columns, compact)
        plan = self._made.get(key)
        if plan is None:
            plan = plan_page(self.doc, settings, columns, columns in self.words, compact,
                             self.tallest)
            if narrow:
                plan = dataclasses.replace(plan, frames={
                    after: [f.narrowed(plan.grid) for f in group]
                    for after, group in plan.frames.items()})
            self._made[key] = plan
        return plan


def _attempt(doc: Document, settings: Settings,
             measure: Callable[[Plan, Settings], Measured], plans: _Plans,
             narrow: bool, columns: int | None = None, compact: bool = False) -> Attempt:
    plan = plans(settings, narrow, columns, compact)
    return _arrange(doc, settings, plan, measure(for_measuring(plan), settings), narrow)


def _arrange(doc: Document, settings: Settings, plan: Plan, measured: Measured,
             narrow: bool, filled: bool = True) -> Attempt:
    """The column flow of the measured copy on ``plan``'s grid, filled (or only poured,
    to rank candidates cheaply)."""
    grid = plan.grid
    body = settings.design.page.body_size
    note, note_setting = _note_lines(doc, plan, measured)
    first = grid.lines - measured.head - note
    items = _items(doc, plan, measured, body)
    frames = [f for group in plan.frames.values() for f in group]
    by_key = {f"l{f.figure.line}": f for f in frames}
    before = {it.key: it.lines for it in items}
    if filled:
        items, flow = fill(items, grid.columns, first, grid.lines)
    else:
        flow = pour(items, grid.columns, first, grid.lines)
    plan = _with_flow(doc, plan, items, flow, by_key, before, max(0, note - NOTE_FIXED))
    plan = dataclasses.replace(plan, note=note_setting)
    if flow.pages == 1:
        # One page: the body's columns as deep as planned, filled in turn (WeasyPrint's
        # balancing does not know where the make-up put the heads and photos).
        # (Should WeasyPrint need more, the build sets it again balanced: layout.app.article.)
        plan = dataclasses.replace(plan, body_lines=flow.capacities[0])
    if filled and cuttable(flow, measured.breaks):
        # Every page's columns as boxes holding what the flow planned for each.
        plan = dataclasses.replace(plan, breaks=measured.breaks,
                                   column_pages=flow.column_pages())
    # Of the page's type area: what the module leaves, and the columns beside it.
    share = (flow.free() + (plan.page.columns - grid.columns) * grid.lines) / (
        plan.page.columns * grid.lines)
    plan = dataclasses.replace(plan, free_share=share)
    text = sum(it.lines for it in items if it.kind == "text")
    return Attempt(settings, plan, flow, text, measured, narrow)


def _predicted(doc: Document, best: Attempt, leading: float, plans: _Plans,
               filled: bool = True, compact: bool | None = None) -> Attempt:
    """The attempt ``best`` would be at another leading (and, with ``compact``, its
    headline ranked so), without measuring again.

    Text keeps its line count when only the leading or the headline changes; what changes
    is the grid lines of the parts set at their own size (the headline's lines, the head
    group's, the section and sidebar titles) and of the photo frames, all of which the
    plan computes.
    """
    settings = _with(best.settings, best.settings.design.page.body_size, leading)
    # The plan as measured: before the fill moved its photos' heights.
    old = plans(best.settings, best.narrow, best.columns, best.compact)
    new = plans(settings, best.narrow, best.columns,
                best.compact if compact is None else compact)
    lines = dict(best.measured.lines)

    def moved(key: str) -> int:
        return new.heights[key] - old.heights[key]

    for section in doc.sections:
        key = f"l{section.line}"
        if key in lines:
            lines[key] += moved("section_title")
    for sidebar in doc.sidebars:
        key = f"l{sidebar.line}"
        if key in lines:
            lines[key] += moved("sidebar_title")
    frames = {f.figure.line: f for group in old.frames.values() for f in group}
    for group in new.frames.values():
        for frame in group:
            key = f"l{frame.figure.line}"
            if key in lines and frame.figure.line in frames:
                lines[key] += frame.lines - frames[frame.figure.line].lines
    head = best.measured.head + len(new.headline.lines) * new.headline_lines_each - len(
        old.headline.lines) * old.headline_lines_each
    head += sum(moved(k) for k, present in (("kicker", doc.kicker), ("subtitle", doc.subtitle),
                                            ("byline", doc.byline)) if present)
    return _arrange(doc, settings, new, Measured(lines, head, best.measured.breaks),
                    best.narrow, filled)


def _refit(doc: Document, best: Attempt, pages: int,
           measure: Callable[[Plan, Settings], Measured], plans: _Plans,
           tried: set[tuple[float, float]]) -> Attempt | None:
    """An attempt that should fill ``pages`` pages: the leading within the preset's limits
    whose predicted flow (:func:`_predicted`, no measuring) fills them best, else the body
    size moved towards filling them (measured), or None when there is nothing new to try.

    Text lines keep their count when only the leading changes and grow with the body
    size; heads, photos and boxes keep their height in points.
    """
    page = best.settings.design.page
    low = page.min_leading or page.leading
    high = page.max_leading or page.leading
    leadings = [k / 100 for k in range(math.ceil(low * 100 - 1e-6),
                                       math.floor(high * 100 + 1e-6) + 1)
                if (page.body_size, k / 100) not in tried]
    # Ranked as poured, the few best filled (a fill is a search of its own).
    poured = sorted((t for t in (_predicted(doc, best, v, plans, filled=False)
                                 for v in leadings)
                     if t.flow.pages <= pages), key=lambda t: t.rank(pages))
    fitting = _filled_at(doc, best, [t.settings.design.page.leading for t in poured[:FILLED]],
                         plans)
    if fitting:
        chosen = min(fitting, key=lambda t: t.rank(pages))
        if (chosen.share <= FREE_WARNING or page.min_body_size is None
                or bands(chosen.flow) < bands(best.flow)):
            tried.add(_key(chosen.settings))
            return chosen
    grid = best.plan.grid
    used = sum(sum(u) for u in best.flow.used[:-1]) + sum(best.flow.used[-1])
    capacity = grid.columns * (grid.lines * pages - (grid.lines - best.flow.first))
    other = (used - best.text) * grid.pitch  # column-points that do not scale
    room = capacity * grid.pitch - other
    if room <= 0 or best.text <= 0:
        return None
    leading = min(max(room / best.text / page.body_size, low), high)
    # Text column-points go with the square of the body size (more lines, each taller).
    body = page.body_size * math.sqrt(room / (best.text * page.body_size * leading))
    body = min(max(body, page.min_body_size or page.body_size),
               page.max_body_size or page.body_size)
    candidate = _with(best.settings, math.floor(body * 10) / 10, leading)
    if _key(candidate) in tried:
        return None
    tried.add(_key(candidate))
    return _attempt(doc, candidate, measure, plans, best.narrow, best.columns, best.compact)


def _filled_at(doc: Document, best: Attempt, leadings: list[float], plans: _Plans
               ) -> list[Attempt]:
    """``best`` predicted and filled at each of ``leadings``, in order.  When the first
    fill took FORK_WORTH seconds or more, the last ones are filled in a forked child
    meanwhile (layout.forked, where it may fork): the same attempts, sooner."""
    start = time.thread_time()
    made = [_predicted(doc, best, v, plans) for v in leadings[:1]]
    rest = leadings[1:]
    if len(rest) < 2 or time.thread_time() - start < FORK_WORTH:
        return made + [_predicted(doc, best, v, plans) for v in rest]
    half = len(rest) // 2
    with forked(_filled_each, doc, best, rest[half:], plans) as others:
        made += [_predicted(doc, best, v, plans) for v in rest[:half]]
        theirs, fills = others.result()
    for key, value, weight in fills:  # the next refit fills some of them again
        flows._FILLED.put(key, value, weight)
    return made + theirs


def _filled_each(doc: Document, best: Attempt, leadings: list[float], plans: _Plans
                 ) -> tuple[list[Attempt], list[tuple[Any, Any, int]]]:
    """The attempts filled at ``leadings``, and the fills remembered meanwhile."""
    known = flows._FILLED.keys()
    return [_predicted(doc, best, v, plans) for v in leadings], flows._FILLED.added(known)


def _module(doc: Document, compact: Attempt,
            measure: Callable[[Plan, Settings], Measured], plans: _Plans) -> Attempt:
    """A compact story as a desk sets it.

    ``compact`` itself when its module across the page is no flatter than FLATTEST nor its
    legs shallower than a column is wide (:func:`_shallow`), its columns all hold
    something and its feet are even (or it has a photo across columns).  Else a module
    of fewer columns at the top left of the page: first, when the module is deep enough
    but columns are left empty, as many columns as the copy fills; then those whose
    module is no flatter than UPRIGHT nor of shallow legs (predicted: its column-lines
    over fewer columns, its headline fitted to their width), widest first; then the others its
    headline fits, narrowest first.
    Each is measured and set at the leading that evens its feet, and kept if it stays on
    one page with even feet and every column filled (else the next, MODULE_TRIALS at
    most).  If none is, the same with the widths whose headline fits only in two lines
    broken between words (a headline with no clause to break it at, over a narrow
    module)."""
    grid = compact.plan.grid
    flat = _flat(compact.plan, compact, None, FLATTEST) or _shallow(compact.flow, grid)
    if compact.plan.page_grid or grid.columns < 2 or not (
            flat or not _filled(compact.flow) or not (_even(compact.flow)
                                                      or _across(compact.plan))):
        return compact
    trial, unfit = _narrower(doc, compact, measure, plans, list(range(grid.columns - 1, 0, -1)),
                             flat)
    if trial is None and unfit:
        plans.words.update(unfit)
        trial, _ = _narrower(doc, compact, measure, plans, unfit, flat)
    return trial or compact


def _narrower(doc: Document, compact: Attempt, measure: Callable[[Plan, Settings], Measured],
              plans: _Plans, widths: list[int], flat: bool) -> tuple[Attempt | None, list[int]]:
    """:func:`_module`'s trials of ``widths`` (columns, widest first): the first that
    is one page with even feet and every column filled, if one is; and the widths whose
    headline does not fit."""
    grid = compact.plan.grid
    fitting, unfit = [], []
    for k in widths:
        try:
            plan = plans(compact.settings, compact.narrow, k)
        except LayoutError:
            unfit.append(k)  # its headline does not fit k columns
            continue
        fitting.append((k, plan))
    upright = [k for k, plan in fitting
               if not _flat(plan, compact, k, UPRIGHT) and not _shallow_at(compact, k)]
    order = upright + [k for k, _ in reversed(fitting) if k not in upright]
    filled = _filled_columns(compact.flow)
    if not flat and filled < grid.columns and filled in order:
        order.remove(filled)
        order.insert(0, filled)  # first, as wide as the columns the copy fills
    for k in order[:MODULE_TRIALS]:
        trial = _attempt(doc, compact.settings, measure, plans, compact.narrow, k)
        if trial.flow.pages == 1:
            trial = _even_compact(doc, trial, plans)
            if trial.flow.pages == 1 and _even(trial.flow) and _filled(trial.flow):
                return trial, unfit  # one page, feet even, no column of the module left empty
    return None, unfit


def _across(plan: Plan) -> bool:
    """Whether a photo of ``plan`` spans columns (the page's flow evens the feet beside
    it; a photo one column wide is one more column's copy, which fewer columns even)."""
    return any(f.span > 1 for group in plan.frames.values() for f in group)


def _shallow(flow: Flow, grid: Grid) -> bool:
    """Whether a one-page flow's columns (its legs, with the photos at their heads) are all
    less deep than a column is wide: a strip of short legs under its head group, which a
    desk sets on fewer columns, however deep the head group makes the module."""
    deepest = max(u + flow.reserved.get((0, c), 0) for c, u in enumerate(flow.used[0]))
    return deepest * grid.pitch < grid.column


def _shallow_at(compact: Attempt, columns: int) -> bool:
    """Whether ``compact``'s column-lines (text and photos) over ``columns`` columns would
    make legs shallower than a column is wide (predicted, as :func:`_flat`)."""
    flow, grid = compact.flow, compact.plan.grid
    lines = sum(flow.used[0]) + sum(v for (p, _), v in flow.reserved.items() if p == 0)
    return math.ceil(lines / columns) * grid.pitch < grid.column


def _filled_columns(flow: Flow) -> int:
    """Columns of a one-page flow that hold something (text, or a photo across them)."""
    return sum(1 for c, used in enumerate(flow.used[0]) if used or flow.reserved.get((0, c)))


def _filled(flow: Flow) -> bool:
    return _filled_columns(flow) == flow.columns


def _flat(plan: Plan, compact: Attempt, columns: int | None, least: float) -> bool:
    """Whether ``compact``'s copy set on ``plan`` (its module's ``columns``; None: as
    set) makes a module less deep than ``least`` of its width: its head group (the
    headline as ``plan`` fits it) and its column-lines over the module's columns."""
    grid, old = plan.grid, compact.plan
    head = compact.measured.head + len(plan.headline.lines) * plan.headline_lines_each - (
        len(old.headline.lines) * old.headline_lines_each)
    used = sum(compact.flow.used[0])
    depth = head + old.note_lines + math.ceil(used / (columns or grid.columns))
    return depth * grid.pitch < least * grid.type_width


def _with(settings: Settings, body: float, leading: float) -> Settings:
    return settings.with_page(dataclasses.replace(settings.design.page, body_size=body,
                                                  leading=round(leading, 2)))


def _items(doc: Document, plan: Plan, measured: Measured, em: float) -> list[Item]:
    lines = measured.lines
    chars = plan.grid.column / em  # a column's width in body characters
    out: list[Item] = []

    def photos_after(line: int) -> None:
        for frame in plan.frames.get(line, ()):
            key = f"l{frame.figure.line}"
            least, most = frame.line_range(plan.grid)
            out.append(Item(key, "photo", lines.get(key, frame.lines + 2),
                            max(0, most - frame.lines), max(0, frame.lines - least),
                            margin=1, span=frame.span))

    for block in doc.lead:
        out.append(_block_item(block, lines, chars))
        photos_after(block.line)
    for section in doc.sections:
        out.append(Item(f"l{section.line}", "head", lines.get(f"l{section.line}", 3),
                        grow=HEAD_SPACE, margin=1))
        for block in section.blocks:
            out.append(_block_item(block, lines, chars))
            photos_after(block.line)
    photos_after(-1)
    for sidebar in doc.sidebars:
        out += _sidebar_items(sidebar, lines)
    return out


def _sidebar_items(sidebar: Sidebar, lines: dict[str, int]) -> list[Item]:
    """A sidebar as the flow sees it: its top (space, rule, label) as a head, each
    paragraph of its entries as text (with room for a line of space between entries),
    its foot (space, rule) as one line of text.  A sidebar that fits a column is one
    box."""
    key = f"l{sidebar.line}"
    total = lines.get(key, 1)
    paragraphs: list[Item] = []
    for k, entry in enumerate(sidebar.entries):
        ids = [f"l{n}" for n in entry.lines] if entry.lines else []
        inside = [Item(i, "text", lines.get(i, 1), body=False) for i in ids]
        rest = lines.get(f"e{entry.line}", 0) - sum(it.lines for it in inside)
        if k:  # a line of space between entries, if the columns need it
            paragraphs.append(Item(f"e{entry.line}", "space", 0, grow=HEAD_SPACE,
                                   body=False))
        paragraphs += inside + ([Item(f"e{entry.line}-end", "text", rest, body=False)]
                                if rest > 0 else [])
    top = total - sum(it.lines for it in paragraphs) - 1
    if top < 1 or total <= MAX_BOX:
        return [Item(key, "box", total, grow=HEAD_SPACE, margin=1)]
    return [Item(key, "head", top, grow=HEAD_SPACE, margin=1), *paragraphs,
            Item(f"{key}-foot", "text", 1, body=False)]


def _block_item(block: Block, lines: dict[str, int], chars: float) -> Item:
    """A paragraph; a lead-in is a head, a paragraph opening with a run-in head needs room
    for the run-in's lines (after the 2 em indent) and HEAD_TEXT more."""
    key = f"l{block.line}"
    if block.type == "lead_in":
        return Item(key, "lead", lines.get(key, 1), grow=HEAD_SPACE)
    run_in = 0
    if block.run_in:
        run_in = math.ceil((INDENT + width_em(block.run_in)) / chars - 1e-9)
    return Item(key, "text", lines.get(key, 1), opens=run_in + HEAD_TEXT if run_in else 0)


def _note_lines(doc: Document, plan: Plan, measured: Measured) -> tuple[int, NoteSetting]:
    """Grid lines of the editor's note, and the setting whose lines fill its columns most
    evenly (its last column at most a line short, if any does; then the style's own)."""
    if not doc.editor_note:
        return 0, plan.note
    options = [(measured.lines.get("editor-note", NOTE_FIXED) - NOTE_FIXED, plan.note)]
    options += [(measured.lines[f"editor-note-v{k}"] - NOTE_FIXED, setting)
                for k, setting in enumerate(NOTE_SETTINGS)
                if f"editor-note-v{k}" in measured.lines]
    n = plan.note_columns

    def short(text: int) -> int:
        return -text % n  # lines the last column is short by

    text, setting = min(options, key=lambda o: (short(o[0]) > 1, math.ceil(o[0] / n),
                                                short(o[0])))
    return math.ceil(text / n) + NOTE_FIXED, setting


def _with_flow(doc: Document, plan: Plan, items: list[Item], flow: Flow,
               frames: dict[str, Frame], before: dict[str, int], note: int) -> Plan:
    """The plan with each photo's final height and its place in the flow: after the body
    block it follows, or at the end of the body (before the sidebar)."""
    blocks = {f"l{b.line}": b.line for b in body_blocks(doc)}
    heads = {f"l{s.line}" for s in doc.sections}
    grown = {it.key: it for it in items if it.kind == "photo"}
    space = {it.key: it.margin for it in items
             if it.kind in ("head", "lead", "box", "space") and it.lines > before[it.key]}
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
                               column_tops=frozenset(flow.column_tops), note_lines=note,
                               space=space)
