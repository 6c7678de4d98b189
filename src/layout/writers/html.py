"""HTML writer: the print edition as one HTML document (input to WeasyPrint)."""

from __future__ import annotations

import dataclasses
import functools
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote

from jinja2 import Environment
from markupsafe import Markup, escape

from .. import __version__, decorations
from ..colors import colors_css
from ..makeup.columns import Unplaceable, column_html, whole_items
from ..makeup.figures import span_width
from ..makeup.grid import FREE_META, META_NAME, describe_free
from ..makeup.plan import Plan, plan_page
from ..model import Block, Document, Figure, Section, Sidebar, SignedText
from ..settings import Settings
from ..typeset.marks import face_marks
from ..typeset.markup import headline_markup, last_line_mark, typeset_markup
from .press import MARKS_MM, load_profile
from .templating import css_string, new_environment, template_key


class ElementIds:
    """Stable element ids derived from source lines: ``l<line>`` for every text element.

    The PDF writer looks each id up in WeasyPrint's layout to prove it was placed.
    """

    kicker = "kicker"
    title = "headline"
    byline = "byline"
    editor_note = "editor-note"

    @staticmethod
    def block(b: Block) -> str:
        return f"l{b.line}"

    @staticmethod
    def section(s: Section) -> str:
        return f"l{s.line}"

    @staticmethod
    def figure(f: Figure) -> str:
        return f"l{f.line}"

    @staticmethod
    def sidebar(sb: Sidebar) -> str:
        return f"l{sb.line}"

    @staticmethod
    def entry(e: SignedText) -> str:
        return f"e{e.line}"

    @staticmethod
    def paragraph(st: SignedText, index: int) -> str:
        """A paragraph of an editor's note or sidebar entry."""
        return f"l{st.lines[index]}" if st.lines else f"l{st.line}-{index}"


@dataclass(frozen=True)
class Placed:
    """An element the layout must place, with where it came from."""

    element_id: str
    line: int
    what: str


def expected_elements(doc: Document) -> list[Placed]:
    ids = ElementIds
    out = [Placed(ids.title, doc.byline.line if doc.byline else 1, "headline")]
    if doc.kicker:
        out.append(Placed(ids.kicker, 1, "kicker"))
    if doc.byline:
        out.append(Placed(ids.byline, doc.byline.line, "byline"))
    if doc.editor_note:
        out.append(Placed(ids.editor_note, doc.editor_note.line, "editor's note"))
    for b in doc.lead:
        out.append(Placed(ids.block(b), b.line, b.type.replace("_", "-")))
    for s in doc.sections:
        out.append(Placed(ids.section(s), s.line, f"section head {s.title}"))
        out += [Placed(ids.block(b), b.line, b.type.replace("_", "-")) for b in s.blocks]
    out += [Placed(ids.figure(f), f.line, f"figure {f.label}") for f in doc.figures]
    for sb in doc.sidebars:
        out.append(Placed(ids.sidebar(sb), sb.line, f"sidebar {sb.title}"))
        out += [Placed(ids.entry(e), e.line, "sidebar entry") for e in sb.entries]
    return out


def fonts_css(families: tuple[str, ...]) -> Markup:
    """A CSS font-family list; names are quoted with css_string, so they stay names."""
    generic = {"serif", "sans-serif", "monospace", "cursive", "fantasy"}
    return Markup(", ".join(f if f in generic else css_string(f) for f in families))


def placement(plan: Plan | None) -> Callable[[str], Markup]:
    """``placement(id)``: the inline style the make-up gives an element of the column flow
    (`` style="…"`` or nothing): a column break, and its space above (none at the top of a
    column, more than the style's where the make-up fills a column with it)."""

    def style(eid: str) -> Markup:
        if plan is None:
            return Markup("")
        # (columns as boxes hold what the make-up planned: no break to ask for)
        rules = ["break-before: column"] if (
            eid in plan.column_breaks and not plan.column_pages) else []
        if eid in plan.column_tops:
            rules.append("margin-top: 0")
        elif eid in plan.space:
            rules.append(f"margin-top: {plan.space[eid] * plan.grid.pitch:.3f}pt")
        return Markup(' style="{}"').format("; ".join(rules)) if rules else Markup("")

    return style


def kai_markup(text: str, typeset: bool, last_line: bool = False) -> Markup:
    """Text in the Kai role: a ``.kai`` span (page.css.j2 says why a span), its quotation
    marks marked for the Kai face's cells; ``last_line``: a line ending with the text is
    set as a paragraph's last (before a caption's credit: ``markup.last_line_mark``).
    The mark is inside the span, so its zero-width space is set in the Kai face: in the
    body face it could be that face's only character on a page (photo news), which
    WeasyPrint then embedded whole (26 MB) instead of a subset."""
    inner = typeset_markup(text, cells=True) if typeset else escape(text)
    mark = last_line_mark() if last_line and typeset else ""
    return Markup('<span class="kai">') + inner + mark + Markup("</span>")


def block_renderer(env: Environment, plan: Plan | None = None, ids: object = ElementIds
                   ) -> Callable[[Block, str | None], Markup]:
    """The ``block_html(block, dateline)`` helper templates call for one body block,
    placed as ``plan`` says (:func:`placement`); ``ids`` names the elements (a composed
    page prefixes each story's)."""
    template = env.get_template("block.html.j2")
    place = placement(plan)

    def block_html(block: Block, dateline: str | None) -> Markup:
        return Markup(template.render(block=block, dateline=dateline, ids=ids,
                                      placement=place))

    return block_html


def column_boxes(env: Environment, plan: Plan) -> Callable[[str], Markup]:
    """``columns(body)``: the body's HTML (its items in reading order) as the column boxes
    of ``plan`` (:mod:`layout.makeup.columns`, templates/columns.html.j2): per page, each
    column's box below the photos across columns at its head, those photos, and
    a rule in each gutter where the two columns beside it both hold text."""
    grid = plan.grid
    template = env.get_template("columns.html.j2")
    step = grid.column + grid.gutter

    def columns(body: str) -> Markup:
        column_pages = plan.column_pages
        contents = column_html(str(body), [p.columns for p in column_pages], plan.breaks)
        photos = whole_items(str(body), [a.key for p in column_pages for a in p.across])
        pages = []
        for page, inner in zip(column_pages, contents, strict=True):
            boxes = [(top, page.depth) for top in page.tops]
            cols = []
            for k, html in enumerate(inner):
                top, bottom = boxes[k]
                rule = None
                if k and html.strip() and inner[k - 1].strip():
                    rule = (max(top, boxes[k - 1][0]), min(bottom, boxes[k - 1][1]))
                cols.append({"left": k * step, "width": grid.column, "html": Markup(html),
                             "top": top * grid.pitch, "height": (bottom - top) * grid.pitch,
                             "rule": None if rule is None or rule[1] <= rule[0] else {
                                 "left": k * step - grid.gutter / 2,
                                 "top": rule[0] * grid.pitch,
                                 "height": (rule[1] - rule[0]) * grid.pitch}})
            across = [{"left": a.column * step, "width": span_width(grid, a.span),
                       "top": a.top * grid.pitch,
                       "height": (a.lines - 1) * grid.pitch, "html": Markup(photos[a.key])}
                      for a in page.across]
            pages.append({"height": page.depth * grid.pitch, "columns": cols,
                          "across": across})
        return Markup(template.render(pages=pages))

    return columns


def render_html(doc: Document, settings: Settings, created: str | None = None,
                asset_prefix: str = ".", plan: Plan | None = None, extra_css: str = "") -> str:
    """Render the print HTML of ``doc``: template + page CSS + the style's CSS.

    ``plan`` is the make-up (``layout.makeup``; by default the grid's first guess);
    ``extra_css`` goes after the style's (the make-up's measuring pass).
    """
    env = print_environment(settings)
    style_css = style_sheet(settings) + extra_css
    plan = plan or plan_page(doc, settings)
    try:
        return _render_article(env, doc, settings, plan, created, asset_prefix, style_css)
    except Unplaceable:
        # An item the flow planned is not in the body's HTML as planned (a style's own
        # template): the body as one multi-column box.
        plan = dataclasses.replace(plan, column_pages=())
        return _render_article(env, doc, settings, plan, created, asset_prefix, style_css)


def _render_article(env: Environment, doc: Document, settings: Settings, plan: Plan,
                    created: str | None, asset_prefix: str, style_css: str) -> str:
    running = decorations.for_article(doc, settings)
    page_css = page_sheet(env, settings, running, plan)
    block_html = block_renderer(env, plan)
    description = "".join(doc.editor_note.paragraphs) if doc.editor_note else doc.title
    keywords = [s.title for s in doc.sections]
    return env.get_template("article.html.j2").render(
        doc=doc, asset=asset_url(asset_prefix), settings=settings, ids=ElementIds,
        block_html=block_html, placement=placement(plan),
        columns=column_boxes(env, plan) if plan.column_pages else None,
        page_css=Markup(page_css), style_css=Markup(style_css), plan=plan, grid=plan.grid,
        grid_meta=(META_NAME, plan.page.describe()),
        free_meta=(FREE_META, describe_free(*plan.free_from)) if plan.free_from else None,
        description=description, keywords=keywords, version=__version__, created=created,
        decorations=running.to_json(),
    )


def asset_url(prefix: str) -> Callable[[str], str]:
    """``asset(name)``: a relative URL to a file next to the source (names may hold %, #,
    ? or spaces), from the output folder ``prefix`` leads to the source's."""
    def asset(name: str) -> str:
        return quote(posixpath.join(prefix.replace(os.sep, "/"), name))

    return asset


def print_environment(settings: Settings) -> Environment:
    """The template environment of the print HTML, with its text filters, kept in the
    process as :func:`layout.writers.templating.environment` is."""
    return _print_environment(*template_key(settings.design.style), settings.run.typeset)


@functools.lru_cache(maxsize=16)
def _print_environment(search: tuple[str, ...], overrides: tuple[str, ...], typeset: bool
                       ) -> Environment:
    env = new_environment(search)
    env.filters["zh"] = typeset_markup if typeset else escape
    env.filters["zh_headline"] = headline_markup if typeset else escape
    # text a paragraph goes on after (a dateline, a run-in): no paragraph-end rule
    env.filters["zh_open"] = partial(typeset_markup, keep_tail=False) if typeset else escape
    env.filters["kai"] = partial(kai_markup, typeset=typeset)
    return env


def style_sheet(settings: Settings) -> str:
    """The style's own CSS (style.css), or nothing."""
    path = settings.design.style.find("style.css")
    return path.read_text("utf-8") if path else ""


def page_sheet(env: Environment, settings: Settings, running: decorations.PageDecorations,
               plan: Plan) -> str:
    """The page CSS (page.css.j2: page, grid, running heads) with the colours before it."""
    fonts = {role: fonts_css(settings.design.style.fonts.get(role, ("serif",)))
             for role in ("body", "heading", "note")}
    run = settings.run
    note_face = face_marks(settings.design.style.fonts.get("note", ())) if run.typeset else None
    page_css = env.get_template("page.css.j2").render(
        page=settings.design.page, style=settings.design.style, fonts=fonts, running=running,
        plan=plan, grid=plan.grid, page_grid=plan.page,
        folio=decorations.FOLIO, continued_from=decorations.CONTINUED_FROM,
        continued_to=decorations.CONTINUED_TO,
        first_page=settings.publication.folio,
        bleed=run.bleed_mm + (MARKS_MM if run.marks else 0), typeset=run.typeset,
        kai_marks=Markup(note_face.css((".kai",)) if note_face else ""),
    )
    return colors_css(settings.design.style.colors, None) + page_css


def for_screen(print_html: str, settings: Settings) -> str:
    """The print HTML with the style's colours for screens (a browser, PDF/A): the sRGB
    the output profile says its inks print as.  Nothing else differs."""
    colors = settings.design.style.colors
    return print_html.replace(colors_css(colors, None),
                              colors_css(colors, load_profile(settings.run.icc).data), 1)
