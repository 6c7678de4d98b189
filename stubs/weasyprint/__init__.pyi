# Minimal stubs of WeasyPrint 70.0 (which ships no types): only what layout uses.
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element

from .css import ColorProfile
from .document import Document
from .text.fonts import FontConfiguration
from .urls import URLFetcher

__version__: str
DEFAULT_OPTIONS: dict[str, object]

class HTML:
    def __init__(
        self,
        guess: str | Path | None = None,
        filename: str | Path | None = None,
        url: str | None = None,
        file_obj: IO[bytes] | IO[str] | None = None,
        string: str | None = None,
        encoding: str | None = None,
        base_url: str | Path | None = None,
        url_fetcher: URLFetcher | None = None,
        media_type: str = "print",
    ) -> None: ...
    etree_element: Element
    base_url: str | None
    def render(self, *, color_profiles: dict[str, ColorProfile] | None = None,
               font_config: FontConfiguration | None = None) -> Document: ...
