"""The page make-up measures (``L…``), computed from a PDF alone.

``measure(pdf_path)`` reads every page with pdfplumber and returns a :class:`LayoutReport`;
``layout_findings`` turns it into findings against :class:`LayoutLimits`.  The method is
documented in docs/check.md ("Layout measures"); in short:

- **Grid.** The print HTML records its page grid (``layout.makeup.grid``) and WeasyPrint
  copies it into the PDF (``/layoutgrid``).  A PDF without it gets a grid inferred from
  its body lines: type area = their horizontal extent, pitch = median baseline step.
- **Lines.** Characters sharing a baseline and size form a line piece, split where two
  characters are more than an em apart.  Body lines are pieces at the body size (the size
  that sets the most characters), in any face (sidebar text included).
- **Runs.** Per column of the grid, the text pieces whose middle lies in it, top to
  bottom, cut where a picture, a filled box or a rule crosses the column or where a gap
  with no text is taller than 2.5 lines.  A run holding body lines is a column of text;
  runs of adjacent columns whose heights overlap form one module.  A composed page
  records its modules (:mod:`layout.check.composed`): there each recorded module's runs
  are one module, read at its own body size (the size that sets most of its characters).
"""

from __future__ import annotations

import contextlib
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..holes import COMPOSED_MAX_EMPTY, is_hole, largest_empty
from ..makeup.grid import FREE_KEY, PDF_KEY, Grid, parse_free, parse_free_beside
from .composed import module_rects
from .findings import Finding
from .plumbing import open_pdf

SPACES = {" ", "\u00a0", "\u3000"}
HALF_WIDTH_CLOSING = set("，。、；：！？”’）》」』】")
JUMP_TO = re.compile(r"下转第(\d+)版")
JUMP_FROM = re.compile(r"上接第(\d+)版")
FOLIO = re.compile(r"第(\d+)版")


@dataclass(frozen=True)
class LayoutLimits:
    """What a made-up page must meet: by default issue 11's figures, no empty rectangle
    above 3% of the type area and column feet within one line, which the make-up meets on
    its own pages (a story that leaves space for other stories records where it ends, and
    the space below is not a hole).
    """

    max_empty: float = 0.03  # largest empty rectangle, share of the type area
    min_on_grid: float = 0.95  # share of body lines on the baseline grid
    grid_tolerance: float = 0.5  # pt a baseline may lie off the grid
    max_foot_spread: float = 1.0  # lines between the highest and lowest column foot
    head_lines: int = 3  # a head needs this many lines of its text below it in a column
    edge_tolerance: float = 1.0  # pt a frame edge may lie off a column edge


@dataclass(frozen=True)
class Piece:
    """Characters of one size on one baseline, without a gap of more than an em."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    font: str  # the face that sets most of its characters
    start_font: str = ""  # the face of its first character ("": as ``font``)
    end_font: str = ""  # ... and of its last

    @property
    def first_font(self) -> str:
        return self.start_font or self.font

    @property
    def last_font(self) -> str:
        return self.end_font or self.font


@dataclass(frozen=True)
class Box:
    """A graphic object: a picture, a filled area, a border ring or a thin rule."""

    kind: str  # "image", "fill", "ring", "rule"
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Run:
    """One column's text between two obstacles."""

    column: int
    pieces: list[Piece]
    body_size: float
    boxed: float = 0.0  # the lines of a box's foot (padding, border) under its last line
    # the picture whose caption the run is (no body line, right under it): a caption
    # ends its column
    under: Box | None = None

    @property
    def body(self) -> list[Piece]:
        return [p for p in self.pieces if abs(p.size - self.body_size) < 0.05]

    @property
    def top(self) -> float:
        return self.pieces[0].top

    @property
    def caption(self) -> bool:
        return self.under is not None

    @property
    def foot(self) -> float:
        """The baseline of its last line, whatever its size (a caption or a signature ends
        a column too), lowered to the foot of the box the run ends in."""
        return self.pieces[-1].baseline + self.boxed


@dataclass
class Page:
    number: int
    grid: Grid
    pieces: list[Piece] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    outside_trim: list[Piece] = field(default_factory=list)
    outside_area: list[Piece] = field(default_factory=list)
    empty: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # x0, top, x1, bottom
    on_grid: int = 0
    off_grid: list[Piece] = field(default_factory=list)
    modules: list[list[Run]] = field(default_factory=list)
    stranded: list[Piece] = field(default_factory=list)
    frames_off_grid: list[Box] = field(default_factory=list)
    jumps_to: list[int] = field(default_factory=list)
    jumps_from: list[int] = field(default_factory=list)
    folio: int | None = None
    free_from: float | None = None  # where the story ends, leaving the rest to others
    composed: bool = False  # a composed page: it records its modules
    in_area: list[Piece] = field(default_factory=list)  # the texts in the type area

    @property
    def empty_share(self) -> float:
        x0, top, x1, bottom = self.empty
        area = self.grid.type_width * (self.grid.bottom - self.grid.top)
        return (x1 - x0) * (bottom - top) / area if area else 0.0

    def hole_limit(self, limit: float) -> float:
        """The largest empty rectangle allowed, of the type area: ``limit``, and on a
        composed page (it records its modules) no more than COMPOSED_MAX_EMPTY."""
        return min(limit, COMPOSED_MAX_EMPTY) if self.composed else limit

    def holed(self, limit: float) -> bool:
        """Whether the largest empty rectangle is a hole: above :meth:`hole_limit` of the
        type area and larger than SPACE_LINES lines of a column
        (:func:`layout.holes.is_hole`)."""
        return is_hole(self.empty, self.empty_share, self.hole_limit(limit), self.grid.column,
                       self.grid.pitch)

    def foot_spreads(self) -> list[float]:
        """Per module: lines between its highest and lowest column foot (a column's foot
        is its lowest run's: a run ending above a photo in its column is not a foot; a
        caption's is its last line, in every column under its picture, where the line
        is short)."""
        out = []
        for module in self.modules:
            captions: dict[int, float] = {}  # id of a picture -> its caption's last line
            for r in module:
                if r.under is not None:
                    captions[id(r.under)] = max(captions.get(id(r.under), r.foot), r.foot)
            feet: dict[int, float] = {}
            for r in module:
                foot = r.foot if r.under is None else captions[id(r.under)]
                feet[r.column] = max(feet.get(r.column, foot), foot)
            out.append((max(feet.values()) - min(feet.values())) / self.grid.pitch)
        return out


@dataclass
class LayoutReport:
    path: str
    body_size: float = 0.0
    recorded_grid: bool = False
    pages: list[Page] = field(default_factory=list)

    @property
    def body_lines(self) -> int:
        return sum(p.on_grid + len(p.off_grid) for p in self.pages)

    @property
    def on_grid_share(self) -> float:
        lines = self.body_lines
        return sum(p.on_grid for p in self.pages) / lines if lines else 1.0

    def summary(self) -> dict[str, Any]:
        """The figures of issue 11, per document (worst page where it is per page)."""
        spreads = [s for p in self.pages for s in p.foot_spreads()]
        return {
            "pages": len(self.pages),
            "outside_trim": sum(len(p.outside_trim) for p in self.pages),
            "outside_type_area": sum(len(p.outside_area) for p in self.pages),
            "largest_empty_share": round(max((p.empty_share for p in self.pages),
                                             default=0.0), 4),
            "body_lines": self.body_lines,
            "on_grid_share": round(self.on_grid_share, 4),
            "max_foot_spread": round(max(spreads, default=0.0), 2),
            "stranded_heads": sum(len(p.stranded) for p in self.pages),
            "frames_off_grid": sum(len(p.frames_off_grid) for p in self.pages),
        }


def _base_font(name: str) -> str:
    return name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name


def _pieces(page: Any, gutters: tuple[float, ...] = ()) -> list[Piece]:
    """The page's pieces; none reaches across one of ``gutters`` (x of the grid's gutter
    middles, from the trim box's left): a squeezed mark at the end of a column's line can
    bring it closer to the next column's line than an em."""
    left = tuple(getattr(page, "trimbox", page.bbox))[0]
    cuts = [left + g for g in gutters]
    chars = []
    for c in page.chars:
        if not c.get("upright", True) or not c["text"] or c["text"] in SPACES:
            continue
        baseline = page.height - c["matrix"][5] if "matrix" in c else c["bottom"]
        chars.append((round(baseline, 1), round(c["size"], 2), c))
    chars.sort(key=lambda t: (t[0], t[1], t[2]["x0"]))
    out: list[Piece] = []
    group: list[dict[str, Any]] = []

    def flush() -> None:
        if group:
            font = Counter(_base_font(c["fontname"]) for c in group).most_common(1)[0][0]
            baseline = page.height - group[0]["matrix"][5] if "matrix" in group[0] else (
                group[0]["bottom"])
            out.append(Piece("".join(c["text"] for c in group), group[0]["x0"],
                             max(c["x1"] for c in group), min(c["top"] for c in group),
                             max(c["bottom"] for c in group), baseline,
                             round(group[0]["size"], 2), font,
                             _base_font(group[0]["fontname"]),
                             _base_font(group[-1]["fontname"])))
            group.clear()

    key = None
    for baseline, size, c in chars:
        if key != (baseline, size) or (group and (c["x0"] - group[-1]["x1"] > size or any(
                group[-1]["x1"] - size / 2 < cut < c["x0"] + size / 2 for cut in cuts))):
            flush()
            key = (baseline, size)
        group.append(c)
    flush()
    return out


def _boxes(page: Any) -> list[Box]:
    out = []
    for img in page.images:
        out.append(Box("image", img["x0"], img["top"], img["x1"], img["bottom"]))
    for r in list(page.rects) + list(page.curves):
        width, height = r["x1"] - r["x0"], r["bottom"] - r["top"]
        subpaths = sum(1 for step in r.get("path") or () if step[0] == "m")
        if min(width, height) < 2.0:
            kind = "rule"
        elif subpaths > 1:
            kind = "ring"  # a border drawn as an even-odd ring: its inside is not ink
        elif r.get("fill"):
            kind = "fill"
        else:
            kind = "ring"
        out.append(Box(kind, r["x0"], r["top"], r["x1"], r["bottom"]))
    for ln in page.lines:
        out.append(Box("rule", ln["x0"], ln["top"], ln["x1"], ln["bottom"]))
    return out


def _recorded(pdf: Any, key: str) -> str | None:
    value = (pdf.metadata or {}).get(key.lstrip("/"))
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value if isinstance(value, str) else None


def _recorded_grid(pdf: Any) -> Grid | None:
    value = _recorded(pdf, PDF_KEY)
    return Grid.parse(value) if value else None


def _spans(pieces: list[Piece], min_gap: float) -> list[tuple[float, float]]:
    """Merge the pieces' horizontal extents closer than ``min_gap``: the columns."""
    spans: list[list[float]] = []
    for lo, hi in sorted((p.x0, p.x1) for p in pieces):
        if spans and lo - spans[-1][1] < min_gap:
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    return [(lo, hi) for lo, hi in spans]


def _inferred_grid(pages: list[list[Piece]], body_size: float,
                   trims: list[tuple[float, ...]]) -> Grid:
    """A grid from the body lines of a PDF that records none.

    Body lines here are pieces at the body size in the body face that have another such
    piece in their column less than three ems above or below (a running head has none).
    """
    fonts: Counter[str] = Counter()
    for page in pages:
        for p in page:
            if abs(p.size - body_size) < 0.05:
                fonts[p.font] += len(p.text)
    face = fonts.most_common(1)[0][0] if fonts else ""
    steps: list[float] = []
    lines: list[Piece] = []
    widest: list[tuple[float, float]] = []
    for page in pages:
        body = [p for p in page if abs(p.size - body_size) < 0.05 and p.font == face]
        spans = _spans(body, 0.5 * body_size)
        widest = max(widest, spans, key=len)
        for lo, hi in spans:
            column = sorted((p for p in body if lo <= p.x0 and p.x1 <= hi),
                            key=lambda p: p.baseline)
            gaps = [b.baseline - a.baseline for a, b in zip(column, column[1:], strict=False)]
            steps += [g for g in gaps if 0.9 * body_size < g < 3 * body_size]
            for i, p in enumerate(column):
                near = [g for g in gaps[max(0, i - 1):i + 1] if g < 3 * body_size]
                if near:
                    lines.append(p)
    pitch = statistics.median(steps) if steps else 1.2 * body_size
    if not lines:
        x0, y0, x1, y1 = trims[0]
        return Grid(x1 - x0, y1 - y0, 0.0, 0.0, 1, x1 - x0, 0.0, pitch,
                    max(1, round((y1 - y0) / pitch)))
    left, right = min(p.x0 for p in lines), max(p.x1 for p in lines)
    top, bottom = min(p.top for p in lines), max(p.bottom for p in lines)
    columns = max(1, len(widest))
    gaps = [b[0] - a[1] for a, b in zip(widest, widest[1:], strict=False)]
    gutter = statistics.median(gaps) if gaps else 0.0
    column_width = ((right - left) - (columns - 1) * gutter) / columns
    x0, y0 = trims[0][0], trims[0][1]
    return Grid(trims[0][2] - x0, trims[0][3] - y0, left - x0, top - y0, columns, column_width,
                gutter, pitch, max(1, round((bottom - top) / pitch)))


def measure(pdf_path: Path | str, limits: LayoutLimits | None = None,
            grid: Grid | None = None, opened: Any = None) -> LayoutReport:
    """Measure the make-up of every page of ``pdf_path`` (tolerances from ``limits``).

    ``grid`` overrides the grid the PDF records (to measure a PDF made before grids were
    recorded against its preset's type area); ``opened``: the PDF already open in
    pdfplumber (its pages parsed once for every measure).
    """
    limits = limits or LayoutLimits()
    path = Path(pdf_path)
    report = LayoutReport(str(path))
    with contextlib.nullcontext(opened) if opened is not None else open_pdf(path) as pdf:
        recorded = _recorded_grid(pdf)
        free = parse_free(_recorded(pdf, FREE_KEY) or "")
        beside = parse_free_beside(_recorded(pdf, FREE_KEY) or "")
        known = grid or recorded
        gutters = tuple(hi + known.gutter / 2 for _, hi in known.column_edges()[:-1]) if (
            known) else ()
        composed = module_rects(pdf.metadata or {})
        pieces = [_pieces(page, gutters) for page in pdf.pages]
        boxes = [_boxes(page) for page in pdf.pages]
        trims = [tuple(getattr(page, "trimbox", page.bbox)) for page in pdf.pages]
    sizes: Counter[float] = Counter()
    for page_pieces in pieces:
        for p in page_pieces:
            sizes[p.size] += len(p.text)
    report.body_size = sizes.most_common(1)[0][0] if sizes else 0.0
    # The text's face: the most common at the body size (a short column of a brief may
    # hold more of its bold run-in than of its text).
    faces: Counter[str] = Counter()
    for page_pieces in pieces:
        for p in page_pieces:
            if abs(p.size - report.body_size) < 0.05:
                faces[p.font] += len(p.text)
    text_font = faces.most_common(1)[0][0] if faces else ""
    report.recorded_grid = recorded is not None
    grid = grid or recorded or _inferred_grid(pieces, report.body_size, trims)
    for number, (page_pieces, page_boxes, trim) in enumerate(
            zip(pieces, boxes, trims, strict=True), start=1):
        page = _measure_page(number, grid, trim, page_pieces, page_boxes, report.body_size,
                             limits, free.get(number), composed, text_font,
                             beside.get(number))
        report.pages.append(page)
    return report


def _measure_page(number: int, grid: Grid, trim: tuple[float, ...], pieces: list[Piece],
                  boxes: list[Box], body_size: float, limits: LayoutLimits,
                  free_from: float | None = None,
                  composed: list[tuple[float, float, float, float]] | None = None,
                  text_font: str = "", free_beside: float | None = None) -> Page:
    """The measures of one page; ``free_from`` is where a story that leaves the rest of
    the page to other stories ends (the space below is not a hole); ``composed``: the
    modules a composed page records (left, top, right, bottom from the trim's corner);
    ``text_font``: the body text's face (L105 tells heads from text by it);
    ``free_beside``: the right edge of a story's module narrower than the type area (the
    space beside it is for other stories too)."""
    # Page coordinates of the grid: the trim box's top-left corner is its origin.
    dx, dy = trim[0], trim[1]
    area = (grid.left + dx, grid.top + dy, grid.right + dx, grid.bottom + dy)
    page = Page(number, grid, pieces, boxes, free_from=free_from)
    tol = 0.5
    for p in pieces:
        if p.x0 < trim[0] - tol or p.x1 > trim[2] + tol or p.top < trim[1] - tol or (
                p.bottom > trim[3] + tol):
            page.outside_trim.append(p)
        elif p.x0 < area[0] - 1.0 or p.x1 > area[2] + _hanging(p):
            page.outside_area.append(p)
    inside: list[Piece] = []
    margin_texts: list[Piece] = []
    for p in pieces:
        (inside if p.bottom > area[1] and p.top < area[3] else margin_texts).append(p)
    page.in_area = inside
    story = area if free_from is None else (
        area[0], area[1], area[2] if free_beside is None else min(area[2], free_beside + dx),
        min(area[3], free_from + dy))
    ink = [(p.x0, p.top, p.x1, p.bottom) for p in inside]
    ink += [(b.x0, b.top, b.x1, b.bottom) for b in boxes if b.kind in ("image", "fill")]
    if grid.columns == 1:
        # One column (the book's): nothing can stand beside a line, so the space beside a
        # head set ragged, a short last line or a photo narrower than the measure is no
        # hole; only an empty band across the measure is.
        ink = [(area[0], top, area[2], bottom) for _, top, _, bottom in ink]
    page.empty = largest_empty(story, ink, body_size, grid.pitch)
    body = [p for p in inside if abs(p.size - body_size) < 0.05]
    _grid_lines(page, body, area[1], grid.pitch, limits.grid_tolerance)
    columns = [(lo + dx, hi + dx) for lo, hi in grid.column_edges()]
    page.composed = composed is not None
    if composed is None:
        runs = _runs(columns, inside, boxes, body_size, grid.pitch)
        page.modules = _modules(runs)
    else:
        runs = []
        for x0, top, x1, bottom in composed:
            here = [p for p in inside if x0 + dx - 1 <= (p.x0 + p.x1) / 2 <= x1 + dx + 1
                    and top + dy - 1 <= (p.top + p.bottom) / 2 <= bottom + dy + 1]
            sizes: Counter[float] = Counter()
            for p in here:
                sizes[p.size] += len(p.text)
            # its own boxes only: the rule above the module under it closes none of its
            # columns
            own = [b for b in boxes if x0 + dx - 1 <= (b.x0 + b.x1) / 2 <= x1 + dx + 1
                   and top + dy - 1 <= (b.top + b.bottom) / 2 <= bottom + dy + 1]
            module = _runs(columns, here, own, sizes.most_common(1)[0][0], grid.pitch) if (
                here) else []
            runs += module
            page.modules += [module] if module else []
    framed = [b for b in boxes if b.kind in ("image", "fill")]
    page.stranded = []
    for module in page.modules:
        for run in module:
            if run.caption:
                continue  # a caption strands no head
            later = _later(run, module)
            if later is None and run.foot < area[3] - 1.5 * grid.pitch:
                continue  # the story's last lines: a head over them is at no column's foot
            after = None if later is None else (
                min(later.pieces, key=lambda p: (p.baseline, p.x0)), columns[later.column][0])
            font = text_font if abs(run.body_size - body_size) < 0.05 else ""
            page.stranded += [p for p in _stranded(run, run.body_size, limits.head_lines, font,
                                                   columns[run.column], after)
                              if not _inside(p, framed)]  # an FPO frame's label is no head
    # (a running head's rule, drawn as a box as wide as its text, is no frame)
    page.frames_off_grid = _frames_off_grid(
        [b for b in boxes if area[1] <= (b.top + b.bottom) / 2 <= area[3]], columns, grid,
        limits.edge_tolerance, body_size)
    for p in pieces:
        page.jumps_to += [int(m) for m in JUMP_TO.findall(p.text)]
        page.jumps_from += [int(m) for m in JUMP_FROM.findall(p.text)]
    for p in margin_texts:
        if p.bottom <= area[1] and (m := FOLIO.search(p.text)) and "接" not in p.text:
            page.folio = int(m[1])
    return page


def _hanging(piece: Piece) -> float:
    """How far a line may reach past the type area's right edge: 0.15 em (justification
    rounds), and half an em more when it ends with a closing mark set half-width (its ink
    is in the em's left half; the PDF still gives the glyph its full em)."""
    return piece.size * (0.15 + (0.5 if piece.text[-1] in HALF_WIDTH_CLOSING else 0.0))


def _inside(piece: Piece, boxes: list[Box]) -> bool:
    x, y = (piece.x0 + piece.x1) / 2, (piece.top + piece.bottom) / 2
    return any(b.x0 <= x <= b.x1 and b.top <= y <= b.bottom for b in boxes)


def _grid_lines(page: Page, body: list[Piece], top: float, pitch: float, tol: float
                ) -> None:
    """Count body lines on the baseline grid; its phase is the one most lines share."""
    baselines = sorted({round(p.baseline, 2) for p in body})
    if not baselines:
        return
    residues = [(b - top) % pitch for b in baselines]

    def near(a: float, b: float) -> bool:
        d = abs(a - b) % pitch
        return min(d, pitch - d) <= tol

    phase = max(residues, key=lambda r: sum(near(r, s) for s in residues))
    on = {b for b, r in zip(baselines, residues, strict=True) if near(r, phase)}
    for p in body:
        if round(p.baseline, 2) in on:
            page.on_grid += 1
        else:
            page.off_grid.append(p)


def _cuts(box: Box, lo: float, hi: float) -> list[float]:
    """Where a picture, a filled box, a rule or a border's top and foot cross the column
    ``lo``–``hi`` (a column rule runs along the column and cuts nothing)."""
    if min(box.x1, hi) - max(box.x0, lo) <= 0.5 * (hi - lo):
        return []
    if box.kind == "rule" and box.x1 - box.x0 < 2.0:
        return []
    return [box.top, box.bottom] if box.kind == "ring" else [box.top]


def _runs(columns: list[tuple[float, float]], pieces: list[Piece], boxes: list[Box],
          body_size: float, pitch: float) -> list[Run]:
    runs: list[Run] = []
    for k, (lo, hi) in enumerate(columns):
        here = sorted((p for p in pieces if lo - 0.5 * body_size <= (p.x0 + p.x1) / 2
                       <= hi + 0.5 * body_size), key=lambda p: (p.baseline, p.x0))
        cuts = sorted(c for b in boxes for c in _cuts(b, lo, hi))
        # The foot of a box (its border drawn as a ring or as filled rectangles) or a rule
        rings = [b.bottom for b in boxes if b.kind != "image" and _cuts(b, lo, hi)]
        # the pictures (and frames for position only) in the column: a caption under one
        pictures = [b for b in boxes if b.kind in ("image", "fill") and _cuts(b, lo, hi)]
        current: list[Piece] = []
        for p in here:
            if current:
                prev = current[-1]
                cut = any(prev.baseline < c < p.top for c in cuts)
                if cut or p.top - prev.bottom > 2.5 * pitch:
                    runs.append(_run(k, current, body_size, rings, pitch, pictures))
                    current = []
            current.append(p)
        if current:
            runs.append(_run(k, current, body_size, rings, pitch, pictures))
    # a caption ends its column only where no text follows it there
    return [r for i, r in enumerate(runs) if r.body or r.caption and not any(
        later.body for later in runs[i + 1:] if later.column == r.column)]


def _run(column: int, pieces: list[Piece], body_size: float, rings: list[float],
         pitch: float, pictures: Sequence[Box] = ()) -> Run:
    """A run; when a box's border (or a rule) closes it within two lines, its foot is the
    box's.  A run of lines smaller than the body may be a caption (:func:`_captioned`)."""
    last = pieces[-1].bottom
    below = [b - last for b in rings if 0 < b - last < 2 * pitch]
    body = any(abs(p.size - body_size) < 0.05 for p in pieces)
    # (a caption is set smaller than the body: a head under a filled band is none)
    small = all(p.size < body_size for p in pieces)
    return Run(column, pieces, body_size, round(min(below) / pitch) * pitch if below else 0.0,
               _captioned(pieces, pictures, pitch) if small and not body else None)


def _captioned(pieces: list[Piece], pictures: Sequence[Box], pitch: float) -> Box | None:
    """The picture in the column whose caption ``pieces`` are: the lowest whose top is
    above them, when they start no more than a line under its foot (a photo cropped to
    its frame is drawn past it: its caption may start over its drawn foot), and are not
    inside it (a frame for position only holds its label)."""
    first = pieces[0]
    for box in sorted(pictures, key=lambda b: -b.top):
        if box.top < first.top <= box.bottom + pitch:
            inside = box.kind == "fill" and all(p.bottom <= box.bottom + 0.5 for p in pieces)
            return None if inside else box
    return None


def _modules(runs: list[Run]) -> list[list[Run]]:
    """Runs of adjacent columns whose heights overlap, joined."""
    parent = list(range(len(runs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(runs):
        for j, b in enumerate(runs):
            if b.column == a.column + 1 and a.top < b.foot and b.top < a.foot:
                parent[find(j)] = find(i)
    groups: dict[int, list[Run]] = {}
    for i, r in enumerate(runs):
        groups.setdefault(find(i), []).append(r)
    return list(groups.values())


def _stranded(run: Run, body_size: float, need: int, text_font: str = "",
              edges: tuple[float, float] | None = None,
              after: tuple[Piece, float] | None = None
              ) -> list[Piece]:
    """Heads and lead-ins followed by fewer than ``need`` lines of text in their column.

    A head is a piece larger than the body, or at the body size in another face than the
    text (``text_font``, the document's, when the run sets any of it; else the run's most
    common, as in a box set in a face of its own): a bold lead-in.  A
    head of several lines is judged by its last line.  A run-in is no head: bold words
    that open a paragraph and run on into its text (a dateline, a brief's lead words, a
    speaker's name), on the line they end on, or, when they fill their last line to the
    right of their column's ``edges``, on the next line at its left edge, not indented as
    a paragraph after a lead-in is; ``after``: the first piece of the text after the run,
    in another run, and its column's left edge.
    """
    fonts: Counter[str] = Counter()
    for p in run.body:
        fonts[p.font] += len(p.text)
    if text_font not in fonts:  # a box of its own face (a sidebar set in Kai)
        text_font = fonts.most_common(1)[0][0]

    def is_head(p: Piece) -> bool:
        return p.size > body_size + 0.05 or (
            abs(p.size - body_size) < 0.05 and p.font != text_font)

    rows: dict[float, list[Piece]] = {}
    for p in run.pieces:
        rows.setdefault(round(p.baseline, 1), []).append(p)
    order = sorted(rows)
    heads = [any(is_head(p) for p in rows[b]) for b in order]
    right = max(p.x1 for p in run.pieces)
    for i, baseline in enumerate(order):
        row = sorted(rows[baseline], key=lambda p: p.x0)
        if not _run_in_end(row, body_size, text_font):
            continue
        heads[i] = False  # a run-in's last line: the paragraph runs on after it
        k = i - 1
        while k >= 0 and heads[k] and _full_run_in(rows[order[k]], body_size, right):
            heads[k] = False
            k -= 1
    for i, baseline in enumerate(order):
        # the last line of bold words at the body size, the text going on flush left below
        if not heads[i] or (i + 1 < len(order) and heads[i + 1]) or edges is None or any(
                abs(p.size - body_size) > 0.05 for p in rows[baseline]) or max(
                p.x1 for p in rows[baseline]) < edges[1] - body_size:
            continue
        if i + 1 < len(order):
            nxt: tuple[Piece, float] | None = (min(rows[order[i + 1]], key=lambda p: p.x0),
                                               edges[0])
        else:
            nxt = after
        if nxt is not None and nxt[0].first_font == text_font and (
                nxt[0].x0 - nxt[1] < 0.5 * body_size):
            k = i
            while k >= 0 and heads[k]:
                heads[k] = False
                k -= 1
    out = []
    for i, baseline in enumerate(order):
        if not heads[i] or (i + 1 < len(order) and heads[i + 1]):
            continue
        if len(order) - i - 1 < need:
            out += [p for p in rows[baseline] if is_head(p)]
    return out


def _later(run: Run, module: list[Run]) -> Run | None:
    """The run of ``module`` the text goes on in after ``run``: lower in its column (past
    a photo), else the top of the next column to its right."""
    text = [r for r in module if not r.caption]
    below = [r for r in text if r.column == run.column and r.top > run.foot]
    right = [r for r in text if r.column > run.column]
    if below:
        return min(below, key=lambda r: r.top)
    return min(right, key=lambda r: (r.column, r.top)) if right else None


def _run_in_end(row: list[Piece], body_size: float, text_font: str) -> bool:
    """Whether a line (its pieces left to right) opens at the body size in another face
    than the text and ends in the text's: a run-in's words, then the paragraph's own."""
    first, last = row[0], row[-1]
    return (abs(first.size - body_size) < 0.05 and first.first_font != text_font
            and last.last_font == text_font)


def _full_run_in(row: list[Piece], body_size: float, right: float) -> bool:
    """Whether a line above a run-in's last line is more of it: at the body size, set to
    the column's right edge (a head or lead-in of its own ends where its text does)."""
    return all(abs(p.size - body_size) < 0.05 for p in row) and (
        max(p.x1 for p in row) >= right - body_size)


def _frames_off_grid(boxes: list[Box], columns: list[tuple[float, float]], grid: Grid,
                     tol: float, body_size: float) -> list[Box]:
    """Pictures and framed boxes whose left or right edge is not on a column edge; on a
    page of one column a whole number of body characters wide (the book's), on the edge
    of a character of the measure (a photo narrower than the measure stands on its
    character grid: as narrow as 3 characters is judged)."""
    lefts = [lo for lo, _ in columns]
    rights = [hi for _, hi in columns]
    narrowest = 0.9 * grid.column
    chars = round(grid.column / body_size) if body_size else 0
    if grid.columns == 1 and chars and abs(grid.column - chars * body_size) < 0.05:
        lefts = rights = [columns[0][0] + k * body_size for k in range(chars + 1)]
        narrowest = min(narrowest, 3 * body_size)
    frames = [b for b in boxes if b.kind in ("image", "fill", "ring")
              and b.x1 - b.x0 >= narrowest and b.bottom - b.top >= 3 * grid.pitch]
    # A frame drawn as background, border and picture is judged once, by its outer box.
    outer = [b for b in frames if not any(
        o is not b and o.x0 - 2 <= b.x0 and b.x1 <= o.x1 + 2 and o.top - 2 <= b.top
        and b.bottom <= o.bottom + 2 and (o.x1 - o.x0) > (b.x1 - b.x0) for o in frames)]
    unique = list(dict.fromkeys((round(b.x0), round(b.top), round(b.x1), round(b.bottom))
                                for b in outer))
    out = []
    for x0, top, x1, bottom in unique:
        if min(abs(x0 - x) for x in lefts) > tol or min(abs(x1 - x) for x in rights) > tol:
            out.append(Box("frame", x0, top, x1, bottom))
    return out


def _continued_text(page: Page) -> bool:
    """Whether ``page`` holds text in its type area besides a 上接 line (at any size: a
    composed page's modules may each be set at another size than the edition's)."""
    return any(not JUMP_FROM.search(p.text) for p in page.in_area)


def _mm(pt: float) -> float:
    return pt * 25.4 / 72


def layout_findings(report: LayoutReport, limits: LayoutLimits) -> dict[str, list[Finding]]:
    """The findings of each layout check, keyed by check name."""
    path = report.path
    out: dict[str, list[Finding]] = {c: [] for c in LAYOUT_CHECKS}
    folios = {p.folio if p.folio is not None else p.number: p for p in report.pages}
    for page in report.pages:
        n = page.number
        for what, pieces in (("the trim box", page.outside_trim),
                             ("the type area", page.outside_area)):
            if pieces:
                chars = sum(len(p.text) for p in pieces)
                first = pieces[0]
                out["layout.inside"].append(Finding(
                    "L101", f"{chars} character{'s' if chars > 1 else ''} outside {what}, "
                    f"first “{first.text[:12]}” at x {_mm(first.x0):.1f}–{_mm(first.x1):.1f} "
                    f"mm", path, n))
        if page.holed(limits.max_empty):
            x0, top, x1, bottom = page.empty
            out["layout.filled"].append(Finding(
                "L102", f"an empty rectangle of {_mm(x1 - x0):.0f} × {_mm(bottom - top):.0f} "
                f"mm at ({_mm(x0):.0f}, {_mm(top):.0f}) mm is {page.empty_share:.1%} of the "
                f"type area (limit {page.hole_limit(limits.max_empty):.0%}"
                + (", a composed page" if page.composed else "") + ")", path, n))
        for spread, module in zip(page.foot_spreads(), page.modules, strict=True):
            if spread > limits.max_foot_spread + 0.05:
                columns = sorted(r.column + 1 for r in module)
                out["layout.column-feet"].append(Finding(
                    "L104", f"column feet of the text in columns {columns[0]}–{columns[-1]} "
                    f"differ by {spread:.1f} lines (limit {limits.max_foot_spread:g})", path, n))
        for p in page.stranded:
            out["layout.stranded-heads"].append(Finding(
                "L105", f"head “{p.text[:16]}” has fewer than {limits.head_lines} lines of "
                f"text below it in its column", path, n))
        for b in page.frames_off_grid:
            out["layout.frames"].append(Finding(
                "L107", f"a frame at x {_mm(b.x0):.1f}–{_mm(b.x1):.1f} mm does not stand on "
                "column edges", path, n))
        for target in page.jumps_to:
            continued = folios.get(target)
            if continued is None or continued.number <= n:
                why = "no later page has that folio"
            elif not continued.jumps_from:
                why = f"page {continued.number} does not say where it continues from"
            elif not _continued_text(continued):
                why = f"page {continued.number} holds no continued text"
            else:
                continue
            out["layout.jumps"].append(Finding(
                "L106", f"jump line “下转第{target}版” but {why}", path, n))
    share = report.on_grid_share
    if share < limits.min_on_grid:
        off = [(page, p) for page in report.pages for p in page.off_grid]
        page, first = off[0]
        out["layout.baseline-grid"].append(Finding(
            "L103", f"{len(off)} of {report.body_lines} body lines ({1 - share:.1%}) are off "
            f"the baseline grid (at least {limits.min_on_grid:.0%} must be on it); first "
            f"“{first.text[:12]}”", path, page.number))
    return out


LAYOUT_CHECKS = ("layout.inside", "layout.filled", "layout.baseline-grid",
                 "layout.column-feet", "layout.stranded-heads", "layout.jumps",
                 "layout.frames")
