"""The checks run over files, and the report: what :mod:`layout.check` exports."""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..chars import han_chars
from ..decorations import PageDecorations
from ..errors import LayoutError
from ..model import Document
from ..transforms.script import convert_document, convert_text, script_of
from . import composed, layout, preflight, typography, visual
from . import epub as epub_checks
from . import pdf as pdf_checks
from .epub_images import check_images
from .fidelity import Source, fidelity_findings, load_source
from .findings import CheckResult, Finding, Skip
from .layout import LAYOUT_CHECKS, LayoutLimits
from .pdf_content import scan_pdf
from .typography import Limits

__all__ = ["CheckResult", "Finding", "LayoutLimits", "Limits", "Options", "Report", "collect",
           "run", "CHECKS"]

PDF_CHECKS = ("pdf.structure", "pdf.fonts-embedded", "pdf.glyphs", "pdf.metadata",
              "pdf.outline")
TYPOGRAPHY_CHECKS = ("typography.justified", "typography.line-start", "typography.line-end",
                     "typography.punctuation-pairs", "typography.han-latin",
                     "typography.last-lines", "typography.clean-text")
FIDELITY_CHECKS = ("fidelity.characters", "fidelity.blocks")
EPUB_CHECKS = ("epub.container", "epub.epubcheck", "epub.nav", "epub.language",
               "epub.accessibility", "epub.page-list", "epub.images")
VISUAL_CHECKS = ("visual.pages",)
PREFLIGHT_CHECKS = ("preflight.images", "preflight.colour", "preflight.pdfx", "preflight.lines")
CHECKS = (PDF_CHECKS + PREFLIGHT_CHECKS + FIDELITY_CHECKS + TYPOGRAPHY_CHECKS + LAYOUT_CHECKS
          + VISUAL_CHECKS + EPUB_CHECKS)
QUIET_LOGGERS = ("pypdf", "pdfminer", "fontTools")


@dataclass(frozen=True)
class Options:
    """What to check and against what."""

    source: Path | None = None  # the article's source; else the one the output records
    # The running heads of a PDF that does not record its own (layout.decorations).
    paper: str = "人民日报"
    issue_date: str | None = None
    folio: int = 1
    limits: Limits = field(default_factory=Limits)
    layout_limits: LayoutLimits = field(default_factory=LayoutLimits)
    skip: tuple[str, ...] = ()  # check names or families ("typography", "epub.epubcheck")
    visual: visual.VisualOptions | None = None
    ink_limit: float = preflight.INK_LIMIT  # total area coverage of images, per cent


@dataclass
class Report:
    files: list[str]
    results: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0
    baseline_pages: int = 0  # pages written by --update-baseline

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    @property
    def failed(self) -> bool:
        return any(r.status == "fail" for r in self.results)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)


def collect(paths: Sequence[Path]) -> list[Path]:
    """The PDF and EPUB files named, or found directly inside the folders named."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.suffix.lower() in (".pdf", ".epub") and p.is_file())
            if not found:
                raise LayoutError("A102", "no PDF or EPUB files in this folder", str(path),
                                  exit_code=2)
            out += found
        elif path.is_file():
            if path.suffix.lower() not in (".pdf", ".epub"):
                raise LayoutError("A103", "not a PDF or EPUB file", str(path), exit_code=2)
            out.append(path)
        else:
            raise LayoutError("A101", "no such file or folder", str(path), exit_code=2)
    return list(dict.fromkeys(out))


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Libraries' warnings about odd PDFs are findings' business, not stderr's."""
    levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


class _Runner:
    def __init__(self, options: Options, report: Report) -> None:
        self.options = options
        self.report = report
        self.sources: dict[tuple[Path, str | None], Source | LayoutError] = {}

    def skipped(self, check: str) -> bool:
        return any(check == s or check.startswith(s + ".") for s in self.options.skip)

    def group(self, checks: Sequence[str], path: str,
              fn: Callable[[], dict[str, list[Finding]] | list[Finding]]) -> None:
        """Run ``fn`` once for ``checks`` (a dict of findings per check, or one list)."""
        wanted = [c for c in checks if not self.skipped(c)]
        for c in checks:
            if c not in wanted:
                self.report.results.append(CheckResult(c, path, "skip", reason="--skip"))
        if not wanted:
            return
        start = time.perf_counter()
        try:
            found = fn()
            outcome: dict[str, list[Finding]] = found if isinstance(found, dict) else {
                checks[0]: found}
            reason = ""
        except Skip as exc:
            outcome, reason = {}, str(exc)
        except LayoutError as exc:
            outcome, reason = {c: [Finding(exc.code, exc.message, exc.path or path)]
                               for c in wanted}, ""
        seconds = (time.perf_counter() - start) / len(wanted)
        for c in wanted:
            if c not in outcome:
                self.report.results.append(CheckResult(c, path, "skip", reason=reason,
                                                       seconds=seconds))
            else:
                found_here = outcome[c]
                self.report.results.append(CheckResult(
                    c, path, "fail" if found_here else "pass", found_here, seconds=seconds))

    def source(self, candidate: Path | None, what: str, language: str | None = None
               ) -> Source:
        """The source, converted to the script the output's ``language`` says it is in
        (``--script``), so that characters are counted through the same conversion."""
        if candidate is None:
            raise Skip(f"no source known for {what}: pass --source")
        script = script_of(language)
        key = (candidate.resolve(), script)
        if key not in self.sources:
            try:
                found = load_source(candidate)
                self.sources[key] = found if script is None else Source(
                    found.path, convert_text(found.text, script),
                    convert_document(found.doc, script))
            except LayoutError as exc:
                self.sources[key] = exc
        loaded = self.sources[key]
        if isinstance(loaded, LayoutError):
            raise LayoutError("F001", f"source {candidate} cannot be read: {loaded.message}"
                              if loaded.code != "F001" else f"source {candidate} not found",
                              exit_code=1)
        return loaded

    def pdf_source(self, pdf: pdf_checks.PdfFile) -> Path | None:
        if self.options.source is not None:
            return self.options.source
        recorded = pdf.recorded_source if not pdf.damage else None
        return pdf.path.parent / recorded if recorded else None

    def decorations(self, pdf: pdf_checks.PdfFile, doc: Document) -> PageDecorations:
        """The running heads the PDF records, else those the options describe."""
        o = self.options
        return pdf.recorded_decorations or PageDecorations(
            paper=o.paper, theme=doc.kicker or doc.title, date=o.issue_date or "",
            first_folio=o.folio)

    def check_pdf(self, path: Path) -> pdf_checks.PdfFile:
        name = str(path)
        pdf = pdf_checks.PdfFile(path)
        for check, fn in zip(PDF_CHECKS, (pdf_checks.check_structure,
                                          pdf_checks.check_fonts_embedded,
                                          pdf_checks.check_glyphs, pdf_checks.check_metadata,
                                          pdf_checks.check_outline), strict=True):
            self.group([check], name, functools.partial(fn, pdf))

        def preflight_checks() -> dict[str, list[Finding]]:
            pdf.require()
            scan = scan_pdf(pdf.reader)
            return dict(zip(PREFLIGHT_CHECKS, (
                list(preflight.image_findings(scan, name, self.options.ink_limit)),
                list(preflight.color_findings(scan, name)),
                list(preflight.pdfx_findings(scan, name)),
                list(preflight.line_findings(scan, name))), strict=True))

        self.group(PREFLIGHT_CHECKS, name, preflight_checks)

        def fidelity() -> dict[str, list[Finding]]:
            pdf.require()
            page = composed.recorded(pdf)
            if page is not None and self.options.source is None:
                return self.composed_fidelity(pdf, page)
            source = self.source(self.pdf_source(pdf), name, pdf.language)
            doc = source.doc
            texts = self.decorations(pdf, doc).all_texts(doc, pdf.pages)
            return fidelity_findings(name, pdf.page_texts, source, texts)

        self.group(FIDELITY_CHECKS, name, fidelity)

        def typography_checks() -> dict[str, list[Finding]]:
            pdf.require()
            try:
                text = self.source(self.pdf_source(pdf), name, pdf.language).text
            except (Skip, LayoutError):
                text = None  # fidelity reports a missing source; measure without it
            measured = typography.measure(path, text, opened=pdf.plumber,
                                          rendered=pdf.pdfium)
            if not measured.lines:
                raise Skip("no body text found to measure")
            return typography.typography_findings(measured, self.options.limits)

        self.group(TYPOGRAPHY_CHECKS, name, typography_checks)

        def layout_checks() -> dict[str, list[Finding]]:
            pdf.require()
            measured = layout.measure(path, self.options.layout_limits, opened=pdf.plumber)
            if not measured.recorded_grid:
                raise Skip("the PDF records no page grid (it was not made up by layout)")
            if not measured.body_lines:
                raise Skip("no body text found to measure")
            return layout.layout_findings(measured, self.options.layout_limits)

        self.group(LAYOUT_CHECKS, name, layout_checks)
        if self.options.visual is not None:
            self.group(VISUAL_CHECKS, name, lambda: self.visual(pdf))
        return pdf

    def composed_fidelity(self, pdf: pdf_checks.PdfFile, page: composed.ComposedRecord
                          ) -> dict[str, list[Finding]]:
        """A composed page: each story in its own module (several sources)."""
        sources = [self.source(path, pdf.name, pdf.language) for path, _ in page.sources]
        heads = pdf.recorded_decorations
        texts = [t for i in range(pdf.pages) for t in heads.texts(i, pdf.pages)] if (
            heads) else []
        return composed.composed_findings(pdf.name, page, composed.read_areas(pdf, page),
                                          sources, texts)

    def visual(self, pdf: pdf_checks.PdfFile) -> list[Finding]:
        pdf.require()
        options = self.options.visual
        assert options is not None
        if options.update:
            self.report.baseline_pages += visual.update_baseline(pdf.name, pdf.pdfium, options)
            return []
        return visual.compare(pdf.name, pdf.pdfium, options)

    def check_epub(self, path: Path, pdf_pages: dict[Path, tuple[str, int | None, Path | None]]
                   ) -> None:
        name = str(path)
        book = epub_checks.EpubFile(path)
        try:
            sibling = pdf_pages.get(path.with_suffix(".pdf"))
            self.group(["epub.container"], name, lambda: epub_checks.check_container(book))
            self.group(["epub.epubcheck"], name, lambda: epub_checks.check_epubcheck(book))
            self.group(["epub.nav"], name, lambda: epub_checks.check_nav(book))
            self.group(["epub.language"], name, lambda: epub_checks.check_language(book))
            self.group(["epub.accessibility"], name,
                       lambda: epub_checks.check_accessibility(book))
            self.group(["epub.page-list"], name, lambda: epub_checks.check_page_list(
                book, sibling[1] if sibling else None, sibling[0] if sibling else ""))
            self.group(["epub.images"], name, lambda: check_images(book))

            def fidelity() -> dict[str, list[Finding]]:
                book.require()
                candidate = self.options.source
                recorded = path.parent / book.source if book.source else None
                if candidate is None and recorded is not None and recorded.is_file():
                    candidate = recorded  # dc:source naming the source file
                if candidate is None and sibling is not None:
                    candidate = sibling[2]
                source = self.source(candidate, name, book.language)
                segments, heads = epub_checks.reading_text(book)
                model = {han_chars(t) for _, t in source.doc.texts()}
                added = [h for h in heads if han_chars(h) not in model]
                return fidelity_findings(name, segments, source, added)

            self.group(FIDELITY_CHECKS, name, fidelity)
        finally:
            book.close()


def run(paths: Sequence[Path], options: Options) -> Report:
    """Check every PDF and EPUB in ``paths`` (files or folders)."""
    files = collect(paths)
    report = Report([str(p) for p in files])
    runner = _Runner(options, report)
    start = time.perf_counter()
    pdf_pages: dict[Path, tuple[str, int | None, Path | None]] = {}
    with _quiet():
        for path in files:
            if path.suffix.lower() == ".pdf":
                pdf = runner.check_pdf(path)
                try:
                    if pdf.damage:
                        pdf_pages[path] = (str(path), None, None)
                    else:
                        pdf_pages[path] = (str(path), pdf.pages, runner.pdf_source(pdf))
                finally:
                    pdf.close()
        for path in files:
            if path.suffix.lower() == ".epub":
                if path.with_suffix(".pdf") not in pdf_pages and path.with_suffix(".pdf").is_file():
                    sibling = pdf_checks.PdfFile(path.with_suffix(".pdf"))
                    pdf_pages[path.with_suffix(".pdf")] = (
                        str(sibling.path), None if sibling.damage else sibling.pages,
                        None if sibling.damage else runner.pdf_source(sibling))
                    sibling.close()
                runner.check_epub(path, pdf_pages)
    report.seconds = time.perf_counter() - start
    return report
