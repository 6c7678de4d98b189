"""Page metadata of a source (an archive page's date, 版次 and page name) as build settings.

What the source says fills in what the run leaves open: the running head's date and
centred page name, and the first folio when ``--folio`` is left at 1.  The paper's name
stays the publication's (``--paper`` / layout.toml): copy from an archive may be set
for another paper.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .model import PageInfo
from .settings import Settings


def with_page_metadata(settings: Settings, page: PageInfo | None) -> Settings:
    if page is None:
        return settings
    changes: dict[str, object] = {}
    if page.date and settings.issue_date is None:
        date = dt.date.fromisoformat(page.date)
        changes["issue_date"] = (f"{date.year}年{date.month}月{date.day}日"
                                 if settings.language.startswith("zh") else page.date)
    if page.name and settings.section_name is None:
        changes["section_name"] = page.name
    if page.number is not None and settings.page_number == 1:
        changes["page_number"] = page.number
    return dataclasses.replace(settings, **changes) if changes else settings
