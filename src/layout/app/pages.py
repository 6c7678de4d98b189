"""Composing one page of several stories (拼版): read → measure once → search → render once.

The copy of every story is measured in one WeasyPrint layout
(:mod:`layout.compose.measure`), the modules are chosen on numbers
(:mod:`layout.compose.search`), and the page is rendered once.  Should WeasyPrint set a
module's copy longer than planned (a column past the module), that story is given a line
more and the page is searched and rendered again.  Nothing here writes a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from weasyprint.formatting_structure import boxes

from .. import decorations
from ..compose.boxes import FixedBox
from ..compose.content import Story, stories_of
from ..compose.fit import Fitter
from ..compose.ids import StoryIds
from ..compose.measure import Measured, body_sizes, items
from ..compose.page import Context, measuring_html, page_html
from ..compose.search import Layout, Search, clashes
from ..errors import LayoutError
from ..makeup.measure import measure_blocks
from ..makeup.plan import plan_page
from ..makeup.style import makeup_style
from ..model import Diagnostic, Document
from ..settings import Settings
from ..writers import pdf
from ..writers.fetcher import refusal_diagnostics
from ..writers.page_metadata import with_page_metadata
from ..writers.press import press_profile
from .article import input_diagnostics

RETRIES = 2  # renders after the first, each giving an overflowing story a line more


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

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def compose_page(sources: list[tuple[Path, Document]], settings: Settings, base_dir: Path,
                 *, fixed: tuple[FixedBox, ...] = (), title: str | None = None,
                 created: str | None = None, render: bool = True) -> ComposedPage:
    """Compose the stories of ``sources`` (in priority order) on one page; without
    ``render``, only choose the modules (``layout inspect --plan``).

    Raises LayoutError L210 naming a story too long for the page, L211 when no
    arrangement fills the page.
    """
    stories = stories_of(sources)
    lead = stories[0].doc
    settings = with_page_metadata(settings, lead.page)
    page = ComposedPage(stories, settings, where=str(sources[0][0]))
    for story in stories:
        for doc in story.docs:
            page.diagnostics += input_diagnostics(doc, settings)
    if page.failed:
        return page
    plan = plan_page(lead, settings)
    running = decorations.for_article(lead, settings)
    context = Context(settings, plan, running, base_dir)
    allowed = [*sorted({s.source.parent for s in stories}), *settings.design.style.folders]
    sizes = body_sizes(settings.design.page)
    measured = _measure(context, stories, sizes, base_dir, allowed)
    style = makeup_style(settings.design.style.makeup, "")
    extra: dict[str, int] = {}
    title = title or " ".join(s.title for s in stories)
    press = press_profile(settings.run.pdf_variant, settings.run.icc)
    for _ in range(RETRIES + 1):
        fitter = Fitter(stories, measured, plan.grid, settings.design.page, style, sizes,
                        extra)
        search = Search(fitter, fixed)
        layout = search.best()
        if layout is None:
            raise _no_layout(search, page.where)
        page.layout = layout
        page.boxes = [(b, *search.box_origin(b)) for b in fixed]
        if not render:
            return page
        page.html = page_html(context, layout, page.boxes, title, created)
        page.rendered = pdf.render(page.html, base_dir, allowed=allowed,
                                   typeset=settings.run.typeset, press=press)
        over = overflowing(page.rendered, layout)
        if not over:
            break
        for key in over:
            extra[key] = extra.get(key, 0) + 1
    else:
        raise LayoutError("L212", "the layout engine set the copy of "
                          + ", ".join(s.name for s in stories if s.key in over)
                          + " past its module", page.where)
    page.diagnostics += refusal_diagnostics(page.rendered.refused, lead)
    page.diagnostics += pdf.dropped_css(page.rendered)
    page.diagnostics += _unplaced(stories, page.rendered)
    page.diagnostics += [Diagnostic(
        "L213", b.fit.story.line, f"the headlines of {a.fit.story.name} and "
        f"{b.fit.story.name} stand side by side at the same height (撞题): no arrangement "
        "without it fills the page") for a, b in clashes(page.layout)]
    return page


def _measure(context: Context, stories: list[Story], sizes: tuple[float, ...],
             base_dir: Path, allowed: list[Path]) -> dict[str, Measured]:
    """Every story's copy per body size and its head texts per width: one layout."""
    grid = context.grid
    laid = pdf.render(measuring_html(context, stories, sizes), base_dir, allowed=allowed,
                      typeset=context.settings.run.typeset)
    lines = measure_blocks(laid.document, grid).lines
    out = {}
    for story in stories:
        page_ids = StoryIds(f"{story.key}-")
        bodies = {size: items(story, lines, StoryIds(f"{story.key}z{z}-"), page_ids, grid)
                  for z, size in enumerate(sizes)}
        heads = {}
        for width in range(1, grid.columns + 1):
            at = page_ids.at(width)
            heads[width] = {name: lines.get(eid, 0) for name, eid in (
                ("column", at.column), ("kicker", at.kicker), ("subtitle", at.subtitle),
                ("byline", at.byline), ("caption", at.caption))}
        out[story.key] = Measured(bodies, heads)
    return out


def overflowing(rendered: pdf.Rendered, layout: Layout) -> set[str]:
    """Stories whose body WeasyPrint set in more columns than their module has."""
    widths = {f"{m.fit.story.key}-body": m.fit.width for m in layout.modules}
    out = set()
    for page in rendered.document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if not isinstance(box, boxes.BlockBox) or element is None:
                continue
            eid = element.get("id") or ""
            if eid in widths:
                columns = [c for c in box.children if getattr(c, "element", None) is element]
                if len(columns) > widths[eid]:
                    out.add(eid.removesuffix("-body"))
    if len(rendered.document.pages) > 1:
        out |= {m.fit.story.key for m in layout.modules}
    return out


def _unplaced(stories: list[Story], rendered: pdf.Rendered) -> list[Diagnostic]:
    """Every headline and body block of every story must be on the page."""
    out = []
    for story in stories:
        ids = StoryIds(f"{story.key}-")
        wanted = [(ids.title, story.line, "headline")]
        for n, doc in enumerate(story.docs):
            if story.kind == "briefs":
                wanted.append((ids.brief(n), doc.head_line, "brief title"))
            wanted += [(ids.block(b), b.line, "paragraph") for b in doc.lead]
            wanted += [(ids.block(b), b.line, "paragraph") for s in doc.sections
                       for b in s.blocks]
        out += [Diagnostic("B201", line, f"{what} of {story.name} was not placed on the page",
                           "error") for eid, line, what in wanted
                if eid not in rendered.element_pages]
    return out


def _no_layout(search: Search, where: str) -> LayoutError:
    """Why no page could be made: a story too long for it, too much or too little copy
    for the page, or no arrangement of the modules without a hole."""
    fitter = search.fitter
    grid = fitter.grid
    modules = {s.key: [(w, fitter.heights(s, w, True)) for w in range(
        1, (search.narrow if s.narrow else grid.columns) + 1)] for s in search.stories}
    too_long = [s for s in search.stories if not any(h for _, h in modules[s.key])]
    if too_long:
        names = ", ".join(f"{s.name} ({s.source}:{s.line})" for s in too_long)
        return LayoutError("L210", f"too long for the page even on its own at the smallest "
                           f"body size: {names}; cut it, or give it a page of its own",
                           where)
    area = grid.columns * grid.lines - sum(b.columns * b.lines for b in search.boxes)
    least = sum(min(w * h[0] for w, h in found if h) for found in modules.values())
    most = sum(max(w * h[-1] for w, h in found if h) for found in modules.values())
    stories = ", ".join(s.name for s in search.stories)
    if least > area:
        why = (f"too much copy: set as small as they may be, they need {least / area:.0%} "
               "of the page; cut copy or move a story to another page")
    elif most < area:
        why = (f"too little copy: set as large as they may be, they fill {most / area:.0%} "
               "of the page; add a story or copy")
    else:
        why = ("no arrangement of their modules fills the page without a hole; lengthen or "
               "shorten a story by a few lines, or add a story")
        if search.budget <= 0:
            why += " (or set fewer stories on the page: the search stopped at its limit)"
    return LayoutError("L211", f"{stories}: {why}", where)
