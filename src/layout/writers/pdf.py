"""PDF writer: print HTML -> WeasyPrint layout -> verified -> PDF written atomically."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from weasyprint import HTML
from weasyprint.document import Document as WeasyDocument
from weasyprint.document import Page
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration

from ..errors import LayoutError
from ..model import Diagnostic, Document
from ..settings import Settings
from ..typeset import install, justification
from . import reuse
from .fetcher import SandboxedFetcher
from .html import expected_elements
from .press import OutputProfile, finisher, image_converter

LOGGER = logging.getLogger("weasyprint")
# The margin box saying where the article continues ("（下转第7版）"), see page.css.j2.
CONTINUED_BOX = "@bottom-right"

install()
reuse.install()


@dataclass
class Rendered:
    """A laid-out document and what the layout tells us about it."""

    document: WeasyDocument
    pages: int
    element_pages: dict[str, list[int]]  # element id -> 1-based pages it appears on
    refused: list[str] = field(default_factory=list)  # URLs the sandbox did not fetch
    dropped: list[str] = field(default_factory=list)  # CSS WeasyPrint ignored (its words)


# WeasyPrint logs, and otherwise ignores, CSS it rejects; these are the messages it uses.
DROPPED_CSS = ("Ignored ", "Invalid ", "Unsupported ", "Unknown ")


class _DroppedRules(logging.Handler):
    """Collects WeasyPrint's warnings about CSS it dropped while a document is laid out."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(DROPPED_CSS):
            self.messages.append(message)


@contextlib.contextmanager
def _capture_dropped() -> Iterator[_DroppedRules]:
    handler = _DroppedRules()
    LOGGER.addHandler(handler)
    try:
        yield handler
    finally:
        LOGGER.removeHandler(handler)


def render(html: str, base_dir: Path, allowed: Iterable[Path], typeset: bool = True,
           press: OutputProfile | None = None,
           font_config: FontConfiguration | None = None) -> Rendered:
    """Lay ``html`` out; with ``typeset``, Chinese lines are justified between characters.

    With ``press`` (a PDF/X build) photos are converted to CMYK through that output
    profile, which becomes the document's ``device-cmyk`` profile (its OutputIntent).
    ``font_config``: WeasyPrint's font configuration to use (its fonts loaded already),
    else a new one.
    """
    # base_dir (the output folder) is only the base URL; nothing is read from it.
    fetcher = SandboxedFetcher.for_renderer(
        allowed, convert_image=image_converter(press) if press else None)
    profiles = {"device-cmyk": press.color_profile()} if press else None
    with justification() if typeset else contextlib.nullcontext(), _capture_dropped() as css:
        document = HTML(string=html, base_url=str(base_dir) + "/",
                        url_fetcher=fetcher).render(color_profiles=profiles,
                                                    font_config=font_config)
    if document.pages:
        _drop_margin_box(document.pages[-1], CONTINUED_BOX)
    element_pages: dict[str, list[int]] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            element_pages.setdefault(anchor, []).append(number)
    return Rendered(document, len(document.pages), element_pages, fetcher.refused,
                    css.messages)


def dropped_css(rendered: Rendered) -> list[Diagnostic]:
    """A rule of the print CSS that WeasyPrint dropped is a design silently lost: an error."""
    return [Diagnostic("L202", 1, f"the layout engine dropped a rule of the print CSS: "
                       f"{message}", "error") for message in dict.fromkeys(rendered.dropped)]


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
    finish = finisher(run.pdf_variant, run.bleed_mm, run.marks)
    try:
        return rendered.document.write_pdf(finisher=finish, **options)
    except (ValueError, TypeError) as exc:
        raise LayoutError("B202", f"PDF could not be written: {exc}", where) from None
