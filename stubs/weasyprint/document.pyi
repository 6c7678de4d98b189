from collections.abc import Callable

import pydyf

from .formatting_structure.boxes import PageBox

class Page:
    anchors: dict[str, tuple[float, float]]
    _page_box: PageBox

class Document:
    pages: list[Page]
    def write_pdf(
        self,
        target: None = None,
        zoom: float = 1,
        finisher: Callable[[Document, pydyf.PDF], None] | None = None,
        **options: object,
    ) -> bytes: ...
