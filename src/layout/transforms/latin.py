"""Warn about a lower-case Latin word standing alone inside Chinese text.

"政策 and 党中央" is a conversion slip a human must look at; the text is not changed.
Acronyms, names and words with digits (5G, CEO, iPhone) are normal in Chinese copy.
"""

from __future__ import annotations

import re

from ..chars import HAN
from ..model import Diagnostic, Document
from .blocks import all_blocks

_HAN = f"(?:{HAN}|[，。、；：])"
_STRAY = re.compile(rf"(?<={_HAN})[ \u3000]*\b([a-z]{{2,}})\b[ \u3000]*(?={_HAN})")


def warn_stray_latin(doc: Document) -> Document:
    texts = [(b.line, b.text) for b in all_blocks(doc)]
    if doc.editor_note:
        texts += list(zip(doc.editor_note.lines, doc.editor_note.paragraphs, strict=True))
    for sb in doc.sidebars:
        for e in sb.entries:
            texts += list(zip(e.lines, e.paragraphs, strict=True))
    for line, text in texts:
        for m in _STRAY.finditer(text):
            context = text[max(0, m.start() - 4): m.end() + 4]
            doc.warnings.append(Diagnostic(
                "R201", line,
                f"Latin word \"{m.group(1)}\" stands alone in Chinese text (\u201c{context}\u201d);"
                " check the source, text left unchanged",
            ))
    return doc
