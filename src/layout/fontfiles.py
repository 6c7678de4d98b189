"""Installed font files, found through fontconfig: the file a family name resolves to.

Used where the font program itself must be read: the EPUB's embedded subsets and cover,
and the punctuation metrics of the print's faces (:mod:`layout.typeset.marks`).
"""

from __future__ import annotations

import functools
import subprocess

from .glyphs import FontconfigMissing

# fontconfig weights (FC_WEIGHT_REGULAR, FC_WEIGHT_BOLD)
FC_WEIGHT = {"normal": 80, "bold": 200}


@functools.cache
def locate(family: str, weight: str = "normal") -> tuple[str, str, int] | None:
    """(family, file, index in a collection) of an installed family, or None when
    fontconfig would substitute another family for it."""
    try:
        out = subprocess.run(
            ["fc-match", "--format", "%{file}\n%{index}\n%{family}",
             f"{family}:weight={FC_WEIGHT[weight]}"],
            capture_output=True, text=True, check=True, timeout=30).stdout.split("\n")
    except (OSError, subprocess.SubprocessError) as exc:
        raise FontconfigMissing(f"fc-match: {exc}") from None
    if len(out) < 3 or family.casefold() not in {f.strip().casefold()
                                                 for f in out[2].split(",")}:
        return None
    return family, out[0], int(out[1] or 0)
