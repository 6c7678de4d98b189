from collections.abc import Callable
from typing import Any

import pydyf

from .formatting_structure.boxes import PageBox

class Page:
    anchors: dict[str, tuple[float, float]]
    _page_box: PageBox
    def __init__(self, page_box: PageBox) -> None: ...

class DocumentMetadata:
    def __init__(self) -> None: ...

class LayoutContext:
    style_for: Any
    get_image_from_uri: Any
    target_collector: Any
    footnotes: list[Any]

class Document:
    pages: list[Page]
    def __init__(self, pages: list[Page], metadata: DocumentMetadata, url_fetcher: Any,
                 font_config: Any, color_profiles: dict[str, Any],
                 output_intent: Any) -> None: ...
    @classmethod
    def _build_layout_context(cls, html: Any, font_config: Any, counter_style: Any,
                              color_profiles: dict[str, Any],
                              options: dict[str, object]) -> LayoutContext: ...
    def write_pdf(
        self,
        target: None = None,
        zoom: float = 1,
        finisher: Callable[[Document, pydyf.PDF], None] | None = None,
        **options: object,
    ) -> bytes: ...
