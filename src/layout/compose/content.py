"""What goes into a module: a story, or a column of briefs (简讯) set as one module.

A story's kind decides its module: news gets a headline sized by its rank; briefs and
commentary are narrow modules (one or two columns).  A news story too long for its page
may jump (``--jump``): its start stays (a "head" part, ending in a 下转第N版 line) and the
rest, from a source line on, is set on a later page as a module of its own (a
"continuation", opening with 上接第N版).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..decorations import CONTINUED_FROM, CONTINUED_TO
from ..model import Document

BRIEFS_COLUMN = "简讯"
BRIEFS_COLUMNS = (BRIEFS_COLUMN, "簡訊")  # the column's name in either script (--script)
COMMENTARY_MARKS = ("评论", "时评", "社论", "短评", "評論", "時評", "社論", "短評")
NARROW = ("briefs", "commentary")
CONTINUATION = "continuation"


@dataclass(frozen=True, eq=False)  # one object per module: hashed by identity
class Story:
    """One module's copy: ``docs`` is one story, or the briefs of a 简讯 column."""

    key: str  # "s1", "s2", … in priority order: element ids on the page start with it
    source: Path
    docs: tuple[Document, ...]
    kind: str  # "news", "briefs", "commentary", "continuation"
    # A jumped story: the source line its continuation starts at (0: the story is whole),
    # and the page its other part is on.
    cut: int = 0
    other: int = 0

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

    @property
    def head(self) -> bool:
        """The start of a jumped story: its copy before ``cut``, then a 下转 line."""
        return bool(self.cut) and self.kind != CONTINUATION

    def keeps(self, line: int) -> bool:
        """Does this module hold the block (section, figure, sidebar) at source ``line``?"""
        if not self.cut:
            return True
        return line >= self.cut if self.kind == CONTINUATION else line < self.cut

    @property
    def jump_line(self) -> str:
        """下转第N版 at the foot of a head part, 上接第N版 at the start of a continuation."""
        if not self.cut:
            return ""
        marks = CONTINUED_FROM if self.kind == CONTINUATION else CONTINUED_TO
        return f"{marks[0]}{self.other}{marks[1]}"

    def jumped(self, cut: int, to: int) -> Story:
        """This story's start, the rest (from source line ``cut``) continued on page ``to``."""
        return replace(self, cut=cut, other=to)


def cuts(story: Story) -> list[int]:
    """The source lines a news story may jump at, latest first: before a paragraph (not
    the first, nor one at or before the top photo) or before a section's head."""
    if story.kind != "news" or story.cut:
        return []
    doc = story.doc
    after = doc.figures[0].line if doc.figures else 0
    lines = [b.line for b in doc.lead[1:]]
    for s in doc.sections:
        lines += [s.line] + [b.line for b in s.blocks[1:]]
    return sorted((line for line in lines if line > after), reverse=True)


def continuation(key: str, source: Path, doc: Document, cut: int, start: int) -> Story:
    """The rest of ``doc`` from source line ``cut`` on, jumped from page ``start``."""
    return Story(key, source, (doc,), CONTINUATION, cut, start)


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


def holds(story: Document, line: int) -> bool:
    """Does the copy of ``story`` (one story) hold a paragraph or section at ``line``?"""
    return line in [b.line for b in story.lead] + [s.line for s in story.sections] + [
        b.line for s in story.sections for b in s.blocks]


def story_at(doc: Document, line: int) -> Document:
    """The story of ``doc`` (a source's document) whose copy holds source ``line``."""
    return next((story for story in doc.stories() if holds(story, line)), doc)


def page_stories(sources: list[tuple[Path, Document, int, int]]) -> list[Story]:
    """A page's stories keyed as :func:`layout.app.pages.compose_page` keys them, from its
    recorded sources (path, document, head cut, tail cut): the page's own stories (the
    one holding a head cut jumped there), then the continuations."""
    own = [(path, doc, head) for path, doc, head, tail in sources if not tail]
    cut = {path: head for path, _, head in own if head}
    stories = [s.jumped(cut[s.source], 0) if s.source in cut and holds(s.doc, cut[s.source])
               else s for s in stories_of([(path, doc) for path, doc, _ in own])]
    tails = [(path, doc, tail) for path, doc, _, tail in sources if tail]
    return stories + [continuation(f"s{len(stories) + n + 1}", path, story_at(doc, tail),
                                   tail, 0) for n, (path, doc, tail) in enumerate(tails)]
