"""Markdown writer: a document model as an editable Markdown source (``layout import``).

The inverse of :mod:`layout.readers.markdown`: reading the output gives the same model,
line numbers apart.  Text is escaped so that nothing in it is taken for Markdown.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..model import Block, Document, PageInfo, SignedText

# Characters that could start Markdown syntax anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<#])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Syntax that only counts at the start of a line: quotes, list markers, ordered lists.
_LINE_START = re.compile(r"^(?:([>+\-=~|])|(\d{1,9})([.)]))")


def escape(text: str) -> str:
    """``text`` as Markdown that reads back as exactly ``text`` (one paragraph line)."""
    out = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))
    return _LINE_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else (
        f"{m.group(2)}\\{m.group(3)}"), out)


def _signed(st: SignedText) -> dict[str, Any]:
    out: dict[str, Any] = {"paragraphs": list(st.paragraphs)}
    if st.signature:
        out["signature"] = st.signature
    return out


def front_matter(doc: Document, page: PageInfo | None = None) -> dict[str, Any]:
    front: dict[str, Any] = {}
    if page is not None:
        front["page"] = {k: v for k, v in page.to_json().items() if v is not None and k != "line"}
    if doc.column:
        front["column"] = doc.column
    if doc.kicker:
        front["kicker"] = doc.kicker
    front["title"] = doc.title
    if doc.subtitle:
        front["subtitle"] = doc.subtitle
    if doc.byline and doc.byline.credits:
        front["byline"] = {"credits": [{"role": c.role, "authors": list(c.authors)}
                                       for c in doc.byline.credits]}
    elif doc.byline:
        front["byline"] = {"role": doc.byline.role, "authors": list(doc.byline.authors)}
    if doc.dateline:
        front["dateline"] = doc.dateline
    if doc.dateline_authors:
        front["dateline_authors"] = list(doc.dateline_authors)
    if doc.editor_note:
        front["editor_note"] = _signed(doc.editor_note)
    if doc.figures:
        front["figures"] = [
            {k: v for k, v in (("label", f.label), ("caption", f.caption),
                               ("credit", f.credit), ("image", f.image)) if v}
            for f in doc.figures
        ]
    if doc.sidebars:
        front["sidebars"] = [{"title": sb.title, "entries": [_signed(e) for e in sb.entries]}
                             for sb in doc.sidebars]
    return front


def block_markdown(block: Block) -> str:
    if block.speaker:
        return f"**{escape(block.speaker)}：**{escape(block.text)}"
    if block.type == "lead_in":
        return f"**{escape(block.text)}**"
    if block.run_in:
        return f"**{escape(block.run_in)}**{escape(block.text)}"
    return escape(block.text)


def to_markdown(doc: Document) -> str:
    """The Markdown of ``doc``; several stories follow one another, each with its front
    matter, the page metadata in the first."""
    return "\n".join(story_markdown(story, doc.page if n == 0 else None)
                     for n, story in enumerate(doc.stories()))


def story_markdown(doc: Document, page: PageInfo | None) -> str:
    head = yaml.safe_dump(front_matter(doc, page), allow_unicode=True, sort_keys=False,
                          width=1_000_000, default_flow_style=False)
    parts = [f"---\n{head}---"]
    parts += [block_markdown(b) for b in doc.lead]
    for s in doc.sections:
        parts.append(f"## {escape(s.title)}")
        if s.subtitle:
            parts.append(f"*{escape(s.subtitle)}*")
        parts += [block_markdown(b) for b in s.blocks]
    return "\n\n".join(parts) + "\n"
