"""Parsing the press options of `layout build`: bleed lengths, marks, PDF variants.

Each function is an argparse ``type``: a bad value is a usage error (exit 2) saying
what is accepted.
"""

from __future__ import annotations

import argparse
import re

from ..errors import LayoutError

UNITS_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*([a-z]*)\s*$")

MARK_NAMES = ("crop", "registration", "colorbar")


def bleed_mm(value: str) -> float:
    """``3mm``, ``0.125in``, ``9pt``, ``0.3cm`` or a bare number of mm -> mm."""
    match = _LENGTH.match(value.lower())
    if not match or match.group(2) not in ("", *UNITS_MM):
        raise argparse.ArgumentTypeError(
            f"bleed {value!r}: give a length such as 3mm, 0.125in or 9pt "
            f"(units: {', '.join(UNITS_MM)}; a bare number is mm)")
    mm = float(match.group(1)) * UNITS_MM.get(match.group(2) or "mm", 1.0)
    if mm < 0:
        raise argparse.ArgumentTypeError(f"bleed {value!r} is negative")
    return mm


def marks(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
    unknown = [n for n in names if n not in MARK_NAMES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown mark {', '.join(unknown)}; choose from {', '.join(MARK_NAMES)}")
    return names


def variant(value: str) -> str:
    from .press import check_variant  # WeasyPrint's variants: imported only when asked

    try:
        return check_variant(value.lower())
    except LayoutError as exc:
        raise argparse.ArgumentTypeError(f"{exc.code} {exc.message}") from None
