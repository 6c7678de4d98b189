from collections.abc import Callable
from typing import Any

from .formatting_structure.boxes import PageBox

class Page:
    anchors: dict[str, tuple[float, float]]
    _page_box: PageBox

class Document:
    pages: list[Page]
    # finisher(document, pdf): pdf is a pydyf.PDF (untyped).
    def write_pdf(
        self,
        target: None = None,
        zoom: float = 1,
        finisher: Callable[[Document, Any], None] | None = None,
        **options: object,
    ) -> bytes: ...
