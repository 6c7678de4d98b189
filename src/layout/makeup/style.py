"""What a style says about make-up (``[makeup]`` in style.toml).

- ``sizes``: the type size, in body ems, of the head's and boxes' texts; the grid gives
  each a whole number of lines from it (``page.css.j2``).
- ``running_heads`` / ``jump_lines``: newspaper page furniture (报眉, 下转/上接); a book
  has neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import LayoutError

SIZES = {"column": 1.3, "kicker": 1.9, "subtitle": 1.6, "byline": 1.3, "section_title": 1.35,
         "sidebar_title": 1.3}


@dataclass(frozen=True)
class MakeupStyle:
    sizes: dict[str, float]
    running_heads: bool = True
    jump_lines: bool = True


def makeup_style(table: dict[str, Any], where: str) -> MakeupStyle:
    try:
        sizes = dict(SIZES)
        for key, value in dict(table.get("sizes", {})).items():
            if key not in SIZES:
                raise ValueError(f"unknown size {key!r} (known: {', '.join(SIZES)})")
            sizes[key] = float(value)
        flags = {k: table.get(k, True) for k in ("running_heads", "jump_lines")}
        if not all(isinstance(v, bool) for v in flags.values()):
            raise ValueError("running_heads and jump_lines are true or false")
    except (TypeError, ValueError) as exc:
        raise LayoutError("S107", f"[makeup] is invalid: {exc}", where,
                          exit_code=2) from None
    return MakeupStyle(sizes, **flags)
