"""Where a Chinese headline may be broken between words: jieba's segmentation by its
dictionary (no guessed words: the same breaks on every machine), loaded on first use
(about half a second; only a headline with no clause to break it at asks, and its breaks
are kept on disk).

jieba keeps the prefix dictionary it builds (~0.5 s) in a file and reads it back with
``marshal``; by default in the shared temporary folder, where anyone could leave one of
their own.  Here it is kept in layout's cache folder (:mod:`layout.diskcache`, by jieba's
version), or, with caching off or the folder not writable, in a private folder removed
once it is built.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import logging
import os
import tempfile
from typing import Any

from .. import diskcache


@functools.cache
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # not its "Building prefix dict" on stderr
    tokenizer = jieba.Tokenizer()
    root = diskcache.folder()
    if root is not None:
        folder = root / "jieba" / jieba.__version__
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            pass
        if os.access(folder, os.W_OK | os.X_OK):
            tokenizer.tmp_dir = str(folder)
            tokenizer.initialize()
            return tokenizer
    with tempfile.TemporaryDirectory(prefix="layout-jieba-") as private:
        tokenizer.tmp_dir = private
        tokenizer.initialize()
    return tokenizer


@functools.cache
def _version() -> str:
    """jieba's version (its dictionary's), without importing it."""
    return importlib.metadata.version("jieba")


@functools.lru_cache(maxsize=256)
def boundaries(text: str) -> tuple[int, ...]:
    """The offsets in ``text`` between two of its words, in order (not 0 or its end).
    Kept on disk by jieba's version (:mod:`layout.diskcache`): a rebuild's headlines are
    broken without loading the dictionary."""
    key = json.dumps(["lcut HMM=False", _version(), text], ensure_ascii=False)
    kept = diskcache.load("words", key)
    if isinstance(kept, list) and all(isinstance(n, int) for n in kept):
        return tuple(kept)
    out, at = [], 0
    for word in _tokenizer().lcut(text, HMM=False):
        at += len(word)
        out.append(at)
    diskcache.store("words", key, out[:-1])
    return tuple(out[:-1])
