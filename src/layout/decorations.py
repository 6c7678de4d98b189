"""The print edition's own texts: running heads (报眉), jump lines (转版) and FPO labels.

One description serves three readers: the page template sets it (templates/page.css.j2),
the build records it in the PDF (``<meta name="layout-decorations">``, which WeasyPrint
copies into the document information as ``/layoutdecorations``), and ``layout check``
reads it back, to count these texts as the writer's own (fidelity) and to tell the page
margins, where they stand, from the type area (typography).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from .makeup.grid import page_grid
from .model import Document
from .settings import Settings

INFO_KEY = "/layoutdecorations"
FOLIO = ("第", "版")  # 第6版
CONTINUED_FROM = ("（上接第", "版）")  # at the foot of a continued page
CONTINUED_TO = ("（下转第", "版）")  # at the foot of a page whose text goes on


@dataclass(frozen=True)
class PageDecorations:
    """What every page of one article's print edition carries besides the article."""

    paper: str  # at the outer edge of the running head
    theme: str  # centred: the page's section name, else the kicker or headline
    date: str = ""  # with the folio, on the inner side
    first_folio: int = 1  # the 版次 of the first page
    margins_mm: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # t, r, b, l of trim

    def folio(self, index: int) -> str:
        """The folio of page ``index`` (0-based), e.g. 第6版."""
        return f"{FOLIO[0]}{self.first_folio + index}{FOLIO[1]}"

    def texts(self, index: int, pages: int) -> list[str]:
        """The texts page ``index`` of ``pages`` carries, as the template sets them."""
        dated = f"{self.date}　{self.folio(index)}" if self.date else self.folio(index)
        out = [self.paper, self.theme, dated]
        if index > 0:
            out.append(f"{CONTINUED_FROM[0]}{self.first_folio + index - 1}{CONTINUED_FROM[1]}")
        if index < pages - 1:
            out.append(f"{CONTINUED_TO[0]}{self.first_folio + index + 1}{CONTINUED_TO[1]}")
        return out

    def all_texts(self, doc: Document, pages: int) -> list[str]:
        """Every text the print edition adds to the article's: FPO labels and page texts."""
        out = [f.label for f in doc.figures if not f.image]
        for index in range(pages):
            out += self.texts(index, pages)
        return out

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> PageDecorations | None:
        """The recorded description, or None if ``text`` is not one."""
        try:
            data: Any = json.loads(text)
            return cls(paper=str(data["paper"]), theme=str(data["theme"]),
                       date=str(data.get("date", "")), first_folio=int(data["first_folio"]),
                       margins_mm=_four(data["margins_mm"]))
        except (ValueError, KeyError, TypeError, IndexError):
            return None


def for_article(doc: Document, settings: Settings) -> PageDecorations:
    """The decorations of ``doc``'s pages as ``settings`` describe the publication."""
    publication = settings.publication
    return PageDecorations(
        paper=publication.paper, theme=publication.section_name or doc.kicker or doc.title,
        date=publication.issue_date or "", first_folio=publication.folio,
        margins_mm=page_grid(settings.design.page).margins_mm())  # the grid's type area


def _four(values: Any) -> tuple[float, float, float, float]:
    top, right, bottom, left = (float(v) for v in values)
    return top, right, bottom, left
