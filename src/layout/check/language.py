"""BCP 47 language tags: well-formed (hyphens, ASCII letters and digits) and registered."""

from __future__ import annotations

import re

import langcodes

WELL_FORMED = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")


def valid_language_tag(tag: str) -> bool:
    """True when ``tag`` is a valid BCP 47 tag (``zh-Hans`` yes; ``zh_Hans``, ``chinese`` no)."""
    return bool(WELL_FORMED.fullmatch(tag)) and langcodes.tag_is_valid(tag)
