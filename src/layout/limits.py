"""Input limits: what a build refuses up front rather than spend minutes and gigabytes on.

The cost of a layout grows with the text and with the number of paragraphs.  Measured on
the 2-core reference machine (bench/README.md): WeasyPrint needs about a minute and 1 GB
per MB of Chinese text, and 10,000 short paragraphs (0.8 MB) take 57 s and 0.8 GB, while
50,000 short lines (1.0 MB, each line a paragraph) took 6 minutes and 3.9 GB.  So a
source is refused, before anything is laid out, when it is

- larger than ``max_source_mb`` (checked before it is read, U104),
- longer than ``LINES_PER_PARAGRAPH`` × ``max_paragraphs`` lines (checked once decoded,
  before it is parsed, U111: a cheap bound, as every paragraph takes at least one line),
- made of more than ``max_paragraphs`` texts (paragraphs, headings, captions; checked
  once read, before the transforms and the layout, U110).

The limits are options of the command (``--max-source-mb``, ``--max-paragraphs``), passed
as arguments to :func:`layout.readers.read`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import LayoutError
from .model import Document

DEFAULT_MAX_SOURCE_MB = 2.0
DEFAULT_MAX_PARAGRAPHS = 12_000  # 10,000 build in 57 s and 0.8 GB: about 1 GB at the limit
LINES_PER_PARAGRAPH = 4  # room for blank lines between paragraphs and wrapped lines


@dataclass(frozen=True)
class SourceLimits:
    max_source_mb: float = DEFAULT_MAX_SOURCE_MB
    max_paragraphs: int = DEFAULT_MAX_PARAGRAPHS

    @property
    def max_lines(self) -> int:
        return LINES_PER_PARAGRAPH * self.max_paragraphs


DEFAULT_LIMITS = SourceLimits()


def check_source_size(path: Path, limits: SourceLimits) -> None:
    """Refuse a source larger than the limit, before reading it (exit 3)."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # reading it reports the problem
    limit = limits.max_source_mb
    if size > limit * 1024 * 1024:
        raise LayoutError(
            "U104", f"source is {size / 1024 / 1024:.1f} MB, over the limit of {limit:g} MB "
            "(laying out 1 MB takes about a minute and 1 GB of memory); split it, or raise "
            "the limit with --max-source-mb", str(path))


def check_source_lines(text: str, path: str, limits: SourceLimits) -> None:
    """Refuse a source of more lines than its paragraphs may take, before parsing it."""
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines > limits.max_lines:
        raise LayoutError(
            "U111", f"source has {lines:,} lines, over the limit of {limits.max_lines:,} "
            f"({LINES_PER_PARAGRAPH} per paragraph of --max-paragraphs "
            f"{limits.max_paragraphs:,}); split it, or raise --max-paragraphs", path)


def check_paragraphs(doc: Document, path: str, limits: SourceLimits) -> None:
    """Refuse a document of more texts than the limit, before it is laid out."""
    count = len(doc.texts())
    if count > limits.max_paragraphs:
        raise LayoutError(
            "U110", f"source has {count:,} paragraphs, over the limit of "
            f"{limits.max_paragraphs:,} (10,000 take about a minute and 0.8 GB to lay "
            "out); split it, or raise --max-paragraphs", path)
