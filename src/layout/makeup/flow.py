"""The column flow, planned in grid lines before WeasyPrint sets it.

The measured copy (:mod:`layout.makeup.measure`) is a sequence of items: section heads,
paragraphs (split between columns at any line, at least ``KEEP`` lines on each side, as the
CSS's orphans and widows ask), and photo frames (never split).  :func:`simulate` pours
them into the columns of successive pages as WeasyPrint will, with two rules of make-up:

- a photo that does not fit the rest of a column waits for the next paragraph end where it
  fits (the text moves up past it), so no column ends in a hole above a photo; beside
  other columns it fits only with KEEP lines of text under it, so no column's text ends
  above a photo at its foot, short of the other columns' feet;
- a head needs ``HEAD_TEXT`` lines of its text below it in its column, else it starts the
  next column (``break-before: column``), and the lines left free are a gap.

:func:`fill` then makes the arrangement fill whole pages, its column feet flush: photos
are made taller or shorter by whole lines within their crop limits, and heads get a line
more space above them, until no such step closes more gaps or free lines.  What cannot be
filled is reported as the page's free share.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from ..memo import Hashed, Memo

KEEP = 2  # orphans and widows
HEAD_TEXT = 3  # lines of text a head needs below it in its column
FILL_WORK = 40_000  # item-pours the fill's hill climb may spend (see fill)
MIN_POURS = 20
MAX_SHIFT = 2  # paragraphs a photo may move from where it was placed, to fill columns
EVEN_DEPTH = 3  # lines a last page may be made deeper to even its column feet
# What stacking photos across columns at the head of the same columns costs a placement
# (photo_places), against one column of distance from the paragraph that names it: two
# are fine if nothing else is free, three are what a desk would spread out.
STACKED = {1: 0, 2: 2}
STACKED_MORE = 100
BACKWARDS = 3  # a photo set left of the one before it on its page (against reading order)
FULL_PAGE = 0.75  # share of its depth a page's columns need for its photos to be spread
PLACINGS = 3  # the best placings of photos across columns the fill tries, in turn
MEMO_ITEMS = 100_000  # items, summed over the pours remembered (the sample's: 1,500 pours)
# grid lines of space under a photo's caption as measured (.figure's margin, page.css)
PHOTO_FOOT = 1
MEMO_FILLS = 20_000  # items, summed over the fills remembered (a 6-page book's: 7 fills)


@dataclass(frozen=True)
class Item:
    """One thing in the column flow, ``lines`` grid lines tall."""

    key: str  # element id; a photo's is its figure's
    # "head" (section head), "lead" (lead-in), "text", "photo", "box" (sidebar), "space"
    # (space above a sidebar's entry: none, or a line the make-up may give it)
    kind: str
    lines: int
    grow: int = 0  # lines it may still grow by: a photo within its crop, a head's space
    shrink: int = 0  # lines it may still lose: a photo within its crop, a head's space
    margin: int = 0  # lines of space above it, dropped at the top of a column
    opens: int = 0  # text opening with a run-in head: lines of room it needs to start
    body: bool = True  # a part of the body's text (a photo may move past it), not a sidebar's
    span: int = 1  # columns a photo spans


@dataclass(frozen=True)
class Across:
    """A photo across ``span`` columns from ``column`` on ``page``: it takes ``lines`` grid
    lines (the frame, the caption, a line of space) from ``top`` (a grid line of the
    page's columns) in each; the text of those columns runs below it."""

    key: str
    page: int
    column: int
    span: int
    top: int
    lines: int


Places = Mapping[str, tuple[int, int]]  # a photo's key -> (page, first column)
# A flow's rank for the fill (:func:`_score`): smaller is better.
Score = tuple[int, int, bool, int, int, int]


class Slot(NamedTuple):
    """What one column holds of an item: its lines [first, last) of ``lines``."""

    key: str
    kind: str
    first: int
    last: int
    lines: int

    @property
    def whole(self) -> bool:
        return self.first == 0 and self.last == self.lines


# A Slot's fields as the flow keeps them while it pours: a plain tuple, the flow's most
# frequent object (thousands per story; a tuple of strings and numbers is cheaper to make
# than a Slot, and the collector stops following it).
Part = tuple[str, str, int, int, int]


@dataclass(frozen=True)
class ColumnPage:
    """One page of the body as boxes: its columns' depth in grid lines, what each column
    holds, the lines photos across columns take at the head of each, and those photos."""

    depth: int
    columns: tuple[tuple[Slot, ...], ...]
    tops: tuple[int, ...]
    across: tuple[Across, ...]


@dataclass
class Flow:
    """Where the items went: per page, per column, the keys in order."""

    columns: int
    first: int  # lines per column on page 1 (under the head), and on later pages
    rest: int
    capacities: list[int]  # lines per column, per page, as poured
    order: list[Item] = field(default_factory=list)  # HTML order (photos moved)
    column_breaks: set[str] = field(default_factory=set)  # keys that start a column
    column_tops: set[str] = field(default_factory=set)  # keys set without their margin
    gaps: list[tuple[int, int, int, str]] = field(default_factory=list)  # page, col, lines, key
    used: list[list[int]] = field(default_factory=list)  # lines used per page per column
    photo_column: dict[str, tuple[int, int]] = field(default_factory=dict)
    slots: list[list[list[Part]]] = field(default_factory=list)  # per page, per column
    across: list[Across] = field(default_factory=list)  # photos across columns
    # lines photos across columns take at the head of a column: (page, column) -> lines
    reserved: dict[tuple[int, int], int] = field(default_factory=dict)
    stranded: int = 0  # heads set in a column without HEAD_TEXT lines of room below them

    @property
    def pages(self) -> int:
        return len(self.used)

    def column_pages(self) -> tuple[ColumnPage, ...]:
        """The flow as the column boxes of each page (:mod:`layout.makeup.columns`)."""
        out = []
        for p, columns in enumerate(self.slots):
            out.append(ColumnPage(self.capacities[p],
                                  tuple(tuple(Slot._make(s) for s in c) for c in columns),
                                  tuple(self.reserved.get((p, c), 0)
                                        for c in range(self.columns)),
                                  tuple(a for a in self.across if a.page == p)))
        return tuple(out)

    def free(self) -> int:
        """Column-lines left empty on the last page (of its whole depth)."""
        depth = self.first if len(self.used) == 1 else self.rest
        return sum(depth - u for u in self.used[-1])


@dataclass
class _Mark:
    """:func:`simulate`'s state at the start of item ``index``, to pour the rest from: the
    same for every depth of the pages after its own (see :func:`_mark`)."""

    index: int
    flow: Flow
    page: int
    col: int
    used: int
    limit: int
    pending: list[Item]
    fixed: dict[str, Across]

    def flow_for(self, capacities: list[int]) -> Flow:
        """A copy of the flow so far, to go on into pages of ``capacities``: what the pour
        from here changes is copied (the columns of pages left behind are never)."""
        old = self.flow
        flow = Flow.__new__(Flow)
        flow.__dict__.update(old.__dict__)
        flow.capacities = list(capacities)
        flow.order, flow.gaps, flow.across = list(old.order), list(old.gaps), list(old.across)
        flow.column_breaks, flow.column_tops = set(old.column_breaks), set(old.column_tops)
        flow.used = [list(u) for u in old.used]
        flow.slots = [*old.slots[:self.page], [list(c) for c in old.slots[self.page]]]
        flow.photo_column, flow.reserved = dict(old.photo_column), dict(old.reserved)
        return flow


@dataclass
class _Watch:
    """What a pass at full depth notes for the pours that follow it: the page each item
    starts on, and its state at the start of item ``at`` (a guess at where they part,
    :func:`_mark`; the last pour's, :data:`_PARTED`)."""

    at: int
    starts: list[int] = field(default_factory=list)
    mark: _Mark | None = None


# Where the last pour on several pages parted (an item's index): a guess that is right
# for most pours of a fill, which differ from each other by a line or two.  It saves
# time only: any mark before the last page gives the same flows.
_PARTED = [0]


def simulate(items: list[Item], columns: int, capacities: list[int], rest: int,
             short: int = 0, places: Places | None = None, mark: _Mark | None = None,
             watch: _Watch | None = None) -> Flow:
    """Pour ``items`` into columns of ``capacities[p]`` lines on page p (``rest`` after);
    the last ``short`` columns of the last page given a line shorter; the photos across
    columns that ``places`` names at the head of the columns it gives them (in their
    order, each below those before it), the text running below them.  With ``mark``,
    from there (:func:`_mark`); with ``watch``, noting what it asks."""
    flow = _simulate(items, columns, capacities, rest, short, places, mark, None, watch)
    assert isinstance(flow, Flow)
    return flow


def _mark(items: list[Item], columns: int, first: int, rest: int, places: Places | None,
          watch: _Watch, pages: int) -> _Mark | None:
    """Where pours of ``items`` on ``pages`` pages (``watch``: their pass at full depth)
    part ways, whatever the depth of their last page: at the start of the last item begun
    before it.  None when there is no such item or when something was already reserved on
    the last page (a photo across columns sent there, or given a place there: that
    depends on its depth)."""
    begun = [k for k, page in enumerate(watch.starts) if page < pages - 1]
    if not begun:
        return None
    mark = watch.mark
    if mark is None or mark.index != begun[-1]:
        _PARTED[0] = begun[-1]
        found = _simulate(items, columns, [first], rest, 0, places, None, begun[-1], None)
        assert isinstance(found, _Mark)
        mark = found
    if any(p >= pages - 1 for p, _ in mark.flow.reserved):
        return None
    return mark


def _simulate(items: list[Item], columns: int, capacities: list[int], rest: int,
              short: int, places: Places | None, mark: _Mark | None, until: int | None,
              watch: _Watch | None) -> Flow | _Mark:
    """:func:`simulate`; with ``until``, the state at the start of that item instead."""
    fixed: dict[str, Across] = {}
    if mark is not None:
        flow = mark.flow_for(capacities)
        page, col, used, limit = mark.page, mark.col, mark.used, mark.limit
        pending = list(mark.pending)
        fixed, begin = mark.fixed, mark.index
    else:
        flow = Flow(columns, capacities[0], rest, list(capacities))
        page, col, used, begin = 0, 0, 0, 0
        flow.used = [[0] * columns]
        flow.slots = [[[] for _ in range(columns)]]
        pending = []
    reserved = flow.reserved

    def capacity(p: int) -> int:
        return flow.capacities[p] if p < len(flow.capacities) else rest

    given = places or {}
    for item in items if mark is None and given else ():
        if item.kind == "photo" and item.span > 1 and item.key in given:
            p, c = given[item.key]
            lines = item.lines - item.margin
            heads = {reserved.get((p, j), 0) for j in range(c, c + item.span)}
            head = max(heads)
            if len(heads) == 1 and c + item.span <= columns and head + lines <= capacity(p):
                fixed[item.key] = Across(item.key, p, c, item.span, head, lines)
                for j in range(c, c + item.span):
                    reserved[(p, j)] = head + lines
    if mark is None:
        limit = flow.capacities[0] - reserved.get((0, 0), 0)  # lines of the current column

    def next_column() -> None:
        nonlocal page, col, used, limit
        flow.used[page][col] = used
        col += 1
        used = 0
        if col == columns:
            page, col = page + 1, 0
            flow.used.append([0] * columns)
            flow.slots.append([[] for _ in range(columns)])
            if page >= len(flow.capacities):
                flow.capacities.append(rest)
        limit = flow.capacities[page] - reserved.get((page, col), 0) - (
            1 if page == len(capacities) - 1 and col >= columns - short else 0)

    def place_across(item: Item) -> None:
        """A photo across columns: at the head of ``span`` columns from this one (if no
        text is in it yet, else from the next) on this page, where the fewest lines are
        taken at their head (below the photos there: each column's the same), else on the
        next page with room; the text of those columns runs below it.  (At a column's
        foot it would end the column's text above its frame, and ``layout check`` counts
        the column's foot there.)"""
        nonlocal limit
        if item.key in fixed:  # its place given: reserved before pouring
            flow.across.append(fixed[item.key])
            flow.photo_column[item.key] = (page, col)
            flow.order.append(item)
            return
        lines, span = item.lines - item.margin, item.span
        p, first = page, col + (1 if used else 0)
        while True:
            # the first of the columns whose heads are taken alike and least, with room
            room, head, c = capacity(p) - lines, 0, -1
            for k in range(first, columns - span + 1):
                h = reserved.get((p, k), 0)
                if h <= room and (c < 0 or h < head) and all(
                        reserved.get((p, j), 0) == h for j in range(k + 1, k + span)):
                    head, c = h, k
            if c >= 0:
                break
            p, first = p + 1, 0
        for j in range(c, c + span):
            reserved[(p, j)] = head + lines
        if p == page and c <= col < c + span:
            limit -= lines
        flow.across.append(Across(item.key, p, c, span, head, lines))
        flow.photo_column[item.key] = (page, col)
        flow.order.append(item)

    def start(item: Item) -> None:
        """Set a head or photo; at the top of a column it starts the column, no margin."""
        nonlocal used
        if used == 0 and item.margin:
            flow.column_breaks.add(item.key)
            flow.column_tops.add(item.key)
            used += item.lines - item.margin
        else:
            used += item.lines
        flow.order.append(item)
        flow.slots[page][col].append((item.key, item.kind, 0, item.lines, item.lines))

    def place_photo(item: Item) -> None:
        if item.span > 1 and item.lines - item.margin <= rest:
            place_across(item)
            return
        if item.lines > limit - used and used:
            # (only a photo still waiting at the story's end: the rest of the column is
            # left empty above it, a gap like any other; below text, its margin too needs
            # room)
            flow.gaps.append((page, col, limit - used, item.key))
            next_column()
        flow.photo_column[item.key] = (page, col)
        start(item)
        if used >= limit:
            next_column()

    def room_for(item: Item) -> bool:
        """Whether a photo or box in one column fits the rest of the column (beside other
        columns, a photo with KEEP lines of text below it: a column ended by a photo has
        its text's foot above it, short of the other columns' feet)."""
        keep = KEEP if item.kind == "photo" and columns > 1 else 0
        return item.lines + keep <= limit - used

    def place_pending() -> None:
        while pending and (pending[0].span > 1 or room_for(pending[0]) or used == 0):
            place_photo(pending.pop(0))

    for index in range(begin, len(items)):
        item = items[index]
        if index == until:
            return _Mark(index, flow, page, col, used, limit, list(pending), fixed)
        if watch is not None:
            watch.starts.append(page)
            if index == watch.at:
                held = _Mark(index, flow, page, col, used, limit, list(pending), fixed)
                watch.mark = replace(held, flow=held.flow_for(flow.capacities))
        if item.kind == "box" and item.lines - item.margin > rest:
            item = replace(item, kind="text")  # a box taller than a column is split
        if item.kind in ("photo", "box"):
            if pending or (item.span == 1 and not room_for(item)):
                pending.append(item)
            else:
                place_photo(item)
            continue
        if item.kind in ("head", "lead", "space"):
            room = limit - used
            # a head needs HEAD_TEXT lines of text under it, a space KEEP
            need = item.lines + (HEAD_TEXT if item.kind != "space" else KEEP)
            if used and item.lines and room < need:
                flow.gaps.append((page, col, room, item.key))
                next_column()
                flow.column_breaks.add(item.key)
            if item.kind != "space" and item.lines and limit - used < need:
                flow.stranded += 1  # a column too shallow for a head and its text
            start(item)
            continue
        # text: split between columns, KEEP lines at least on either side
        if used and limit - used < item.opens:
            flow.gaps.append((page, col, limit - used, item.key))
            next_column()
            flow.column_breaks.add(item.key)
        flow.order.append(item)
        left = item.lines
        column = flow.slots[page][col]
        under = bool(column) and column[-1][1] in ("head", "lead")  # its head's text
        while left:
            room = limit - used
            take = -1  # the lines this column takes (none: -1)
            if left <= room:
                take = left
            elif room >= KEEP and left - room >= KEEP:
                take = room
            elif room >= KEEP and left - KEEP >= KEEP:
                # a widow's room: the last KEEP lines go on, what is left of the room stays
                flow.gaps.append((page, col, room - (left - KEEP), item.key))
                take = left - KEEP
            elif used == 0 and limit >= rest:
                # a whole column, as deep as any to come, too shallow for the widow and
                # orphan rules: it takes what it can, else the flow would never move on
                take = room
            elif room:
                flow.gaps.append((page, col, room, item.key))
            if take >= 0:
                done = item.lines - left
                flow.slots[page][col].append((item.key, item.kind, done, done + take,
                                              item.lines))
                left -= take
                used += take
            if not left:
                break
            if under and item.lines - left < HEAD_TEXT:
                flow.stranded += 1  # the head above it keeps fewer than HEAD_TEXT lines
            under = False
            next_column()
        if used >= limit:
            next_column()
        if pending:
            place_pending()
    for item in pending:
        place_photo(item)
    flow.used[page][col] = used
    for (p, c), head in sorted(reserved.items()):
        while p >= len(flow.used):  # a page holding photos only (the fill avoids it)
            flow.used.append([0] * columns)
            flow.slots.append([[] for _ in range(columns)])
            flow.capacities.append(rest)
        flow.used[p][c] += head
    while len(flow.used) > 1 and not any(flow.used[-1]):
        flow.used.pop()
        flow.slots.pop()
    return flow


def pour(items: list[Item], columns: int, first: int, rest: int,
         places: Places | None = None) -> Flow:
    """:func:`_pour`, remembered: the make-up pours the same items many times (the fill's
    climb comes back to an arrangement it tried, each leading's fill starts from the pour
    that ranked it, the narrow photos' make-up repeats much of the other).  A copy of the
    flow kept, which is never changed."""
    flow = _poured(items, columns, first, rest, places, None)
    assert flow is not None
    return flow


def pour_below(items: list[Item], columns: int, first: int, rest: int,
               places: Places | None, score: Score) -> Flow | None:
    """:func:`pour` if its :func:`_score` is below ``score``, else None (told without
    pouring it all when one pass at full depth, which any pour begins with, takes more
    pages)."""
    flow = _poured(items, columns, first, rest, places, score)
    return flow if flow is not None and _score(flow) < score else None


def _poured(items: list[Item], columns: int, first: int, rest: int,
            places: Places | None, score: Score | None) -> Flow | None:
    key = Hashed((tuple(items), columns, first, rest,
                  tuple(sorted((places or {}).items()))))
    flow = _POURED.get(key)
    if flow is None:
        watch = _Watch(_PARTED[0])
        full = simulate(items, columns, [first], rest, 0, places, None, watch)
        if score is not None and full.pages > score[0]:
            return None  # its pages are those of the pass at full depth (see _pour)
        flow = _pour(items, columns, first, rest, places, full, watch)
        _POURED.put(key, flow, len(items) + 1)
    return copy.copy(flow)


_POURED: Memo[Hashed[tuple[tuple[Item, ...], int, int, int,
                            tuple[tuple[str, tuple[int, int]], ...]]],
              Flow] = Memo(MEMO_ITEMS)


def _pour(items: list[Item], columns: int, first: int, rest: int, places: Places | None,
          full: Flow, watch: _Watch) -> Flow:
    """The flow on the fewest pages (those of ``full``, the pour at full depth that noted
    ``watch``), the last page's columns as short as they can be
    (WeasyPrint balances a multi-column box's last fragment); ``places`` as
    :func:`simulate` takes them.  Every trial depth of the last page is poured from where
    the pours part (:func:`_mark`): the pages before it are the same in all.  Each depth
    is poured once (the search's pours that hold the story are among the trials that
    even the last page's feet)."""
    pages, mark = full.pages, None
    if pages == 1:
        fixed, depth = [], first
    else:
        fixed, depth = [first, *([rest] * (pages - 2))], rest
        mark = _mark(items, columns, first, rest, places, watch, pages)
    # The search's pours that held the story, which may be trials that even the feet
    # below (only those: each pour kept alive costs the collector of this large process).
    kept: dict[int, Flow] = {}

    def at(d: int) -> Flow:
        return kept.get(d) or simulate(items, columns, [*fixed, d], rest, 0, places, mark)

    def fits(trial: Flow, d: int) -> bool:
        """Whether ``trial`` (its last page ``d`` deep) holds the story on its pages,
        nothing below the last page's depth (a photo taller than a shallow page hangs
        below the other columns' feet; at full depth it is the page's own)."""
        return trial.pages <= pages and (d == depth or max(trial.used[-1]) <= d)

    def holds(d: int) -> bool:
        nonlocal kept
        trial = at(d)
        if not fits(trial, d):
            return False
        kept = {k: t for k, t in kept.items() if k <= d + EVEN_DEPTH}
        kept[d] = trial
        return True

    # The shortest last page that holds the rest (more depth never needs more pages nor
    # sets anything lower; it holds at least what the pages before cannot), searched from
    # a guess: what the last page at full depth holds, over the columns (the answer or a
    # line more, mostly).
    least = sum(it.lines - it.margin for it in items) - columns * sum(fixed)
    low, high = min(depth, max(1, -(-least // columns))), depth
    guess = max(low, min(depth, -(-sum(full.used[-1]) // columns)))
    low = _shortest(holds, low, high, guess)
    flow = at(low)
    if spread(flow) > 1 or flow.stranded:
        # A last page whose column feet are not flush (a short story's last column holds
        # what the others leave) or too shallow for a head: its last columns a line
        # shorter, the page up to EVEN_DEPTH lines deeper, whichever evens it best.
        # Never by setting fewer columns: a short story poured into one deeper column
        # has even feet (an empty column has no foot) and an empty area beside it.
        # The first best of the trials in turn (depth, then short columns); once it has
        # every head its lines and flush feet, the trials left can only beat it with fewer
        # free lines: none past the least their depth leaves (_least_free) stops them.
        columns_held = holding(flow)
        best, rank = flow, _even_rank(flow)
        for d in range(low, min(low + EVEN_DEPTH, depth) + 1):
            floor = _least_free(flow, pages, places, d)
            for short in range(columns):
                if floor is not None and rank[:2] == (0, False) and rank[2] <= floor:
                    break
                trial = (at(d) if not short else
                         simulate(items, columns, [*fixed, d], rest, short, places, mark))
                if trial.pages == flow.pages and holding(trial) >= columns_held and (
                        fits(trial, d) and _even_rank(trial) < rank):
                    best, rank = trial, _even_rank(trial)
        flow = best
    flow.first, flow.rest = first, rest
    return flow


def _shortest(holds: Callable[[int], bool], low: int, high: int, guess: int) -> int:
    """The least depth in [low, high] that ``holds`` (``high`` does), searched from
    ``guess``: steps of 1, 2, 4... from it, down while the depth holds, else up until one
    does, then a bisection of the last step.  Two trials when the guess is right.  (Were
    a depth to hold and a deeper one not, it is a depth that holds with the one a line
    less not holding, as a bisection of the whole range would find, maybe another.)"""
    if holds(guess):
        high, step = guess, 1
        while high - step >= low:
            if not holds(high - step):
                low = high - step + 1
                break
            high, step = high - step, step * 2
    else:
        low, step = min(guess + 1, high), 1
        while low + step - 1 < high:
            if holds(low + step - 1):
                high = low + step - 1
                break
            low, step = low + step, step * 2
    while low < high:
        mid = (low + high) // 2
        if holds(mid):
            high = mid
        else:
            low = mid + 1
    return low


def _even_rank(flow: Flow) -> tuple[int, bool, int]:
    """How well a trial of :func:`_pour` evens the last page (smaller is better): heads
    without their lines, then uneven feet, then free lines."""
    return flow.stranded, spread(flow) > 1, flow.free()


def _least_free(flow: Flow, pages: int, places: Places | None, depth: int) -> int | None:
    """The fewest free lines (:meth:`Flow.free`) a trial of :func:`_pour` on ``pages``
    pages with a last page ``depth`` deep can leave (``flow``: one of them, the same
    ``places``).  The trials pour the pages before the last alike (their depths are the
    same, and so is every place given there), so all hold the same on the last page: the
    lines its columns hold, the margins dropped at their tops counted, and the photos
    across them.  They differ in the margins dropped, which only lower the lines used.
    None when ``flow`` takes fewer pages, or when a photo is given a place on the last
    page of several (whether it fits there depends on the depth, and where it goes
    instead changes the pages before)."""
    if flow.pages != pages or pages > 1 and any(
            p >= pages - 1 for p, _ in (places or {}).values()):
        return None
    last = len(flow.used) - 1
    held = sum(end - start for column in flow.slots[last] for _, _, start, end, _ in column) + sum(
        lines for (p, _), lines in flow.reserved.items() if p == last)
    return flow.columns * (depth if pages == 1 else flow.rest) - held


def photo_places(flow: Flow) -> list[dict[str, tuple[int, int]]]:
    """Where the photos across columns of ``flow`` (poured without places) would sit better,
    as a desk spreads them: each on its page at the head of columns, the photos of a page
    placed together at the least cost (a search with bounds; see STACKED): few photos
    stacked in the same columns, each near the column its paragraph ends in (the next
    column, as poured, costs nothing; over the paragraph's own column one; each column
    further one more), none left of the photo before it (reading order); then the least
    distance in all, the highest, the leftmost.  The PLACINGS best, best first, without
    the one of ``flow`` itself.  Only on pages at least FULL_PAGE deep: on a short last
    page the photos stay where they are (moved over the text's first columns, they would
    leave it a few lines under each)."""
    full = [flow.first if p == 0 else flow.rest for p in range(flow.pages)]
    pages = sorted({a.page for a in flow.across
                    if flow.capacities[a.page] >= FULL_PAGE * full[a.page]})
    per_page = [_page_places(flow, [a for a in flow.across if a.page == p]) for p in pages]
    own = {a.key: (a.page, a.column) for a in flow.across}
    out = []
    for k in range(PLACINGS):
        # the k-th best of each page (or its last), pages together
        places = {key: at for options in per_page if options
                  for key, at in options[min(k, len(options) - 1)].items()}
        places = {**own, **places}
        if places != own and places not in out:
            out.append(places)
    return out


def _page_places(flow: Flow, photos: list[Across]) -> list[dict[str, tuple[int, int]]]:
    """The PLACINGS places of ``photos`` (across columns, on one page, in reading order)
    of least cost (:func:`photo_places`), best first; none when they do not fit at the
    head of columns."""
    columns = flow.columns
    page = photos[0].page
    depth = flow.capacities[page] if page < len(flow.capacities) else flow.rest
    near = []
    for across in photos:
        where, at = flow.photo_column[across.key]
        near.append(at if where == page else (0 if where < page else columns - 1))
    found: list[tuple[tuple[int, int, int], list[int]]] = []

    def search(k: int, heads: tuple[int, ...], stacked: tuple[int, ...], chosen: list[int],
               cost: tuple[int, int, int]) -> None:
        if len(found) == PLACINGS and cost[0] > found[-1][0][0]:
            return
        if k == len(photos):
            found.append((cost, list(chosen)))
            found.sort()
            del found[PLACINGS:]
            return
        span, lines, col = photos[k].span, photos[k].lines, near[k]
        options = []
        for c in range(columns - span + 1):
            spanned = range(c, c + span)
            top = heads[c]
            if any(heads[j] != top for j in spanned) or top + lines > depth:
                continue
            if c == col + 1:
                distance = 0
            elif c <= col < c + span:
                distance = 1
            else:
                distance = c - col - 1 if c > col else col - c - span + 2
            stack = 1 + max(stacked[j] for j in spanned)
            step = (STACKED.get(stack, STACKED_MORE) + distance
                    + (BACKWARDS if chosen and c < chosen[-1] else 0))
            options.append((step, distance, top, c))
        for step, distance, top, c in sorted(options):
            new_heads = tuple(top + lines if c <= j < c + span else h
                              for j, h in enumerate(heads))
            new_stacked = tuple(n + 1 if c <= j < c + span else n
                                for j, n in enumerate(stacked))
            search(k + 1, new_heads, new_stacked, [*chosen, c],
                   (cost[0] + step, cost[1] + distance, cost[2] + top))

    search(0, (0,) * columns, (0,) * columns, [], (0, 0, 0))
    return [{a.key: (page, c) for a, c in zip(photos, chosen, strict=True)}
            for _, chosen in found]


def cuttable(flow: Flow, breaks: Mapping[str, tuple[int, ...]]) -> bool:
    """Whether every paragraph the flow cuts between columns has its line starts measured
    (``Measured.breaks``), so that the columns can be set as boxes (a sidebar too tall
    for a column, flowed as text, has none)."""
    return all(len(breaks.get(key, ())) == lines - 1
               for page in flow.slots for column in page for key, _, start, end, lines in column
               if not (start == 0 and end == lines))


def holding(flow: Flow) -> int:
    """Columns of the last page that hold anything."""
    return sum(1 for u in flow.used[-1] if u)


def feet(flow: Flow) -> list[int]:
    """The grid line of each column's foot on the last page (0: it holds nothing): its
    last line, which is a line above the lines it holds when a photo ends it, in the
    column or across it with nothing under it (the space under the caption is no line:
    ``layout check`` takes the caption's last line for the column's foot)."""
    page = len(flow.used) - 1
    return [used - PHOTO_FOOT if used and (column[-1][1] == "photo" if column else
                                           flow.reserved.get((page, c), 0)) else used
            for c, (used, column) in enumerate(zip(flow.used[-1], flow.slots[-1],
                                                   strict=True))]


def spread(flow: Flow) -> int:
    """Lines between the last page's lowest and highest column foot (:func:`feet`)."""
    used = [u for u in feet(flow) if u]
    return max(used) - min(used) if used else 0


def fill(items: list[Item], columns: int, first: int, rest: int
         ) -> tuple[list[Item], Flow]:
    """:func:`_fill`, remembered: the make-up fills the same items again (a refit after
    one that changed nothing fills the same leadings, a leading filled in one refit is
    among the best of the next; a 6-page book: 19 fills, 7 different).  The flow kept is
    never changed."""
    key = Hashed((tuple(items), columns, first, rest))
    done = _FILLED.get(key)
    if done is None:
        done = _fill(items, columns, first, rest)
        _FILLED.put(key, done, len(items) + 1)
    placed, flow = done
    return list(placed), copy.copy(flow)


_FILLED: Memo[Hashed[tuple[tuple[Item, ...], int, int, int]], tuple[list[Item], Flow]] = Memo(
    MEMO_FILLS)


def _fill(items: list[Item], columns: int, first: int, rest: int
          ) -> tuple[list[Item], Flow]:
    """Move photo heights and heads' space by whole lines, each within its limits, and
    photos by a paragraph or two from where they were placed, while that closes gaps and
    the last page's free lines (a hill climb, taking the first step that helps).

    Photos across columns are first spread over their pages as a desk would
    (:func:`photo_places`) and the climb keeps them there; if that leaves a head without
    its lines or the last page's feet uneven, the next best placing is climbed, and then
    the photos as poured.  (The placings share one budget of pours, the climb as poured
    has its own.)

    Returns the items with their final heights, in their final order, and the flow.
    """
    # A pour costs in proportion to the items: each climb gets a budget of pours that
    # keeps its work per story about constant (the sample, 65 items, takes at most ~300
    # pours; a 20-page story took ~7,000 pours per fill and minutes without it).
    budget = max(MIN_POURS, FILL_WORK // max(1, len(items)))
    poured = pour(items, columns, first, rest)
    spare = budget
    for places in photo_places(poured):
        if spare < MIN_POURS:
            break
        placed, flow, spent = _climb(list(items), pour(items, columns, first, rest, places),
                                     columns, first, rest, places, spare)
        spare -= spent
        if not flow.stranded and spread(flow) <= 1:
            return placed, flow
    items, flow, _ = _climb(list(items), poured, columns, first, rest, None, budget)
    return items, flow


def _climb(items: list[Item], flow: Flow, columns: int, first: int, rest: int,
           places: Places | None, budget: int) -> tuple[list[Item], Flow, int]:
    """:func:`fill`'s hill climb from ``flow``, the pour of ``items``, in at most
    ``budget`` pours; also the pours it took."""
    score = _score(flow)
    home = {it.key: i for i, it in enumerate(items)}
    spent = 0
    improved = True
    while improved and spent < budget:
        improved = False
        # A step; when none helps and lines are still empty, two lines more at once (one
        # line more anywhere can put a head at a column's foot, where two do not); when
        # the feet are uneven, two lines moved either way.
        ragged = spread(flow) > 1
        for trial in itertools.chain(_steps(items, home), _pairs(items, ragged)
                                     if waste(flow) > 1 or ragged else (),
                                     _leaps(items) if holes(flow) else (),
                                     _jumps(items, home) if ragged else ()):
            if spent == budget:
                break
            spent += 1
            new = pour_below(trial, columns, first, rest, places, score)
            if new is not None:
                items, flow, score = trial, new, _score(new)
                improved = True
                break
    return items, flow, spent


def _grown(item: Item) -> Item:
    return replace(item, lines=item.lines + 1, grow=item.grow - 1, shrink=item.shrink + 1,
                   margin=item.margin + (1 if item.kind != "photo" else 0))


def _shrunk(item: Item) -> Item:
    return replace(item, lines=item.lines - 1, grow=item.grow + 1, shrink=item.shrink - 1,
                   margin=item.margin - (1 if item.kind != "photo" else 0))


def _leaps(items: list[Item]) -> Iterator[list[Item]]:
    """Every arrangement with a photo two lines or more taller or shorter (within its
    limits): what closes a band left empty across a single column's page above a head
    that needs more room than the band (a line at a time only moves the band)."""
    for i, item in enumerate(items):
        if item.kind != "photo":
            continue
        for k in (*range(2, item.grow + 1), *range(-2, -item.shrink - 1, -1)):
            trial = list(items)
            trial[i] = replace(item, lines=item.lines + k, grow=item.grow - k,
                               shrink=item.shrink + k)
            yield trial


def _pairs(items: list[Item], ragged: bool) -> Iterator[list[Item]]:
    """Every arrangement with two of ``items`` a line taller (within their limits); with
    ``ragged`` (the last page's feet uneven), also two a line shorter, or one taller and
    one shorter."""
    moves = [(i, _grown) for i, it in enumerate(items) if it.grow]
    if ragged:
        moves += [(i, _shrunk) for i, it in enumerate(items) if it.shrink]
        moves.sort(key=lambda m: m[0])
    for a, (i, move) in enumerate(moves):
        for j, other in moves[a + 1:]:
            if j == i:
                continue
            trial = list(items)
            trial[i], trial[j] = move(items[i]), other(items[j])
            yield trial


def _jumps(items: list[Item], home: dict[str, int]) -> Iterator[list[Item]]:
    """Every arrangement with a photo moved two paragraphs or more at once (within
    MAX_SHIFT of its place, past body text only, never to follow a head or lead-in): when
    the last page's feet are uneven, the place that evens them may lie past one that a
    step of one paragraph finds no better (the climb takes only steps that help)."""
    for i, item in enumerate(items):
        if item.kind != "photo":
            continue
        rest = items[:i] + items[i + 1:]
        for j in range(i - MAX_SHIFT, i + MAX_SHIFT + 1):
            passed = rest[j:i] if j < i else rest[i:j]
            if (abs(j - i) < 2 or not 0 <= j <= len(rest) or abs(j - home[item.key]) > MAX_SHIFT
                    or any(it.kind != "text" or not it.body for it in passed)
                    or j and rest[j - 1].kind in ("head", "lead")):
                continue
            yield [*rest[:j], item, *rest[j:]]


def _steps(items: list[Item], home: dict[str, int]) -> Iterator[list[Item]]:
    """Every arrangement one step from ``items``: a photo or a head's space a line more or
    less (within its limits), a photo one paragraph earlier or later (at most MAX_SHIFT
    from its place, never between a head and its text)."""
    for i, item in enumerate(items):
        if item.grow:
            trial = list(items)
            trial[i] = _grown(item)
            yield trial
        if item.shrink:
            trial = list(items)
            trial[i] = _shrunk(item)
            yield trial
    for i, item in enumerate(items):
        if item.kind != "photo":
            continue
        for j in (i - 1, i + 1):
            if not 0 <= j < len(items) or abs(j - home[item.key]) > MAX_SHIFT:
                continue
            lo = min(i, j)
            trial = list(items)
            trial[i], trial[j] = trial[j], trial[i]
            # the photo may not follow a head or lead-in, nor pass one, nor a sidebar's text
            after_head = lo and trial[lo - 1].kind in ("head", "lead") and (
                trial[lo].kind == "photo")
            if items[j].kind != "text" or not items[j].body or after_head:
                continue
            yield trial


def waste(flow: Flow) -> int:
    """Column-lines left empty: gaps, and the last page's free lines."""
    return sum(g[2] for g in flow.gaps) + flow.free()


def holes(flow: Flow) -> int:
    """Lines left empty in the one column of the pages before the last: bands across the
    measure, holes a desk does not pass (where the last page's may be traded for its free
    lines, which are reported).  On several columns a gap is a column's short foot, which
    the fill weighs with the others (:func:`waste`)."""
    if flow.columns > 1:
        return 0
    return sum(g[2] for g in flow.gaps if g[0] < flow.pages - 1)


def bands(flow: Flow) -> int:
    """Lines of the :func:`holes` more than KEEP lines deep: the bands ``layout check``
    fails (L102).  A page a line or two short is how a book keeps a widow, or a head
    without its lines, off the page's foot."""
    if flow.columns > 1:
        return 0
    return sum(g[2] for g in flow.gaps if g[0] < flow.pages - 1 and g[2] > KEEP)


def _score(flow: Flow) -> Score:
    """Pages, then heads without HEAD_TEXT lines of room below them, then whether the last
    page's column feet differ by more than a line, then the holes of a single column's
    pages before the last, then column-lines left empty, then how far the last page's
    shortest column is from its longest."""
    last = flow.used[-1]
    return (flow.pages, flow.stranded, spread(flow) > 1, holes(flow), waste(flow),
            max(last) - min(last))
