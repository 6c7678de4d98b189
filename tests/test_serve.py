"""`layout serve`: a live preview on 127.0.0.1 that follows source edits."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT

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
        with urllib.request.urlopen(url, timeout=10) as response:
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


@pytest.fixture
def server(tmp_path: Path):  # noqa: ANN201 - yields (base URL, project, process)
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.md").write_text(
        ARTICLE.format(title="预览标题", body="第一稿的正文。"), "utf-8")
    (tmp_path / "layout.toml").write_text('[style]\npage = "a4"\n', "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "layout.cli", "serve", "--port", "0"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
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
    from layout.serve import Preview, make_server

    preview = Preview(tmp_path, None, lambda config: [], {})
    server = make_server(preview, 0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()
