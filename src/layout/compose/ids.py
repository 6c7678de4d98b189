"""Element ids of a story on a composed page: the article's ids behind the story's prefix,
so that the stories of one page (or of the measuring document) never share an id."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Block, Figure, Section, Sidebar, SignedText
from ..writers.html import ElementIds


@dataclass(frozen=True)
class StoryIds:
    prefix: str  # "s2-" on the page, "s2z1-" in the measuring document

    @property
    def column(self) -> str:
        return self.prefix + "column"

    @property
    def kicker(self) -> str:
        return self.prefix + ElementIds.kicker

    @property
    def title(self) -> str:
        return self.prefix + ElementIds.title

    @property
    def byline(self) -> str:
        return self.prefix + ElementIds.byline

    @property
    def subtitle(self) -> str:
        return self.prefix + "subtitle"

    @property
    def head(self) -> str:
        """The head group (set over a module's first columns, in its body)."""
        return self.prefix + "head"

    @property
    def caption(self) -> str:
        return self.prefix + "caption"

    @property
    def jump(self) -> str:
        """A jumped story's 下转 or 上接 line."""
        return self.prefix + "jump"

    @property
    def editor_note(self) -> str:
        return self.prefix + ElementIds.editor_note

    def block(self, b: Block) -> str:
        return self.prefix + ElementIds.block(b)

    def section(self, s: Section) -> str:
        return self.prefix + ElementIds.section(s)

    def figure(self, f: Figure) -> str:
        return self.prefix + ElementIds.figure(f)

    def sidebar(self, sb: Sidebar) -> str:
        return self.prefix + ElementIds.sidebar(sb)

    def entry(self, e: SignedText) -> str:
        return self.prefix + ElementIds.entry(e)

    def paragraph(self, st: SignedText, index: int) -> str:
        return self.prefix + ElementIds.paragraph(st, index)

    def brief(self, index: int) -> str:
        """The title of the index-th brief of a 简讯 column."""
        return f"{self.prefix}brief{index}"

    def at(self, width: int) -> StoryIds:
        """The ids of the head texts measured at a module ``width`` columns wide."""
        return StoryIds(f"{self.prefix}w{width}-")
