"""Small results kept on disk from one process to the next (a font's punctuation metrics).

They live in ``$LAYOUT_CACHE_DIR``, else ``$XDG_CACHE_HOME/layout``, else
``~/.cache/layout``; ``LAYOUT_CACHE_DIR=`` (empty) keeps nothing.  An entry is a JSON file
named by the SHA-256 of its key, which must hold everything the value depends on (the
code that computes it included): nothing is ever invalidated, a changed input is a new
key.  Written to a temporary file and renamed into place, so a reader sees a whole entry
or none whatever builds run at once; an entry that cannot be read is computed again, one
that cannot be written is not kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def folder() -> Path | None:
    """The cache's folder, or None when caching on disk is off."""
    given = os.environ.get("LAYOUT_CACHE_DIR")
    if given is not None:
        return Path(given) if given else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "layout"


def _path(kind: str, key: str) -> Path | None:
    root = folder()
    if root is None:
        return None
    return root / kind / (hashlib.sha256(key.encode("utf-8")).hexdigest() + ".json")


def load(kind: str, key: str) -> Any:
    """The value kept under ``key``, or None."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        entry = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    # the key is kept too: a digest shared by two keys is not taken for the other's
    return entry.get("value") if isinstance(entry, dict) and entry.get("key") == key else None


def store(kind: str, key: str, value: Any) -> None:
    """Keep ``value`` (JSON) under ``key``, if the folder can be written."""
    path = _path(kind, key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"key": key, "value": value}, out, ensure_ascii=False)
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        pass
