"""Input limits: what a build refuses up front rather than spend minutes and gigabytes on.

Measured on the 2-core reference machine (bench/README.md): laying out a source costs
WeasyPrint about a minute and 1 GB of memory per MB of Chinese text (an 0.8 MB source of
10,000 paragraphs: 39 broadsheet pages, 54 s, 0.8 GB), so a 10 MB source would need about
ten minutes and 10 GB.  Sources above ``DEFAULT_MAX_SOURCE_MB`` are refused before
they are read; ``--max-source-mb`` or ``LAYOUT_MAX_SOURCE_MB`` raises the limit.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import LayoutError

DEFAULT_MAX_SOURCE_MB = 2.0
ENV = "LAYOUT_MAX_SOURCE_MB"


def max_source_mb() -> float:
    raw = os.environ.get(ENV)
    if raw is None:
        return DEFAULT_MAX_SOURCE_MB
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise LayoutError("U105", f"{ENV} must be a positive number of megabytes, not {raw!r}",
                          exit_code=2)
    return value


def check_source_size(path: Path) -> None:
    """Refuse a source larger than the limit, before reading it (exit 3)."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # reading it reports the problem
    limit = max_source_mb()
    if size > limit * 1024 * 1024:
        raise LayoutError(
            "U104", f"source is {size / 1024 / 1024:.1f} MB, over the limit of {limit:g} MB "
            "(laying out 1 MB takes about a minute and 1 GB of memory); split it, or raise "
            f"the limit with --max-source-mb or {ENV}", str(path))
