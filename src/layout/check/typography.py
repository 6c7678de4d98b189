"""The measures of Chinese body typography, computed from a PDF alone.

``measure(pdf_path)`` returns a :class:`TypographyReport`; ``typography_findings`` turns it
into ``T…`` findings against :class:`Limits`.  The benchmark and the tests of the
typesetting layer call ``measure`` directly.

How body lines are found (documented in docs/check.md):

1. **Body text** is the font and size that set the most characters in the document
   (the Song body face).  Characters of that size form lines; a line counts as body
   when most of its characters are in the body font (run-in heads in bold Hei inside a
   paragraph stay; Kai sidebars and captions at the same size do not).
2. **Columns** are found per page from the body characters' horizontal extents: runs of
   covered x separated by gaps of at least half an em.  The left edge of a column is
   its leftmost line start.  Where the PDF records its grid (layout.makeup.grid) and a
   column's lines reach the grid column's right edge, that is its right edge (a mark
   squeezed to half an em at a line's end keeps its whole em in the font's widths).
   Otherwise the right edge comes from the column rules when the page draws them: a
   rule sits in the middle of the gap, so the right edge of column k is
   ``2 * rule - left(k+1)``, and the last column is as wide as the others.  Without
   rules the edge is the column's furthest line end (exact for justified text; it can
   only understate raggedness).
3. **Lines** are the body characters of one column sharing a baseline, read left to
   right; the reading order is page, column left to right, line top to bottom.
4. **Paragraphs**: a line is a paragraph's last when the next body line starts
   indented (at least 1.5 em from its column's left edge), when the next line in the
   same column lies more than 1.75 line pitches below (a head or space in between),
   or when no body line follows.  A line after a last line is a paragraph's first.
"""

from __future__ import annotations

import contextlib
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from ..chars import (
    HAN,
    NO_LINE_END,
    NO_LINE_START,
    SPACES,
    SQUEEZABLE,
    is_han,
    is_latin,
    is_punctuation,
)
from ..decorations import INFO_KEY, PageDecorations
from ..makeup.grid import PDF_KEY, Grid
from .composed import module_finder
from .findings import Finding
from .plumbing import open_pdf

INVISIBLE = {"\u200b": "ZERO WIDTH SPACE", "\u200c": "ZERO WIDTH NON-JOINER",
             "\u200d": "ZERO WIDTH JOINER", "\u2060": "WORD JOINER",
             "\ufeff": "ZERO WIDTH NO-BREAK SPACE"}
EPSILON = 0.005  # em: rounding of positions in the PDF
HAN_SPACE_HAN = re.compile(rf"(?=({HAN})[ \u00a0\u3000]+({HAN}))")


@dataclass(frozen=True)
class Glyph:
    """One character as drawn: its advance box and baseline (top-down page coordinates)."""

    text: str
    x0: float
    x1: float
    baseline: float
    size: float
    font: str


@dataclass
class Line:
    """One body line of one column."""

    page: int  # 1-based
    column: int  # 0-based, left to right
    glyphs: tuple[Glyph, ...]
    left: float  # the column's edges
    right: float
    em: float
    first: bool = False  # a paragraph's first line
    final: bool = False  # a paragraph's last line
    extracted: str = ""  # the line as a PDF viewer copies it (PDFium)
    # a line of another face at the body size (a lead-in, a run-in's first lines) stands
    # between it and the body line above it in its column, or above it at the column's top
    after_other: bool = False

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)

    @property
    def ink(self) -> tuple[Glyph, ...]:
        """The glyphs without spaces."""
        return tuple(g for g in self.glyphs if g.text not in SPACES)

    @property
    def baseline(self) -> float:
        return self.glyphs[0].baseline

    @property
    def indent(self) -> float:
        """Distance of the first glyph from the column's left edge, in em."""
        return (self.ink[0].x0 - self.left) / self.em

    @property
    def slack(self) -> float:
        """Distance of the last glyph's end from the column's right edge, in em."""
        return (self.right - self.ink[-1].x1) / self.em

    def slack_to(self, right: float) -> float:
        """Distance of the last glyph's end from ``right``, in em."""
        return (right - self.ink[-1].x1) / self.em

    def where(self, limit: int = 16) -> str:
        text = self.text.strip()
        return f"column {self.column + 1}: {text[:limit]}{'…' if len(text) > limit else ''}"


@dataclass(frozen=True)
class Limits:
    """What body typography must meet (issue 4's figures are the defaults)."""

    max_ragged: float = 0.01  # share of non-final lines allowed to end short
    ragged_tolerance: float = 0.1  # em short of the column edge that counts as flush
    max_pair_advance: float = 0.6  # em, median advance of squeezed punctuation pairs
    han_latin_gap: tuple[float, float] = (0.15, 0.35)  # em, allowed median gap


@dataclass
class TypographyReport:
    """The body lines of a PDF and the measures taken on them."""

    path: str
    body_font: str = ""
    body_size: float = 0.0
    lines: list[Line] = field(default_factory=list)
    invisible: list[tuple[int, str]] = field(default_factory=list)  # (page, character)
    source_han_spaces: Counter[str] = field(default_factory=Counter)

    @property
    def non_final(self) -> list[Line]:
        return [ln for ln in self.lines if not ln.final]

    def ragged(self, tolerance: float = Limits.ragged_tolerance) -> list[Line]:
        """Non-final lines that end short of the column edge by more than ``tolerance`` em."""
        return [ln for ln in self.non_final if ln.slack > tolerance]

    def ragged_share(self, tolerance: float = Limits.ragged_tolerance) -> float:
        lines = self.non_final
        return len(self.ragged(tolerance)) / len(lines) if lines else 0.0

    @property
    def bad_starts(self) -> list[Line]:
        """Continuation lines starting with a closing or pause mark, a dash or an ellipsis."""
        return [ln for ln in self.lines if not ln.first
                and ln.ink[0].text in NO_LINE_START]

    @property
    def bad_ends(self) -> list[Line]:
        return [ln for ln in self.lines if ln.ink[-1].text in NO_LINE_END]

    @property
    def pair_advances(self) -> list[float]:
        """Advance (em) from the first to the second mark of each adjacent punctuation pair:
        from the first mark, or from the end of the character before it where the mark
        is drawn over that: a face with centred marks (Traditional Chinese) squeezes one
        by drawing it a quarter em left of its advance."""
        out = []
        for ln in self.lines:
            glyphs = ln.glyphs
            for i, (a, b) in enumerate(zip(glyphs, glyphs[1:], strict=False)):
                if a.text in SQUEEZABLE and b.text in SQUEEZABLE:
                    before = glyphs[i - 1] if i else None  # a mark's box is no cell
                    start = max(a.x0, before.x1) if before and before.text not in (
                        SQUEEZABLE) else a.x0
                    out.append((b.x0 - start) / ln.em)
        return out

    @property
    def han_latin_gaps(self) -> list[float]:
        """Space (em) between Han characters and adjacent Latin letters or digits."""
        out = []
        for ln in self.lines:
            ink = ln.ink
            for a, b in zip(ink, ink[1:], strict=False):
                if (_han(a.text) and is_latin(b.text)) or (is_latin(a.text) and _han(b.text)):
                    out.append((b.x0 - a.x1) / ln.em)
        return out

    @property
    def single_character_last_lines(self) -> list[Line]:
        """Paragraph-final lines holding one Han character (and punctuation at most)."""
        out = []
        for ln in self.lines:
            if not ln.final or ln.first:
                continue
            letters = [g.text for g in ln.ink if not is_punctuation(g.text)]
            if len(letters) == 1 and _han(letters[0]):
                out.append(ln)
        return out

    @property
    def han_spaces(self) -> list[tuple[Line, str]]:
        """Spaces between Han characters in the copied body text that the source lacks."""
        allowed = Counter(self.source_han_spaces)
        out = []
        for ln in self.lines:
            for m in HAN_SPACE_HAN.finditer(ln.extracted):
                pair = m.group(1) + m.group(2)
                if allowed[pair] > 0:
                    allowed[pair] -= 1
                else:
                    out.append((ln, pair))
        return out

    def summary(self) -> dict[str, Any]:
        """The figures of issue 4, for the benchmark."""
        pairs, gaps = self.pair_advances, self.han_latin_gaps
        return {
            "body_font": self.body_font,
            "body_size": round(self.body_size, 2),
            "lines": len(self.lines),
            "non_final_lines": len(self.non_final),
            "ragged_lines": len(self.ragged()),
            "ragged_share": round(self.ragged_share(), 4),
            "bad_line_starts": len(self.bad_starts),
            "bad_line_ends": len(self.bad_ends),
            "punctuation_pairs": len(pairs),
            "pair_advance_median": _median(pairs),
            "han_latin_gaps": len(gaps),
            "han_latin_gap_median": _median(gaps),
            "single_character_last_lines": len(self.single_character_last_lines),
            "invisible_characters": len(self.invisible),
            "spaces_between_han": len(self.han_spaces),
        }


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def _han(text: str) -> bool:
    return len(text) == 1 and is_han(text)


def _base_font(name: str) -> str:
    """``ABCDEF+Noto-Serif-CJK-SC`` -> ``Noto-Serif-CJK-SC`` (subset prefixes differ)."""
    return name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name


def _glyphs(page: Any, margins_mm: Sequence[float] | None = None) -> list[Glyph]:
    """The page's glyphs; with ``margins_mm`` (of the trim box) only those of the type area:
    the middle of their advance inside it, or (on the right) of its first half: a mark
    squeezed to half an em at a line's end keeps its whole em in the font's widths, so
    that at the type area's right edge the middle of its advance lies on the edge."""
    area = _type_area(page, margins_mm) if margins_mm else None
    out = []
    for c in page.chars:
        if not c.get("upright", True) or not c["text"]:
            continue
        if area and not (area[0] <= (c["x0"] + c["x1"]) / 2
                         and (3 * c["x0"] + c["x1"]) / 4 <= area[2]
                         and area[1] <= (c["top"] + c["bottom"]) / 2 <= area[3]):
            continue
        baseline = page.height - c["matrix"][5] if "matrix" in c else c["bottom"]
        out.append(Glyph(c["text"], c["x0"], c["x1"], baseline, round(c["size"], 2),
                         _base_font(c["fontname"])))
    return out


def _type_area(page: Any, margins_mm: Sequence[float]) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the type area in pdfplumber's top-down coordinates."""
    x0, y0, x1, y1 = page.trimbox  # PDF coordinates, origin at the bottom left
    top, right, bottom, left = (m * 72 / 25.4 for m in margins_mm)
    return x0 + left, page.height - y1 + top, x1 - right, page.height - y0 - bottom


def _split(values: list[tuple[float, float]], min_gap: float) -> list[tuple[float, float]]:
    """Merge intervals closer than ``min_gap``; what remains are the columns."""
    merged: list[list[float]] = []
    for lo, hi in sorted(values):
        if merged and lo - merged[-1][1] < min_gap:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged]


def _cluster_baselines(glyphs: list[Glyph], tolerance: float) -> list[list[Glyph]]:
    rows: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: g.baseline):
        if rows and g.baseline - rows[-1][-1].baseline <= tolerance:
            rows[-1].append(g)
        else:
            rows.append([g])
    return [sorted(r, key=lambda g: g.x0) for r in rows]


def _vertical_rules(page: Any, em: float) -> list[tuple[float, float, float]]:
    """(x, top, bottom) of thin vertical rules (column rules) drawn on the page."""
    out = []
    for obj in list(page.rects) + list(page.lines):
        width, height = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
        if width <= 0.2 * em and height >= 2 * em:
            out.append(((obj["x0"] + obj["x1"]) / 2, obj["top"], obj["bottom"]))
    return out


def _page_lines(page: Any, number: int, font: str, size: float,
                margins_mm: Sequence[float] | None, grid: Grid | None = None) -> list[Line]:
    """The body lines of ``page`` by column; ``grid``: the page grid the PDF records,
    whose column edges are the columns' left edges (else inferred from the lines)."""
    em = size
    sized = [g for g in _glyphs(page, margins_mm) if abs(g.size - size) < 0.05]
    body = [g for g in sized if g.font == font and g.text not in SPACES]
    if not body:
        return []
    spans = _split([(g.x0, g.x1) for g in body + _run_ins(sized, body, em)], 0.5 * em)
    columns: list[list[Line]] = []
    # Lines of another face in the body's depth between the columns (a column of them
    # only, as a run-in's first lines can fill, is no column of body lines).
    top, foot = min(g.baseline for g in body), max(g.baseline for g in body)
    between = [g for g in sized if g.font != font and g.text not in SPACES
               and top - 0.25 * em <= g.baseline <= foot + 0.25 * em
               and not any(lo - 0.25 * em <= (g.x0 + g.x1) / 2 <= hi + 0.25 * em
                           for lo, hi in spans)]
    other = False  # a line of another face since the last body line
    for k, (lo, hi) in enumerate(spans):
        after = spans[k - 1][1] if k else -math.inf
        other = other or any(after <= g.x0 and g.x1 <= lo for g in between)
        in_column = [g for g in sized if lo - 0.25 * em <= (g.x0 + g.x1) / 2 <= hi + 0.25 * em]
        lines: list[Line] = []
        for row in _cluster_baselines(in_column, 0.25 * em):
            ink = [g for g in row if g.text not in SPACES]
            if ink and 2 * sum(g.font == font for g in ink) > len(ink):
                lines.append(Line(number, len(columns), tuple(row), 0.0, 0.0, em,
                                  after_other=other))
                other = False
            elif ink:
                other = True
        columns.append(lines)
    columns = [c for c in columns if c]
    for k, col in enumerate(columns):
        for ln in col:
            ln.column = k
    edges = None
    if grid is not None:
        offset = tuple(getattr(page, "trimbox", page.bbox))[0]
        edges = [(offset + lo, offset + hi) for lo, hi in grid.column_edges()]
    _set_edges(columns, _vertical_rules(page, em), em, edges)
    return [ln for col in columns for ln in col]


def _run_ins(sized: list[Glyph], body: list[Glyph], em: float) -> list[Glyph]:
    """Glyphs at the body size in another face that run on into the text on their line
    (a dateline's, a speaker's or a brief's bold lead words): they belong to the text's
    column, however short its lines."""
    rows: dict[float, list[Glyph]] = {}
    for g in body:
        rows.setdefault(round(g.baseline, 1), []).append(g)
    out = []
    for g in sized:
        if g.font in {b.font for b in body[:1]} or g.text in SPACES:
            continue
        near = rows.get(round(g.baseline, 1), [])
        if any(b.x0 - 1.5 * em <= g.x1 and g.x0 <= b.x1 + 1.5 * em for b in near):
            out.append(g)
    return out


def _set_edges(columns: list[list[Line]], rules: list[tuple[float, float, float]],
               em: float, grid: Sequence[tuple[float, float]] | None = None) -> None:
    lefts = [min(ln.ink[0].x0 for ln in col) for col in columns]
    ends = [max(ln.ink[-1].x1 for ln in col) for col in columns]
    rights: list[float | None] = [None] * len(columns)
    for k, left in enumerate(lefts):
        # A column whose every line is indented (each opens a paragraph) starts at the
        # grid's column edge within the indent to its left.  A column whose lines reach
        # the grid's right edge ends there: its furthest line end may lie past it in the
        # PDF only (a mark squeezed to half an em keeps its whole advance in the font's
        # widths), where the lines ending at the edge would all look short.
        edges = [(lo, hi) for lo, hi in grid or () if left - 2.5 * em <= lo <= left + 0.1 * em]
        if edges:
            lefts[k], right = max(edges)
            if ends[k] >= right - 0.1 * em:
                rights[k] = right
    for k, col in enumerate(columns[:-1]):
        if rights[k] is not None:
            continue
        top, bottom = col[0].baseline - em, col[-1].baseline
        between = [x for x, t, b in rules
                   if ends[k] - 0.1 * em <= x <= lefts[k + 1] and t <= bottom and b >= top]
        if between:
            right = 2 * between[0] - lefts[k + 1]
            if right >= ends[k] - 0.5 * em:  # a rule in the middle of the gap, as drawn by CSS
                rights[k] = right
            elif any(ln.slack_to(ends[k]) < 0.1 for ln in col[:-1]):
                # Every line of the next column is indented (each opens a paragraph): its
                # left edge is as far from the rule as this column's full lines' ends.
                lefts[k + 1] = 2 * between[0] - ends[k]
                rights[k] = ends[k]
    widths = [r - lo for r, lo in zip(rights, lefts, strict=True) if r is not None]
    if widths and rights[-1] is None:
        right = lefts[-1] + statistics.median(widths)
        if right >= ends[-1] - 0.5 * em:
            rights[-1] = right
    for col, left, edge, end in zip(columns, lefts, rights, ends, strict=True):
        for ln in col:
            ln.left = left
            ln.right = edge if edge is not None else end


def _body_style(pages: Iterable[Any], margins_mm: Sequence[float] | None
                ) -> tuple[str, float]:
    counts: Counter[tuple[str, float]] = Counter()
    for page in pages:
        counts.update((g.font, g.size) for g in _glyphs(page, margins_mm)
                      if g.text not in SPACES and not is_punctuation(g.text))
    return counts.most_common(1)[0][0] if counts else ("", 0.0)


def _mark_paragraphs(lines: list[Line], font: str = "") -> None:
    """Mark the lines that open and end a paragraph.  A line opens one when it is
    indented, after a wider step than a line, or when it opens in another face than the
    text (``font``: a run-in) after a line ending in the text's; the line before it ends
    one then, as does a line with a line of another face below it in its column (a
    lead-in, or a run-in's first lines: the paragraph after it opens with them)."""
    steps = [b.baseline - a.baseline for a, b in zip(lines, lines[1:], strict=False)
             if (a.page, a.column) == (b.page, b.column)]
    pitch = statistics.median(steps) if steps else 0.0
    for i, ln in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if i == 0:
            ln.first = True
        if nxt is None:
            ln.final = True
            continue
        same_column = (ln.page, ln.column) == (nxt.page, nxt.column)
        opens = nxt.indent >= 1.5 or (
            same_column and nxt.baseline - ln.baseline > 1.75 * pitch) or (
            bool(font) and nxt.ink[0].font != font and ln.ink[-1].font == font)
        if opens or nxt.after_other:
            ln.final = True
        if opens:
            nxt.first = True


def _extract(path: Path, lines: list[Line], heights: dict[int, float],
             rendered: Any = None) -> list[tuple[int, str]]:
    """Copy each body line's text as a viewer would (PDFium; ``rendered``: the PDF already
    open in it); return invisible characters."""
    invisible: list[tuple[int, str]] = []
    pdf = rendered if rendered is not None else pdfium.PdfDocument(str(path))
    try:
        by_page: dict[int, list[Line]] = {}
        for ln in lines:
            by_page.setdefault(ln.page, []).append(ln)
        for number in range(1, len(pdf) + 1):
            textpage = pdf[number - 1].get_textpage()
            invisible += [(number, ch) for ch in textpage.get_text_range() if ch in INVISIBLE]
            for ln in by_page.get(number, []):
                y = heights[number] - ln.baseline
                ln.extracted = textpage.get_text_bounded(
                    left=ln.glyphs[0].x0, bottom=y - 0.1 * ln.em, right=ln.glyphs[-1].x1,
                    top=y + 0.7 * ln.em)
    finally:
        if rendered is None:
            pdf.close()
    return invisible


def han_space_pairs(text: str) -> Counter[str]:
    """Pairs of Han characters separated by spaces in ``text`` (the source's own)."""
    return Counter(m.group(1) + m.group(2) for m in HAN_SPACE_HAN.finditer(text))


def measure(pdf_path: Path | str, source_text: str | None = None,
            margins_mm: Sequence[float] | None = None, opened: Any = None,
            rendered: Any = None) -> TypographyReport:
    """Measure the body typography of ``pdf_path``.

    ``source_text`` (the article's source) lets spaces between Han characters that the
    source itself has pass the clean-text measure.  The page margins, where the running
    heads and jump lines stand, are left out: ``margins_mm``, else those the PDF records
    (layout.decorations).  ``opened``: the PDF already open in pdfplumber (its pages'
    objects are then left cached, for the next measure of it); ``rendered``: open in
    PDFium.
    """
    path = Path(pdf_path)
    report = TypographyReport(str(path))
    with contextlib.nullcontext(opened) if opened is not None else open_pdf(path) as pdf:
        if margins_mm is None:
            recorded = PageDecorations.from_json(str(pdf.metadata.get(INFO_KEY[1:], "")))
            margins_mm = recorded.margins_mm if recorded else None
        font, size = _body_style(pdf.pages, margins_mm)
        grid = Grid.parse(str(pdf.metadata.get(PDF_KEY[1:], "")))
        report.body_font, report.body_size = font, size
        heights = {}
        for number, page in enumerate(pdf.pages, start=1):
            heights[number] = page.height
            report.lines += _page_lines(page, number, font, size, margins_mm, grid)
            if opened is None:
                page.flush_cache()
        module = module_finder(pdf.metadata)
    if module is not None:  # a composed page: its lines read module by module
        report.lines.sort(key=lambda ln: (ln.page, module(ln.glyphs[0].x0, ln.baseline)))
    _mark_paragraphs(report.lines, report.body_font)
    report.invisible = _extract(path, report.lines, heights, rendered)
    if source_text is not None:
        report.source_han_spaces = han_space_pairs(source_text)
    return report


def typography_findings(report: TypographyReport, limits: Limits) -> dict[str, list[Finding]]:
    """The findings of each typography check, keyed by check name."""
    path = report.path
    out: dict[str, list[Finding]] = {}
    ragged = report.ragged(limits.ragged_tolerance)
    share = report.ragged_share(limits.ragged_tolerance)
    out["typography.justified"] = [] if share <= limits.max_ragged else [Finding(
        "T101", f"{len(ragged)} of {len(report.non_final)} non-final body lines "
        f"({share:.1%}) end more than {limits.ragged_tolerance:g} em short of the column "
        f"edge (limit {limits.max_ragged:.1%}); first: {ragged[0].where()}", path,
        ragged[0].page)]
    out["typography.line-start"] = [
        Finding("T102", f"line starts with “{ln.ink[0].text}”: {ln.where()}", path, ln.page)
        for ln in report.bad_starts]
    out["typography.line-end"] = [
        Finding("T103", f"line ends with “{ln.ink[-1].text}”: {ln.where()}", path, ln.page)
        for ln in report.bad_ends]
    pairs = report.pair_advances
    median = statistics.median(pairs) if pairs else None
    out["typography.punctuation-pairs"] = [] if median is None or (
        median <= limits.max_pair_advance + EPSILON) else [Finding(
            "T104", f"adjacent punctuation pairs advance {median:.2f} em (median of "
            f"{len(pairs)}; limit {limits.max_pair_advance:g} em): the first mark is not "
            "squeezed", path)]
    gaps = report.han_latin_gaps
    gap = statistics.median(gaps) if gaps else None
    low, high = limits.han_latin_gap
    out["typography.han-latin"] = [] if gap is None or (
        low - EPSILON <= gap <= high + EPSILON) else [
        Finding("T105", f"Han–Latin spacing is {gap:.2f} em (median of {len(gaps)}; "
                f"expected {low:g}–{high:g} em)", path)]
    out["typography.last-lines"] = [
        Finding("T106", f"paragraph ends with a single-character line: {ln.where()}", path,
                ln.page) for ln in report.single_character_last_lines]
    clean = [Finding("T107", f"text contains U+{ord(ch):04X} {INVISIBLE[ch]}", path, page)
             for page, ch in sorted(set(report.invisible))]
    by_page: dict[int, list[tuple[Line, str]]] = {}
    for ln, pair in report.han_spaces:
        by_page.setdefault(ln.page, []).append((ln, pair))
    for page, spaces in sorted(by_page.items()):
        ln, pair = spaces[0]
        lines = len({id(s[0]) for s in spaces})
        clean.append(Finding(
            "T108", f"copied text has {len(spaces)} space{'s' if len(spaces) > 1 else ''} "
            f"between Han characters that the source lacks, on {lines} body "
            f"line{'s' if lines > 1 else ''}; first “{pair[0]} {pair[1]}” in {ln.where()}",
            path, page))
    out["typography.clean-text"] = clean
    return out
