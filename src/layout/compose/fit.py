"""A story fitted to a module of whole columns and whole lines, on the measured numbers.

A module is its head group across its width (headline sized by the story's rank and
fitted to the width), the story's first photo across the width under it (its height
within the crop limit), then the body in the module's columns.  The body is poured into
its columns as the single-article make-up pours a page (:func:`layout.makeup.flow.pour`:
the shallowest columns that hold it, evened by a shorter last column or a line more
depth) and set as column boxes (:mod:`layout.makeup.columns`): its column feet within a
line of each other, no head in a column's last lines.  The body is fitted by the body
size (within the style's limits; the leading stays the grid's pitch) and the photo's
height: a fit is kept when the space its copy leaves (a band at the foot of its columns)
is no larger than the page allows (:data:`HOLE_SHARE` of the type area).  The space a
centred headline leaves beside it (measured as `layout check` measures it,
:func:`layout.compose.ink.head_ink`) costs as much as space at the columns' feet, and a
head group leaving more beside it than the page allows is not set: a headline broken into
two short lines across a wide module, to fill a module its copy leaves short, would leave
a hole beside them.  The search measures each arrangement's whole page the same way
(:meth:`layout.compose.search.Search.hole`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import NamedTuple

from ..errors import LayoutError
from ..holes import COMPOSED_MAX_EMPTY, is_hole, largest_empty
from ..makeup.figures import MAX_CROP
from ..makeup.flow import (
    EVEN_DEPTH,
    KEEP,
    ColumnPage,
    Flow,
    Item,
    cuttable,
    holding,
    pour,
    simulate,
    spread,
)
from ..makeup.grid import Grid, lines_for
from ..makeup.headline import Headline, fit_headline
from ..makeup.plan import HEADLINE_LEADING
from ..makeup.style import MakeupStyle
from ..settings import PagePreset
from .content import CONTINUATION, Story
from .ids import StoryIds
from .ink import HEAD_FOOT, head_ink, module_ink
from .measure import Measured, photo_shape, top_photo

HOLE_SHARE = 0.02  # the empty band a module's copy may leave at its feet, of the type area
# The shallowest body a module may have: a paragraph split between columns needs room for
# KEEP lines on each side (the column flow never ends in a shallower column).
MIN_DEPTH = 2 * KEEP
MAX_AIR = 2  # grid lines of space a head group may be given under it, to fill a module
SIZE_COST = 4  # column-lines a step away from the preset's body size is worth
HEAD_COST = 6  # column-lines a headline set in more lines than its width needs is worth
NARROWER = (0.7, 0.5)  # measures a headline may be set to, of its module's width, in more lines
CROP_COST = 1  # column-lines a line of photo cropped away from its shape is worth
SPAN_COST = 8  # column-lines a head group over the first columns (not across) is worth
SPAN_SIDE = 0.5  # of the limit: space beside a head across that makes one over fewer tried
# Headline sizes by rank, of the preset's headline size: (largest, smallest); the lead's
# smallest stays above every other's largest, so the lead's headline is the largest.
LEAD_RANGE = (1.0, 0.75)
RANK_LARGEST = 0.55  # the second story's largest; each further rank 10% smaller
COMMENTARY_LARGEST = 0.42
LEAST_HEADLINE = 1.6  # body sizes: no headline smaller


def head_key(story: Story) -> str:
    """The element id of ``story``'s head group on the page."""
    return StoryIds(f"{story.key}-").head


@dataclass(frozen=True)
class SetHeadline:
    size: float
    lines: tuple[str, ...]
    leading: float  # pt, a whole number of grid lines


@dataclass(frozen=True)
class HeadFit:
    headline: SetHeadline | None  # None: the label of a 简讯 column
    lines: int  # grid lines of the whole head group, its rule and space included
    # column-lines empty beside the head group's texts on either side of its widest
    # headline line (they are centred): in a fit's cost as much as a band at the feet
    side: float = 0.0


@dataclass(frozen=True)
class ModuleFit:
    story: Story
    width: int  # columns
    height: int  # grid lines, the separator above a module below another included
    below: bool  # not at the head of the type area: a rule line above it
    head: HeadFit
    air: int  # grid lines of space under the head group
    size: float  # body pt
    photo: int  # grid lines of the top photo's frame (0: none)
    caption: int
    depth: int  # grid lines of the body's columns
    hole: int  # column-lines left empty at the columns' feet
    rect: float  # the largest empty rectangle in the module, in column-lines
    cost: float  # the hole, the space beside the head, what the size and crop moved
    band: int = 0  # grid lines empty across the module under its longest column
    feet: tuple[int, ...] = ()  # lines of copy in each column
    span: int = 0  # columns of a head group set over the body's first columns (0: across)
    # The body as column boxes (one page) and the line starts its cut paragraphs use
    columns: tuple[ColumnPage, ...] = ()
    breaks: Mapping[str, tuple[int, ...]] = field(default_factory=dict, compare=False)


class Setting(NamedTuple):
    """One way to set a story in a module of a given width: everything but its height."""

    taller: int  # head groups taller than the first (its headline in more lines)
    head: HeadFit
    air: int  # grid lines of space under the head group
    step: int  # the body size's index in the sizes a module may be set at
    crop: int  # the photo height's index in its range (0: the photo's own shape)
    photo: int  # grid lines of the top photo's frame (0: none)
    caption: int
    above: int  # grid lines above the body: rule line, head, space, photo and caption
    least: int  # the shallowest body depth that holds the copy
    shallowest: int  # the body depths it may take
    deepest: int
    span: int = 0  # columns of a head group set over the body's first columns (0: across)


class Fitter:
    """Fits of the page's stories, each computed once and kept."""

    def __init__(self, stories: list[Story], measured: dict[Story, Measured], grid: Grid,
                 page: PagePreset, style: MakeupStyle, sizes: tuple[float, ...],
                 extra: dict[str, int] | None = None) -> None:
        self.stories, self.measured, self.grid = stories, measured, grid
        self.page, self.style, self.sizes = page, style, sizes
        self.limit = HOLE_SHARE * grid.columns * grid.lines
        # the same limit in column-lines, for the space beside a head group
        self.side_limit = COMPOSED_MAX_EMPTY * grid.type_width * grid.lines / (
            grid.column + grid.gutter)
        # Lines per column a story's body is given beyond what the plan says it needs
        # (WeasyPrint set it longer than planned on an earlier try).
        self.extra = extra or {}
        self.rank = {s.key: i for i, s in enumerate(stories)}

    def width_pt(self, columns: int) -> float:
        return columns * self.grid.column + (columns - 1) * self.grid.gutter

    def headline_range(self, story: Story) -> tuple[float, float]:
        big = self.page.headline_size
        least = LEAST_HEADLINE * self.page.body_size
        rank = self.rank[story.key]
        if story.kind == CONTINUATION:
            return least, least  # a 续 headline: a label of the jumped story, not a headline
        if rank == 0:
            return big * LEAD_RANGE[0], big * LEAD_RANGE[1]
        largest = big * (COMMENTARY_LARGEST if story.kind == "commentary" else
                         RANK_LARGEST * 0.9 ** (rank - 1))
        largest = max(largest, least)
        return largest, max(least, 0.6 * largest)

    @cache  # noqa: B019 - one Fitter per page, kept for the page's search
    def head(self, story: Story, width: int) -> HeadFit | None:
        """The head group at ``width`` columns; None when the headline cannot fit it.  A
        continuation's is a 续 headline: the story's headline at the least headline size,
        alone (its kicker, subtitle and byline stand on the first page); its copy opens
        with the 上接 line."""
        if story.kind == "briefs":
            label = lines_for(self.grid, self.style.sizes["sidebar_title"] * self.page.body_size)
            return self._beside(story, HeadFit(None, label + HEAD_FOOT), width)
        largest, smallest = self.headline_range(story)
        try:
            fitted = fit_headline(story.title, self.width_pt(width), largest, smallest)
        except LayoutError:
            return None
        return self._head_fit(story, fitted, width)

    def texts(self, story: Story, width: int) -> dict[str, int]:
        """Grid lines of the head group's texts besides the headline, at ``width``."""
        return {} if story.kind == CONTINUATION else self.measured[story].heads[width]

    def _head_fit(self, story: Story, fitted: Headline, width: int) -> HeadFit:
        each = lines_for(self.grid, fitted.size, HEADLINE_LEADING)
        headline = SetHeadline(fitted.size, fitted.lines, each * self.grid.pitch)
        heads = self.texts(story, width)
        text = sum(heads.get(k, 0) for k in ("column", "kicker", "subtitle", "byline"))
        return self._beside(story, HeadFit(headline, text + each * len(fitted.lines)
                                           + HEAD_FOOT), width)

    def _beside(self, story: Story, head: HeadFit, width: int) -> HeadFit:
        """``head`` with the largest empty rectangle beside its texts, in column-lines, as
        `layout check` measures it, down to the rule under it (a module under another
        has a line above its head group, no ink: the page's measure counts it)."""
        grid = self.grid
        ink, foot = head_ink(self, story, head, width, 0.0, 0.0)
        rect = largest_empty((0.0, 0.0, self.width_pt(width), foot + grid.pitch / 2), ink,
                             self.page.body_size, grid.pitch)
        side = (rect[2] - rect[0]) * (rect[3] - rect[1]) / (
            (grid.column + grid.gutter) * grid.pitch)
        return replace(head, side=side)

    @cache  # noqa: B019
    def heads(self, story: Story, width: int) -> tuple[HeadFit, ...]:
        """The head groups a module ``width`` columns wide may have: the headline fitted
        to the width, then set in more lines (as if to a narrower measure, at a size
        still within its rank's range): a taller head fills a module its copy leaves
        short, with no hole."""
        first = self.head(story, width)
        if first is None or first.headline is None or story.kind == CONTINUATION:
            return (first,) if first else ()
        out = [first]
        largest, smallest = self.headline_range(story)
        for share in NARROWER:
            try:
                fitted = fit_headline(story.title, share * self.width_pt(width), largest,
                                      smallest)
            except LayoutError:
                break
            last = out[-1].headline
            if last is not None and len(fitted.lines) > len(last.lines):
                out.append(self._head_fit(story, fitted, width))
        return tuple(out)

    def kept_heads(self, story: Story, width: int) -> list[tuple[int, HeadFit]]:
        """The head groups of :meth:`heads` (each with how many lines more than the first
        it is set in) whose space beside the headline is no hole: within the limit."""
        return [(taller, head) for taller, head in enumerate(self.heads(story, width))
                if head.side <= self.side_limit]

    @cache  # noqa: B019
    def photo_range(self, story: Story, width: int) -> tuple[int, ...]:
        """Grid lines the top photo's frame may take at ``width`` columns (none: [0])."""
        if top_photo(story) is None:
            return (0,)
        # The frame crops the photo's height by at most MAX_CROP, never its width (the
        # picture would be drawn past the module's edges); an FPO frame may be taller.
        ratio, photo = photo_shape(story)
        ideal = self.width_pt(width) / ratio / self.grid.pitch
        least = max(2, math.ceil(ideal * (1 - MAX_CROP) - 1e-9))
        most = math.floor(ideal + 1e-9) if photo else math.floor(ideal / (1 - MAX_CROP) + 1e-9)
        # nearest the photo's own shape first: the index is what the crop costs
        return tuple(sorted(range(least, max(least, most) + 1),
                            key=lambda lines: (abs(lines - ideal), lines)))

    def head_item(self, story: Story, head: HeadFit, span: int) -> Item:
        """A head group set over the body's first ``span`` columns, as the column flow
        sees it: a block across those columns at the head of the first (the copy runs
        below it there, and from the top in the columns beside it)."""
        return Item(head_key(story), "photo", head.lines, span=span)

    def _copy(self, story: Story, size: float, head: HeadFit | None, span: int
              ) -> tuple[list[Item], dict[str, tuple[int, int]] | None]:
        items = self.measured[story].items[size]
        if head is None:
            return items, None
        return [self.head_item(story, head, span), *items], {head_key(story): (0, 0)}

    @cache  # noqa: B019
    def least_depth(self, story: Story, size: float, width: int,
                    head: HeadFit | None = None, span: int = 0) -> int:
        """The shallowest body depth (grid lines) that holds the copy in ``width`` columns
        (and ``head`` over the first ``span`` of them)."""
        items, places = self._copy(story, size, head, span)
        low = max(MIN_DEPTH, math.ceil(sum(it.lines * it.span for it in items) / width))
        high = low
        while simulate(items, width, [high], high, places=places).pages > 1:
            high = high * 2
            if high > 8 * self.grid.lines:
                return high
        while low < high:
            mid = (low + high) // 2
            if simulate(items, width, [mid], mid, places=places).pages == 1:
                high = mid
            else:
                low = mid + 1
        return low + self.extra.get(story.key, 0)

    @cache  # noqa: B019
    def body(self, story: Story, size: float, width: int, depth: int,
             head: HeadFit | None = None, span: int = 0) -> Flow | None:
        """The copy at ``size`` poured into ``width`` columns at most ``depth`` lines deep
        as the make-up pours a page: the feet of its columns within a line of each other,
        every column holding copy, no head without its lines of text under it, every
        paragraph cut between columns at a measured line start; None if no pour is so."""
        # The pour takes the shallowest columns that hold the copy, or up to EVEN_DEPTH
        # lines deeper to even their feet: columns deeper still are poured alike.
        shallowest = self.least_depth(story, size, width, head, span) - self.extra.get(
            story.key, 0)
        if depth < shallowest:
            return None
        if depth > shallowest + EVEN_DEPTH:
            return self.body(story, size, width, shallowest + EVEN_DEPTH, head, span)
        items, places = self._copy(story, size, head, span)
        flow = pour(items, width, depth, depth, places)
        if flow.pages > 1 or spread(flow) > 1 or flow.stranded or holding(flow) < width or (
                not all(flow.slots[0])) or (
                not cuttable(flow, self.measured[story].breaks.get(size, {}))):
            return None
        return flow

    @cache  # noqa: B019
    def settings(self, story: Story, width: int, below: bool) -> tuple[Setting, ...]:
        """Every way to set ``story`` ``width`` columns wide: head group, space under it,
        body size and photo height, each with the body depths it may have."""
        caption = self.measured[story].heads[width].get("caption", 0)
        extra = self.extra.get(story.key, 0)
        out = []
        # The space under the head is an empty band across the module: within the limit.
        for (taller, head), air, step, crop in itertools.product(
                self.kept_heads(story, width),
                range(min(MAX_AIR, int(self.limit // width)) + 1), range(len(self.sizes)),
                range(len(self.photo_range(story, width)))):
            photo = self.photo_range(story, width)[crop]
            least = self.least_depth(story, self.sizes[step], width)
            # the body's copy leaves at most the limit (and a line per column) empty
            out.append(Setting(taller, head, air, step, crop, photo, caption,
                               head.lines + air + below + (photo + caption + 1 if photo else 0),
                               least, max(least, MIN_DEPTH + extra),
                               least + math.floor((self.limit + width) / width)))
        # A head group over the first columns, the copy running up beside it to the
        # module's top: no space beside a short headline across a wide module.
        # Only where the head across leaves space beside it (its first, widest headline),
        # over half the module's columns or more, not all.  Its headline may take more
        # lines there (the copy beside it, no space), and the space under it a line.
        across = self.head(story, width)
        if story.kind in (CONTINUATION, "briefs") or top_photo(story) or across is None or (
                across.side <= SPAN_SIDE * self.side_limit):
            return tuple(out)
        for span in range(max(1, width // 2), width):
            for (taller, head), air, step in itertools.product(
                    self.kept_heads(story, span), range(min(MAX_AIR, int(self.limit // span)) + 1),
                    range(len(self.sizes))):
                room = replace(head, lines=head.lines + air)
                least = self.least_depth(story, self.sizes[step], width, room, span)
                out.append(Setting(taller, room, air, step, 0, 0, 0, int(below), least,
                                   max(least, room.lines + MIN_DEPTH + extra),
                                   least + math.floor((self.limit + width) / width), span))
        return tuple(out)

    @cache  # noqa: B019
    def fit(self, story: Story, width: int, height: int, below: bool) -> ModuleFit | None:
        """The best fit of ``story`` to ``width`` columns × ``height`` lines whose largest
        empty rectangle (measured in the module alone) is no hole, or None."""
        found: list[tuple[float, int, Setting, Flow, list[int]]] = []
        extra = self.extra.get(story.key, 0)
        for n, setting in enumerate(self.settings(story, width, below)):
            depth = height - setting.above
            if not setting.shallowest <= depth <= setting.deepest or (
                    depth - setting.least) * width > self.limit + width:
                continue
            flow = self.body(story, self.sizes[setting.step], width, depth - extra,
                             setting.head if setting.span else None, setting.span)
            if flow is None:
                continue
            # The columns' feet are flush: the space left is a band across the module's
            # foot (and a line under its shorter columns), the whole hole at the most.
            empty = [depth - u for u in flow.used[0]]
            if max(sum(empty), setting.air * width) > self.limit:
                continue
            cost = (sum(empty) + setting.air * width + SIZE_COST * setting.step
                    + CROP_COST * setting.crop + HEAD_COST * setting.taller + setting.head.side
                    + (SPAN_COST if setting.span else 0))
            found.append((cost, n, setting, flow, empty))
        for cost, _, setting, flow, empty in sorted(found, key=lambda f: f[:2]):
            size = self.sizes[setting.step]
            depth = height - setting.above
            # A story the layout engine set longer than planned gets its extra lines as
            # deeper column boxes.
            columns = tuple(replace(p, depth=p.depth + extra) for p in flow.column_pages())
            fit = ModuleFit(story, width, height, below, setting.head, setting.air, size,
                            setting.photo, setting.caption, depth, sum(empty),
                            max(sum(empty), setting.air * width), cost,
                            depth - max(flow.used[0]), feet=tuple(flow.used[0]),
                            columns=columns, breaks=self.measured[story].breaks.get(size, {}),
                            span=setting.span)
            if not self.holed(fit):
                return fit
        return None

    def holed(self, fit: ModuleFit) -> bool:
        """Whether the largest empty rectangle in ``fit``'s module alone is a hole."""
        grid = self.grid
        area = (0.0, 0.0, self.width_pt(fit.width), fit.height * grid.pitch)
        rect = largest_empty(area, module_ink(self, fit, 0, 0), fit.size, grid.pitch)
        share = (rect[2] - rect[0]) * (rect[3] - rect[1]) / (
            grid.type_width * grid.lines * grid.pitch)
        return is_hole(rect, share, COMPOSED_MAX_EMPTY, grid.column, grid.pitch)

    @cache  # noqa: B019
    def heights(self, story: Story, width: int, below: bool) -> tuple[int, ...]:
        """The module heights at which ``story`` fits ``width`` columns, shortest first."""
        head = self.head(story, width)
        if head is None:
            return ()
        tried = sorted({s.above + depth for s in self.settings(story, width, below)
                        for depth in range(s.shallowest, s.deepest + 1)})
        return tuple(height for height in tried if head.lines + 2 <= height <= self.grid.lines
                     and self.fit(story, width, height, below) is not None)
