"""The rendering sandbox: WeasyPrint reads only files inside allowed folders.

WeasyPrint would otherwise fetch any ``file://``, ``http://`` or ``ftp://`` URL a
document names (and urllib turns ``file://host/…`` into an FTP connection).  This
fetcher allows ``data:`` URLs and local ``file:`` URLs whose real path (symlinks
resolved) lies inside an allowed folder; it opens that resolved path itself, so what
is read is exactly what was checked.  Everything else is refused without any I/O and
recorded in ``refused`` so the build can report it: WeasyPrint itself would only log
a failed fetch.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..model import Diagnostic, Document
from ..sandbox import inside, local_path

IMAGE_TYPES = ("image/jpeg", "image/png")
CONVERTED = "layout-converted:"


class SandboxedFetcher(URLFetcher):
    """``convert_image``, if given, rewrites every JPEG/PNG read (photos to CMYK for print)."""

    def __init__(self, allowed: Iterable[Path],
                 convert_image: Callable[[bytes], bytes] | None = None) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.allowed = [p.resolve() for p in allowed]
        self.refused: list[str] = []
        self.convert_image = convert_image

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if urlsplit(url).scheme.lower() == "data":
            return super().fetch(url, headers)
        path = local_path(url)
        if path is None or not inside(path, self.allowed):
            self.refused.append(url)
            raise PermissionError(f"refused by the layout sandbox: {url}")
        resolved = path.resolve()
        mime = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        data, url = resolved.read_bytes(), resolved.as_uri()
        if self.convert_image is not None and mime in IMAGE_TYPES:
            converted = self.convert_image(data)
            if converted != data:
                # Not a file: URL, or WeasyPrint would embed the file instead of these bytes.
                data, mime, url = converted, "image/jpeg", f"{CONVERTED}{url}"
        return URLFetcherResponse(url, data, {"Content-Type": mime})


def refusal_diagnostics(refused: Iterable[str], doc: Document) -> list[Diagnostic]:
    """One error per refused URL, at the figure that named it if any (else line 1)."""
    out = []
    for url in dict.fromkeys(refused):
        target = unquote(url)
        figure = next((f for f in doc.figures if f.image and target.endswith(f.image)), None)
        where = (f"the image of {figure.label}" if figure
                 else "the style's CSS or a template") + f" names {url[:200]!r}"
        out.append(Diagnostic(
            "U102", figure.line if figure else 1,
            f"{where}: refused by the sandbox (only files in the source and style folders "
            "are read; no network)", "error"))
    return out
