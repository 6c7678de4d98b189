"""The make-up of one article, decided before WeasyPrint sets the type: the grid, the
fitted headline, the whole-line heights of every element, where each photo goes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Document
from ..settings import Settings
from .figures import TALLEST, Frame, body_blocks, frame_lines, place_figures
from .flow import ColumnPage
from .grid import Grid, box_inset, lines_for, page_grid
from .headline import Headline, fit_headline
from .style import MakeupStyle, makeup_style

# A headline line is as tall as its face's ascent and descent (Noto CJK: 1.448 em), so its
# glyphs do not reach into the byline's line (a PDF reader would mix their text).
HEADLINE_LEADING = 1.45
LEAST_INSET = 0.8  # em, least space between a box's border and its text
ABOVE = 1.25  # a short story's headline: this much larger than its kicker and subtitle, at least


@dataclass(frozen=True)
class NoteSetting:
    """How the editor's note's text is set in its columns: its size (a share of the style's)
    and its inset from each column's edges (body ems).  The make-up measures a few and
    takes the one whose lines fill the note's columns evenly (its last column not short)."""

    size: float = 1.0
    inset: float = 0.0


# The settings measured: the style's first, then within a few per cent of its size and an
# em of inset.
NOTE_SETTINGS = tuple(NoteSetting(size, inset) for size in (1.0, 0.97, 1.03)
                      for inset in (0.0, 0.5, 1.0))


@dataclass(frozen=True)
class Plan:
    grid: Grid
    style: MakeupStyle
    headline: Headline
    headline_lines_each: int  # grid lines per headline line
    heights: dict[str, int]  # grid lines of one line of each head text
    sizes: dict[str, float]  # em
    note_columns: int
    sidebar_inset: float  # pt
    frames: dict[int, list[Frame]]  # source line of a body block -> photos after it
    column_breaks: frozenset[str] = frozenset()  # element ids that start a column
    column_tops: frozenset[str] = frozenset()  # ... and lose their space above
    note_lines: int = 0  # grid lines of the editor's note's columns (0: as they come)
    body_lines: int = 0  # grid lines of the body's columns on a one-page story (0: as they come)
    free_share: float = 0.0  # of the last page's type area, left for other stories
    # (page, pt from the trim's top, the right edge of a module narrower than the page or
    # None) where the story ends when it leaves that space
    free_from: tuple[int, float, float | None] | None = None
    # grid lines of space above the heads and lead-ins given more than the style's
    space: dict[str, int] = field(default_factory=dict)
    note: NoteSetting = NoteSetting()  # how the editor's note is set
    note_settings: tuple[NoteSetting, ...] = ()  # the note's settings to measure
    # The body as boxes (layout.makeup.columns): per page, its depth in grid lines and
    # what each column holds; empty: one multi-column box, as WeasyPrint flows it.
    column_pages: tuple[ColumnPage, ...] = ()
    breaks: dict[str, tuple[int, ...]] = field(default_factory=dict)  # Measured.breaks
    # The page's grid when the story is a module narrower than the type area (``grid``
    # is then the module's: its first columns); None: the story is as wide as the page.
    page_grid: Grid | None = None
    # A story shorter than the page (a module of its columns or of fewer): its headline
    # ranks below a page's lead (:func:`headline_range`).
    compact: bool = False

    @property
    def page(self) -> Grid:
        """The page's grid (its type area and columns), whatever the module's width."""
        return self.page_grid or self.grid


def plan_page(doc: Document, settings: Settings, columns: int | None = None,
              words: bool = False, compact: bool = False, tallest: float = TALLEST) -> Plan:
    """The plan of ``doc`` across the page, or as a module of its first ``columns``
    columns; in a module, or ``compact`` (a story too short for the page, across its
    columns), its headline ranks below a page's lead; with ``words``, a narrow module's
    headline broken between words if it has to be; on one column, no photo taller than
    ``tallest`` of the type area (figures.measure_width)."""
    page = settings.design.page
    whole = page_grid(page)
    grid = whole.module(columns) if columns and columns < whole.columns else whole
    design = settings.design
    where = str(design.style.find("style.toml") or design.style.name)
    style = makeup_style(design.style.makeup, where)
    compact = compact or grid is not whole
    above = max(style.sizes["kicker"], style.sizes["subtitle"]) * page.body_size
    largest, smallest = headline_range(settings, compact, above)
    headline = fit_headline(doc.title, grid.type_width, largest, smallest, doc.source or "",
                            words and grid is not whole)
    body = page.body_size
    heights = {key: lines_for(grid, em * body) for key, em in style.sizes.items()}
    # An editor's note across the type area: two page columns per note column when the
    # page has an even number of columns, else the page's own columns.
    note_columns = grid.columns // 2 if grid.columns % 2 == 0 else grid.columns
    frames: dict[int, list[Frame]] = {}
    folder = Path(doc.source).parent if doc.source else Path(".")
    placed = place_figures(doc, grid, folder, page.body_size, tallest)
    if grid is not whole and len(placed) == 1 and not body_blocks(doc):
        # Photo news in a module: the photo is the story, as wide as its module.
        frame = placed[0]
        placed = [dataclasses.replace(frame, span=grid.columns, lines=frame_lines(
            grid, frame.ratio, frame.photo, grid.columns))]
    for frame in placed:
        frames.setdefault(frame.after, []).append(frame)
    return Plan(grid, style, headline,
                lines_for(grid, headline.size, HEADLINE_LEADING), heights, style.sizes,
                max(1, note_columns),
                box_inset(grid, body, LEAST_INSET * body), frames,
                page_grid=None if grid is whole else whole, compact=compact)


def headline_range(settings: Settings, module: bool, above: float = 0.0
                   ) -> tuple[float, float]:
    """Largest and smallest headline size (pt): the preset's; for a module (a story
    shorter than the page), down to the least any headline of a composed page may be
    (layout.compose.fit): the largest that fits the module's width is set, and on a page
    of columns no larger than a composed page's second story's (a short story is not the
    page's lead: its headline no heavier than its few lines of text), but a step
    (ABOVE) larger than ``above``, the largest of its head group's other lines (pt)."""
    page = settings.design.page
    smallest = page.min_headline_size or round(page.headline_size * 0.6)
    if not module:
        return page.headline_size, smallest
    from ..compose.fit import LEAST_HEADLINE, RANK_LARGEST  # compose builds on makeup

    smallest = min(smallest, LEAST_HEADLINE * page.body_size)
    if page.columns < 2:
        return page.headline_size, smallest
    return max(smallest, RANK_LARGEST * page.headline_size, min(
        ABOVE * above, page.headline_size)), smallest


def for_measuring(plan: Plan) -> Plan:
    """``plan`` as the measuring layout sets it: the note once per setting it may take."""
    return dataclasses.replace(plan, note_settings=NOTE_SETTINGS if plan.note_columns > 1
                               else ())


def note_column(plan: Plan) -> float:
    """Width of one column of the editor's note."""
    grid, n = plan.grid, plan.note_columns
    return (grid.type_width - (n - 1) * grid.gutter) / n
