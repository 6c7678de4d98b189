"""The HTML of a composed page and of its measuring document, from one template context.

The page template (``templates/composed.html.j2``) places each module absolutely on the
grid (whole columns, whole lines) with its body as the column boxes its fit planned
(:func:`layout.writers.html.column_boxes`, as an article's body); the page CSS of the
article pages (``page.css.j2``: page size, grid margins, running head, folio) comes first.
The modules and the sources are recorded in the page (:mod:`layout.compose.record`) for
``layout check`` and the tests to measure by.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from .. import __version__, decorations
from ..makeup.grid import META_NAME, Grid
from ..makeup.plan import Plan
from ..model import Block, Figure
from ..settings import Settings
from ..writers.html import (
    asset_url,
    block_renderer,
    column_boxes,
    fonts_css,
    page_sheet,
    print_environment,
    style_sheet,
)
from . import record
from .boxes import FixedBox
from .content import CONTINUATION, Story
from .fit import ModuleFit
from .ids import StoryIds
from .measure import inflow_frames, top_photo
from .search import Layout, Module

BRIEF_TITLE = 1.1  # em of the body: a brief's title in a 简讯 column
TALL = 40000  # pt: the measuring page is taller than every story's copy at every size


@dataclass
class Context:
    """What both templates need: the environment, the CSS, the grid, asset URLs."""

    settings: Settings
    plan: Plan  # the lead story's article plan: page.css.j2's sizes and line heights
    running: decorations.PageDecorations
    base_dir: Path  # where the HTML will live: photo URLs are relative to it
    env: Environment = field(init=False)

    def __post_init__(self) -> None:
        self.env = print_environment(self.settings)

    @property
    def grid(self) -> Grid:
        return self.plan.grid

    def common(self) -> dict[str, Any]:
        grid = self.grid
        heading = heading_font(self.settings)
        compose_css = self.env.get_template("composed.css.j2").render(
            grid=grid, sizes=self.plan.sizes, heights=self.plan.heights, heading=heading,
            brief_size=BRIEF_TITLE)
        return dict(
            settings=self.settings, grid=grid,
            page_css=Markup(page_sheet(self.env, self.settings, self.running, self.plan)),
            style_css=Markup(style_sheet(self.settings)), compose_css=Markup(compose_css))

    def asset(self, story: Story) -> Callable[[str], str]:
        """URLs of the files next to ``story``'s source."""
        return asset_url(os.path.relpath(story.source.parent, self.base_dir))

    def blocks(self, ids: StoryIds) -> Callable[[Block, str | None], Markup]:
        return block_renderer(self.env, ids=ids)


def heading_font(settings: Settings) -> Markup:
    """The heading face's CSS family list."""
    return fonts_css(settings.design.style.fonts.get("heading", ("sans-serif",)))


@dataclass(frozen=True)
class MeasuredStory:
    story: Story
    bodies: list[tuple[float, StoryIds, Callable[[Block, str | None], Markup],
                       dict[int, list[tuple[Figure, float]]]]]
    heads: list[tuple[float, StoryIds]]
    photo: Figure | None
    asset: Callable[[str], str]


def measuring_html(context: Context, stories: list[Story], sizes: tuple[float, ...]) -> str:
    grid = context.grid
    measured = []
    for story in stories:
        bodies = []
        for z, size in enumerate(sizes):
            ids = StoryIds(f"{story.key}z{z}-")
            bodies.append((size, ids, context.blocks(ids), inflow_frames(story, grid)))
        heads = [(w * grid.column + (w - 1) * grid.gutter, StoryIds(f"{story.key}-").at(w))
                 for w in range(1, grid.columns + 1)]
        measured.append(MeasuredStory(story, bodies, heads, top_photo(story),
                                      context.asset(story)))
    return context.env.get_template("composed-measure.html.j2").render(
        stories=measured, tall=TALL, **context.common())


@dataclass(frozen=True)
class Placed:
    """A module as the page template sets it: its fit, ids and place in points."""

    module: Module
    ids: StoryIds
    block_html: Callable[[Block, str | None], Markup]
    frames: dict[int, list[tuple[Figure, float]]]
    asset: Callable[[str], str]
    columns: Callable[[str], Markup]  # the body's HTML as the fit's column boxes
    left: float
    top: float
    width: float
    height: float

    @property
    def fit(self) -> ModuleFit:
        return self.module.fit

    @property
    def y(self) -> int:
        return self.module.y


@dataclass(frozen=True)
class PlacedBox:
    label: str
    left: float
    top: float
    width: float
    height: float


def _rect(grid: Grid, x: int, y: int, w: int, h: int) -> tuple[float, float, float, float]:
    step = grid.column + grid.gutter
    return x * step, y * grid.pitch, w * grid.column + (w - 1) * grid.gutter, h * grid.pitch


def modules_meta(layout: Layout, boxes: list[tuple[FixedBox, int, int]]) -> str:
    """``s1 0 0 8 40 12; s2 …; box 4 70 4 30 0``: key, column, line, columns, lines, and
    the lines of its head group (a rule line above it included)."""
    return record.describe_modules(
        [record.Placed(m.fit.story.key, m.x, m.y, m.fit.width, m.fit.height,
                       m.fit.head.lines + m.fit.below) for m in layout.modules]
        + [record.Placed(record.BOX, x, y, b.columns, b.lines, 0) for b, x, y in boxes])


def sources_meta(context: Context, layout: Layout) -> str:
    """The sources of the page's stories in priority order (the order they were composed
    from, which gives the stories their keys), relative to the page's folder; a jumped
    story's cut marked (:class:`layout.compose.record.SourceRef`)."""
    stories = sorted((m.fit.story for m in layout.modules), key=lambda s: int(s.key[1:]))
    heads: dict[str, int] = {}
    tails = []
    for s in stories:
        url = context.asset(s)(s.source.name)
        if s.kind == CONTINUATION:
            tails.append((url, 0, s.cut))
        else:
            heads[url] = max(heads.get(url, 0), s.cut)
    return record.describe_sources([(url, cut, 0) for url, cut in heads.items()] + tails)


def page_html(context: Context, layout: Layout, boxes: list[tuple[FixedBox, int, int]],
              title: str, created: str | None) -> str:
    grid = context.grid
    placed = []
    for m in layout.modules:
        ids = StoryIds(f"{m.fit.story.key}-")
        plan = dataclasses.replace(context.plan, column_pages=m.fit.columns,
                                   breaks=dict(m.fit.breaks))
        placed.append(Placed(m, ids, context.blocks(ids),
                             inflow_frames(m.fit.story, grid), context.asset(m.fit.story),
                             column_boxes(context.env, plan),
                             *_rect(grid, m.x, m.y, m.fit.width, m.fit.height)))
    placed_boxes = [PlacedBox(b.label, *_rect(grid, x, y, b.columns, b.lines))
                    for b, x, y in boxes]
    return context.env.get_template("composed.html.j2").render(
        placed=placed, boxes=placed_boxes, title=title, created=created,
        version=__version__, grid_meta=(META_NAME, grid.describe()),
        modules_meta=modules_meta(layout, boxes), sources_meta=sources_meta(context, layout),
        decorations=context.running.to_json(),
        **context.common())

