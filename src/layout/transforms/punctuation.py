"""Half-width parentheses in Chinese context set full-width: "(无锡)" -> "（无锡）"."""

from __future__ import annotations

import re

from ..chars import is_han
from ..model import Diagnostic, Document
from .blocks import all_blocks

_PAREN = re.compile(r"\(([^()\n]{0,40})\)")


def _chinese_context(text: str, m: re.Match[str]) -> bool:
    inner = m.group(1)
    before = text[m.start() - 1] if m.start() > 0 else ""
    after = text[m.end()] if m.end() < len(text) else ""
    return any(is_han(c) for c in inner) or (bool(before) and is_han(before)) or (
        bool(after) and is_han(after)
    )


def full_width_parentheses(text: str) -> tuple[str, int]:
    count = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal count
        if not _chinese_context(m.string, m):
            return m.group(0)
        count += 1
        return f"（{m.group(1)}）"

    return _PAREN.sub(swap, text), count


def normalise_parentheses(doc: Document) -> Document:
    total = 0

    def fix(text: str | None, line: int) -> str | None:
        nonlocal total
        if not text:
            return text
        new, n = full_width_parentheses(text)
        if n:
            total += n
            doc.warnings.append(Diagnostic(
                "R102", line, f"{n} pair(s) of half-width parentheses set full-width", "info"))
        return new

    for b in all_blocks(doc):
        b.text = fix(b.text, b.line) or ""
    for f in doc.figures:
        f.caption = fix(f.caption, f.line) or ""
    for sb in doc.sidebars:
        for e in sb.entries:
            e.paragraphs = [fix(p, ln) or "" for p, ln in zip(e.paragraphs, e.lines, strict=True)]
    if doc.editor_note:
        note = doc.editor_note
        note.paragraphs = [fix(p, ln) or "" for p, ln in zip(note.paragraphs, note.lines,
                                                             strict=True)]
    return doc
