"""``layout serve``: a live preview on 127.0.0.1 while the layout desk works.

The project is built in memory (print HTML, and the PDF's pages as PNG via pypdfium2),
rebuilt whenever a source, photo, style, template or layout.toml changes (watchfiles),
and every open page reloads itself: a small script polls ``/__version``.  Nothing is
written to disk.

The trust boundary: everything served comes from an in-memory snapshot of the last good
build (bytes, never a path read at request time, so swapping a photo for a symlink after
a build reads nothing); requests must name the bound loopback host (a web page reaching
the port through DNS rebinding is refused); at most ``MAX_CONNECTIONS`` requests are
handled at a time and the rest get 503 at once, from a listen backlog large enough for
a burst; a client that goes away is a debug line; and the watcher outlives any error in
a rebuild, which the article's banner shows.  Only the articles whose inputs changed are
laid out again.
"""

from __future__ import annotations

import html as html_lib
import io
import logging
import re
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pypdfium2
import watchfiles

from ..config import Config, PagePlan, load_config
from ..errors import LayoutError
from ..model import Document
from ..readers import read
from ..sandbox import read_inside
from ..settings import PACKAGE_TEMPLATES, Settings
from ..transforms.script import for_script
from ..writers import pdf
from .article import layout_article
from .incremental import article_digest, settings_digest
from .page_plan import compose_plan, jump_target, page_name
from .pages import ComposedPage, Jump

HOST = "127.0.0.1"
HOST_NAMES = (HOST, "localhost")
PREVIEW_WIDTH_PX = 1200
MAX_CONNECTIONS = 32  # requests handled at a time; more get 503
BACKLOG = 256  # connections the kernel queues before accept (socketserver's default is 5)
REQUEST_TIMEOUT = 10.0  # seconds a client may take to send its request
LOGGER = logging.getLogger("layout.app.serve")
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
    images: dict[str, bytes] = field(default_factory=dict)  # served name -> bytes
    messages: list[str] = field(default_factory=list)
    digest: str | None = None  # of the inputs last built from (None: build again)


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
        """Build the articles whose inputs changed; keep the others as they are."""
        previous = self.snapshot
        new = Snapshot(version=previous.version + 1)
        try:
            config = load_config(self.root, self.config_path)
            settings = config.settings(style=self.overrides.get("style"),
                                       page=self.overrides.get("page"))
            sources = self.sources(config)
            settings_hex = settings_digest(settings)
        except Exception as exc:  # noqa: BLE001 - the watcher must outlive any error
            new.problems = problem_lines(exc, "layout.toml")
            new.articles = previous.articles
        else:
            for source in sources:
                old = previous.articles.get(source.stem)
                new.articles[source.stem] = self.article(source, settings, settings_hex, old)
            # the composed pages of the plan, after the articles
            if self.overrides.get("jump"):
                new.articles.update(self.jumped(config.pages, settings, settings_hex,
                                                previous))
            for plan in () if self.overrides.get("jump") else config.pages:
                name = page_name(plan)
                new.articles[name] = self.page(plan, settings, settings_hex,
                                               previous.articles.get(name))
            self.watched = watch_paths(
                self.root, config, settings, [a.source for a in new.articles.values()]
                + [s for plan in config.pages for s in plan.stories])
        with self.lock:
            self.snapshot = new
        return new

    def article(self, source: Path, settings: Settings, settings_hex: str,
                old: ArticlePreview | None) -> ArticlePreview:
        """One article's preview: the old one if its inputs are unchanged, else built anew."""
        digest = input_digest(source, settings_hex)
        if old is not None and digest is not None and old.digest == digest:
            return old
        try:
            preview = build_preview(source, settings, old)
        except Exception as exc:  # noqa: BLE001 - a bug in one build must not stop the server
            kept = old or ArticlePreview(source, title=source.name)
            preview = ArticlePreview(source, kept.title, kept.html, kept.pages, kept.images,
                                     problem_lines(exc, str(source)))
        preview.digest = digest
        return preview


    def page(self, plan: PagePlan, settings: Settings, settings_hex: str,
             old: ArticlePreview | None) -> ArticlePreview:
        """A planned page's preview: the old one if none of its stories changed."""
        digests = [input_digest(s, settings_hex) for s in plan.stories]
        digest = None if None in digests else "".join(map(str, (*digests, plan)))
        if old is not None and digest is not None and old.digest == digest:
            return old
        try:
            preview = page_preview(plan, old, compose_plan(plan, settings,
                                                           plan.stories[0].parent, None))
        except Exception as exc:  # noqa: BLE001 - one page must not stop the server
            preview = page_preview(plan, old, exc)
        preview.digest = digest
        return preview

    def jumped(self, plans: tuple[PagePlan, ...], settings: Settings, settings_hex: str,
               previous: Snapshot) -> dict[str, ArticlePreview]:
        """The planned pages as `layout build --jump` makes them (``serve --jump``): in
        the order of their numbers, a story too long for its page continued on a later
        one (:func:`layout.app.page_plan.jump_target`).  A jump ties the pages together:
        all are made again when a story of any changed."""
        names = [page_name(plan) for plan in plans]
        digests = [input_digest(s, settings_hex) for plan in plans for s in plan.stories]
        digest = None if None in digests else "".join(map(str, (*digests, *plans)))
        olds = [previous.articles.get(name) for name in names]
        if digest is not None and all(o is not None and o.digest == digest for o in olds):
            return {name: o for name, o in zip(names, olds, strict=True) if o is not None}
        out = {}
        continued: dict[int, list[Jump]] = {}
        for plan in sorted(plans, key=lambda p: p.number):
            old = previous.articles.get(page_name(plan))
            try:
                page = compose_plan(plan, settings, plan.stories[0].parent, None,
                                    continued=tuple(continued.pop(plan.number, ())),
                                    jump_to=jump_target(plan, plans))
            except Exception as exc:  # noqa: BLE001 - one page must not stop the server
                out[page_name(plan)] = page_preview(plan, old, exc)
                continue
            for j in page.jumps:
                continued.setdefault(j.to, []).append(j)
            out[page_name(plan)] = page_preview(plan, old, page)
        for preview in out.values():
            preview.digest = digest
        return out


def page_preview(plan: PagePlan, old: ArticlePreview | None,
                 page: ComposedPage | Exception) -> ArticlePreview:
    """A planned page's preview from the page composed (or why it could not be): the old
    one's HTML and pictures kept when it failed."""
    source = plan.stories[0]
    kept = old or ArticlePreview(source, title=f"第{plan.number}版 {plan.name}")
    if isinstance(page, Exception):
        return ArticlePreview(source, kept.title, kept.html, kept.pages, kept.images,
                              problem_lines(page, plan.where))
    messages = [d.format(page.where) for d in page.diagnostics if d.severity != "info"]
    if page.failed or page.rendered is None:
        return ArticlePreview(source, kept.title, kept.html, kept.pages, kept.images,
                              messages)
    pages = png_pages(pdf.pdf_bytes(page.rendered, page.settings, str(source)))
    images = {k: v for story in page.stories if story.source.parent == source.parent
              for doc in story.docs for k, v in image_bytes(doc, source.parent).items()}
    return ArticlePreview(source, kept.title, page.html, pages, images, messages)


def input_digest(source: Path, settings_hex: str) -> str | None:
    """What an article's preview is made from (None when the source cannot be read)."""
    try:
        return article_digest(source, read(source), settings_hex)
    except Exception:  # noqa: BLE001 - building it reports the problem
        return None


def problem_lines(exc: BaseException, where: str) -> list[str]:
    """A failed build's message lines: a LayoutError as it is, anything else as W102."""
    if isinstance(exc, LayoutError):
        return str(exc).splitlines()
    detail = f"{type(exc).__name__}: {exc}"[:300]
    return [str(LayoutError("W102", f"the preview could not be built ({detail}); the last "
                            "good preview is shown", where, exit_code=0))]


def build_preview(source: Path, settings: Settings, old: ArticlePreview | None
                  ) -> ArticlePreview:
    """One article's preview; on bad input, the last good one with the messages on top.

    It is laid out exactly as ``layout build`` lays it out, with the HTML beside the source
    (served at ``/files/<stem>/index.html``, so its photo URLs resolve to ``/files/<stem>/``).
    """
    kept = old or ArticlePreview(source, title=source.name)
    try:
        doc, settings = for_script(read(source), settings)
        laid = layout_article(doc, source, settings, source.parent)
        messages = [d.format(str(source)) for d in laid.diagnostics if d.severity != "info"]
        if laid.failed or laid.rendered is None:
            return ArticlePreview(source, kept.title, kept.html, kept.pages, kept.images,
                                  messages)
        pages = png_pages(pdf.pdf_bytes(laid.rendered, laid.settings, str(source)))
    except LayoutError as exc:
        return ArticlePreview(source, kept.title, kept.html, kept.pages, kept.images,
                              [str(exc)])
    images = image_bytes(laid.doc, source.parent)
    return ArticlePreview(source, laid.doc.title, laid.html, pages, images, messages)


def image_bytes(doc: Document, folder: Path) -> dict[str, bytes]:
    """The figures' photos as read now: the preview never opens a path at request time."""
    images = {}
    for figure in (f for story in doc.stories() for f in story.figures):
        if not figure.image:
            continue
        data = read_inside(folder / figure.image, [folder])
        if data is not None:
            images[figure.image] = data
    return images


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
_FILE = re.compile(r"^/files/(?P<stem>[^/]+)/(?P<name>.+)$")  # photos in subfolders too
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


def host_allowed(host: str | None, port: int) -> bool:
    """Only the loopback name or address the server is bound to (no DNS rebinding)."""
    if host is None:
        return False
    names = {f"{name}:{port}" for name in HOST_NAMES}
    if port == 80:  # browsers leave out the default port
        names |= set(HOST_NAMES)
    return host.strip().lower() in names


def make_handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server: PreviewServer
        server_version = "layout-serve"
        timeout = REQUEST_TIMEOUT

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
            if not host_allowed(self.headers.get("Host"), self.server.server_address[1]):
                return self.send(b"this preview answers only to 127.0.0.1 and localhost\n",
                                 "text/plain", HTTPStatus.MISDIRECTED_REQUEST)
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
                if image is not None:
                    kind = "image/png" if image.startswith(b"\x89PNG") else "image/jpeg"
                    return self.send(image, kind)
            return self.send(b"not found", "text/plain", HTTPStatus.NOT_FOUND)

    return Handler


BUSY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
        b"Content-Length: 5\r\nRetry-After: 1\r\nConnection: close\r\n\r\nbusy\n")


class PreviewServer(ThreadingHTTPServer):
    """One thread per request, at most ``MAX_CONNECTIONS`` at a time; the rest get 503.

    Closing does not wait for request threads (they are daemons): shutdown stays bounded.
    """

    daemon_threads = True
    block_on_close = False
    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler],
                 max_connections: int = MAX_CONNECTIONS) -> None:
        super().__init__(address, handler)
        self.slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request: socket.socket | tuple[bytes, socket.socket],
                        client_address: object) -> None:
        if not self.slots.acquire(blocking=False):
            if isinstance(request, socket.socket):  # always, on a stream server
                self.refuse(request)
            return
        thread = threading.Thread(target=self.process_request_thread,
                                  args=(request, client_address), daemon=True)
        try:
            thread.start()
        except RuntimeError:  # no thread was started: none will release the slot
            self.slots.release()
            raise
        # Ctrl-C may arrive while start() waits for the thread: it has the slot then, and
        # the KeyboardInterrupt must reach serve() (releasing here too raised ValueError,
        # which the server logged and served on).

    def process_request_thread(self, request: socket.socket | tuple[bytes, socket.socket],
                               client_address: object) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def refuse(self, request: socket.socket) -> None:
        """503 at once.  The request is read first: closing a socket with unread data
        would make the kernel reset the connection instead of delivering the answer."""
        try:
            request.settimeout(1.0)
            request.recv(65536)
            request.sendall(BUSY)
        except OSError:
            pass
        finally:
            self.shutdown_request(request)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that went away is a debug line; anything else one line, no traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            LOGGER.debug("client %s went away: %s", client_address, exc)
        else:
            LOGGER.error("request from %s failed: %s: %s", client_address,
                         type(exc).__name__, exc)


def inject(page: str, extra: str) -> str:
    at = page.rfind("</body>")
    return page + extra if at < 0 else page[:at] + extra + page[at:]


def make_server(preview: Preview, port: int) -> PreviewServer:
    """An HTTP server on the loopback interface only (port 0: any free port)."""
    return PreviewServer((HOST, port), make_handler(preview))


def watch(preview: Preview, stop: threading.Event,
          on_rebuild: Callable[[Snapshot], None],
          watching: threading.Event | None = None) -> None:
    """Rebuild on every batch of file changes until ``stop`` is set, whatever goes wrong.

    ``watching`` is set once changes are being watched: a save before then is not seen
    (on a busy machine the watcher's thread may start seconds after it is asked to)."""
    while not stop.is_set():
        try:
            _watch(preview, stop, on_rebuild, watching)
        except Exception as exc:  # noqa: BLE001 - e.g. a watched folder was removed
            LOGGER.warning("watching for changes failed (%s: %s); watching again",
                           type(exc).__name__, exc)
            stop.wait(1.0)


def _watch(preview: Preview, stop: threading.Event,
           on_rebuild: Callable[[Snapshot], None],
           watching: threading.Event | None) -> None:
    """Watch the current paths until the set of paths changes or ``stop`` is set."""
    paths = list(preview.watched)
    # The first batch (empty, after rust_timeout) comes once the watch is set up.
    for changes in watchfiles.watch(*paths, stop_event=stop, debounce=300,
                                    rust_timeout=500, yield_on_timeout=True):
        if watching is not None:
            watching.set()
        if stop.is_set():
            return
        if changes:
            on_rebuild(preview.rebuild())
        if list(preview.watched) != paths:  # e.g. the style changed in layout.toml
            return


def serve(preview: Preview, server: PreviewServer, on_rebuild: Callable[[Snapshot], None],
          shutdown_seconds: float = 2.0) -> bool:
    """Serve until Ctrl-C (or ``server.shutdown()``); stop watching within ``shutdown_seconds``.

    Returns False if a rebuild was still running then: it cannot be interrupted inside
    the layout engine, and the preview writes nothing, so the caller may simply exit.
    """
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(preview, stop, on_rebuild), daemon=True,
                               name="layout-watch")
    watcher.start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        watcher.join(timeout=shutdown_seconds)
    return not watcher.is_alive()
