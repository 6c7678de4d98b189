"""The measure of :mod:`layout.makeup.measure` without laying most of it out.

WeasyPrint's cascade and box tree are built as for the measuring layout; every block that
:mod:`layout.makeup.linebreak` models (paragraphs of text, and boxes of only such
paragraphs stacked without vertical margins between them) is measured with Pango directly
and taken out of the tree; WeasyPrint lays out only what is left (the head, section heads,
figures...).  Heights are rounded to grid lines exactly as :func:`measure_blocks` does, so
the result equals the full measuring layout's wherever the model is exact; the tests
compare the two on every block of the sample and fixtures, and the build checks the
prediction on the final layout (``layout.app.article``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import partial
from math import inf
from typing import Any

from weasyprint import CSS, DEFAULT_OPTIONS, HTML  # type: ignore[attr-defined]
from weasyprint.css import (  # type: ignore[attr-defined]
    StyleFor,
    find_stylesheets,
    get_child_text,
)
from weasyprint.css.counters import CounterStyle
from weasyprint.css.properties import Dimension
from weasyprint.css.targets import TargetCollector  # type: ignore[import-untyped]
from weasyprint.document import Document, DocumentMetadata, Page
from weasyprint.formatting_structure import boxes
from weasyprint.formatting_structure.build import build_formatting_structure
from weasyprint.images import get_image_from_uri  # type: ignore[import-untyped]
from weasyprint.layout import LayoutContext, layout_document  # type: ignore[attr-defined]
from weasyprint.text.fonts import FontConfiguration

from ..memo import Memo
from .grid import Grid
from .linebreak import Lines, _px, paragraph_lines
from .measure import PX_PER_PT, Measured, measure_blocks


@dataclass(frozen=True)
class _Block:
    height: float  # margin height, px
    margins: float  # its vertical margins, px
    lines: Lines | None  # for a paragraph


def measure_html(html: str, base_url: str, url_fetcher: Any, grid: Grid
                 ) -> tuple[Measured, dict[str, Lines]]:
    """The :class:`Measured` of measuring ``html`` (print HTML with the measuring CSS),
    and the paragraphs measured with Pango, by id (what the build checks afterwards)."""
    document = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher)
    font_config, counter_style = fonts(), CounterStyle()
    context = _layout_context(document, font_config, counter_style)
    root = build_formatting_structure(
        document.etree_element, context.style_for, context.get_image_from_uri,
        document.base_url, context.target_collector, counter_style, context.footnotes)
    found: dict[boxes.Box, _Block] = {}
    _walk(root, grid.type_width * PX_PER_PT, found, {})
    fast = _Found()
    _prune(root, found, fast, grid.pitch * PX_PER_PT)
    pages = layout_document(document, root, context)
    rest = measure_blocks(Document([Page(p) for p in pages], DocumentMetadata(), url_fetcher,
                                   font_config, {}, None), grid)
    breaks = {eid: lines.breaks for eid, lines in fast.paragraphs.items()}
    return Measured({**rest.lines, **fast.lines}, rest.head + fast.head,
                    {**rest.breaks, **breaks}), fast.paragraphs


# The measures' font configuration (the system's fonts, loaded once), one per thread (Pango's
# objects are not for sharing between threads).
_FONTS = threading.local()


def fonts() -> Any:
    """A font configuration of the system's fonts for a measure: the one the measures
    before used, unless a document added fonts of its own to it (``@font-face``).  The
    final layout of the story measured shares it, and so do the stories after it in this
    thread (the preview's rebuilds, a page's several stories, an edition): its faces are
    loaded already (a new configuration loads them again, ~30 ms for the sample)."""
    config = getattr(_FONTS, "config", None)
    if config is None or config._folder is not None:
        config = _FONTS.config = FontConfiguration()
    return config


SHEETS_CHARS = 1_000_000  # characters of CSS whose parsed sheets this process keeps
# The author's stylesheet of a measuring HTML, parsed, by its text, base URL and media
# type (:func:`_author_sheets`): the measures of one story at the same plan share it.
_SHEETS: Memo[tuple[str, str | None, str], Any] = Memo(SHEETS_CHARS)


def _layout_context(document: Any, font_config: Any, counter_style: CounterStyle) -> Any:
    """WeasyPrint's layout context of ``document`` as ``Document._build_layout_context``
    makes it with the default options, its author stylesheet parsed once per text."""
    target_collector = TargetCollector()
    page_rules: list[Any] = []
    layers: list[Any] = []
    color_profiles: dict[str, Any] = {}
    for style in document._ua_counter_style():
        counter_style.update(style)
    sheets = [(sheet, "user agent", None) for sheet in document._ua_stylesheets(False)]
    sheets += [(sheet, "author", None) for sheet in _author_sheets(
        document, font_config, counter_style, color_profiles, page_rules, layers)]
    style_for = StyleFor(document, sheets, False, font_config, target_collector)
    options = DEFAULT_OPTIONS.copy()
    images = partial(get_image_from_uri, cache={}, url_fetcher=document.url_fetcher,
                     options=options)
    return LayoutContext(style_for, images, font_config, counter_style, target_collector)


def _author_sheets(document: Any, font_config: Any,
                   counter_style: CounterStyle, color_profiles: dict[str, Any],
                   page_rules: list[Any], layers: list[Any]) -> list[Any]:
    """The document's stylesheets (``find_stylesheets``).  A document whose only one is a
    ``<style>`` element (the measuring HTML) gets it from :data:`_SHEETS` when its text was
    parsed before; a sheet is kept only when parsing it changed nothing outside it: it
    fetched nothing (``@import``, fonts), added no font (``@font-face``), counter style
    or colour profile."""
    found = list(document.wrapper_element.query_all("style", "link"))
    element = found[0].etree_element if len(found) == 1 else None
    if element is None or element.tag != "style" or set(element.attrib) - {"type"} or (
            element.get("type", "text/css") != "text/css"):
        return list(find_stylesheets(
            document.wrapper_element, document.media_type, document.url_fetcher,
            document.base_url, font_config, counter_style, color_profiles, page_rules,
            layers))
    text = get_child_text(element)
    key = (text, document.base_url, document.media_type)
    kept = _SHEETS.get(key)
    if kept is not None:
        return [kept]
    fetched: list[str] = []

    def fetcher(url: str, *args: Any, **kwargs: Any) -> Any:
        fetched.append(url)
        return document.url_fetcher(url, *args, **kwargs)

    before = (dict(counter_style), dict(color_profiles), font_config._folder)
    sheet = CSS(string=text, base_url=document.base_url, url_fetcher=fetcher,
                media_type=document.media_type, font_config=font_config,
                counter_style=counter_style, color_profiles=color_profiles,
                page_rules=page_rules, layers=layers)
    if not fetched and (dict(counter_style), dict(color_profiles),
                        font_config._folder) == before:
        # (its @page rules and layers, in the lists given, are its own: the only sheet)
        _SHEETS.put(key, sheet, len(text))
    return [sheet]


def _length(value: Any, outer: float) -> float | None:
    """A computed length or percentage (of ``outer``) in px; auto is 0; else None."""
    if value == "auto":
        return 0.0
    if getattr(value, "unit", None) == "%":
        return float(value.value) * outer / 100
    return _px(value)


def _edges(style: Any, sides: tuple[str, ...], outer: float, margins: bool = True
           ) -> float | None:
    """Margins (with ``margins``), borders and paddings of a block on ``sides``."""
    total = 0.0
    for side in sides:
        names = (f"margin_{side}", f"padding_{side}") if margins else (f"padding_{side}",)
        for name in names:
            px = _length(style[name], outer)
            if px is None:
                return None
            total += px
        if style[f"border_{side}_style"] != "none":
            total += style[f"border_{side}_width"]
    return total


def _content_width(style: Any, outer: float) -> float | None:
    """The content width of a block in a containing block ``outer`` px wide."""
    if style["min_width"] not in ("auto", 0) or _px(style["max_width"]) != inf:
        return None
    edges = _edges(style, ("left", "right"), outer)
    if style["width"] == "auto" or edges is None:
        return None if edges is None else outer - edges
    content = _length(style["width"], outer)
    if content is not None and style["box_sizing"] == "border-box":
        inner = _edges(style, ("left", "right"), outer, margins=False)
        content = None if inner is None else content - inner
    return content


def _simple(box: boxes.Box) -> bool:
    """A block in normal flow, of auto height, not split into columns."""
    style = box.style
    return (type(box) is boxes.BlockBox and style["float"] == "none"
            and style["position"] == "static" and style["height"] == "auto"
            and style["min_height"] in ("auto", 0) and _px(style["max_height"]) == inf
            and style["column_count"] == "auto" and style["column_width"] == "auto")


def _walk(box: boxes.Box, outer: float, found: dict[boxes.Box, _Block],
          layouts: dict[Any, Any]) -> _Block | None:
    """Measure ``box`` (and whatever inside it can be), ``outer`` px wide; None when it
    is left to WeasyPrint."""
    margins = _margins(box.style, outer)
    if (fixed := _fixed(box, outer)) is not None and margins is not None:
        found[box] = _Block(fixed, margins, None)
        return found[box]
    width = _content_width(box.style, outer) if type(box) is boxes.BlockBox else None
    if width is None or margins is None:
        return None
    vertical = _edges(box.style, ("top", "bottom"), outer) if _simple(box) else None
    children = box.children
    block: _Block | None = None
    if children and all(isinstance(c, boxes.LineBox) for c in children):
        lines = paragraph_lines(box, width, layouts) if vertical is not None else None
        line_height = _px(box.style["line_height"])
        if lines is not None and line_height is not None and _struts_fit(box, line_height):
            block = _Block(lines.count * line_height + (vertical or 0), margins, lines)
    else:
        parts = [_walk(c, width, found, layouts) for c in children]
        if vertical is not None and all(p is not None and _flush(c)
                                        for p, c in zip(parts, children, strict=True)):
            block = _Block(sum(p.height for p in parts if p) + vertical, margins, None)
    if block is not None:
        found[box] = block
    return block


def _margins(style: Any, outer: float) -> float | None:
    top, bottom = _length(style["margin_top"], outer), _length(style["margin_bottom"], outer)
    return None if top is None or bottom is None else top + bottom


def _fixed(box: boxes.Box, outer: float) -> float | None:
    """The margin height of a block-level box of a set height (a photo's frame), when
    nothing inside it is measured on its own (has an id)."""
    style = box.style
    if not isinstance(box, boxes.BlockLevelBox) or isinstance(box, boxes.TableBox) or (
            style["height"] == "auto" or style["float"] != "none"
            or style["position"] != "static" or style["min_height"] not in ("auto", 0)
            or _px(style["max_height"]) != inf):
        return None
    height = _px(style["height"])
    element = box.element
    if height is None or element is None or any(
            e.get("id") for e in element.iter() if e is not element):
        return None
    if style["box_sizing"] == "border-box":
        margins = _margins(style, outer)
        return None if margins is None else height + margins
    edges = _edges(style, ("top", "bottom"), outer)
    return None if edges is None else height + edges


def _flush(box: boxes.Box) -> bool:
    """No vertical margin to collapse with a sibling or the parent."""
    return all(_px(box.style[f"margin_{side}"]) == 0 for side in ("top", "bottom"))


def _struts_fit(box: boxes.Box, line_height: float) -> bool:
    """No inline box inside asks for a taller line than the block's."""
    for child in box.descendants():
        if child is box or isinstance(child, boxes.LineBox):
            continue
        own = child.style["line_height"]
        px = _px(own)
        if px is None and getattr(own, "unit", None) is None and hasattr(own, "value"):
            px = own.value * child.style["font_size"]
        if px is None or px > line_height:
            return False
    return True


@dataclass
class _Found:
    """What the fast measure recorded, as :class:`Measured` holds it."""

    lines: dict[str, int] = field(default_factory=dict)
    paragraphs: dict[str, Lines] = field(default_factory=dict)
    head: int = 0


def _prune(box: boxes.Box, found: dict[boxes.Box, _Block], fast: _Found, pitch: float,
           whole: bool = False) -> None:
    """Take the measured blocks out of ``box``'s subtree, recording them in ``fast``.
    Inside a block that WeasyPrint measures (``whole``: it has an id, its height needs
    its content) they are replaced by empty blocks of their height instead."""
    keep = []
    for child in box.children:
        if child in found:
            _record(child, found, fast, pitch, box.element)
            if whole:
                keep.append(_placeholder(child, found[child]))
        else:
            keep.append(child)
            if isinstance(child, boxes.ParentBox):
                _prune(child, found, fast, pitch, whole or _named(child, box.element))
    box.children = keep


def _placeholder(box: boxes.Box, block: _Block) -> boxes.Box:
    """An empty copy of a measured block, as tall: WeasyPrint lays it out at no cost."""
    if not isinstance(box, boxes.ParentBox) or block.lines is None and not box.children:
        return box
    style = box.style.copy()
    style["box_sizing"] = "border-box"
    style["height"] = Dimension(block.height - block.margins, "px")
    empty = box.copy_with_children([])
    empty.style = style
    return empty


def _named(box: boxes.Box, owner: object) -> bool:
    """Whether the measure records ``box`` (a block of its own element, not one of
    ``owner``'s anonymous boxes, with an id or the head's class)."""
    element = getattr(box, "element", None)
    if element is None or element is owner or not isinstance(box, boxes.BlockBox) or (
            "::" in (box.element_tag or "::")):
        return False
    return bool(element.get("id")) or "head" in (element.get("class") or "").split()


def _record(box: boxes.Box, found: dict[boxes.Box, _Block], fast: _Found, pitch: float,
            owner: object) -> None:
    block = found[box]
    if _named(box, owner) and box.element is not None:
        height = round(block.height / pitch)
        eid = box.element.get("id")
        if eid:
            fast.lines[eid] = fast.lines.get(eid, 0) + height
            if block.lines is not None:
                fast.paragraphs[eid] = block.lines
        else:
            fast.head += height
    for child in getattr(box, "children", ()):
        if child in found:
            _record(child, found, fast, pitch, box.element)


def mispredicted(document: Document, predicted: list[dict[str, Lines]]) -> list[str]:
    """Ids of paragraphs whose lines in the laid-out ``document`` differ in number from
    every fast measure of them at the same width and size (a paragraph the make-up set
    otherwise than it was measured, such as a note at another setting, is not compared)."""
    final: dict[str, int] = {}
    sets: dict[str, tuple[float, float]] = {}
    for page in document.pages:
        # (the column boxes are positioned: behind placeholders)
        for found in page._page_box.descendants(placeholders=True):
            box = getattr(found, "_box", found)
            element = getattr(box, "element", None)
            if not isinstance(box, boxes.BlockBox) or element is None or (
                    "::" in (box.element_tag or "::")):
                continue
            eid = element.get("id")
            if eid and "cont" in (element.get("class") or "").split():
                eid = eid.rsplit("-", 1)[0]  # a paragraph's later fragment in the columns
            count = sum(isinstance(c, boxes.LineBox) for c in box.children)
            if eid and count:
                final[eid] = final.get(eid, 0) + count
                sets[eid] = (box.width, box.style["font_size"])
    wrong = []
    for eid, count in final.items():
        width, size = sets[eid]
        same = [lines.count for measure in predicted
                if (lines := measure.get(eid)) is not None
                and abs(lines.width - width) < 0.01 and lines.font_size == size]
        if same and count not in same:
            wrong.append(eid)
    return sorted(wrong)
