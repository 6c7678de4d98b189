"""The document model: one typed tree every writer is made from.

Every block keeps the 1-based source line it came from, so any later stage can
report ``path:line``.  ``Document.to_json()`` is the public JSON form printed by
``layout inspect --json`` (documented in ``docs/model.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

BlockType = Literal["paragraph", "lead_in", "question", "answer"]
Severity = Literal["info", "warning", "error"]


@dataclass
class Block:
    type: BlockType
    text: str
    line: int
    run_in: str | None = None
    speaker: str | None = None  # question/answer: "问", "答", "记者", a name

    def to_json(self) -> dict[str, Any]:
        out = {"type": self.type, "text": self.text, "line": self.line, "run_in": self.run_in}
        if self.speaker is not None:
            out["speaker"] = self.speaker
        return out

    @property
    def full_text(self) -> str:
        """The text as set: speaker label, run-in and text."""
        return (f"{self.speaker}：" if self.speaker else "") + (self.run_in or "") + self.text


@dataclass
class Section:
    title: str
    subtitle: str | None
    line: int
    blocks: list[Block] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "line": self.line,
            "blocks": [b.to_json() for b in self.blocks],
        }


@dataclass
class Figure:
    label: str
    caption: str
    line: int
    credit: str | None = None
    image: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "caption": self.caption,
            "credit": self.credit,
            "image": self.image,
            "line": self.line,
        }


@dataclass
class SignedText:
    """Paragraphs closed by an optional signature (editor's note, sidebar entry)."""

    paragraphs: list[str]
    line: int
    signature: str | None = None
    lines: list[int] = field(default_factory=list)  # source line of each paragraph

    def to_json(self) -> dict[str, Any]:
        return {"paragraphs": list(self.paragraphs), "signature": self.signature, "line": self.line}


@dataclass
class Sidebar:
    title: str
    line: int
    entries: list[SignedText] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "line": self.line,
            "entries": [e.to_json() for e in self.entries],
        }


@dataclass
class Credit:
    """One role of a byline with the names that follow it ("通讯员 赵某")."""

    role: str | None
    authors: list[str]


@dataclass
class Byline:
    role: str | None
    authors: list[str]
    line: int
    # every role with its names, when the byline names more than one role
    # ("本报记者 王某 通讯员 赵某"); ``role``/``authors`` are then the first role and all names
    credits: list[Credit] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": self.role, "authors": list(self.authors),
                               "line": self.line}
        if len(self.credits) > 1:
            out["credits"] = [{"role": c.role, "authors": list(c.authors)}
                              for c in self.credits]
        return out

    @property
    def text(self) -> str:
        groups = self.credits if len(self.credits) > 1 else [Credit(self.role, self.authors)]
        return " ".join(filter(None, (w for c in groups for w in (c.role, *c.authors))))


@dataclass
class PageInfo:
    """Where the story was printed, from an archive export's page lines (all optional)."""

    line: int
    date: str | None = None  # ISO 8601, "2001-03-05"
    number: int | None = None  # 版次
    name: str | None = None  # 版名, "要闻"
    column: str | None = None  # a column over the whole source, "简讯"
    paper: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date, "number": self.number, "name": self.name,
                "column": self.column, "paper": self.paper, "line": self.line}


@dataclass
class Diagnostic:
    code: str
    line: int
    message: str
    severity: Severity = "warning"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "line": self.line,
            "message": self.message,
            "severity": self.severity,
        }

    def format(self, path: str) -> str:
        return f"{path}:{self.line}: {self.code} {self.message}"


@dataclass
class Document:
    title: str
    source: str = ""
    kicker: str | None = None
    subtitle: str | None = None
    byline: Byline | None = None
    dateline: str | None = None
    editor_note: SignedText | None = None
    lead: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    sidebars: list[Sidebar] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    page: PageInfo | None = None
    column: str | None = None  # the story's column (专栏), "高端访谈"
    dateline_authors: list[str] = field(default_factory=list)  # reporters the dateline names
    # A source holding several stories reads as its first story with the others here;
    # every diagnostic is kept on the first story.
    following: list[Document] = field(default_factory=list)
    head_line: int = 1  # the source line of the headline group's first line
    # source lines read as page metadata (page lines, a column over several stories):
    # not part of the text
    metadata_lines: list[int] = field(default_factory=list)

    def stories(self) -> list[Document]:
        return [self, *self.following]

    def to_json(self) -> dict[str, Any]:
        """The model; a source with several stories gives ``{"page", "stories", "warnings"}``."""
        if self.following:
            stories = []
            for story in self.stories():
                data = story.story_json()
                data.pop("warnings")
                stories.append(data)
            return {"page": self.page.to_json() if self.page else None, "stories": stories,
                    "warnings": [w.to_json() for w in self.warnings]}
        out = self.story_json()
        if self.page:
            out["page"] = self.page.to_json()
        return out

    def story_json(self) -> dict[str, Any]:
        """One story; keys added after issue 2 appear only when they hold something."""
        out: dict[str, Any] = {}
        if self.column:
            out["column"] = self.column
        out.update({
            "kicker": self.kicker,
            "title": self.title,
            "subtitle": self.subtitle,
            "byline": self.byline.to_json() if self.byline else None,
            "dateline": self.dateline,
            "editor_note": self.editor_note.to_json() if self.editor_note else None,
            "lead": [b.to_json() for b in self.lead],
            "sections": [s.to_json() for s in self.sections],
            "figures": [f.to_json() for f in self.figures],
            "sidebars": [s.to_json() for s in self.sidebars],
            "warnings": [w.to_json() for w in self.warnings],
        })
        if self.dateline_authors:
            out["dateline_authors"] = list(self.dateline_authors)
        return out

    def texts(self) -> list[tuple[int, str]]:
        """Every text of the document in reading order, with its source line.

        This is the order writers set the text in, so checks compare outputs with it.
        """
        out: list[tuple[int, str]] = []
        for story in self.stories():
            out += story.story_texts()
        return out

    def story_texts(self) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        head_line = self.byline.line if self.byline else 1
        for value in (self.column, self.kicker, self.title, self.subtitle):
            if value:
                out.append((head_line, value))
        if self.byline:
            out.append((self.byline.line, self.byline.text))
        if self.editor_note:
            out += _signed_texts(self.editor_note)
        if self.dateline:
            out.append((self.lead[0].line if self.lead else 1, self.dateline))
        out += [(b.line, b.full_text) for b in self.lead]
        for s in self.sections:
            out.append((s.line, s.title))
            if s.subtitle:
                out.append((s.line, s.subtitle))
            out += [(b.line, b.full_text) for b in s.blocks]
        for f in self.figures:
            out.append((f.line, f.label + f.caption + (f.credit or "")))
        for sb in self.sidebars:
            out.append((sb.line, sb.title))
            for e in sb.entries:
                out += _signed_texts(e)
        return out


def _signed_texts(st: SignedText) -> list[tuple[int, str]]:
    lines = st.lines or [st.line] * len(st.paragraphs)
    out = list(zip(lines, st.paragraphs, strict=True))
    if st.signature:
        out.append((lines[-1] if lines else st.line, st.signature))
    return out
