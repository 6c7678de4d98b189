"""Copyfit (``--fit-pages N``): the largest body type, within the style's limits, that fits.

Each attempt is a full layout (about a second), so the search is a bisection over body
sizes in 0.1 pt steps between the preset's ``min_body_size`` and ``max_body_size``:
some six layouts.  Leading follows the size: the preset's leading at its body size and
above, narrowing linearly to ``min_leading`` at ``min_body_size``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import LayoutError
from ..settings import PagePreset, Settings

STEP = 10  # body sizes are tried in tenths of a point


@dataclass(frozen=True)
class Fit:
    settings: Settings  # the settings to build with
    pages: int
    target: int
    before: PagePreset

    def describe(self) -> str:
        old, new = self.before, self.settings.design.page
        if (old.body_size, old.leading) == (new.body_size, new.leading):
            return (f"fits {self.target} page(s) as set: {self.pages} page(s) at body "
                    f"{old.body_size:g}pt, leading {old.leading:g}")
        return (f"fit to {self.target} page(s) ({self.pages} used): body {old.body_size:g}pt "
                f"-> {new.body_size:g}pt, leading {old.leading:g} -> {new.leading:g}")


def leading_for(page: PagePreset, body: float) -> float:
    low = page.min_body_size
    if body >= page.body_size or page.min_leading is None or low is None or (
            low >= page.body_size):
        return page.leading
    share = (body - low) / (page.body_size - low)
    return round(page.min_leading + (page.leading - page.min_leading) * share, 2)


def with_body(settings: Settings, body: float) -> Settings:
    page = settings.design.page
    return settings.with_page(dataclasses.replace(page, body_size=body,
                                                  leading=leading_for(page, body)))


def fit_pages(settings: Settings, target: int, where: str,
              count: Callable[[Settings], int]) -> Fit:
    """Settings at which the article takes at most ``target`` pages, or LayoutError L30x.

    ``count`` lays the article out with the given settings and returns its page count.
    """
    page = settings.design.page
    low = round((page.min_body_size or page.body_size) * STEP)
    high = round((page.max_body_size or page.body_size) * STEP)
    preset = round(page.body_size * STEP)
    if low == high:
        raise LayoutError(
            "L301", f"page preset {page.name!r} of style {settings.design.style.name!r} sets no "
            "copyfit limits (min_body_size, max_body_size, min_leading)", where)
    tried: dict[int, int] = {}

    def pages(tenths: int) -> int:
        if tenths not in tried:
            tried[tenths] = count(with_body(settings, tenths / STEP))
        return tried[tenths]

    if pages(preset) <= target:
        good, bad = preset, high + 1
    elif pages(low) <= target:
        good, bad = low, preset
    else:
        smallest = with_body(settings, low / STEP).design.page
        raise LayoutError(
            "L302", f"cannot fit {target} page(s): {pages(low)} pages even at the style's "
            f"limits (body {smallest.body_size:g}pt, leading {smallest.leading:g})", where)
    while bad - good > 1:  # invariant: good fits, bad does not (or is past the limit)
        middle = (good + bad) // 2
        if pages(middle) <= target:
            good = middle
        else:
            bad = middle
    return Fit(with_body(settings, good / STEP), pages(good), target, page)
