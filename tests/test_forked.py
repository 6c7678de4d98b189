"""Work on a second core (layout.forked): the same result or exception as made in
process, the switch that turns it off, and no child left behind by an error, Ctrl-C,
SIGTERM or SIGKILL of the parent."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from layout import forked as fork
from layout.app.article import measurer
from layout.errors import LayoutError
from layout.forked import Forked, forked
from layout.makeup import flow, makeup
from layout.makeup.makeup import make_up
from layout.readers import read
from layout.settings import Design, Publication, Settings, load_style

from .conftest import ROOT, SAMPLE, environment, layout_cli, run_layout


@pytest.fixture
def may_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork here although the test runner has threads (the calls below take no lock)."""
    monkeypatch.setattr(fork, "available", lambda: True)


def whose(value: int) -> tuple[int, int]:
    return value, os.getpid()


def fails(code: str) -> None:
    raise LayoutError(code, f"failed in {os.getpid()}", "story.txt", 7, exit_code=4)


class Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__(f"failed in {os.getpid()}")
        self.call = lambda: None  # a lambda cannot be pickled


def fails_unpicklably() -> None:
    raise Unpicklable


def test_a_child_result_is_what_the_call_returns(may_fork: None) -> None:
    with forked(whose, 5) as call:
        child = call.pid
        value, made_in = call.result()
    assert value == 5 and made_in == child != os.getpid()


def test_an_exception_in_the_child_is_raised_as_it_was(may_fork: None) -> None:
    with forked(fails, "B301") as call:
        child = call.pid
        with pytest.raises(LayoutError) as raised:
            call.result()
    error = raised.value
    assert str(error) == f"story.txt:7: B301 failed in {child}"
    assert (error.code, error.exit_code) == ("B301", 4)


def test_an_exception_that_cannot_be_sent_is_raised_by_the_call_made_here(
        may_fork: None) -> None:
    with forked(fails_unpicklably) as call:
        assert call.pid is not None
        with pytest.raises(Unpicklable, match=f"failed in {os.getpid()}$"):
            call.result()


def slow_elsewhere(value: int, parent: int) -> tuple[int, int]:
    """``whose``, after a minute when not called in ``parent`` (killed before it ends)."""
    if os.getpid() != parent:
        time.sleep(60)
    return whose(value)


def test_a_child_that_dies_is_replaced_by_the_call_made_here(may_fork: None) -> None:
    with forked(slow_elsewhere, 8, os.getpid()) as call:
        assert call.pid is not None
        os.kill(call.pid, signal.SIGKILL)
        assert call.result() == (8, os.getpid())


def test_made_here_when_no_process_can_be_forked(may_fork: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    with forked(whose, 9) as call:
        assert call.pid is None
        assert call.result() == (9, os.getpid())


def test_serial_when_switched_off_or_in_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fork, "_cpus", lambda: 2)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    with environment({"LAYOUT_JOBS": None}):
        assert fork.jobs() == 2 and fork.available()
    with environment({"LAYOUT_JOBS": "1"}):
        assert not fork.available()
        with forked(whose, 1) as call:
            assert call.pid is None
            assert call.result() == (1, os.getpid())
    for bad in ("0", "two"):
        with environment({"LAYOUT_JOBS": bad}), pytest.raises(LayoutError, match="B002"):
            fork.available()
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # layout serve, Dask
    with environment({"LAYOUT_JOBS": None}):
        assert not fork.available()
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(fork, "_cpus", lambda: 1)
    with environment({"LAYOUT_JOBS": None}):
        assert not fork.available()


def test_a_call_not_asked_for_is_killed_and_reaped(may_fork: None) -> None:
    with forked(time.sleep, 60) as call:
        child = call.pid
    assert child is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # reaped already
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


PARENT = textwrap.dedent("""
    import signal, sys, time
    from layout.cli import _terminated
    from layout.forked import forked
    signal.signal(signal.SIGTERM, _terminated)
    try:
        with forked(time.sleep, 60) as call:
            print(call.pid, flush=True)
            call.result()
    except KeyboardInterrupt:
        sys.exit(130)
""")


def gone(pid: int) -> bool:
    """Gone, or dead and waiting for init (an orphan's parent) to reap it."""
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return True


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGKILL"])
def test_no_child_outlives_its_parent(how: str) -> None:
    # Ctrl-C as in a terminal: SIGINT at its default, even when pytest was started in the
    # background of a script (the shell ignores SIGINT there, and children inherit it).
    parent = subprocess.Popen([sys.executable, "-c", PARENT], cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, start_new_session=True,
                              env={**os.environ, "LAYOUT_JOBS": "2"},
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert not gone(child)
    if how == "SIGINT":  # Ctrl-C: the terminal signals the whole process group
        os.killpg(parent.pid, signal.SIGINT)
    else:
        parent.send_signal(getattr(signal, how))
    status = parent.wait(timeout=30)
    assert status == (-signal.SIGKILL if how == "SIGKILL" else 130)
    deadline = time.monotonic() + 10
    while not gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gone(child)


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if not p.name.startswith(".")}


@pytest.fixture
def fresh_fills() -> Iterator[None]:
    """The make-up fills afresh (no flow remembered from a make-up before)."""
    flow._POURED.clear()
    flow._FILLED.clear()
    yield
    flow._POURED.clear()
    flow._FILLED.clear()


@pytest.mark.slow
def test_the_refit_shared_with_a_child_is_the_serial_refit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_fills: None) -> None:
    doc = read(SAMPLE)
    loaded = load_style("newspaper")
    settings = Settings(Publication(), Design(loaded, loaded.preset("broadsheet")))
    measure = measurer(doc, SAMPLE, tmp_path, [SAMPLE.parent], fast=True)
    with environment({"LAYOUT_JOBS": "1"}):
        serial = make_up(doc, settings, measure)
    remembered = flow._FILLED.keys()
    flow._POURED.clear()
    flow._FILLED.clear()
    children: list[int | None] = []

    @contextlib.contextmanager
    def counted(*args: Any) -> Iterator[Forked[Any]]:
        with forked(*args) as call:
            children.append(call.pid)
            yield call

    monkeypatch.setattr(makeup, "forked", counted)
    monkeypatch.setattr(makeup, "FORK_WORTH", 0.0)  # every refit's fills shared
    monkeypatch.setattr(fork, "available", lambda: True)
    parallel = make_up(doc, settings, measure)
    assert children and None not in children
    assert parallel == serial
    assert flow._FILLED.keys() == remembered  # the children's fills are kept here too


@pytest.mark.slow
def test_serial_and_parallel_builds_are_the_same(tmp_path: Path) -> None:
    """The serial build in this process, the parallel one by a fresh interpreter (where
    the build may fork: this process has threads)."""
    args = ("build", str(SAMPLE), "-q", "--format", "pdf,epub,kepub")
    serial = layout_cli(*args, "-o", str(tmp_path / "1"),
                        env={"SOURCE_DATE_EPOCH": "0", "LAYOUT_JOBS": "1"})
    assert serial.returncode == 0, serial.stderr
    parallel = run_layout(*args, "-o", str(tmp_path / "2"),
                          env={**os.environ, "SOURCE_DATE_EPOCH": "0", "LAYOUT_JOBS": "2"})
    assert parallel.returncode == 0, parallel.stderr
    made = {jobs: outputs(tmp_path / jobs) for jobs in ("1", "2")}
    assert made["1"].keys() == {f"{SAMPLE.stem}{s}" for s in (".pdf", ".epub", ".kepub.epub")}
    assert made["1"] == made["2"]


@pytest.mark.slow
def test_a_failing_child_is_reported_as_the_serial_build_reports_it(tmp_path: Path) -> None:
    """The serial build in this process, the parallel one by a fresh interpreter."""
    source = tmp_path / "broken.txt"
    shutil.copy(SAMPLE, source)
    (tmp_path / "图③.jpg").write_text("not a photo", "utf-8")
    args = ("build", str(source), "-q", "--format", "epub")
    serial = layout_cli(*args, "-o", str(tmp_path / "1"), env={"LAYOUT_JOBS": "1"})
    parallel = run_layout(*args, "-o", str(tmp_path / "2"),
                          env={**os.environ, "LAYOUT_JOBS": "2"})
    reports = [(proc.returncode, proc.stderr) for proc in (serial, parallel)]
    for jobs in ("1", "2"):
        assert not (tmp_path / jobs / "broken.epub").exists()
    assert reports[0] == reports[1]
    assert reports[0][0] == 3 and f"{source}:" in reports[0][1] and " B301 " in reports[0][1]
    assert "Traceback" not in reports[1][1]


@pytest.mark.slow
def test_a_bad_switch_is_an_error(tmp_path: Path) -> None:
    proc = layout_cli("build", str(SAMPLE), "-o", str(tmp_path), "-q", "--format", "html",
                      env={"LAYOUT_JOBS": "0"})
    assert proc.returncode == 2
    assert "B002 LAYOUT_JOBS is not a positive integer: '0'" in proc.stderr
