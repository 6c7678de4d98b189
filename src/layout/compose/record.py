"""What a composed page records of itself, for ``layout check`` to read back from the PDF.

The page HTML carries ``<meta name="layout-modules">`` (the modules and fixed boxes on
the grid) and ``<meta name="layout-sources">`` (the sources, in the order the page was
composed from); WeasyPrint copies both into the PDF's document information
(``/layoutmodules``, ``/layoutsources``).  Nothing here imports the layout engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

MODULES_META = "layout-modules"
MODULES_KEY = "/layoutmodules"
SOURCES_META = "layout-sources"
SOURCES_KEY = "/layoutsources"
BOX = "box"  # the key of a fixed box (an advertisement) in the modules' record


@dataclass(frozen=True)
class Placed:
    """A module (story key) or a fixed box on the grid: whole columns × whole lines."""

    key: str  # "s1", "s2", … or "box"
    x: int  # first column (0-based)
    y: int  # first grid line (0-based)
    columns: int
    lines: int
    head: int  # grid lines of its head group (a rule line above it included)


def describe_modules(placed: list[Placed]) -> str:
    """``s1 0 0 8 40 12; s2 …; box 4 70 4 30 0``."""
    return "; ".join(f"{p.key} {p.x} {p.y} {p.columns} {p.lines} {p.head}" for p in placed)


def parse_modules(text: str) -> list[Placed] | None:
    """The record read back; None when ``text`` is not one."""
    out = []
    for part in text.split(";"):
        fields = part.split()
        if len(fields) != 6 or not all(f.isdigit() for f in fields[1:]):
            return None
        x, y, w, h, head = (int(f) for f in fields[1:])
        out.append(Placed(fields[0], x, y, w, h, head))
    return out or None


def describe_sources(urls: list[str]) -> str:
    """The sources' URLs relative to the page's folder (percent-encoded: no spaces)."""
    return " ".join(urls)


def parse_sources(text: str) -> list[str]:
    """The sources' paths relative to the page's folder, in order."""
    return [unquote(u) for u in text.split()]
