"""`layout serve`: a live preview on 127.0.0.1 that follows source edits."""

from __future__ import annotations

import contextlib
import http.client
import io
import logging
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote, urljoin

import pytest

from layout.app.serve import Preview, PreviewServer, make_server, watch

from .conftest import ROOT

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

ARTICLE = """\
---
title: {title}
---

{body}

## 第一节

第一节的正文。
"""

DEADLINE = 90.0  # seconds for any one wait: a rebuild is a full layout on a busy machine


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def text_of(page: bytes) -> str:
    """The text of an HTML page (the typesetting layer wraps punctuation in spans)."""
    return re.sub(r"<[^>]+>", "", page.decode("utf-8"))


def wait_for(condition, what: str) -> None:  # noqa: ANN001 - a predicate
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


def default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def server(tmp_path: Path):  # noqa: ANN201 - yields (base URL, project, process)
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.md").write_text(
        ARTICLE.format(title="预览标题", body="第一稿的正文。"), "utf-8")
    (tmp_path / "layout.toml").write_text('[style]\npage = "a4"\n', "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    # Ctrl-C as in a terminal: SIGINT at its default, even when pytest itself was started
    # in the background of a script, where the shell ignores SIGINT and children inherit it.
    proc = subprocess.Popen([sys.executable, "-m", "layout.cli", "serve", "--port", "0"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, preexec_fn=default_sigint)
    try:
        line = ""
        end = time.monotonic() + DEADLINE
        while "serving" not in line and time.monotonic() < end and proc.poll() is None:
            line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line, (line, proc.poll())
        base = line.split("on ", 1)[1].split(" ")[0].rstrip("/")
        yield base, tmp_path, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_serve_previews_and_follows_edits(server) -> None:  # noqa: ANN001 - fixture
    base, project, proc = server
    assert base.startswith("http://127.0.0.1:")
    status, page = get(f"{base}/files/a/index.html")
    assert status == 200 and "第一稿的正文。" in text_of(page)
    assert b"/__version" in page  # the reload script
    status, index = get(f"{base}/")
    assert status == 200 and "预览标题" in index.decode("utf-8")
    status, png = get(f"{base}/p/a/1.png")
    assert status == 200 and png.startswith(b"\x89PNG")
    assert get(f"{base}/p/a/99.png")[0] == 404
    assert get(f"{base}/files/a/../../layout.toml")[0] == 404
    version = get(f"{base}/__version")[1]

    (project / "source" / "a.md").write_text(
        ARTICLE.format(title="预览标题", body="第二稿改过的正文。"), "utf-8")
    wait_for(lambda: get(f"{base}/__version")[1] != version, "a rebuild")
    status, page = get(f"{base}/files/a/index.html")
    assert "第二稿改过的正文。" in text_of(page) and "第一稿" not in text_of(page)

    # a broken source keeps the last good preview and says what is wrong
    version = get(f"{base}/__version")[1]
    (project / "source" / "a.md").write_text("---\ntitle: [unclosed\n---\n", "utf-8")
    wait_for(lambda: get(f"{base}/__version")[1] != version, "a rebuild after the error")
    page = get(f"{base}/files/a/index.html")[1]
    assert "第二稿改过的正文。" in text_of(page) and "M101" in text_of(page)

    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 0


def test_server_binds_the_loopback_address_only(tmp_path: Path) -> None:
    preview = Preview(tmp_path, None, lambda config: [], {})
    server = make_server(preview, 0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


# --- the trust boundary, in process ------------------------------------------------------

def png(colour: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


PHOTO_ARTICLE = ARTICLE.replace("---\n\n", """figures:
  - label: 图①
    caption: 说明。
    image: photos/one.png
---

""", 1)


@dataclass
class Live:
    """A preview server running in this process: its URL, project and objects."""

    base: str
    port: int
    project: Path
    preview: Preview
    server: PreviewServer


@contextlib.contextmanager
def live_server(project: Path) -> Iterator[Live]:
    from layout.cli import project_sources

    preview = Preview(project, None, lambda config: project_sources(config), {})
    preview.rebuild()
    server = make_server(preview, 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        yield Live(f"http://127.0.0.1:{port}", port, project, preview, server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def make_project(root: Path, stems: tuple[str, ...] = ("a",)) -> Path:
    (root / "source" / "photos").mkdir(parents=True)
    (root / "source" / "photos" / "one.png").write_bytes(png("red"))
    for stem in stems:
        (root / "source" / f"{stem}.md").write_text(
            PHOTO_ARTICLE.format(title=f"标题{stem}", body=f"{stem}的正文。"), "utf-8")
    (root / "layout.toml").write_text('[style]\npage = "a4"\n', "utf-8")
    return root


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """Two articles, built once for the tests that only read."""
    with live_server(make_project(tmp_path_factory.mktemp("live"), ("a", "b"))) as running:
        # Built cleanly: the only message is the make-up's note that a short story leaves
        # most of its page free (L203).
        messages = [m for a in running.preview.snapshot.articles.values() for m in a.messages]
        assert len(running.preview.snapshot.articles) == 2
        assert all(" L203 " in m for m in messages), messages
        yield running


def request(live: Live, path: str, host: str | None = "default") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
    try:
        connection.putrequest("GET", quote(path, safe="/%"), skip_host=True)
        if host is not None:
            connection.putheader("Host", f"127.0.0.1:{live.port}" if host == "default" else host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.slow
def test_only_the_bound_host_is_answered(live: Live) -> None:
    """A page of another site reaching the port by DNS rebinding names its own host."""
    assert request(live, "/")[0] == 200
    assert request(live, "/", host=f"localhost:{live.port}")[0] == 200
    for host in (f"attacker.example:{live.port}", "127.0.0.1", f"127.0.0.1:{live.port + 1}",
                 f"127.0.0.1.attacker.example:{live.port}", None):
        status, body = request(live, "/files/a/index.html", host=host)
        assert status == 421 and b"127.0.0.1" in body and "正文".encode() not in body, host


@pytest.mark.slow
def test_photo_in_a_subfolder_is_served(live: Live) -> None:
    page = request(live, "/files/a/index.html")[1].decode("utf-8")
    m = re.search(r'src="([^"]*one.png)"', page)
    assert m and "photos/" in m.group(1)
    status, body = request(live, urljoin("/files/a/index.html", m.group(1)))
    assert (status, body) == (200, (live.project / "source" / "photos" / "one.png").read_bytes())
    assert request(live, "/files/a/photos/../../layout.toml")[0] == 404


@pytest.mark.slow
def test_a_burst_of_200_requests_is_all_answered(live: Live) -> None:
    """200 connections at once: each gets 200 or 503 (never a reset), all within 30 s."""
    statuses: list[int | str] = []
    start = threading.Barrier(200)

    def one() -> None:
        start.wait()
        try:
            statuses.append(request(live, "/p/a/1.png")[0])
        except OSError as exc:
            statuses.append(type(exc).__name__)

    threads = [threading.Thread(target=one, daemon=True) for _ in range(200)]
    for t in threads:
        t.start()
    end = time.monotonic() + 30
    for t in threads:
        t.join(timeout=max(0.0, end - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "requests still unanswered after 30 s"
    assert len(statuses) == 200 and set(statuses) <= {200, 503}, Counter(statuses)
    assert statuses.count(200) >= 32


@pytest.mark.slow
def test_a_client_going_away_is_one_debug_line(live: Live, caplog: pytest.LogCaptureFixture,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG, logger="layout.app.serve")
    with socket.create_connection(("127.0.0.1", live.port)) as sock:
        # half a request, then a reset: the server is still reading when the client goes
        sock.sendall(f"GET /p/a/1.png HTTP/1.0\r\nHost: 127.0.0.1:{live.port}\r\n".encode())
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    wait_for(lambda: any("went away" in r.message for r in caplog.records), "a debug line")
    assert all(r.levelno == logging.DEBUG for r in caplog.records if r.name == "layout.app.serve")
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.slow
def test_an_edit_rebuilds_only_the_article_it_changes(live: Live, monkeypatch) -> None:  # noqa: ANN001
    import layout.app.serve

    built: list[str] = []
    real = layout.app.serve.build_preview

    def counting(source: Path, *args: object) -> object:
        built.append(source.stem)
        return real(source, *args)

    monkeypatch.setattr(layout.app.serve, "build_preview", counting)
    before = live.preview.snapshot
    assert live.preview.rebuild().articles == before.articles and built == []
    (live.project / "source" / "b.md").write_text(
        PHOTO_ARTICLE.format(title="标题b", body="b改过的正文。"), "utf-8")
    after = live.preview.rebuild()
    assert built == ["b"]
    assert after.articles["a"] is before.articles["a"]
    assert "b改过的正文。" in text_of(after.articles["b"].html.encode("utf-8"))


@pytest.mark.slow
def test_a_photo_swapped_for_a_symlink_is_never_read(tmp_path: Path) -> None:
    """The last good preview serves the bytes it was built with, not a path read later."""
    project = make_project(tmp_path / "project")
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG secret outside the project")
    photo = project / "source" / "photos" / "one.png"
    good = photo.read_bytes()
    with live_server(project) as running:
        photo.unlink()
        photo.symlink_to(secret)
        (project / "source" / "a.md").write_text("---\ntitle: [unclosed\n---\n", "utf-8")
        running.preview.rebuild()
        assert request(running, "/files/a/photos/one.png") == (200, good)
        assert "M101" in text_of(request(running, "/files/a/index.html")[1])


@pytest.mark.slow
def test_the_watcher_survives_any_error_and_rebuilds_after_the_fix(tmp_path: Path,
                                                                     monkeypatch) -> None:  # noqa: ANN001
    """A build that raises RecursionError: shown on the page; the next save builds again."""
    import layout.app.serve

    real = layout.app.serve.build_preview

    def fragile(source: Path, *args: object) -> object:
        if "递归" in source.read_text("utf-8"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(source, *args)

    monkeypatch.setattr(layout.app.serve, "build_preview", fragile)
    project = make_project(tmp_path)
    source = project / "source" / "a.md"
    with live_server(project) as running:
        stop, watching = threading.Event(), threading.Event()
        watcher = threading.Thread(target=watch, daemon=True,
                                   args=(running.preview, stop, lambda s: None, watching))
        watcher.start()
        try:
            assert watching.wait(DEADLINE), "the watcher never started watching"
            for body, expect in (("递归的正文。", "W102"), ("修好的正文。", "修好的正文。"),
                                 ("又一次递归。", "W102"), ("再次修好。", "再次修好。")):
                version = running.preview.snapshot.version
                source.write_text(PHOTO_ARTICLE.format(title="标题", body=body), "utf-8")
                wait_for(lambda v=version, e=expect: running.preview.snapshot.version > v
                         and e in text_of(request(running, "/files/a/index.html")[1]),
                         f"a rebuild showing {expect}")
            assert watcher.is_alive()
        finally:
            stop.set()
            watcher.join(timeout=10)


def test_ctrl_c_while_a_request_thread_starts_stops_the_server(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C on a busy machine can land in ``Thread.start()`` after the request's thread
    has already answered and released its slot: the KeyboardInterrupt must reach serve(),
    not turn into a ValueError the server logs and serves on."""

    class Idle(BaseHTTPRequestHandler):
        def handle(self) -> None:
            pass

    server = PreviewServer(("127.0.0.1", 0), Idle, max_connections=1)
    start = threading.Thread.start

    def interrupted(thread: threading.Thread) -> None:
        start(thread)
        thread.join()  # the request is answered before the main thread runs again
        raise KeyboardInterrupt

    ours, theirs = socket.socketpair()
    try:
        monkeypatch.setattr(threading.Thread, "start", interrupted)
        with pytest.raises(KeyboardInterrupt):
            server.process_request(ours, ("127.0.0.1", 1))
        monkeypatch.undo()
        assert server.slots.acquire(blocking=False)  # released once, by its thread
        assert not server.slots.acquire(blocking=False)
    finally:
        theirs.close()
        server.server_close()
