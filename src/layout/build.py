"""One linear build: read -> transform -> write HTML, PDF, EPUB.  No printing here."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .atomic import transaction, write_bytes_atomic
from .errors import LayoutError
from .glyphs import missing_glyphs
from .model import Diagnostic, Document
from .readers import read
from .settings import Settings
from .transforms.images import attach_images
from .writers import epub, html, pdf, press
from .writers.fetcher import refusal_diagnostics
from .writers.press_preflight import preflight

FORMATS = ("pdf", "epub", "html")


@dataclass
class BuildResult:
    source: Path
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def build_time(source: Path) -> datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the source's mtime."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except ValueError:
            raise LayoutError("B001", f"SOURCE_DATE_EPOCH is not an integer: {epoch!r}",
                              exit_code=2) from None
    return datetime.fromtimestamp(int(source.stat().st_mtime), UTC)


def figure_diagnostics(doc: Document, strict: bool) -> list[Diagnostic]:
    return [
        Diagnostic("B101", f.line,
                   f"no image supplied for {f.label}: set a for-position-only (FPO) frame",
                   "error" if strict else "warning")
        for f in doc.figures if not f.image
    ]


def prepare(source: Path, settings: Settings) -> Document:
    doc = read(source)
    attach_images(doc, source)
    return doc


def build_document(doc: Document, source: Path, settings: Settings, out_dir: Path,
                   formats: tuple[str, ...] = FORMATS) -> BuildResult:
    """Write the outputs of one source: all renamed into place together, or none.

    A failed check, an error or an interrupt leaves the previous outputs as they were.
    """
    with transaction() as tx:
        result = _build_document(doc, source, settings, out_dir, formats)
        if result.failed:
            tx.rollback()
            result.outputs.clear()
    return result


def _build_document(doc: Document, source: Path, settings: Settings, out_dir: Path,
                    formats: tuple[str, ...]) -> BuildResult:
    result = BuildResult(source)
    result.diagnostics += doc.warnings
    result.diagnostics += figure_diagnostics(doc, settings.strict)
    result.diagnostics += missing_glyphs(doc, settings.style.fonts)
    if settings.strict:
        for d in result.diagnostics:
            if d.severity == "warning":
                d.severity = "error"
    if result.failed:
        return result
    when = build_time(source)
    created = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    name = source.stem
    prefix = os.path.relpath(source.parent, out_dir)
    if "html" in formats:
        target = out_dir / f"{name}.html"
        screen_html = html.render_html(doc, settings, created, prefix, screen=True)
        write_bytes_atomic(target, screen_html.encode("utf-8"))
        result.outputs.append(target)
    if "pdf" not in formats and "epub" not in formats:
        return result
    # One print layout serves both: the PDF, and the EPUB's page breaks and cover.
    # PDF/A keeps screen colours: its output intent is sRGB.
    page_html = html.render_html(doc, settings, created, prefix,
                                 screen=(settings.pdf_variant or "").startswith("pdf/a"))
    profile = press.press_profile(settings.pdf_variant, settings.icc)
    rendered = pdf.render(page_html, out_dir, allowed=[source.parent, *settings.style.folders],
                          typeset=settings.typeset, press=profile)
    result.pages = rendered.pages
    result.diagnostics += refusal_diagnostics(rendered.refused, doc)
    result.diagnostics += pdf.verify_placed(doc, rendered)
    if result.failed:
        return result
    print_pdf = pdf.pdf_bytes(rendered, settings, str(out_dir / f"{name}.pdf"))
    if "pdf" in formats:
        result.diagnostics += preflight(print_pdf, doc, settings.strict)
        if result.failed:
            return result
        target = out_dir / f"{name}.pdf"
        write_bytes_atomic(target, print_pdf)
        result.outputs.append(target)
    if "epub" in formats:
        target = out_dir / f"{name}.epub"
        result.diagnostics += epub.write_epub(doc, settings, when, target, source,
                                              rendered.document, print_pdf)
        result.outputs.append(target)
    return result


def build(source: Path, settings: Settings, out_dir: Path,
          formats: tuple[str, ...] = FORMATS) -> BuildResult:
    return build_document(prepare(source, settings), source, settings, out_dir, formats)
