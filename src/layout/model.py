"""The document model: one typed tree every writer is made from.

Every block keeps the 1-based source line it came from, so any later stage can
report ``path:line``.  ``Document.to_json()`` is the public JSON form printed by
``layout inspect --json`` (documented in ``docs/model.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

BlockType = Literal["paragraph", "lead_in"]
Severity = Literal["info", "warning", "error"]


@dataclass
class Block:
    type: BlockType
    text: str
    line: int
    run_in: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "text": self.text, "line": self.line, "run_in": self.run_in}


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
class Byline:
    role: str | None
    authors: list[str]
    line: int

    def to_json(self) -> dict[str, Any]:
        return {"role": self.role, "authors": list(self.authors), "line": self.line}


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

    def to_json(self) -> dict[str, Any]:
        return {
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
        }

    def texts(self) -> list[tuple[int, str]]:
        """Every text of the document in reading order, with its source line.

        This is the order writers set the text in, so checks compare outputs with it.
        """
        out: list[tuple[int, str]] = []
        head_line = self.byline.line if self.byline else 1
        for value in (self.kicker, self.title, self.subtitle):
            if value:
                out.append((head_line, value))
        if self.byline:
            names = [self.byline.role, *self.byline.authors]
            out.append((self.byline.line, " ".join(filter(None, names))))
        if self.editor_note:
            out += _signed_texts(self.editor_note)
        if self.dateline:
            out.append((self.lead[0].line if self.lead else 1, self.dateline))
        out += [(b.line, (b.run_in or "") + b.text) for b in self.lead]
        for s in self.sections:
            out.append((s.line, s.title))
            if s.subtitle:
                out.append((s.line, s.subtitle))
            out += [(b.line, (b.run_in or "") + b.text) for b in s.blocks]
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
