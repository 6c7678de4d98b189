"""Where a Chinese headline may be broken between words: jieba's segmentation by its
dictionary (no guessed words: the same breaks on every machine), loaded on first use
(about half a second; only a headline with no clause to break it at asks)."""

from __future__ import annotations

import functools
import logging


@functools.lru_cache(maxsize=256)
def boundaries(text: str) -> tuple[int, ...]:
    """The offsets in ``text`` between two of its words, in order (not 0 or its end)."""
    import jieba  # its dictionary is loaded by the first cut

    jieba.setLogLevel(logging.WARNING)  # not its "Building prefix dict" on stderr
    out, at = [], 0
    for word in jieba.lcut(text, HMM=False):
        at += len(word)
        out.append(at)
    return tuple(out[:-1])
