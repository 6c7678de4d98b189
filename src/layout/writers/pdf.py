"""PDF writer: print HTML -> WeasyPrint layout -> verified -> PDF written atomically."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from weasyprint import HTML
from weasyprint.document import Document as WeasyDocument
from weasyprint.document import Page
from weasyprint.formatting_structure import boxes

from ..errors import LayoutError
from ..model import Diagnostic, Document
from ..settings import PACKAGE_DIR, Settings
from ..typeset import install, justification
from .fetcher import SandboxedFetcher
from .html import expected_elements

LOGGER = logging.getLogger("weasyprint")
# The margin box saying where the article continues ("（下转第7版）"), see page.css.j2.
CONTINUED_BOX = "@bottom-right"

install()


@dataclass
class Rendered:
    """A laid-out document and what the layout tells us about it."""

    document: WeasyDocument
    pages: int
    element_pages: dict[str, list[int]]  # element id -> 1-based pages it appears on
    refused: list[str] = field(default_factory=list)  # URLs the sandbox did not fetch


def render(html: str, base_dir: Path, allowed: Iterable[Path], typeset: bool = True
           ) -> Rendered:
    """Lay ``html`` out; with ``typeset``, Chinese lines are justified between characters."""
    # base_dir (the output folder) is only the base URL; nothing is read from it.
    fetcher = SandboxedFetcher([PACKAGE_DIR, *allowed])
    with justification() if typeset else contextlib.nullcontext():
        document = HTML(string=html, base_url=str(base_dir) + "/",
                        url_fetcher=fetcher).render()
    if document.pages:
        _drop_margin_box(document.pages[-1], CONTINUED_BOX)
    element_pages: dict[str, list[int]] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            element_pages.setdefault(anchor, []).append(number)
    return Rendered(document, len(document.pages), element_pages, fetcher.refused)


def _drop_margin_box(page: Page, at_keyword: str) -> None:
    """Remove one margin box from a laid-out page (the last page's "下转" note)."""
    box = page._page_box
    box.children = [c for c in box.children
                    if not (isinstance(c, boxes.MarginBox) and c.at_keyword == at_keyword)]


def verify_placed(doc: Document, rendered: Rendered) -> list[Diagnostic]:
    """Every element of the model must be on some page (WeasyPrint can drop content)."""
    return [
        Diagnostic("B201", p.line, f"{p.what} was not placed on any page by the layout", "error")
        for p in expected_elements(doc)
        if p.element_id not in rendered.element_pages
    ]


def pdf_bytes(rendered: Rendered, settings: Settings, where: str = "") -> bytes:
    """The PDF of a layout (the EPUB's cover is made from it even when no PDF is written)."""
    options: dict[str, Any] = {"uncompressed_pdf": False, "custom_metadata": True}
    run = settings.run
    if run.pdf_variant:
        options["pdf_variant"] = run.pdf_variant
    finisher = _bleed_box(run.bleed_mm) if run.bleed_mm and run.marks else None
    try:
        return rendered.document.write_pdf(finisher=finisher, **options)
    except (ValueError, TypeError) as exc:
        raise LayoutError("B202", f"PDF could not be written: {exc}", where) from None


def _bleed_box(bleed_mm: float) -> Callable[[object, object], None]:
    """A write_pdf finisher setting each page's BleedBox to the TrimBox plus the bleed.

    With printer marks the CSS bleed area also holds the marks (page.css.j2 widens it by
    MARKS_MM), and WeasyPrint would put the BleedBox at up to 10 pt from the trim.
    """
    bleed = bleed_mm / 25.4 * 72

    def finish(document: object, pdf: object) -> None:
        for obj in pdf.objects:  # type: ignore[attr-defined]
            if isinstance(obj, dict) and obj.get("Type") == "/Page" and "TrimBox" in obj:
                left, top, right, bottom = obj["TrimBox"]
                obj["BleedBox"] = type(obj["TrimBox"])(
                    [left - bleed, top - bleed, right + bleed, bottom + bleed])

    return finish

