"""Photos on the grid: one column wide, in the text's column flow, a whole number of
grid lines tall, with the height from each photo's own shape.

A photo is cropped to its frame by at most ``MAX_CROP`` of its width or height; a frame
without a photo (for position only) takes the news shape ``FPO_RATIO``.  Photos are spread
through the body in reading order, each after the paragraph at its share of the text, so
no page holds photos alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..model import Block, Document, Figure
from .grid import Grid

FPO_RATIO = 3 / 2  # width / height of a frame without a photo
MAX_CROP = 0.15


@dataclass(frozen=True)
class Frame:
    """Where a figure goes and how tall its frame is."""

    figure: Figure
    after: int  # source line of the body block it follows; -1: the end of the body
    lines: int  # grid lines of the frame
    ratio: float  # the photo's width / height (FPO_RATIO without a photo)


def photo_ratio(path: Path) -> float | None:
    """Width / height of a photo, or None when it cannot be read."""
    try:
        with Image.open(path) as im:
            width, height = im.size
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return width / height if height else None


def frame_lines(grid: Grid, ratio: float) -> int:
    """Grid lines of a one-column frame for a picture of ``ratio``, within the crop limit."""
    ideal = grid.column / ratio / grid.pitch
    lines = max(2, round(ideal))
    # Cropping more than MAX_CROP of the height (or width) is not allowed: step towards it.
    while lines < ideal * (1 - MAX_CROP):
        lines += 1
    while lines > ideal / (1 - MAX_CROP) and lines > 2:
        lines -= 1
    return lines


def wanted_lines(grid: Grid, ratio: float) -> tuple[int, int]:
    """(least, most) grid lines a one-column frame for ``ratio`` may take: cropped by at
    most MAX_CROP of its height, or of its width."""
    ideal = grid.column / ratio / grid.pitch
    return max(2, math.ceil(ideal * (1 - MAX_CROP))), max(2, math.floor(ideal / (1 - MAX_CROP)))


def body_blocks(doc: Document) -> list[Block]:
    return [*doc.lead, *(b for s in doc.sections for b in s.blocks)]


def place_figures(doc: Document, grid: Grid, folder: Path) -> list[Frame]:
    """Each figure after the paragraph at its share of the body, with its frame height."""
    blocks = [b for b in body_blocks(doc) if b.type != "lead_in"]
    if not blocks:
        blocks = body_blocks(doc)
    frames = []
    count = len(doc.figures)
    for k, figure in enumerate(doc.figures):
        ratio = photo_ratio(folder / figure.image) if figure.image else None
        at = blocks[min(len(blocks) - 1, (k + 1) * len(blocks) // (count + 1))] if (
            blocks) else None
        frames.append(Frame(figure, at.line if at else -1,
                            frame_lines(grid, ratio or FPO_RATIO), ratio or FPO_RATIO))
    return frames
