"""Work done on a second core: a function called in a forked child, its result sent back.

A build is one process; some of its work needs nothing the rest makes meanwhile (the EPUB's
pictures need the document only; the make-up's trials at other leadings need the measure
in hand).  :func:`forked` runs such a call in a child made with ``fork`` (it shares the
parent's memory as it was, so nothing is sent to it), and the child sends the result back
pickled through a pipe.  It forks only where that is safe and useful (:func:`available`):

* the process has one thread (``layout serve`` and Dask workers build in threads; a fork
  copies only the forking thread, and a lock another held stays locked in the child);
* it is not itself a worker of ``layout build -j N`` (those already use the cores);
* more than one CPU is available to it, the platform has ``fork``, and ``LAYOUT_JOBS``
  is not 1 (``LAYOUT_JOBS=1`` makes every build serial).

Otherwise the same call is made here, when its result is asked for.  So is it when the
child dies without a word (killed, out of memory) or raised an exception that cannot be
pickled: a call raises here exactly what it raised there.  The child is killed and
reaped when the parent leaves the ``with`` block early (an error, Ctrl-C, or SIGTERM,
which the CLI turns into Ctrl-C); on Linux it also dies with its parent (the parent
killed outright).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from .errors import LayoutError

T = TypeVar("T")
JOBS = "LAYOUT_JOBS"
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


def jobs() -> int:
    """Processes one build may use: ``LAYOUT_JOBS``, else as many as useful (2)."""
    given = os.environ.get(JOBS, "").strip()
    if not given:
        return 2
    try:
        value = int(given)
    except ValueError:
        value = 0
    if value < 1:
        raise LayoutError("B002", f"{JOBS} is not a positive integer: {given!r}", exit_code=2)
    return value


def _cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def available() -> bool:
    """Whether a call may go to a forked child now (see the module's notes)."""
    return (hasattr(os, "fork") and jobs() > 1 and threading.active_count() == 1
            and multiprocessing.parent_process() is None and _cpus() > 1)


class Forked(Generic[T]):
    """``function(*args)``, running in a forked child or made here when asked for."""

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        self._call = lambda: function(*args)
        self._pid: int | None = None
        self._pipe: int | None = None
        if available():
            self._start()

    @property
    def pid(self) -> int | None:
        """The child's process id while it is there (None: the call is made here)."""
        return self._pid

    def _start(self) -> None:
        try:
            read, write = os.pipe()
        except OSError:
            return  # no pipe to be had (too many files open): made here
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:  # no process to be had (a limit, memory): made here
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: never returns
            os.close(read)
            _child(self._call, write, parent)
        os.close(write)
        self._pid, self._pipe = pid, read

    def result(self) -> T:
        """The call's value, or its exception raised here."""
        if self._pid is None:
            return self._call()
        assert self._pipe is not None
        with os.fdopen(self._pipe, "rb") as pipe:
            self._pipe = None
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if status == 0 and data:
            ok, value = pickle.loads(data)
            if ok:
                return value
            if value is not None:
                raise value
        return self._call()  # the child died, or its exception could not be sent

    def close(self) -> None:
        """Kill and reap the child, if it is still there."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None


@contextlib.contextmanager
def forked(function: Callable[..., T], *args: Any) -> Iterator[Forked[T]]:
    """``function(*args)`` begun on another core if one may be used; the child is gone
    when the block is left."""
    call = Forked(function, *args)
    try:
        yield call
    finally:
        call.close()


def _child(call: Callable[[], Any], write: int, parent: int) -> None:
    """Make the result, send it, exit: nothing of the parent's (its ``finally`` blocks,
    ``atexit``, buffered output) runs here."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with(parent)
        gc.freeze()  # the parent's objects are not collected here, nor copied by looking
        try:
            payload: tuple[bool, Any] = (True, call())
        except BaseException as exc:  # noqa: BLE001 - sent to the parent, raised there
            payload = (False, exc)
        try:
            data = pickle.dumps(payload, pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - the parent makes the call itself
            data = pickle.dumps((False, None))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(0)


def _die_with(parent: int) -> None:
    """On Linux, SIGKILL when the parent dies, however it dies."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)
