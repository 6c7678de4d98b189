"""PDF checks (``P…``): the file opens and has pages, fonts are embedded, every character
has a glyph, title and language are set, and an outline exists."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject

from ..decorations import INFO_KEY, PageDecorations
from .findings import Finding, Skip
from .glyphs import FONT_FILES, GlyphScanner
from .language import valid_language_tag
from .plumbing import open_pdf

# The PDF writer records the source it was made from (relative to the PDF's folder) as a
# custom document-information key; WeasyPrint keeps only the letters and digits of
# ``<meta name="layout-source">``.
SOURCE_KEY = "/layoutsource"
TAIL = 1024  # bytes at the end of a PDF that must hold the %%EOF marker


class PdfFile:
    """One PDF under check, opened once and shared by its checks."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path)
        self.damage = self._open()

    def _open(self) -> list[Finding]:
        try:
            with self.path.open("rb") as f:
                head = f.read(8)
                f.seek(0, 2)
                size = f.tell()
                f.seek(max(0, size - TAIL))
                tail = f.read()
        except OSError as exc:
            return [Finding("P001", f"cannot be read: {exc.strerror}", self.name)]
        if not head.startswith(b"%PDF-"):
            return [Finding("P001", "is not a PDF (no %PDF- header)", self.name)]
        if b"%%EOF" not in tail:
            return [Finding("P002", f"is truncated: no %%EOF marker at the end ({size} bytes)",
                            self.name)]
        try:
            self.reader = PdfReader(self.path)
            pages = len(self.reader.pages)
            self.pdfium = pdfium.PdfDocument(str(self.path))
        except (PyPdfError, pdfium.PdfiumError, ValueError, KeyError, OSError) as exc:
            return [Finding("P001", f"cannot be parsed: {exc}", self.name)]
        if pages == 0 or len(self.pdfium) == 0:
            return [Finding("P003", "has no pages", self.name)]
        return []

    def require(self) -> None:
        """Skip a check on a PDF that could not be opened (the structure check said why)."""
        if self.damage:
            raise Skip("the PDF could not be opened")

    def close(self) -> None:
        if not self.damage:
            self.pdfium.close()
        if "plumber" in self.__dict__:
            self.plumber.close()

    @functools.cached_property
    def plumber(self) -> Any:
        """The PDF as pdfplumber reads it, shared by the measures of its characters and
        drawings (typography, layout): each page is parsed once, its objects kept until
        :meth:`close` (the typography measure holds every page's at once already, to find
        the body's face)."""
        return open_pdf(self.path)

    @property
    def pages(self) -> int:
        return len(self.reader.pages)

    @functools.cached_property
    def page_texts(self) -> list[str]:
        """Each page's text in content order, as a viewer copies it (PDFium)."""
        out = []
        for page in self.pdfium:
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out

    @property
    def language(self) -> str | None:
        """The catalog's /Lang (``zh-Hant`` after ``--script traditional``)."""
        lang = self.reader.root_object.get("/Lang")
        return str(lang) if lang is not None else None

    @property
    def recorded_source(self) -> str | None:
        info = self.reader.metadata
        value = info.get(SOURCE_KEY) if info is not None else None
        return str(value) if value else None

    @property
    def recorded_decorations(self) -> PageDecorations | None:
        """The running heads and margins the build recorded (layout.decorations)."""
        info = self.reader.metadata
        value = info.get(INFO_KEY) if info is not None else None
        return PageDecorations.from_json(str(value)) if value else None


def check_structure(pdf: PdfFile) -> list[Finding]:
    return pdf.damage


def _fonts(resources: Any, seen: set[int]) -> list[tuple[str, DictionaryObject]]:
    """Fonts of a resource dictionary and of the form XObjects it holds."""
    if resources is None:
        return []
    resources = resources.get_object()
    out = []
    fonts = resources.get("/Font")
    for name, ref in (fonts.get_object().items() if fonts is not None else []):
        out.append((str(name), ref.get_object()))
    xobjects = resources.get("/XObject")
    for ref in (xobjects.get_object().values() if xobjects is not None else []):
        form = ref.get_object()
        if form.get("/Subtype") == "/Form" and id(form) not in seen:
            seen.add(id(form))
            out += _fonts(form.get("/Resources"), seen)
    return out


def _embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are content streams of the font itself
    if font.get("/Subtype") == "/Type0":
        descendants = font["/DescendantFonts"]
        descendant = (descendants[0].get_object()
                      if isinstance(descendants, ArrayObject) and descendants else None)
        if not isinstance(descendant, DictionaryObject):
            return False  # no readable descendant font, so no font program
        font = descendant
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor.get_object() for k in FONT_FILES)


def check_fonts_embedded(pdf: PdfFile) -> list[Finding]:
    pdf.require()
    reported: set[str] = set()
    out = []
    for number, page in enumerate(pdf.reader.pages, start=1):
        for _, font in _fonts(page.get("/Resources"), set()):
            base = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
            if base not in reported and not _embedded(font):
                reported.add(base)
                out.append(Finding("P101", f"font {base} is not embedded", pdf.name, number))
    return out


def check_glyphs(pdf: PdfFile) -> list[Finding]:
    pdf.require()
    scanner = GlyphScanner(pdf.reader)
    out = []
    for number, page in enumerate(pdf.reader.pages, start=1):
        missing = scanner.page(page)
        if not missing:
            continue
        by_font: Counter[str] = Counter()
        for (font, _), n in missing.items():
            by_font[font] += n
        shown = ", ".join(f"U+{ord(t):04X} {t}" if len(t) == 1 else t
                          for (_, t) in sorted(missing))
        fonts = ", ".join(f.split("+")[-1] for f in by_font)
        total = sum(missing.values())
        out.append(Finding("P102", f"{total} character{'s' if total > 1 else ''} shown with a "
                           f"missing glyph (.notdef) in {fonts}: {shown}", pdf.name, number))
    return out


def check_metadata(pdf: PdfFile) -> list[Finding]:
    pdf.require()
    out = []
    info = pdf.reader.metadata
    title = info.get("/Title") if info is not None else None
    if not str(title or "").strip():
        out.append(Finding("P201", "has no document title (Info /Title)", pdf.name))
    lang = pdf.reader.root_object.get("/Lang")
    if lang is None or not str(lang).strip():
        out.append(Finding("P202", "has no document language (catalog /Lang)", pdf.name))
    elif not valid_language_tag(str(lang)):
        out.append(Finding("P203", f"document language {str(lang)!r} is not a valid BCP 47 tag",
                           pdf.name))
    return out


def check_outline(pdf: PdfFile) -> list[Finding]:
    pdf.require()
    outlines = pdf.reader.root_object.get("/Outlines")
    if outlines is None or "/First" not in outlines.get_object():
        return [Finding("P204", "has no outline (bookmarks)", pdf.name)]
    return []
