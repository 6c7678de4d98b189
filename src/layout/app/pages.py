"""Composing one page of several stories (拼版): read → measure once → search → render once.

The copy of every story is measured once (:mod:`layout.compose.measure`: its
paragraphs' lines counted with Pango, the rest laid out by WeasyPrint; should the final
layout contradict a count, all of it laid out by WeasyPrint and the page composed again),
the modules are chosen on numbers
(:mod:`layout.compose.search`), and the page is rendered once.  Should WeasyPrint set a
module's copy longer than planned (deeper than a column box), that story is given a line
more and the page is searched and rendered again.  Nothing here writes a file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint.formatting_structure import boxes

from .. import decorations
from ..compose.boxes import FixedBox, misplaced
from ..compose.content import CONTINUATION, Story, continuation, cuts, stories_of
from ..compose.fit import Fitter
from ..compose.ids import StoryIds
from ..compose.measure import Measured, body_sizes, items, measured_key
from ..compose.page import Context, measuring_html, page_html
from ..compose.search import Hole, Layout, Search, clashes
from ..errors import LayoutError
from ..holes import COMPOSED_MAX_EMPTY
from ..makeup.columns import overfull_columns
from ..makeup.fastmeasure import fonts, measure_html, mispredicted
from ..makeup.grid import Grid
from ..makeup.linebreak import Lines
from ..makeup.measure import measure_blocks
from ..makeup.plan import plan_page
from ..makeup.style import makeup_style
from ..model import Diagnostic, Document
from ..settings import Settings
from ..writers import pdf
from ..writers.fetcher import SandboxedFetcher, refusal_diagnostics
from ..writers.page_metadata import with_page_metadata
from ..writers.press import press_profile
from .article import input_diagnostics

LOGGER = logging.getLogger(__name__)
RETRIES = 2  # renders after the first, each giving an overflowing story a line more
# Count the measuring document's paragraphs with Pango (layout.makeup.fastmeasure), the
# final layout checking the counts; False: WeasyPrint lays all of it out (the reference).
FAST_MEASURE = True


@dataclass(frozen=True)
class Jump:
    """A story too long for its page, continued on a later one (``--jump``)."""

    source: Path
    doc: Document  # the story (one of its source's stories)
    cut: int  # the source line the continuation starts at
    start: int  # the page it starts on
    to: int  # the page the rest is set on


@dataclass
class ComposedPage:
    stories: list[Story]
    settings: Settings
    layout: Layout | None = None
    html: str = ""
    rendered: pdf.Rendered | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    where: str = ""  # the first source: messages without a story's own source name it
    boxes: list[tuple[FixedBox, int, int]] = field(default_factory=list)  # box, column, line
    jumps: list[Jump] = field(default_factory=list)  # its stories continued on later pages
    empty: float = 0.0  # the largest empty rectangle the search measured, of the type area

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def compose_page(sources: list[tuple[Path, Document]], settings: Settings, base_dir: Path,
                 *, fixed: tuple[FixedBox, ...] = (), title: str | None = None,
                 created: str | None = None, render: bool = True,
                 continued: tuple[Jump, ...] = (), jump_to: int = 0) -> ComposedPage:
    """Compose the stories of ``sources`` (in priority order) on one page; without
    ``render``, only choose the modules (``layout inspect --plan``).

    ``continued``: the rest of stories jumped from earlier pages, set after this page's
    own stories.  With ``jump_to``, a story too long for the page is cut and its rest
    left for that page (``ComposedPage.jumps``).  Raises LayoutError L210 naming a story
    too long for the page, L211 when no arrangement fills the page.
    """
    stories = stories_of(sources)
    stories += [continuation(f"s{len(stories) + n + 1}", j.source, j.doc, j.cut, j.start)
                for n, j in enumerate(continued)]
    lead = stories[0].doc
    settings = with_page_metadata(settings, lead.page)
    page = ComposedPage(stories, settings, where=str(sources[0][0]))
    for story in stories:
        for doc in story.docs if story.kind != CONTINUATION else ():
            page.diagnostics += input_diagnostics(doc, settings)
    if page.failed:
        return page
    plan = plan_page(lead, settings)
    running = decorations.for_article(lead, settings)
    context = Context(settings, plan, running, base_dir)
    allowed = [*sorted({s.source.parent for s in stories}), *settings.design.style.folders]
    why = misplaced(fixed, plan.grid.columns, plan.grid.lines)
    if why:
        raise LayoutError("L214", why, page.where)
    sizes = body_sizes(settings.design.page)
    style = makeup_style(settings.design.style.makeup, "")
    title = title or " ".join(s.title for s in stories if s.kind != CONTINUATION)
    press = press_profile(settings.run.pdf_variant, settings.run.icc)
    own = stories

    def place(copy: Copy) -> None:
        """Choose the modules on ``copy``'s numbers and render the page (``render``): a
        story WeasyPrint sets past its module is given a line more."""
        stories = page.stories = own
        page.jumps = []
        extra: dict[str, int] = {}
        for _ in range(RETRIES + 1):
            fitter = Fitter(stories, {s: copy.of(s) for s in stories}, plan.grid,
                            settings.design.page, style, sizes, extra)
            search = Search(fitter, fixed)
            layout = search.best()
            if layout is None and jump_to and not page.jumps:
                found = _jumped(fitter, fixed, copy, jump_to)
                if found is not None:
                    stories, layout = found
                    page.stories = stories
                    page.jumps = [Jump(s.source, s.doc, s.cut, settings.publication.folio, to)
                                  for s in stories if s.head for to in (s.other,)]
            if layout is None:
                raise _no_layout(search, page.where, jump_to)
            page.layout = layout
            page.empty = search.empty(layout)[1]
            page.boxes = [(b, *search.box_origin(b)) for b in fixed]
            if not render:
                return
            page.html = page_html(context, layout, page.boxes, title, created)
            page.rendered = pdf.render(page.html, base_dir, allowed=allowed,
                                       typeset=settings.run.typeset, press=press,
                                       font_config=fonts() if copy.predicted else None)
            over = overflowing(page.rendered, [m.fit.story.key for m in layout.modules])
            if not over:
                return
            for key in over:
                extra[key] = extra.get(key, 0) + 1
        raise LayoutError("L212", "the layout engine set the copy of "
                          + ", ".join(s.name for s in stories if s.key in over)
                          + " past its module", page.where)

    copy = _measure(context, stories, sizes, base_dir, allowed, FAST_MEASURE)
    try:
        place(copy)
        wrong = mispredicted(page.rendered.document, copy.predicted) if (
            page.rendered and copy.predicted) else []
    except LayoutError as exc:
        if not copy.predicted:
            raise
        wrong = [f"(the page was refused: {exc.code})"]
    if wrong:
        # A line miscounted makes the modules' columns wrong: measure with WeasyPrint and
        # compose again (a page refused on the fast measure's numbers is tried on the
        # reference's: they may differ).
        LOGGER.debug("%s: the fast measure miscounted the lines of %s; measuring with the "
                     "layout engine", page.where, ", ".join(wrong))
        place(_measure(context, own, sizes, base_dir, allowed, fast=False))
    if not render:
        return page
    assert page.rendered is not None and page.layout is not None  # (place() rendered it)
    page.diagnostics += refusal_diagnostics(page.rendered.refused, lead)
    page.diagnostics += pdf.dropped_css(page.rendered)
    page.diagnostics += _unplaced(page.stories, page.rendered)
    page.diagnostics += [Diagnostic(
        "L213", b.fit.story.line, f"the headlines of {a.fit.story.name} and "
        f"{b.fit.story.name} stand side by side at the same height (撞题): no arrangement "
        "without it fills the page") for a, b in clashes(page.layout)]
    return page


def _jumped(fitter: Fitter, fixed: tuple[FixedBox, ...], copy: Copy, to: int
            ) -> tuple[list[Story], Layout] | None:
    """The page with one news story cut as late as the page allows, its rest for page
    ``to``: the longest story first (the same copy: the first in priority), each cut from
    the latest on.  None when no cut of any story lets the page be made."""
    stories = fitter.stories
    grid = fitter.grid

    def lines(story: Story, size: float) -> int:
        return sum(it.lines for it in copy.of(story).items[size])

    longest = sorted((s for s in stories if cuts(s)), key=lambda s: -lines(s, fitter.sizes[0]))
    # Copy set as small as it may be, heads left out: a cut above it cannot fit.
    small = min(fitter.sizes)
    area = grid.columns * grid.lines - sum(b.columns * b.lines for b in fixed)
    for story in longest:
        others = sum(lines(s, small) for s in stories if s is not story)
        for cut in cuts(story):
            part = story.jumped(cut, to)
            if others + lines(part, small) > area:
                continue
            trial = [part if s is story else s for s in stories]
            fitter.stories = trial
            fitter.measured[part] = copy.of(part)
            layout = Search(fitter, fixed).best()
            if layout is not None:
                return trial, layout
    fitter.stories = stories
    return None


@dataclass
class Copy:
    """The measured copy of a page's stories: what one layout of the measuring document
    gave, and each story's (or a jumped story's part's) numbers from it."""

    lines: dict[str, int]
    breaks: dict[str, tuple[int, ...]]
    grid: Grid
    sizes: tuple[float, ...]
    # the fast measure's paragraphs, by their ids on the page (none: the reference measure)
    predicted: list[dict[str, Lines]] = field(default_factory=list)
    made: dict[Story, Measured] = field(default_factory=dict)

    def of(self, story: Story) -> Measured:
        if story not in self.made:
            grid = self.grid
            page_ids = StoryIds(f"{story.key}-")
            bodies, breaks = {}, {}
            for z, size in enumerate(self.sizes):
                measured = StoryIds(f"{story.key}z{z}-")
                bodies[size] = items(story, self.lines, measured, page_ids, grid)
                breaks[size] = {it.key: self.breaks[key] for it in bodies[size]
                                if (key := measured_key(it.key, measured, page_ids))
                                in self.breaks}
            heads = {}
            for width in range(1, grid.columns + 1):
                at = page_ids.at(width)
                heads[width] = {name: self.lines.get(eid, 0) for name, eid in (
                    ("column", at.column), ("kicker", at.kicker),
                    ("subtitle", at.subtitle), ("byline", at.byline),
                    ("caption", at.caption))}
            self.made[story] = Measured(bodies, heads, breaks)
        return self.made[story]


def _measure(context: Context, stories: list[Story], sizes: tuple[float, ...],
             base_dir: Path, allowed: list[Path], fast: bool) -> Copy:
    """Every story's copy per body size and its head texts per width: one measure of the
    measuring document.  With ``fast``, its paragraphs are counted with Pango
    (:mod:`layout.makeup.fastmeasure`), the rest laid out by WeasyPrint; else all of it
    laid out by WeasyPrint (the reference, and the fallback when a count was wrong)."""
    grid = context.grid
    html = measuring_html(context, stories, sizes)
    if not fast:
        laid = pdf.render(html, base_dir, allowed=allowed,
                          typeset=context.settings.run.typeset)
        measured = measure_blocks(laid.document, grid)
        return Copy(measured.lines, measured.breaks, grid, sizes)
    measured, paragraphs = measure_html(html, str(base_dir) + "/",
                                        SandboxedFetcher.for_renderer(allowed), grid)
    return Copy(measured.lines, measured.breaks, grid, sizes,
                predicted=_as_on_the_page(paragraphs, stories, sizes, grid.columns))


def _as_on_the_page(paragraphs: dict[str, Lines], stories: list[Story],
                    sizes: tuple[float, ...], columns: int) -> list[dict[str, Lines]]:
    """The paragraphs the fast measure counted, by the ids they have on the page: one
    measure per body size (a story's copy) and per module width (its head texts), for
    :func:`mispredicted` to compare with the page's lines at the same width and size."""
    renamed = []
    for story in stories:
        page = StoryIds(f"{story.key}-")
        renamed += [(StoryIds(f"{story.key}z{z}-"), page) for z in range(len(sizes))]
        renamed += [(page.at(width), page) for width in range(1, columns + 1)]
    out = []
    for measured, page in renamed:
        out.append({page.prefix + eid.removeprefix(measured.prefix): lines
                    for eid, lines in paragraphs.items() if eid.startswith(measured.prefix)})
    return out


def overflowing(rendered: pdf.Rendered, keys: list[str]) -> set[str]:
    """The stories (of ``keys``, those of the page's modules) whose body WeasyPrint set
    deeper than a column box of their module; all of them if the page ran onto another."""
    bodies = {f"{key}-body" for key in keys}
    out = set()
    for page in rendered.document.pages:
        for found in page._page_box.descendants(placeholders=True):
            box = getattr(found, "_box", found)  # a module is behind a placeholder
            element = getattr(box, "element", None)
            if not isinstance(box, boxes.BlockBox) or element is None:
                continue
            eid = element.get("id") or ""
            if eid in bodies and overfull_columns(box):
                out.add(eid.removesuffix("-body"))
    if len(rendered.document.pages) > 1:
        out |= set(keys)
    return out


def _unplaced(stories: list[Story], rendered: pdf.Rendered) -> list[Diagnostic]:
    """Every headline and body block of every story must be on the page."""
    out = []
    for story in stories:
        ids = StoryIds(f"{story.key}-")
        wanted = [(ids.title, story.line, "headline")]
        if story.cut:
            wanted.append((ids.jump, story.cut, "jump line"))
        for n, doc in enumerate(story.docs):
            if story.kind == "briefs":
                wanted.append((ids.brief(n), doc.head_line, "brief title"))
            wanted += [(ids.block(b), b.line, "paragraph") for b in doc.lead
                       if story.keeps(b.line)]
            wanted += [(ids.block(b), b.line, "paragraph") for s in doc.sections
                       for b in s.blocks if story.keeps(b.line)]
        out += [Diagnostic("B201", line, f"{what} of {story.name} was not placed on the page",
                           "error") for eid, line, what in wanted
                if eid not in rendered.element_pages]
    return out


def _where(search: Search, hole: Hole) -> str:
    """Where ``hole`` is: beside a module's head group, or under its columns."""
    m = hole.beside
    if m is None:
        return ""
    pitch = search.fitter.grid.pitch
    head = (m.y + m.fit.below + m.fit.head.lines + m.fit.air) * pitch
    return (f" beside the head group of {m.fit.story.name}" if hole.rect[1] < head
            else f" in the module of {m.fit.story.name}, under its columns"
            if hole.rect[3] >= (m.y + m.fit.height) * pitch - pitch else
            f" in the module of {m.fit.story.name}")


def _too_long(fitter: Fitter, story: Story) -> bool:
    """Whether ``story`` needs more than the page's depth at every width its headline
    fits, its copy at the smallest body size."""
    small = min(fitter.sizes)
    return not any(head.lines + fitter.least_depth(story, small, width) <= fitter.grid.lines
                   for width in range(1, fitter.grid.columns + 1)
                   if (head := fitter.head(story, width)) is not None)


def _no_layout(search: Search, where: str, jump_to: int = 0) -> LayoutError:
    """Why no page could be made: a story too long for it or too short for any module,
    too much or too little copy for the page, or no arrangement of the modules without a
    hole."""
    jump = (f" (with --jump: no cut of a news story, continued on page {jump_to}, lets the "
            "page be made)" if jump_to else "")
    fitter = search.fitter
    grid = fitter.grid
    modules = {s.key: [(w, fitter.heights(s, w, True)) for w in range(
        1, (search.narrow if s.narrow else grid.columns) + 1)] for s in search.stories}
    unset = [s for s in search.stories if not any(h for _, h in modules[s.key])]
    too_long = [s for s in unset if _too_long(fitter, s)]
    if too_long:
        names = ", ".join(f"{s.name} ({s.source}:{s.line})" for s in too_long)
        return LayoutError("L210", f"too long for the page even on its own at the smallest "
                           f"body size: {names}; cut it, give it a page of its own, or "
                           f"let it jump to a later page (--jump){jump}", where)
    if unset:
        names = ", ".join(f"{s.name} ({s.source}:{s.line})" for s in unset)
        return LayoutError("L211", f"{names}: too little copy for a module of its own: at "
                           "every width its copy leaves a column empty, its column feet "
                           "uneven or a hole beside its head group; add copy to it, or set "
                           f"it with the page's briefs{jump}", where)
    area = grid.columns * grid.lines - sum(b.columns * b.lines for b in search.boxes)
    least = sum(min(w * h[0] for w, h in found if h) for found in modules.values())
    most = sum(max(w * h[-1] for w, h in found if h) for found in modules.values())
    stories = ", ".join(s.name for s in search.stories)
    if least > area:
        why = (f"too much copy: set as small as they may be, they need {least / area:.0%} "
               "of the page; cut copy or move a story to another page")
    elif most < area:
        empty = area - most
        why = (f"too little copy: set as large as they may be, they leave {empty / area:.1%} "
               f"of the page empty ({empty} column-lines, {empty / grid.columns:.0f} lines "
               "across the page); add a story or copy")
    elif search.refused is not None:
        _, hole = search.refused
        why = (f"no arrangement of their modules fills the page without a hole: the best "
               f"leaves an empty rectangle of {hole.share:.1%} of the type area (limit "
               f"{COMPOSED_MAX_EMPTY:.0%}){_where(search, hole)}; lengthen or shorten a story by a "
               "few lines, or add a story")
    else:
        why = ("no arrangement of their modules tiles the page (each story's module must "
               "hold its copy with its column feet level); lengthen or shorten a story by "
               "a few lines, or add a story")
        if search.budget <= 0:
            why += " (or set fewer stories on the page: the search stopped at its limit)"
    return LayoutError("L211", f"{stories}: {why}{jump}", where)
