"""Fidelity checks (``F…``): the output holds the source's text, count for count and block by
block in reading order.

Characters are counted on Han characters only (``layout.fidelity``).  For the order,
each text of the document model (``Document.texts()``: headline, paragraphs, captions…
in the order writers set them) must appear, its Han characters contiguous, after the
previous one in the output's text.  The output's text is a list of segments — the
pages of a PDF in content order, or the documents of an EPUB in spine order — and a
block may run from the end of one segment into the next (a paragraph continued on the
next page, past the running heads drawn after the page's content).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..chars import han_chars
from ..errors import LayoutError
from ..fidelity import describe, han_difference
from ..model import Document
from ..readers import printed_text, read
from ..readers.decode import read_source_text
from .findings import Finding


@dataclass(frozen=True)
class Source:
    """An article's source as the build read it: ``text``, what it prints of the source
    (without the lines read as page metadata, which the build names: R405)."""

    path: Path
    text: str
    doc: Document


def load_source(path: Path) -> Source:
    """Read a source; a source that cannot be read raises LayoutError (reported as F001)."""
    if not path.is_file():
        raise LayoutError("F001", "source not found", str(path), exit_code=1)
    doc = read(path)
    return Source(path, printed_text(path, read_source_text(path), doc), doc)


def find_block(segments: Sequence[str], han: str, seg: int, off: int,
               anywhere: bool = True) -> tuple[int, int] | None:
    """Where ``han`` ends when read from (segment, offset) on, possibly across segments.

    With ``anywhere`` false the text must start in segment ``seg`` (a continuation).
    """
    last = len(segments) if anywhere else min(seg + 1, len(segments))
    for s in range(seg, last):
        start = off if s == seg else 0
        at = segments[s].find(han, start)
        if at >= 0:
            return s, at + len(han)
        for k in range(len(han) - 1, 0, -1):  # the longest head here, the rest on the next
            if segments[s].find(han[:k], start) >= 0:
                rest = find_block(segments, han[k:], s + 1, 0, anywhere=False)
                if rest is not None:
                    return rest
    return None


def missing_blocks(segments: Sequence[str], blocks: Sequence[tuple[int, str]],
                   floating: Collection[tuple[int, str]] = ()) -> list[tuple[int, str]]:
    """The blocks (line, text) not found in order in ``segments`` (Han characters only).

    ``floating`` blocks (photo captions: the make-up sets photos near their text) may
    stand anywhere; the others must follow each other.
    """
    han_segments = [han_chars(s) for s in segments]
    seg, off = 0, 0
    missing = []
    for line, text in blocks:
        han = han_chars(text)
        if not han:
            continue
        if (line, text) in floating:
            if find_block(han_segments, han, 0, 0) is None:
                missing.append((line, text))
            continue
        found = find_block(han_segments, han, seg, off)
        if found is None:
            missing.append((line, text))
        else:
            seg, off = found
    return missing


def _excerpt(text: str, limit: int = 16) -> str:
    text = text.strip()
    return f"“{text[:limit]}{'…' if len(text) > limit else ''}”"


def fidelity_findings(name: str, segments: Sequence[str], source: Source,
                      decorations: Sequence[str]) -> dict[str, list[Finding]]:
    """``fidelity.characters`` and ``fidelity.blocks`` findings for one output."""
    missing, extra = han_difference(source.text, "".join(segments), decorations)
    chars = []
    if missing:
        chars.append(Finding("F101", f"Han characters of {source.path} missing: "
                             f"{describe(missing)}", name))
    if extra:
        chars.append(Finding("F102", f"Han characters not in {source.path}: {describe(extra)}",
                             name))
    captions = {(f.line, f.label + f.caption + (f.credit or "")) for f in source.doc.figures}
    lost = missing_blocks(segments, source.doc.texts(), captions)
    blocks = []
    if lost:
        line, text = lost[0]
        more = f" ({len(lost)} blocks in all)" if len(lost) > 1 else ""
        blocks.append(Finding("F103", f"block at {source.path}:{line} {_excerpt(text)} is "
                              f"missing or out of reading order{more}", name))
    return {"fidelity.characters": chars, "fidelity.blocks": blocks}
