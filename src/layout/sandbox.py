"""Which files a build may read: paths that stay inside allowed folders."""

from __future__ import annotations

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
