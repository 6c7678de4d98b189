"""Missing glyphs, found before rendering: characters no configured font covers.

WeasyPrint would set such a character in whatever font fontconfig falls back to, or as
an empty box, and say nothing.  The fonts a style configures per role (style.toml
``[fonts]``) are looked up through fontconfig, whose cache already holds every font's
character set: one ``fc-list`` call (plus one ``fc-match`` per generic family such as
``serif``, only if a character is still uncovered) instead of parsing font files.
Results are cached for the process.
"""

from __future__ import annotations

import bisect
import functools
import subprocess
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import Diagnostic, Document

GENERIC = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"})
MAX_REPORTED = 20  # distinct characters reported one by one; the rest are counted


@dataclass(frozen=True)
class Charset:
    """A font's character set as sorted, disjoint code point ranges."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def parse(cls, text: str) -> Charset:
        """Parse fontconfig's ``%{charset}``: hex ranges such as ``20-7e a0 3000-303f``."""
        starts, ends = [], []
        for item in text.split():
            lo, _, hi = item.partition("-")
            starts.append(int(lo, 16))
            ends.append(int(hi or lo, 16))
        return cls(tuple(starts), tuple(ends))

    def __contains__(self, cp: int) -> bool:
        i = bisect.bisect_right(self.starts, cp) - 1
        return i >= 0 and cp <= self.ends[i]


class FontconfigMissing(Exception):
    """fontconfig's command-line tools are not installed."""


def _run(args: list[str]) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True,
                              timeout=60).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise FontconfigMissing(f"{args[0]}: {exc}") from None


@functools.cache
def _installed() -> tuple[tuple[frozenset[str], str], ...]:
    """(lower-cased family names, unparsed charset) of every installed font face."""
    out = _run(["fc-list", "--format", "%{family}\t%{charset}\n"])
    faces = []
    for line in out.splitlines():
        names, _, charset = line.partition("\t")
        faces.append((frozenset(n.strip().lower() for n in names.split(",")), charset))
    return tuple(faces)


@functools.cache
def family_charsets(family: str) -> tuple[Charset, ...]:
    """The character sets of the installed faces of ``family`` (none if not installed).

    A generic family is what fontconfig substitutes for it (``fc-match serif``).
    """
    if family.lower() in GENERIC:
        return (Charset.parse(_run(["fc-match", "--format", "%{charset}", family])),)
    wanted = family.lower()
    return tuple(Charset.parse(cs) for names, cs in _installed() if wanted in names)


def _needs_glyph(ch: str) -> bool:
    """False for spaces, controls, format characters and variation selectors."""
    if ch.isspace():
        return False
    cp = ord(ch)
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return False
    return unicodedata.category(ch) not in ("Cc", "Cf", "Cs")


def _first_lines(texts: Iterable[tuple[int, str]]) -> dict[str, tuple[int, int]]:
    """Every distinct character needing a glyph -> (first source line, occurrences)."""
    seen: dict[str, tuple[int, int]] = {}
    skipped: set[str] = set()
    for line, text in texts:
        for ch in text:
            if ch in seen:
                first, count = seen[ch]
                seen[ch] = (first, count + 1)
            elif ch not in skipped:
                if _needs_glyph(ch):
                    seen[ch] = (line, 1)
                else:
                    skipped.add(ch)
    return seen


def uncovered(chars: Iterable[str], families: Iterable[str]) -> set[str]:
    """The characters of ``chars`` no face of ``families`` covers.

    Named families are tried first; generic ones cost a process each, so they are
    looked up only for what the named ones leave uncovered.
    """
    ordered = sorted(dict.fromkeys(families), key=lambda f: f.lower() in GENERIC)
    left = set(chars)
    for family in ordered:
        if not left:
            break
        for charset in family_charsets(family):
            left = {ch for ch in left if ord(ch) not in charset}
    return left


def missing_glyphs(doc: Document, fonts: Mapping[str, Iterable[str]]) -> list[Diagnostic]:
    """G101 for each character of the story ``doc`` (not its following stories: each is
    laid out on its own) that no font of any role covers.

    ``fonts`` maps a role (body, heading, note) to its family list, as in style.toml.
    """
    families = [f for role in fonts.values() for f in role]
    if not families:
        return []
    seen = _first_lines(doc.story_texts())
    try:
        missing = uncovered(seen, families)
    except FontconfigMissing as exc:
        return [Diagnostic("G100", 1, f"cannot check fonts for missing glyphs ({exc}); "
                           "install fontconfig", "warning")]
    ordered = sorted(missing, key=lambda ch: (seen[ch][0], ch))
    out = []
    for ch in ordered[:MAX_REPORTED]:
        line, count = seen[ch]
        times = f" ({count} times, first here)" if count > 1 else ""
        out.append(Diagnostic("G101", line, f"U+{ord(ch):04X} {ch} is not covered by any "
                              f"configured font{times}", "warning"))
    if len(ordered) > MAX_REPORTED:
        rest = ordered[MAX_REPORTED:]
        out.append(Diagnostic(
            "G101", seen[rest[0]][0],
            f"{len(rest)} more characters are not covered by any configured font: "
            + " ".join(f"U+{ord(ch):04X}" for ch in rest[:40])
            + (" …" if len(rest) > 40 else ""), "warning"))
    return out
