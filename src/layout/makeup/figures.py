"""Photos on the grid: a whole number of columns wide (one, or across two or three, by
the photo's shape and place), a whole number of grid lines tall, with the height from each
photo's own shape at that width, near the paragraph its caption refers to.

On a page of one column (the book's) a photo that would stand taller than ``TALLEST`` of
the type area at the measure (a portrait, a square one on a small page) gets a frame
narrower than the measure, as a book designer sets it: a whole number of body characters
wide, centred on the measure on its character grid, its caption under it at its width.

A photo is cropped to its frame by at most ``MAX_CROP`` of its width or height; a frame
without a photo (for position only) takes the news shape ``FPO_RATIO``.  Photos are spread
through the body in reading order, each after the paragraph its caption names (or at its
share of the text), so no page holds photos alone.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..chars import is_han
from ..model import Block, Document, Figure
from .grid import Grid

FPO_RATIO = 3 / 2  # width / height of a frame without a photo
MAX_CROP = 0.15
MIN_SHARED = 3  # two-character words a caption shares with the paragraph it refers to
WIDE = 700.0  # pt of type width from which a story's first landscape photo spans 3 columns
LANDSCAPE = 1.2  # width / height from which a photo is landscape
PORTRAIT = 0.9  # ... below which it is portrait
TALLEST = 0.5  # share of a one-column page's lines a frame at the measure may take
# ... and the smaller shares the make-up tries, in turn, when photos that tall leave a band
# across a page before the last (layout.makeup.makeup.make_up)
SMALLER = (0.4, 1 / 3, 0.25)


@dataclass(frozen=True)
class Frame:
    """Where a figure goes and how tall its frame is."""

    figure: Figure
    after: int  # source line of the body block it follows; -1: the end of the body
    lines: int  # grid lines of the frame
    ratio: float  # the photo's width / height (FPO_RATIO without a photo)
    photo: bool  # a photo was found and read (else a for-position-only frame)
    span: int = 1  # columns it spans
    # pt: the width of a frame narrower than its column (on a page of one column, centred
    # on it); 0: as wide as its columns
    narrow: float = 0.0

    def narrowed(self, grid: Grid) -> Frame:
        """The frame one column wide."""
        return dataclasses.replace(self, span=1, lines=frame_lines(
            grid, self.ratio, self.photo, width=self.narrow or None))

    def width(self, grid: Grid) -> float:
        return self.narrow or span_width(grid, self.span)

    def inset(self, grid: Grid) -> float:
        """Points from its column's left edge to the frame's."""
        return (grid.column - self.narrow) / 2 if self.narrow else 0.0

    def line_range(self, grid: Grid) -> tuple[int, int]:
        """(least, most) grid lines of the frame at its width (:func:`line_range`)."""
        return line_range(grid, self.ratio, self.photo, self.span, self.narrow or None)

    def offset(self, grid: Grid) -> float:
        """Points of the photo, set at the frame's width, above the frame (centred crop)."""
        return max(0.0, (self.width(grid) / self.ratio - self.lines * grid.pitch) / 2)


def span_width(grid: Grid, span: int) -> float:
    """Width of ``span`` columns and the gutters between them."""
    return span * grid.column + (span - 1) * grid.gutter


def columns_for(grid: Grid, ratio: float, photo: bool, lead: bool) -> int:
    """Columns a frame spans, as a newspaper sets photos: a landscape photo two (the
    story's first, on a page at least ``WIDE`` across, three), a square one two on five
    columns or more, a portrait one one (two for the first on eight columns), a frame for
    position only two; the story's later photos at most half the columns but one (one on
    three columns: the first photo leads); never all the columns of a page of three or
    more (the text runs beside it), one on a page of fewer than three."""
    if grid.columns < 3:
        return 1
    if not photo:
        span = 2
    elif ratio >= LANDSCAPE:
        span = 3 if lead and grid.type_width >= WIDE else 2
    elif ratio >= PORTRAIT:
        span = 2 if grid.columns >= 5 else 1
    else:
        span = 2 if lead and grid.columns >= 8 else 1
    if not lead:
        span = min(span, max(1, (grid.columns - 1) // 2))
    return min(span, grid.columns - 1)


def photo_ratio(path: Path) -> float | None:
    """Width / height of a photo, or None when it cannot be read."""
    try:
        with Image.open(path) as im:
            width, height = im.size
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return width / height if height else None


def line_range(grid: Grid, ratio: float, photo: bool, span: int = 1,
               width: float | None = None) -> tuple[int, int]:
    """(least, most) grid lines of a frame ``span`` columns wide (or ``width`` pt) for a
    picture of ``ratio``.

    A photo is set at the frame's width and cropped at most MAX_CROP of its height (never
    of its width: the picture would be drawn past the column's edges); a frame without a
    photo may also be up to MAX_CROP taller than its shape.
    """
    ideal = (width or span_width(grid, span)) / ratio / grid.pitch
    least = max(2, math.ceil(ideal * (1 - MAX_CROP) - 1e-9))
    most = math.floor(ideal + 1e-9) if photo else math.floor(ideal / (1 - MAX_CROP) + 1e-9)
    return least, max(least, most)


def frame_lines(grid: Grid, ratio: float, photo: bool, span: int = 1,
                width: float | None = None) -> int:
    """Grid lines of a frame ``span`` columns wide (or ``width`` pt): the nearest to the
    picture's shape allowed."""
    least, most = line_range(grid, ratio, photo, span, width)
    return min(max(round((width or span_width(grid, span)) / ratio / grid.pitch), least),
               most)


def measure_width(grid: Grid, ratio: float, em: float, share: float = TALLEST) -> float:
    """Width of a frame on a page of one column of ``em`` characters: the measure, or for
    a picture of ``ratio`` that would stand taller there than ``share`` of the type
    area, the most whole characters that keep it within that, fewer than the measure's by
    an even number (centred, the frame's edges stand on the character grid)."""
    tallest = share * grid.lines * grid.pitch
    if grid.columns != 1 or grid.column / ratio <= tallest:
        return grid.column
    chars = round(grid.column / em)
    fits = math.floor(tallest * ratio / em + 1e-9)
    fits -= (chars - fits) % 2
    return max(fits, 2 - chars % 2) * em


def body_blocks(doc: Document) -> list[Block]:
    return [*doc.lead, *(b for s in doc.sections for b in s.blocks)]


def place_figures(doc: Document, grid: Grid, folder: Path, em: float,
                  tallest: float = TALLEST) -> list[Frame]:
    """Each figure after the paragraph its caption refers to (the one sharing the most of
    its caption's two-character words: a place, a name), kept in reading order; a figure
    whose caption names no paragraph goes at its share of the body left.  On a page of
    one column of ``em`` characters, a photo taller than ``tallest`` of the type area has
    a narrower frame (:func:`measure_width`)."""
    blocks = [b for b in body_blocks(doc) if b.type != "lead_in"]
    if not blocks:
        blocks = body_blocks(doc)
    frames = []
    count = len(doc.figures)
    earliest = 0  # anchors never go back: the figures stay in their order
    for k, figure in enumerate(doc.figures):
        ratio = photo_ratio(folder / figure.image) if figure.image else None
        at = None
        if blocks:
            # unnamed: spread with the figures left over the blocks left
            share = earliest + (len(blocks) - earliest) // (count - k + 1)
            at = _referring(figure, blocks, earliest, min(len(blocks) - 1, share))
            earliest = blocks.index(at)
        shape = ratio or FPO_RATIO
        span = columns_for(grid, shape, ratio is not None, lead=k == 0)
        width = measure_width(grid, shape, em, tallest) if span == 1 else grid.column
        narrow = width if width < grid.column - 1e-6 else 0.0
        frames.append(Frame(figure, at.line if at else -1,
                            frame_lines(grid, shape, ratio is not None, span, narrow or None),
                            shape, ratio is not None, span, narrow))
    return frames


def _referring(figure: Figure, blocks: list[Block], earliest: int, share: int) -> Block:
    """The block from ``earliest`` on whose text shares the most telling two-character
    words with the caption (at least MIN_SHARED; a word in more than a fifth of the blocks,
    such as 记者, tells nothing), else the one at ``share``."""
    texts = [_bigrams(b.text) for b in blocks]
    common = max(1, len(blocks) // 5)
    words = {w for w in _bigrams(figure.caption) if sum(w in t for t in texts) <= common}
    scored = [(len(words & t), -i) for i, t in enumerate(texts) if i >= earliest]
    best, at = max(scored, default=(0, -earliest))
    if best >= MIN_SHARED:
        return blocks[-at]
    return blocks[share]


@functools.lru_cache(maxsize=4096)
def _bigrams(text: str) -> frozenset[str]:
    """Pairs of adjacent Han characters: the words a caption and a paragraph share (each
    plan of a fit asks again: remembered)."""
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)
                     if is_han(text[i]) and is_han(text[i + 1]))
