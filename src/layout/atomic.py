"""Writing outputs atomically: a temporary file in the same folder, renamed into place.

A build interrupted at any point leaves the previous output intact and no temporary
file behind (the temporary file is removed on any exception, KeyboardInterrupt included).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import LayoutError


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise LayoutError("O101", f"cannot write output: {exc.strerror}", str(path),
                          exit_code=4) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise LayoutError("O102", f"cannot write output: {exc.strerror}", str(path),
                          exit_code=4) from None
    except BaseException:
        _unlink(tmp)
        raise


def write_bytes_atomic(path: Path, data: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(data)


def _unlink(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)
