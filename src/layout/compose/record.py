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


@dataclass(frozen=True)
class SourceRef:
    """A source of the page.  ``head``: its story holding that line jumped, only the copy
    before the line is here; ``tail``: only the rest of its story holding that line, from
    the line on, is here (a continuation, set after the page's own stories)."""

    path: str  # relative to the page's folder
    head: int = 0
    tail: int = 0


def describe_sources(refs: list[tuple[str, int, int]]) -> str:
    """(URL relative to the page's folder — percent-encoded: no spaces, no ``#`` —, head,
    tail) each: ``lead.txt#head=57 second.txt ../p1/lead.txt#tail=40``."""
    return " ".join(url + (f"#head={head}" if head else "") + (f"#tail={tail}" if tail else "")
                    for url, head, tail in refs)


def parse_sources(text: str) -> list[SourceRef] | None:
    """The sources read back, in order; None when ``text`` is not a record of them."""
    out = []
    for entry in text.split():
        url, _, fragment = entry.partition("#")
        marks = dict(part.partition("=")[::2] for part in fragment.split("&") if part)
        if set(marks) - {"head", "tail"} or not all(v.isdigit() for v in marks.values()):
            return None
        out.append(SourceRef(unquote(url), int(marks.get("head", 0)),
                             int(marks.get("tail", 0))))
    return out
