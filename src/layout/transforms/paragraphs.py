"""Rejoining paragraphs that a stray blank line broke in two."""

from __future__ import annotations

from ..model import Diagnostic, Document
from .blocks import block_lists

# A paragraph never ends on these; a block ending on one was cut off.
_FINAL = set("。！？…”’」』）》】—.!?:：;；\"')")


def ends_open(text: str) -> bool:
    return bool(text) and text[-1] not in _FINAL


def rejoin_broken_paragraphs(doc: Document) -> Document:
    for blocks in block_lists(doc):
        i = 0
        while i + 1 < len(blocks):
            a, b = blocks[i], blocks[i + 1]
            if a.type == "paragraph" and ends_open(a.text):
                doc.warnings.append(Diagnostic(
                    "R101", a.line,
                    f"paragraph broken by a blank line rejoined with line {b.line} "
                    f"(\u2026{a.text[-6:]} + {b.text[:6]}\u2026)",
                    "info",
                ))
                a.text += (b.run_in or "") + b.text
                del blocks[i + 1]
                continue
            i += 1
    return doc
