"""Laying out one article: the single path shared by build, copyfit and serve.

Model in, laid-out print document out, with every check that decides whether the layout
may be written: the source's own warnings, missing photos (B101), glyph coverage (G101),
``--strict``, copyfit (``--fit-pages``), the renderer's refusals (U102) and the
placement check (B201).  Nothing here writes a file: writers turn the result into bytes
and :mod:`layout.app.build` writes them.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..glyphs import missing_glyphs
from ..makeup.columns import overfull
from ..makeup.fastmeasure import fonts, measure_html, mispredicted
from ..makeup.linebreak import Lines
from ..makeup.makeup import make_up
from ..makeup.measure import Measured, measure_blocks, measuring_css, overflowing
from ..makeup.plan import Plan, note_column
from ..model import Diagnostic, Document
from ..settings import Settings
from ..writers import html, pdf
from ..writers.fetcher import SandboxedFetcher, refusal_diagnostics
from ..writers.page_metadata import with_page_metadata
from ..writers.press import press_profile
from .copyfit import Fit, fit_pages

LOGGER = logging.getLogger(__name__)
# Measure paragraphs with Pango (layout.makeup.fastmeasure); False: WeasyPrint lays the
# whole measuring HTML out (the reference, and the fallback when a prediction was wrong).
FAST_MEASURE = True


@dataclass
class LaidOut:
    """One article laid out for print (``rendered`` is None when an input check failed)."""

    doc: Document
    source: Path
    settings: Settings  # as laid out: after copyfit, if it ran
    diagnostics: list[Diagnostic] = field(default_factory=list)
    print_html: str = ""
    rendered: pdf.Rendered | None = None
    fit: Fit | None = None

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    @functools.cached_property
    def html(self) -> str:
        """The HTML for browsers (the style's colours soft-proofed to sRGB): made only
        when asked for, as the proof reads the output profile."""
        return html.for_screen(self.print_html, self.settings) if self.print_html else ""


def figure_diagnostics(doc: Document) -> list[Diagnostic]:
    return [
        Diagnostic("B101", f.line,
                   f"no image supplied for {f.label}: set a for-position-only (FPO) frame",
                   "warning")
        for f in doc.figures if not f.image
    ]


def input_diagnostics(doc: Document, settings: Settings) -> list[Diagnostic]:
    """What the source and its photos and fonts say before layout; strict makes warnings errors."""
    fonts = settings.design.style.fonts
    found = [*doc.warnings, *figure_diagnostics(doc), *missing_glyphs(doc, fonts)]
    if settings.run.strict:
        for d in found:
            if d.severity == "warning":
                d.severity = "error"
    return found


def print_html(doc: Document, source: Path, settings: Settings, base_dir: Path,
               created: str | None = None) -> str:
    """The print HTML of ``doc``; its image URLs are relative to ``base_dir``."""
    return html.render_html(doc, settings, created=created,
                            asset_prefix=os.path.relpath(source.parent, base_dir))


def measurer(doc: Document, source: Path, base_dir: Path, allowed: list[Path], fast: bool,
             predicted: list[dict[str, Lines]] | None = None
             ) -> Callable[[Plan, Settings], Measured]:
    """The make-up's measure of ``doc``: with ``fast``, paragraphs counted with Pango
    (their lines go to ``predicted``, for the check after the final layout), else the
    whole measuring HTML laid out by WeasyPrint (the reference)."""
    prefix = os.path.relpath(source.parent, base_dir)

    def measure(plan: Plan, trial: Settings) -> Measured:
        page_html = html.render_html(doc, trial, asset_prefix=prefix, plan=plan,
                                     extra_css=measuring_css(plan.grid, note_column(plan)
                                                             if plan.note_columns > 1 else None))
        if fast:
            fetcher = SandboxedFetcher.for_renderer(allowed)
            measured, paragraphs = measure_html(page_html, str(base_dir) + "/", fetcher,
                                                plan.grid)
            if predicted is not None:
                predicted.append(paragraphs)
            return measured
        # Unjustified: justification spreads a line's characters after it is broken, so
        # line counts are the same and the measure is cheaper.
        laid = pdf.render(page_html, base_dir, allowed=allowed, typeset=False)
        return measure_blocks(laid.document, plan.grid)

    return measure


def render(doc: Document, source: Path, settings: Settings, base_dir: Path,
           created: str | None = None, autofit: bool = True
           ) -> tuple[str, pdf.Rendered, Settings, list[Diagnostic]]:
    """The print HTML of ``doc``, its layout, the settings it was set at, and the
    make-up's notes; image URLs are relative to ``base_dir``.

    The make-up (``layout.makeup``) measures the copy (:func:`measurer`), then plans the
    columns and photo heights (with ``autofit``, also the leading and body size that fill
    whole pages); the final layout sets the type in the boxes it decided.  A fast measure
    whose line counts the final layout contradicts is replaced by the reference measure.
    """
    prefix = os.path.relpath(source.parent, base_dir)
    allowed = [source.parent, *settings.design.style.folders]
    predicted: list[dict[str, Lines]] = []

    press = press_profile(settings.run.pdf_variant, settings.run.icc)
    given = settings

    def final(plan: Plan) -> tuple[str, pdf.Rendered]:
        page_html = html.render_html(doc, settings, created=created, asset_prefix=prefix,
                                     plan=plan)
        # PDF/A keeps screen colours: its output intent is sRGB.
        pdf_html = html.for_screen(page_html, settings) if (
            settings.run.pdf_variant or "").startswith("pdf/a") else page_html
        # (the measures' fonts: loaded already)
        return page_html, pdf.render(pdf_html, base_dir, allowed=allowed,
                                     typeset=settings.run.typeset, press=press,
                                     font_config=fonts())

    measure = measurer(doc, source, base_dir, allowed, FAST_MEASURE, predicted)
    plan, settings, notes = make_up(doc, given, measure, autofit)
    page_html, rendered = final(plan)
    if wrong := mispredicted(rendered.document, predicted):
        # A line miscounted makes column feet ragged: measure with WeasyPrint, make up again.
        LOGGER.debug("%s: the fast measure miscounted the lines of %s; measuring with "
                     "the layout engine", source, ", ".join(wrong))
        measure = measurer(doc, source, base_dir, allowed, fast=False)
        plan, settings, notes = make_up(doc, given, measure, autofit)
        page_html, rendered = final(plan)
    if overflowing(rendered.document, {"body": plan.grid.columns,
                                       "editor-note": plan.note_columns}) or (
            plan.column_pages and overfull(rendered.document, len(plan.column_pages))):
        # The copy did not fit the depth planned for it: let WeasyPrint balance the columns
        # rather than set a column beside the page.
        # (photos one column wide: a multi-column box cannot set one across columns)
        narrow = {line: [f.narrowed(plan.grid) for f in group]
                  for line, group in plan.frames.items()}
        page_html, rendered = final(dataclasses.replace(plan, body_lines=0, note_lines=0,
                                                        column_pages=(), frames=narrow))
    return page_html, rendered, settings, notes


def layout_article(doc: Document, source: Path, settings: Settings, base_dir: Path, *,
                   fit_to: int | None = None, created: str | None = None,
                   render_pages: bool = True) -> LaidOut:
    """Lay ``doc`` out as the print edition, or say why it may not be written.

    ``base_dir`` is where the HTML will live (the output folder); ``fit_to`` pages runs
    copyfit first, measuring each candidate exactly as the final layout is made. Without
    ``render_pages`` (only the HTML is wanted) the layout engine is not run at all.
    """
    settings = with_page_metadata(settings, doc.page)
    result = LaidOut(doc, source, settings, input_diagnostics(doc, settings))
    if result.failed:
        return result
    if fit_to:
        result.fit = fit_pages(settings, fit_to, str(source),
                               lambda s: render(doc, source, s, base_dir, autofit=False)[1].pages)
        result.settings = settings = result.fit.settings
    if not render_pages:
        result.print_html = print_html(doc, source, settings, base_dir, created)
        return result
    page_html, result.rendered, result.settings, notes = render(
        doc, source, settings, base_dir, created, autofit=not fit_to)
    result.print_html = page_html
    result.diagnostics += notes
    result.diagnostics += refusal_diagnostics(result.rendered.refused, doc)
    result.diagnostics += pdf.dropped_css(result.rendered)
    result.diagnostics += pdf.verify_placed(doc, result.rendered)
    return result
