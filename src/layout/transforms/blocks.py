"""Walking the body blocks and the texts of a document, wherever they sit."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

from ..model import Block, Document


def block_lists(doc: Document) -> Iterator[list[Block]]:
    yield doc.lead
    for section in doc.sections:
        yield section.blocks


def all_blocks(doc: Document) -> Iterator[Block]:
    for blocks in block_lists(doc):
        yield from blocks


def rewrite_strings(doc: Document, fix: Callable[[str, int], str]) -> None:
    """Replace every text of one story by ``fix(text, source line)``, in place.

    Diagnostics, file names (the source, a figure's image) and the following stories of a
    source are left alone.
    """
    _walk(doc, 1, fix)


_NOT_TEXT = ("warnings", "following", "source", "image")


def _walk(node: object, line: int, fix: Callable[[str, int], str]) -> None:
    line = getattr(node, "line", line)
    lines = getattr(node, "lines", None) or []
    for f in dataclasses.fields(node):  # type: ignore[arg-type]
        if f.name in _NOT_TEXT:
            continue
        value = getattr(node, f.name)
        if isinstance(value, str):
            setattr(node, f.name, fix(value, _line_of(node, f.name, line)))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    where = lines[i] if f.name == "paragraphs" and i < len(lines) else line
                    value[i] = fix(item, where)
                elif dataclasses.is_dataclass(item):
                    _walk(item, line, fix)
        elif dataclasses.is_dataclass(value):
            _walk(value, line, fix)


def _line_of(node: object, name: str, line: int) -> int:
    """The source line of a story's own text: the headline's, or the dateline's paragraph."""
    if not isinstance(node, Document):
        return line
    if name == "dateline" and node.lead:
        return node.lead[0].line
    return node.head_line
