"""A WeasyPrint URL fetcher that reads only files inside allowed folders.

WeasyPrint would otherwise fetch any ``file://`` or ``http://`` URL a document names.
Every refused URL is recorded so the build can report it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher


class SandboxedFetcher(URLFetcher):
    def __init__(self, allowed: Iterable[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.allowed = [p.resolve() for p in allowed]
        self.refused: list[str] = []

    def allows(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved == a or a in resolved.parents for a in self.allowed)

    def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN201 - WeasyPrint's type
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data" or (scheme == "file" and self.allows(Path(unquote(parts.path)))):
            return super().fetch(url, headers)
        self.refused.append(url)
        raise PermissionError(f"refused by the layout sandbox: {url}")
