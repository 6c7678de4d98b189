"""Page metadata of a source (an archive page's date, 版次 and page name) as build settings.

What the source says fills in what the run leaves open: the running head's date and
centred page name, and the first folio when ``--folio`` is left at 1.  The paper's name
stays the publication's (``--paper`` / layout.toml): copy from an archive may be set
for another paper.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..model import PageInfo
from ..settings import Settings


def with_page_metadata(settings: Settings, page: PageInfo | None) -> Settings:
    if page is None:
        return settings
    publication = settings.publication
    if page.date and publication.issue_date is None:
        date = dt.date.fromisoformat(page.date)
        publication = dataclasses.replace(publication, issue_date=(
            f"{date.year}年{date.month}月{date.day}日"
            if publication.language.startswith("zh") else page.date))
    if page.name and publication.section_name is None:
        publication = dataclasses.replace(publication, section_name=page.name)
    if page.number is not None and page.number >= 1 and publication.folio == 1:
        publication = dataclasses.replace(publication, folio=page.number)
    if publication is settings.publication:
        return settings
    return dataclasses.replace(settings, publication=publication)
