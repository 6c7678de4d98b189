"""Which files a build may read: regular files, at paths that stay inside allowed folders."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit


def inside(path: Path, folders: Iterable[Path]) -> bool:
    """True if ``path``, symlinks resolved, is one of ``folders`` or lies below one."""
    try:
        resolved = path.resolve(strict=False)
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        return False
    for folder in folders:
        base = folder.resolve()
        if resolved == base or base in resolved.parents:
            return True
    return False


def local_path(url: str) -> Path | None:
    """The local path a ``file:`` URL names; None for other URLs and for remote hosts.

    urllib would turn ``file://host/path`` into an FTP connection to ``host``.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    return Path(path) if path.startswith("/") and "\0" not in path else None


class NotRegular(OSError):
    """A path that is not a regular file (FIFO, device, socket, folder)."""


def read_regular(path: Path, *, follow: bool = True) -> bytes:
    """The bytes of regular file ``path``; a FIFO, device or folder raises NotRegular at once.

    The file is opened non-blocking (opening a FIFO would otherwise wait for a writer) and
    checked with ``fstat`` on the open descriptor, so what is read is what was checked.
    Without ``follow``, a symlink as the last part of ``path`` is an error (ELOOP).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(errno.EINVAL, f"{_kind(info.st_mode)}, not a regular file",
                             str(path))
        os.set_blocking(fd, True)
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read()
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"


def resolve_inside(path: Path, folders: Iterable[Path]) -> Path | None:
    """``path`` with symlinks resolved, if that lies in ``folders``; else None."""
    try:
        resolved = path.resolve(strict=False)
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        return None
    return resolved if inside(resolved, folders) else None


def read_inside(path: Path, folders: Iterable[Path]) -> bytes | None:
    """The bytes of regular file ``path`` if it (symlinks resolved) lies in ``folders``.

    The path is resolved once and the resolved path is opened without following a
    symlink, so a file swapped for a symlink after the check is not read.
    """
    resolved = resolve_inside(path, folders)
    if resolved is None:
        return None
    try:
        return read_regular(resolved, follow=False)
    except OSError:
        return None
