"""The rendering sandbox: WeasyPrint reads only files inside allowed folders.

WeasyPrint would otherwise fetch any ``file://``, ``http://`` or ``ftp://`` URL a
document names (and urllib turns ``file://host/…`` into an FTP connection).  This
fetcher allows ``data:`` URLs and local ``file:`` URLs of regular files whose real path
(symlinks resolved) lies inside an allowed folder; it opens that resolved path itself,
so what is read is exactly what was checked (a FIFO or a device is refused too).
Everything else is refused and recorded in ``refused`` so the build can report it:
WeasyPrint itself would only log a failed fetch.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..model import Diagnostic, Document
from ..sandbox import NotRegular, local_path, read_regular, resolve_inside
from ..settings import PACKAGE_DIR

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

    @classmethod
    def for_renderer(cls, allowed: Iterable[Path],
                     convert_image: Callable[[bytes], bytes] | None = None
                     ) -> SandboxedFetcher:
        """What a layout of ours may read: the package's own files (fonts, styles) and
        ``allowed`` (the source's folder, the style's folders)."""
        return cls([PACKAGE_DIR, *allowed], convert_image)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if urlsplit(url).scheme.lower() == "data":
            return super().fetch(url, headers)
        path = local_path(url)
        resolved = None if path is None else resolve_inside(path, self.allowed)
        try:
            if resolved is None:
                raise NotRegular(url)
            data = read_regular(resolved, follow=False)  # a missing file: WeasyPrint logs it
        except NotRegular:
            self.refused.append(url)
            raise PermissionError(f"refused by the layout sandbox: {url}") from None
        mime = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        url = resolved.as_uri()
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
