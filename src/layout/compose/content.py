"""What goes into a module: a story, or a column of briefs (简讯) set as one module.

A story's kind decides its module: news gets a headline sized by its rank; briefs and
commentary are narrow modules (one or two columns).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Document

BRIEFS_COLUMN = "简讯"
BRIEFS_COLUMNS = (BRIEFS_COLUMN, "簡訊")  # the column's name in either script (--script)
COMMENTARY_MARKS = ("评论", "时评", "社论", "短评", "評論", "時評", "社論", "短評")
NARROW = ("briefs", "commentary")


@dataclass(frozen=True, eq=False)  # one object per module: hashed by identity
class Story:
    """One module's copy: ``docs`` is one story, or the briefs of a 简讯 column."""

    key: str  # "s1", "s2", … in priority order: element ids on the page start with it
    source: Path
    docs: tuple[Document, ...]
    kind: str  # "news", "briefs", "commentary"

    @property
    def doc(self) -> Document:
        return self.docs[0]

    @property
    def title(self) -> str:
        """The module's headline: the story's, or the column's name for briefs."""
        if self.kind == "briefs":
            column = self.doc.page.column if self.doc.page else None
            return column or BRIEFS_COLUMN
        return self.doc.title

    @property
    def name(self) -> str:
        """How messages name the story."""
        return f"“{self.title}”"

    @property
    def line(self) -> int:
        return self.doc.head_line

    @property
    def narrow(self) -> bool:
        return self.kind in NARROW


def kind_of(doc: Document) -> str:
    byline = [doc.byline.role or "", *doc.byline.authors] if doc.byline else []
    marks = " ".join(filter(None, [doc.column, doc.kicker, *byline]))
    return "commentary" if any(m in marks for m in COMMENTARY_MARKS) else "news"


def stories_of(sources: list[tuple[Path, Document]]) -> list[Story]:
    """The modules of a page, in priority order: every story of every source; the briefs
    of a 简讯 column (a source whose page column is 简讯) together as one module."""
    out: list[Story] = []
    for source, doc in sources:
        column = doc.page.column if doc.page else None
        if column in BRIEFS_COLUMNS:
            out.append(Story(f"s{len(out) + 1}", source, tuple(doc.stories()), "briefs"))
            continue
        for story in doc.stories():
            out.append(Story(f"s{len(out) + 1}", source, (story,), kind_of(story)))
    return out
