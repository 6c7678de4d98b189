"""Counting Han characters between a source and an output: nothing lost, nothing invented.

Writers add a few texts of their own (FPO labels, running heads — layout.decorations —,
the EPUB's heading for the captions); they are passed as ``decorations`` and may appear in
the output beyond the source, but no more often than declared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .chars import han_chars


def han_difference(expected: str, actual: str, decorations: Iterable[str] = ()
                   ) -> tuple[Counter[str], Counter[str]]:
    """Return (missing, unexpected) Han characters of ``actual`` against ``expected``."""
    want = Counter(han_chars(expected))
    got = Counter(han_chars(actual))
    allowed = Counter(han_chars("".join(decorations)))
    return want - got, got - want - allowed


def describe(counter: Counter[str], limit: int = 20) -> str:
    chars = "".join(ch * n for ch, n in counter.most_common())
    return chars[:limit] + ("…" if len(chars) > limit else "") + f" ({sum(counter.values())})"
