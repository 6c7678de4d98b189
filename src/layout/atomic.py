"""Writing outputs atomically: a temporary file in the same folder, renamed into place.

On Linux the temporary file is unnamed (``O_TMPFILE``): until it is linked into the
folder it has no name, so a build killed at any point, even by SIGKILL, leaves no
temporary file behind.  It gets a name (``.<output>.<pid>.<random>.tmp``) only for the
instant between linking and renaming.  Elsewhere it is an ordinary named temporary
file, removed on any exception (KeyboardInterrupt included); one left by a killed
process is removed by the next write to the same folder.

Inside ``transaction()`` every output is staged and all are renamed into place
together when the block ends; if it raises, none is.  So an interrupted build leaves
every previous output as it was, not only the one being written.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import secrets
import signal
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from .errors import LayoutError

MODE = 0o644
_PROC_FD = Path("/proc/self/fd")


class Staged:
    """One output written to a temporary file, waiting to be renamed into place."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd, self.tmp = _open_temp(path)

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]

    def finish(self) -> None:
        """Flush the data to disk (where a full disk shows up on many file systems)."""
        os.fsync(self.fd)

    def commit(self) -> None:
        if self.tmp is None:  # unnamed: give it a name for the instant before the rename
            tmp = _temp_name(self.path)
            folder = os.open(self.path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:  # a dir fd makes Python call linkat(), which can follow the /proc link
                os.link(_PROC_FD / str(self.fd), os.path.basename(tmp), dst_dir_fd=folder,
                        follow_symlinks=True)
            finally:
                os.close(folder)
            self.tmp = tmp
        os.replace(self.tmp, self.path)
        self.tmp = None
        self.discard()

    def discard(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None


class Transaction:
    """The outputs staged inside one ``transaction()`` block."""

    def __init__(self) -> None:
        self.staged: list[Staged] = []

    def rollback(self) -> None:
        """Drop every output staged so far; the block then ends without writing any."""
        for item in self.staged:
            item.discard()
        self.staged.clear()


_current: ContextVar[Transaction | None] = ContextVar("layout_transaction", default=None)


@contextlib.contextmanager
def transaction() -> Iterator[Transaction]:
    """Stage every output written in the block; rename all into place when it ends.

    If the block raises (an error, Ctrl-C, SIGTERM), no output is renamed.
    """
    tx = Transaction()
    token = _current.set(tx)
    try:
        yield tx
        _commit_all(tx.staged)
    finally:
        _current.reset(token)
        tx.rollback()


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Staged]:
    """A handle whose ``write(bytes)`` goes to a temporary file that replaces ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(path)
        item = Staged(path)
    except OSError as exc:
        raise LayoutError("O101", f"cannot write output: {exc.strerror or exc}", str(path),
                          exit_code=4) from None
    owned = True  # ours to discard, until a transaction takes it
    try:
        yield item
        item.finish()
        tx = _current.get()
        if tx is None:
            _commit_all([item])
        else:
            tx.staged.append(item)
            owned = False
    except OSError as exc:
        raise LayoutError("O102", f"cannot write output: {exc.strerror or exc}", str(path),
                          exit_code=4) from None
    finally:
        if owned:
            item.discard()


def write_bytes_atomic(path: Path, data: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(data)


def _commit_all(staged: list[Staged]) -> None:
    """Rename every staged file into place, with Ctrl-C and SIGTERM held off meanwhile."""
    blocked = {signal.SIGINT, signal.SIGTERM}
    held = threading.current_thread() is threading.main_thread()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked) if held else None
    try:
        for item in staged:
            try:
                item.commit()
            except OSError as exc:
                raise LayoutError("O102", f"cannot write output: {exc.strerror or exc}",
                                  str(item.path), exit_code=4) from None
        for folder in {item.path.parent for item in staged}:
            _fsync_dir(folder)
    finally:
        if previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _open_temp(path: Path) -> tuple[int, str | None]:
    """An unnamed temporary file beside ``path`` if the system has them, else a named one."""
    flag = getattr(os, "O_TMPFILE", 0)
    if flag and _PROC_FD.is_dir():
        try:
            fd = os.open(path.parent, flag | os.O_WRONLY | os.O_CLOEXEC, MODE)
            os.fchmod(fd, MODE)
            return fd, None
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                raise  # those three mean: this file system has no O_TMPFILE
    tmp = _temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, MODE)
    os.fchmod(fd, MODE)
    return fd, tmp


def _temp_name(path: Path) -> str:
    return str(path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"))


def _remove_stale(path: Path) -> None:
    """Remove temporary files of ``path`` left by processes that no longer run."""
    for tmp in path.parent.glob(glob.escape(f".{path.name}.") + "*.tmp"):
        pid = tmp.name[len(path.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable; some file systems cannot sync a folder, which is fine."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
