"""One linear build: read -> lay out -> writers make bytes -> written here, all or none.

No printing here.  :func:`layout.app.article.layout_article` decides whether the article may
be written; this module is the one place that writes an article's files.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from weasyprint.document import Document as WeasyDocument

from ..atomic import transaction, write_bytes_atomic
from ..errors import LayoutError
from ..forked import forked, jobs
from ..model import Diagnostic, Document
from ..readers import read
from ..settings import Settings
from ..transforms import script
from ..writers import pdf
from ..writers.epub_pictures import Pictures, pictures
from ..writers.page_metadata import with_page_metadata
from ..writers.press_preflight import preflight
from .article import layout_article
from .stories import several_stories

FORMATS = ("pdf", "epub", "html")  # the default outputs; "kepub" is asked for by name
SUFFIXES = {"pdf": ".pdf", "epub": ".epub", "html": ".html", "kepub": ".kepub.epub"}


@dataclass
class BuildResult:
    source: Path
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    fit: str | None = None  # what copyfit changed, if it ran

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


def build_document(doc: Document, source: Path, settings: Settings, out_dir: Path,
                   formats: tuple[str, ...] = FORMATS, fit_to: int | None = None
                   ) -> BuildResult:
    """Write the outputs of one source: all renamed into place together, or none.

    A failed check, an error or an interrupt leaves the previous outputs as they were.
    """
    _imported()
    jobs()  # a bad LAYOUT_JOBS is an error whether or not this build would fork
    result = BuildResult(source)
    doc, settings = script.for_script(doc, settings)  # every writer sets the converted text
    with transaction():
        files = _outputs(doc, source, settings, out_dir, formats, fit_to, result)
        if not result.failed:
            for target, data in files:
                write_bytes_atomic(target, data)
                result.outputs.append(target)
    return result


@functools.cache
def _imported() -> None:
    """Once a process, at its first build: what is imported by now (the layout engine,
    WeasyPrint) is never garbage, so the collector stops looking at it (a full collection
    of the sample's build went through it: 0.13 s)."""
    gc.freeze()


def _outputs(doc: Document, source: Path, settings: Settings, out_dir: Path,
             formats: tuple[str, ...], fit_to: int | None, result: BuildResult
             ) -> list[tuple[Path, bytes]]:
    """The files of one source as (path, bytes); diagnostics go into ``result``."""
    name = source.stem
    if doc.following:
        return several_stories(doc, source, settings, out_dir, formats, result,
                               lambda story: _story_bytes(story, source, settings, out_dir,
                                                          formats, fit_to, result))
    made = _story_bytes(doc, source, settings, out_dir, formats, fit_to, result)
    return [(out_dir / f"{name}{SUFFIXES[fmt]}", data) for fmt, data in made.items()]


def _story_bytes(doc: Document, source: Path, settings: Settings, out_dir: Path,
                 formats: tuple[str, ...], fit_to: int | None, result: BuildResult
                 ) -> dict[str, bytes]:
    """The outputs of one story, by format; empty if it may not be written."""
    when = build_time(source)
    variants = [fmt for fmt in ("epub", "kepub") if fmt in formats]
    # The EPUB's pictures need the document only (not its layout): made on another core
    # while this one makes it up and renders it (layout.forked).
    with forked(_pictures, doc, settings, source) if variants else (
            contextlib.nullcontext()) as pictures:
        laid = layout_article(doc, source, settings, out_dir, fit_to=fit_to,
                              created=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                              render_pages=bool({"pdf", "epub", "kepub"} & set(formats)))
        result.diagnostics += laid.diagnostics
        if laid.failed:
            return {}
        settings, name = laid.settings, source.stem
        result.fit = laid.fit.describe() if laid.fit else None
        files: dict[str, bytes] = {}
        if "html" in formats:
            files["html"] = laid.html.encode("utf-8")
        if laid.rendered is None:
            return files
        rendered, where = laid.rendered, str(out_dir / f"{name}.pdf")
        result.pages += rendered.pages
        # One print layout serves all: the PDF, and the EPUB's page breaks and cover (its
        # print page, with --cover print, is made from the PDF: written first then).
        print_pdf = pdf.pdf_bytes(rendered, settings, where) if (
            variants and settings.run.cover == "print") else None
        made = pictures.result() if pictures else None
        # The EPUBs need the layout only: made on another core while this one writes the
        # PDF and checks it.
        with forked(_epubs, doc, settings, when, source, rendered.document, print_pdf,
                    variants, made) if variants else contextlib.nullcontext() as epubs:
            if print_pdf is None:
                print_pdf = pdf.pdf_bytes(rendered, settings, where)
            if "pdf" in formats:
                result.diagnostics += preflight(print_pdf, doc, settings.run.strict)
                files["pdf"] = print_pdf
            for fmt, (data, diagnostics) in (epubs.result() if epubs else {}).items():
                if fmt == variants[0]:  # both variants report the same
                    result.diagnostics += diagnostics
                files[fmt] = data
    return files


def _epubs(doc: Document, settings: Settings, when: datetime, source: Path,
           layout: WeasyDocument, print_pdf: bytes | None, variants: list[str],
           made: Pictures | None) -> dict[str, tuple[bytes, list[Diagnostic]]]:
    """Each EPUB variant asked for, and what making it said.  (The EPUB writer is imported
    here, in the child that makes them when the build forks: the build itself never
    needs it.)"""
    from ..writers import epub

    return {fmt: epub.build_epub(doc, settings, when, source, layout, print_pdf,
                                 kobo=fmt == "kepub", made=made) for fmt in variants}


def _pictures(doc: Document, settings: Settings, source: Path) -> Pictures:
    """The EPUB's pictures as the layout's settings make them: their cover reads the
    source's page metadata (the settings' page size and leading do not matter)."""
    return pictures(doc, with_page_metadata(settings, doc.page), source)


def build(source: Path, settings: Settings, out_dir: Path,
          formats: tuple[str, ...] = FORMATS, fit_to: int | None = None) -> BuildResult:
    return build_document(read(source), source, settings, out_dir, formats, fit_to)
