"""Boxes a page plan reserves (advertisements), apart from the search so that reading
layout.toml does not import the layout engine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FixedBox:
    """A box the page plan reserves (an advertisement): columns × lines at a corner."""

    label: str
    columns: int
    lines: int
    position: str  # "bottom-left", "bottom-right"


POSITIONS = ("bottom-left", "bottom-right")
