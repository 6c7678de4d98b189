"""Walking the body blocks of a document, wherever they sit."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Block, Document


def block_lists(doc: Document) -> Iterator[list[Block]]:
    yield doc.lead
    for section in doc.sections:
        yield section.blocks


def all_blocks(doc: Document) -> Iterator[Block]:
    for blocks in block_lists(doc):
        yield from blocks
