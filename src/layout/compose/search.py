"""The page's modules chosen on numbers: a search over guillotine arrangements.

The type area (less its fixed boxes) is cut, again and again, into two rectangles, across
(one story above the rest, the rest above one story, or one group of stories above
another) or down; the stories, in priority order, are shared out in reading order (down,
then to the right), each rectangle at the end holding one story fitted to it
(:mod:`layout.compose.fit`).  Every sub-problem keeps its ``KEEP`` best arrangements.  The
score is the empty space, the body sizes and crops moved, and penalties for two
headlines side by side at the same height (撞题) and photos of two stories touching; the
lead story is at the top and no module is wider than it.  Ties go to the first
arrangement found, so the same stories always give the same page.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from ..holes import COMPOSED_MAX_EMPTY, is_hole
from .boxes import FixedBox, Region, free_regions
from .content import CONTINUATION, Story
from .fit import HEAD_FOOT, Fitter, ModuleFit
from .ink import Rect, box_ink, empty, module_ink

KEEP = 6  # arrangements kept per sub-problem
PRIORITY_COST = 40  # a story read before one of higher priority (the lead is always first)
CLASH_COST = 400  # two headlines side by side at the same height (撞题)
PHOTO_TOUCH_COST = 200  # photos of two stories touching
HOLE_JOIN_COST = 1000  # the empty feet of modules side by side, together over the limit
# Sub-problems solved at most: many small stories would otherwise take minutes.  A count,
# not a time, so that the same stories always give the same page.
BUDGET = 150_000
LEAD_NARROW_COST = 6  # per column the lead is narrower than the page
# Arrangements measured for holes at most, cheapest first (a count: the same page always)
MEASURED = 300


@dataclass(frozen=True)
class Module:
    fit: ModuleFit
    x: int  # first column (0-based)
    y: int  # first grid line (0-based)

    @property
    def headline_band(self) -> tuple[int, int] | None:
        """The grid lines of its headline; none for a continuation's 续 headline (set at
        the least headline size, a label of the story it continues: beside a headline it
        is no 撞题)."""
        if self.fit.head.headline is None or self.fit.story.kind == CONTINUATION:
            return None
        top = self.y + self.fit.below
        return top, top + self.fit.head.lines - HEAD_FOOT

    @property
    def foot_band(self) -> int:
        """Grid lines of the empty band at the foot of the module's columns."""
        return self.fit.band

    @property
    def photo_band(self) -> tuple[int, int] | None:
        if not self.fit.photo:
            return None
        top = self.y + self.fit.below + self.fit.head.lines
        return top, top + self.fit.photo + self.fit.caption


@dataclass(frozen=True)
class Layout:
    cost: float
    modules: tuple[Module, ...]


@dataclass(frozen=True)
class Hole:
    """The largest empty rectangle of an arrangement (pt from the type area's corner), its
    share of the type area, and the module it lies most in."""

    rect: Rect
    share: float
    beside: Module | None


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _neighbours(left: tuple[Module, ...], right: tuple[Module, ...]
                ) -> Iterator[tuple[Module, Module]]:
    """Pairs of modules side by side: one's right edge is the other's left edge."""
    for a in left:
        for b in right:
            if a.x + a.fit.width == b.x and a.y < b.y + b.fit.height and b.y < a.y + a.fit.height:
                yield a, b


def side_by_side_cost(left: tuple[Module, ...], right: tuple[Module, ...], limit: float
                      ) -> float:
    """Penalties for modules side by side: headlines at one height, photos touching, and
    the empty bands at their feet making one hole larger than ``limit`` together."""
    cost = 0.0
    for a, b in _neighbours(left, right):
        if _overlap(a.headline_band, b.headline_band):
            cost += CLASH_COST
        if _overlap(a.photo_band, b.photo_band):
            cost += PHOTO_TOUCH_COST
        if a.y + a.fit.height == b.y + b.fit.height and (
                a.fit.width + b.fit.width) * min(a.foot_band, b.foot_band) > limit:
            cost += HOLE_JOIN_COST
    return cost


def clashes(layout: Layout) -> list[tuple[Module, Module]]:
    """Headlines side by side at the same height (撞题) on a page."""
    return [(a, b) for a, b in _neighbours(layout.modules, layout.modules)
            if _overlap(a.headline_band, b.headline_band)]


def reading_orders(stories: list[Story]) -> Iterator[tuple[list[Story], int]]:
    """The orders the stories may be read in, with their inversions of priority: the lead
    first, the news stories in priority order, the narrow ones (简讯, commentary) anywhere
    after the lead."""
    lead, rest = stories[0], stories[1:]
    seen = set()
    for order in itertools.permutations(rest):
        news = [s for s in order if not s.narrow]
        if news != [s for s in rest if not s.narrow]:
            continue
        key = tuple(s.key for s in order)
        if key in seen:
            continue
        seen.add(key)
        inversions = sum(1 for i, a in enumerate(order) for b in order[i + 1:]
                         if int(a.key[1:]) > int(b.key[1:]))
        yield [lead, *order], inversions


class Search:
    def __init__(self, fitter: Fitter, boxes: tuple[FixedBox, ...]) -> None:
        self.fitter, self.boxes = fitter, boxes
        self.stories = fitter.stories
        self.columns, self.lines = fitter.grid.columns, fitter.grid.lines
        # 简讯 and commentary: a quarter of the columns, two on a page of five (one column
        # of a 5-column page is too narrow for most of their headlines)
        self.narrow = max(1, round(self.columns / 4), min(2, self.columns - 1))
        self.memo: dict[tuple[str, int, int, int, int, int], list[Layout]] = {}
        self.names: list[list[str]] = []  # the keys of stories i…j-1 of the order, joined
        self.areas: dict[str, tuple[int, int]] = {}
        self.budget = BUDGET
        self.cap = self.columns
        self.cuttings: list[list[Region]] | None = None
        # the cheapest arrangement refused for its hole, and the hole
        self.refused: tuple[Layout, Hole] | None = None

    def regions(self) -> list[list[Region]]:
        """The type area less the fixed boxes, cut into rectangles in reading order: every
        cutting with no more rectangles than stories."""
        if self.cuttings is None:
            c, n = self.columns, self.lines
            boxes = [b.region(c, n) for b in self.boxes]
            self.cuttings = [r for r in free_regions((0, 0, c, n), boxes)
                             if 0 < len(r) <= len(self.stories)]
        return self.cuttings

    def box_origin(self, box: FixedBox) -> tuple[int, int]:
        return box.origin(self.columns, self.lines)

    def best(self) -> Layout | None:
        found: list[Layout] = []
        priority = self.stories
        for order, inversions in reading_orders(priority):
            self.stories = order
            keys = [s.key for s in order]
            self.names = [[" ".join(keys[i:j]) for j in range(len(order) + 1)]
                          for i in range(len(order))]
            for lead in range(self.columns, 0, -1):
                self.cap = lead
                for regions in self.regions():
                    for layout in self._share(0, regions):
                        if layout.modules[0].fit.width == lead:
                            found.append(Layout(
                                layout.cost + LEAD_NARROW_COST * (self.columns - lead)
                                + PRIORITY_COST * inversions, layout.modules))
        self.stories = priority
        self.refused = None
        for layout in sorted(found, key=lambda lay: lay.cost)[:MEASURED]:
            hole = self.hole(layout)
            if hole is None:
                return layout
            if self.refused is None:
                self.refused = (layout, hole)
        return None

    def empty(self, layout: Layout) -> tuple[Rect, float]:
        """The largest empty rectangle of ``layout``'s page (pt from the type area's
        corner) and its share of the type area, as `layout check` will measure them on the
        page rendered."""
        grid = self.fitter.grid
        ink = [r for m in layout.modules for r in module_ink(self.fitter, m.fit, m.x, m.y)]
        ink += [box_ink(grid, *self.box_origin(b), b) for b in self.boxes]
        # the body size that sets the most characters: the check's em
        em = max(layout.modules, key=lambda m: m.fit.width * m.fit.depth).fit.size
        return empty(self.fitter, ink, em)

    def hole(self, layout: Layout) -> Hole | None:
        """The largest empty rectangle of ``layout``'s page if it is a hole, else None."""
        grid = self.fitter.grid
        rect, share = self.empty(layout)
        if not is_hole(rect, share, COMPOSED_MAX_EMPTY, grid.column, grid.pitch):
            return None
        step = grid.column + grid.gutter

        def inside(m: Module) -> float:
            w = min(rect[2], (m.x + m.fit.width) * step) - max(rect[0], m.x * step)
            h = min(rect[3], (m.y + m.fit.height) * grid.pitch) - max(rect[1], m.y * grid.pitch)
            return max(0.0, w) * max(0.0, h)

        beside = max(layout.modules, key=inside)
        return Hole(rect, share, beside if inside(beside) > 0 else None)

    def _share(self, first: int, regions: list[Region]) -> list[Layout]:
        """Stories ``first``… over ``regions`` in order, each region at least one."""
        n = len(self.stories)
        if len(regions) == 1:
            return self._solve(first, n, *regions[0])
        out: list[Layout] = []
        for cut in range(first + 1, n - len(regions) + 2):
            for a in self._solve(first, cut, *regions[0]):
                for b in self._share(cut, regions[1:]):
                    out.append(Layout(a.cost + b.cost, a.modules + b.modules))
        return _kept(out)

    def _solve(self, i: int, j: int, x: int, y: int, w: int, h: int) -> list[Layout]:
        # Keyed by the stories themselves: reading orders share their sub-problems.
        key = (self.names[i][j], x, y, w, h, self.cap)
        if key not in self.memo:
            self.budget -= 1
            self.memo[key] = _kept(list(self._arrangements(i, j, x, y, w, h))) if (
                self.budget > 0) else []
        return self.memo[key]

    def _area(self, story: Story) -> tuple[int, int]:
        """The least and most column-lines a module of ``story`` can take."""
        if story.key not in self.areas:
            found = [w * h for w in range(1, self.columns + 1) for below in (False, True)
                     for h in self.fitter.heights(story, w, below)]
            self.areas[story.key] = (min(found), max(found)) if found else (1, 0)
        return self.areas[story.key]

    def _arrangements(self, i: int, j: int, x: int, y: int, w: int, h: int
                      ) -> Iterator[Layout]:
        stories = self.stories
        areas = [self._area(s) for s in stories[i:j]]
        if not sum(a[0] for a in areas) <= w * h <= sum(a[1] for a in areas):
            return  # the stories cannot fill this rectangle
        if j - i == 1:
            leaf = self._leaf(i, x, y, w, h)
            if leaf is not None:
                yield leaf
            return
        for top in self.fitter.heights(stories[i], w, y > 0):
            if top < h:
                tops = self._solve(i, i + 1, x, y, w, top)
                rest = self._solve(i + 1, j, x, y + top, w, h - top) if tops else []
                for a, b in itertools.product(tops, rest):
                    yield Layout(a.cost + b.cost, a.modules + b.modules)
        for last in self.fitter.heights(stories[j - 1], w, True):
            if last < h:
                lasts = self._solve(j - 1, j, x, y + h - last, w, last)
                rest = self._solve(i, j - 1, x, y, w, h - last) if lasts else []
                for b, a in itertools.product(lasts, rest):
                    yield Layout(a.cost + b.cost, a.modules + b.modules)
        # Across between two groups of stories (two rows of modules side by side): the
        # upper group's height within what its stories can fill.
        for cut in range(i + 2, j - 1):
            above, below = areas[:cut - i], areas[cut - i:]
            for top in range(1, h):
                if not (sum(a[0] for a in above) <= w * top <= sum(a[1] for a in above) and
                        sum(a[0] for a in below) <= w * (h - top) <= sum(a[1] for a in below)):
                    continue
                tops = self._solve(i, cut, x, y, w, top)
                rest = self._solve(cut, j, x, y + top, w, h - top) if tops else []
                for a, b in itertools.product(tops, rest):
                    yield Layout(a.cost + b.cost, a.modules + b.modules)
        for cut in range(i + 1, j):
            for left in range(1, w):
                lefts = self._solve(i, cut, x, y, left, h)
                rights = self._solve(cut, j, x + left, y, w - left, h) if lefts else []
                for a, b in itertools.product(lefts, rights):
                    yield Layout(a.cost + b.cost + side_by_side_cost(
                        a.modules, b.modules, self.fitter.limit), a.modules + b.modules)

    def _leaf(self, i: int, x: int, y: int, w: int, h: int) -> Layout | None:
        story: Story = self.stories[i]
        if (i == 0 and (y != 0 or w != self.cap)) or (i and w > self.cap) or (
                story.narrow and w > self.narrow):
            return None
        fit = self.fitter.fit(story, w, h, y > 0)
        return Layout(fit.cost, (Module(fit, x, y),)) if fit else None


def _kept(layouts: list[Layout]) -> list[Layout]:
    """The KEEP cheapest, ties in the order found (a stable sort)."""
    return sorted(layouts, key=lambda lay: lay.cost)[:KEEP]
