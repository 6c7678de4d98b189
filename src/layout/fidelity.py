"""Counting Han characters between a source and an output: nothing lost, nothing invented.

Writers add a few texts of their own (FPO labels, running heads, the EPUB's heading for
the captions); they are passed as ``decorations`` and may appear in the output beyond
the source, but no more often than declared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .model import Document, han_chars


def han_difference(expected: str, actual: str, decorations: Iterable[str] = ()
                   ) -> tuple[Counter[str], Counter[str]]:
    """Return (missing, unexpected) Han characters of ``actual`` against ``expected``."""
    want = Counter(han_chars(expected))
    got = Counter(han_chars(actual))
    allowed = Counter(han_chars("".join(decorations)))
    return want - got, got - want - allowed


def print_decorations(doc: Document, paper: str, running_title: str, pages: int,
                      date: str | None = None) -> list[str]:
    """Texts the print edition adds (templates/page.css.j2): FPO frame labels, a running
    head on every page (paper, theme, date, "第N版"), and on continued pages "（上接第N版）"
    and "（下转第N版）"."""
    out = [f.label for f in doc.figures if not f.image]
    out += [paper, running_title, date or "", "第版"] * pages
    out += ["上接第版", "下转第版"] * max(0, pages - 1)
    return out


def describe(counter: Counter[str], limit: int = 20) -> str:
    chars = "".join(ch * n for ch, n in counter.most_common())
    return chars[:limit] + ("…" if len(chars) > limit else "") + f" ({sum(counter.values())})"
