"""Fidelity of a composed page (拼版, :mod:`layout.compose`): every story's text in its own
module, in reading order, exactly once; nothing else on the page but the page's own texts
(running heads, folio) and its fixed boxes.

The page records its modules on the grid and its sources (:mod:`layout.compose.record`);
the stories are read from the sources as the build read them, keyed in the same order
(:func:`layout.compose.content.stories_of`), and each is compared with the text whose
characters' centres fall inside its module's rectangle.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..chars import han_chars
from ..compose import record
from ..compose.content import CONTINUATION, Story, page_stories
from ..fidelity import describe, han_difference
from ..makeup.grid import PDF_KEY, Grid
from .fidelity import Source, missing_blocks
from .findings import Finding
from .pdf import PdfFile

EDGE = 1.0  # pt: a character's centre may stand this far past its module's edge

Rect = tuple[float, float, float, float]  # left, top, right, bottom: pt from the trim's top


@dataclass(frozen=True)
class ComposedRecord:
    """What a composed page's PDF says of itself."""

    grid: Grid
    placed: list[record.Placed]
    sources: list[tuple[Path, record.SourceRef]]  # in the order the page was composed from


def recorded(pdf: PdfFile) -> ComposedRecord | None:
    """The record of a composed page; None for any other PDF."""
    info = pdf.reader.metadata
    if info is None or record.MODULES_KEY not in info or record.SOURCES_KEY not in info:
        return None
    grid = Grid.parse(str(info.get(PDF_KEY, "")))
    placed = record.parse_modules(str(info[record.MODULES_KEY]))
    refs = record.parse_sources(str(info[record.SOURCES_KEY]))
    if grid is None or placed is None or not refs:
        return None
    return ComposedRecord(grid, placed, [(pdf.path.parent / r.path, r) for r in refs])


def module_rects(info: Mapping[str, Any]) -> list[Rect] | None:
    """For a composed page's document information (keys without their slash, as
    pdfplumber gives them): the rectangles of its stories' modules (pt from the trim's
    top-left corner, not its fixed boxes), in the order recorded; None for any other
    PDF.  The layout measures read a composed page module by module: each module's
    column feet, at its own body size."""
    found = _placed(info)
    return None if found is None else [rect(found[0], p) for p in found[1]
                                       if p.key != record.BOX]


def _placed(info: Mapping[str, Any]) -> tuple[Grid, list[record.Placed]] | None:
    grid = Grid.parse(str(info.get(PDF_KEY[1:], "")))
    placed = record.parse_modules(str(info.get(record.MODULES_KEY[1:], "")))
    return None if grid is None or placed is None else (grid, placed)


def module_finder(info: Mapping[str, Any]) -> Callable[[float, float], int] | None:
    """For a composed page's document information: the index of the module a point (x, y
    from the trim's top) is in, -1 outside every module; None for any other PDF.  The
    typography measures read a composed page module by module: a column's foot is
    followed by the same module's next column, not by whatever module stands at the top
    of the page's next column."""
    found = _placed(info)
    if found is None:
        return None
    rects = [rect(found[0], p) for p in found[1]]

    def find(x: float, y: float) -> int:
        return next((k for k, (x0, y0, x1, y1) in enumerate(rects)
                     if x0 - EDGE <= x <= x1 + EDGE and y0 - EDGE <= y <= y1 + EDGE), -1)

    return find


def rect(grid: Grid, p: record.Placed) -> Rect:
    step = grid.column + grid.gutter
    left, top = grid.left + p.x * step, grid.top + p.y * grid.pitch
    return left, top, left + p.columns * grid.column + (p.columns - 1) * grid.gutter, (
        top + p.lines * grid.pitch)


def read_areas(pdf: PdfFile, page: ComposedRecord) -> tuple[dict[str, str], str]:
    """The text of each module (by story key) in content order, and the text outside
    every module and fixed box (on every page)."""
    rects = [(p.key, rect(page.grid, p)) for p in page.placed]
    inside: dict[str, list[str]] = {key: [] for key, _ in rects}
    outside: list[str] = []
    for index, pdfium_page in enumerate(pdf.pdfium):
        textpage = pdfium_page.get_textpage()
        height = pdfium_page.get_height()
        text = textpage.get_text_range(0, textpage.count_chars())
        for i, ch in enumerate(text):
            left, bottom, right, top = textpage.get_charbox(i)
            cx, cy = (left + right) / 2, height - (bottom + top) / 2
            key = next((k for k, (x0, y0, x1, y1) in rects if index == 0 and
                        x0 - EDGE <= cx <= x1 + EDGE and y0 - EDGE <= cy <= y1 + EDGE), None)
            (inside[key] if key is not None else outside).append(ch)
        textpage.close()
        pdfium_page.close()
    return {key: "".join(chars) for key, chars in inside.items()}, "".join(outside)


def _module_texts(story: Story) -> tuple[list[tuple[int, str]], list[str]]:
    """A module's copy in reading order, and the texts the page adds to it: a 简讯
    column's label, a continuation's 续 headline, the labels of FPO frames."""
    texts = [t for doc in story.docs for t in doc.story_texts() if story.keeps(t[0])]
    added = [story.title] if story.kind in ("briefs", CONTINUATION) else []
    added += [f.label for doc in story.docs for f in doc.figures
              if not f.image and story.keeps(f.line)]
    return texts, [*added, story.jump_line]


def composed_findings(name: str, page: ComposedRecord, areas: tuple[dict[str, str], str],
                      sources: Sequence[Source], decorations: Sequence[str]
                      ) -> dict[str, list[Finding]]:
    """``fidelity.characters`` and ``fidelity.blocks`` of a composed page."""
    modules, outside = areas
    stories = page_stories([(s.path, s.doc, ref.head, ref.tail)
                            for s, (_, ref) in zip(sources, page.sources, strict=True)])
    chars, blocks = [], []
    for story in stories:
        where = f"{story.name} ({story.source}:{story.line})"
        text = modules.get(story.key, "")
        texts, added = _module_texts(story)
        missing, extra = han_difference("".join(t for _, t in texts), text, added)
        if missing:
            chars.append(Finding("F101", f"Han characters of {where} missing from its "
                                 f"module: {describe(missing)}", name))
        if extra:
            chars.append(Finding("F102", f"Han characters in the module of {where} that are "
                                 f"not its copy: {describe(extra)}", name))
        captions = {(f.line, f.label + f.caption + (f.credit or ""))
                    for doc in story.docs for f in doc.figures if story.keeps(f.line)}
        lost = missing_blocks([text], texts, captions)
        if lost:
            line, block = lost[0]
            more = f" ({len(lost)} blocks in all)" if len(lost) > 1 else ""
            blocks.append(Finding("F103", f"block at {story.source}:{line} "
                                  f"“{han_chars(block)[:16]}” of {story.name} is missing "
                                  f"from its module or out of reading order{more}", name))
    keys = {s.key for s in stories}
    strays = "".join(text for key, text in modules.items()
                     if key not in keys and key != record.BOX)
    _, extra = han_difference("", outside + strays, decorations)
    if extra:
        chars.append(Finding("F102", "Han characters outside every story's module that are "
                             f"not the page's own texts: {describe(extra)}", name))
    return {"fidelity.characters": chars, "fidelity.blocks": blocks}
