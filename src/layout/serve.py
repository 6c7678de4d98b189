"""``layout serve``: a live preview on 127.0.0.1 while the layout desk works.

The project is built in memory (print HTML, and the PDF's pages as PNG via pypdfium2),
rebuilt whenever a source, photo, style, template or layout.toml changes (watchfiles),
and every open page reloads itself: a small script polls ``/__version``.  Nothing is
written to disk, and only files the articles use are served.
"""

from __future__ import annotations

import html as html_lib
import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pypdfium2
import watchfiles

from .article import layout_article
from .config import Config, load_config
from .errors import LayoutError
from .readers import read
from .settings import PACKAGE_TEMPLATES, Settings
from .writers import pdf

HOST = "127.0.0.1"
PREVIEW_WIDTH_PX = 1200
RELOAD_SCRIPT = """<script>
(function () {{
  var seen = "{version}";
  setInterval(function () {{
    fetch("/__version", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }})
      .then(function (v) {{ if (v !== seen) {{ location.reload(); }} }})
      .catch(function () {{}});
  }}, 1000);
}})();
</script>"""


@dataclass
class ArticlePreview:
    source: Path
    title: str = ""
    html: str = ""
    pages: list[bytes] = field(default_factory=list)  # PNG of each PDF page
    images: dict[str, Path] = field(default_factory=dict)  # served name -> file
    messages: list[str] = field(default_factory=list)


@dataclass
class Snapshot:
    version: int = 0
    articles: dict[str, ArticlePreview] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # project-wide (layout.toml)


class Preview:
    """Builds every article of the project in memory; serves the latest good build."""

    def __init__(self, root: Path, config_path: Path | None,
                 sources: Callable[[Config], list[Path]], overrides: dict[str, str | None]
                 ) -> None:
        self.root, self.config_path = root, config_path
        self.sources, self.overrides = sources, overrides
        self.snapshot = Snapshot()
        self.lock = threading.Lock()
        self.watched: list[Path] = []

    def rebuild(self) -> Snapshot:
        previous = self.snapshot
        new = Snapshot(version=previous.version + 1)
        try:
            config = load_config(self.root, self.config_path)
            settings = config.settings(style=self.overrides.get("style"),
                                       page=self.overrides.get("page"))
        except LayoutError as exc:
            new.problems = str(exc).splitlines()
            new.articles = previous.articles
        else:
            for source in self.sources(config):
                old = previous.articles.get(source.stem)
                new.articles[source.stem] = build_preview(source, settings, old)
            self.watched = watch_paths(self.root, config, settings,
                                       [a.source for a in new.articles.values()])
        with self.lock:
            self.snapshot = new
        return new


def build_preview(source: Path, settings: Settings, old: ArticlePreview | None
                  ) -> ArticlePreview:
    """One article's preview; on bad input, the last good one with the messages on top.

    It is laid out exactly as ``layout build`` lays it out, with the HTML beside the source
    (served at ``/files/<stem>/index.html``, so its photo URLs resolve to ``/files/<stem>/``).
    """
    kept = old or ArticlePreview(source, title=source.name)
    try:
        laid = layout_article(read(source), source, settings, source.parent)
        messages = [d.format(str(source)) for d in laid.diagnostics if d.severity != "info"]
        if laid.failed or laid.rendered is None:
            return ArticlePreview(source, kept.title, kept.html, kept.pages, kept.images,
                                  messages)
        pages = png_pages(pdf.pdf_bytes(laid.rendered, laid.settings, str(source)))
    except LayoutError as exc:
        return ArticlePreview(source, kept.title, kept.html, kept.pages, kept.images,
                              [str(exc)])
    images = {f.image: source.parent / f.image for f in laid.doc.figures if f.image}
    return ArticlePreview(source, laid.doc.title, laid.html, pages, images, messages)


def png_pages(pdf_bytes: bytes) -> list[bytes]:
    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        out = []
        for page in document:
            scale = PREVIEW_WIDTH_PX / page.get_width()
            buffer = io.BytesIO()
            page.render(scale=scale).to_pil().save(buffer, "PNG")
            out.append(buffer.getvalue())
        return out
    finally:
        document.close()


def watch_paths(root: Path, config: Config, settings: Settings, sources: list[Path]
                ) -> list[Path]:
    """Folders whose changes need a rebuild: sources, styles, templates, the project."""
    paths = {s.parent.resolve() for s in sources}
    paths |= {f.resolve() for f in settings.design.style.folders}
    paths.add(PACKAGE_TEMPLATES)
    if config.path is not None:
        paths.add(config.path.resolve())
    if (root / "styles").is_dir():
        paths.add((root / "styles").resolve())
    return sorted(p for p in paths if p.exists())


# --- HTTP --------------------------------------------------------------------------------

_PAGE = re.compile(r"^/p/(?P<stem>[^/]+)/(?P<n>\d+)\.png$")
_FILE = re.compile(r"^/files/(?P<stem>[^/]+)/(?P<name>[^/]+)$")
_ARTICLE = re.compile(r"^/files/(?P<stem>[^/]+)/index\.html$")


def _banner(messages: list[str]) -> str:
    if not messages:
        return ""
    items = "".join(f"<li>{html_lib.escape(m)}</li>" for m in messages)
    return ('<ul style="position:fixed;top:0;left:0;right:0;margin:0;z-index:9;'
            'background:#fee;color:#900;font:13px monospace;padding:6px 24px;'
            f'list-style:none">{items}</ul>')


def index_page(snap: Snapshot) -> str:
    rows = []
    for stem, art in snap.articles.items():
        q = html_lib.escape(stem)
        pages = "".join(
            f'<a href="/p/{q}/{n}.png"><img src="/p/{q}/{n}.png" alt="page {n}" '
            'style="width:220px;border:1px solid #999;margin:4px"></a>'
            for n in range(1, len(art.pages) + 1))
        rows.append(f'<section><h2><a href="/files/{q}/index.html">'
                    f'{html_lib.escape(art.title)}</a> '
                    f'<small>{html_lib.escape(art.source.name)}</small></h2>'
                    f'{_banner(art.messages).replace("position:fixed", "position:static")}'
                    f"<div>{pages}</div></section>")
    return ('<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">'
            '<title>layout preview</title></head><body style="font-family:sans-serif">'
            + _banner(snap.problems) + "<h1>layout preview</h1>" + "".join(rows)
            + RELOAD_SCRIPT.format(version=snap.version) + "</body></html>")


def make_handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "layout-serve"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the terminal shows rebuilds, not every request."""

        def send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            with preview.lock:
                snap = preview.snapshot
            path = unquote(urlsplit(self.path).path)
            html_type = "text/html; charset=utf-8"
            if path == "/__version":
                return self.send(str(snap.version).encode(), "text/plain")
            if path in ("/", "/index.html"):
                return self.send(index_page(snap).encode("utf-8"), html_type)
            m = _ARTICLE.match(path)
            if m and m["stem"] in snap.articles:
                art = snap.articles[m["stem"]]
                extra = _banner(snap.problems + art.messages) + RELOAD_SCRIPT.format(
                    version=snap.version)
                return self.send(inject(art.html, extra).encode("utf-8"), html_type)
            m = _PAGE.match(path)
            if m and m["stem"] in snap.articles:
                pages = snap.articles[m["stem"]].pages
                if 1 <= int(m["n"]) <= len(pages):
                    return self.send(pages[int(m["n"]) - 1], "image/png")
            m = _FILE.match(path)
            if m and m["stem"] in snap.articles:
                image = snap.articles[m["stem"]].images.get(m["name"])
                if image is not None and image.is_file():
                    kind = "image/png" if image.suffix.lower() == ".png" else "image/jpeg"
                    return self.send(image.read_bytes(), kind)
            return self.send(b"not found", "text/plain", HTTPStatus.NOT_FOUND)

    return Handler


def inject(page: str, extra: str) -> str:
    at = page.rfind("</body>")
    return page + extra if at < 0 else page[:at] + extra + page[at:]


def make_server(preview: Preview, port: int) -> ThreadingHTTPServer:
    """An HTTP server on the loopback interface only (port 0: any free port)."""
    server = ThreadingHTTPServer((HOST, port), make_handler(preview))
    server.daemon_threads = True
    return server


def watch(preview: Preview, stop: threading.Event,
          on_rebuild: Callable[[Snapshot], None]) -> None:
    """Rebuild on every batch of file changes until ``stop`` is set."""
    while not stop.is_set():
        paths = list(preview.watched)
        for _changes in watchfiles.watch(*paths, stop_event=stop, debounce=300,
                                         rust_timeout=500, yield_on_timeout=True):
            if stop.is_set():
                return
            if not _changes:
                if list(preview.watched) != paths:  # e.g. the style changed in layout.toml
                    break
                continue
            on_rebuild(preview.rebuild())
            if list(preview.watched) != paths:
                break
