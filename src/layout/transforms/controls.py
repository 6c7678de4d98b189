"""Remove the characters XML cannot carry: C0 controls (but tab and newline), U+FFFE/FFFF.

Decoding lets a few control bytes through (one or two in a long text are no sign of a
binary file), but they have no visible form, and in the EPUB's XHTML or the PDF's
metadata they make the file invalid or stop the writer.  Each removal is reported.
"""

from __future__ import annotations

import re

from ..model import Diagnostic, Document
from .blocks import rewrite_strings

_UNCARRIABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def remove_control_characters(doc: Document) -> Document:
    found: dict[int, int] = {}

    def clean(text: str, line: int) -> str:
        new, count = _UNCARRIABLE.subn("", text)
        if count:
            found[line] = found.get(line, 0) + count
        return new

    rewrite_strings(doc, clean)
    for line, count in sorted(found.items()):
        doc.warnings.append(Diagnostic(
            "U103", line, f"{count} control character(s) removed: they have no visible form "
            "and are not allowed in XHTML"))
    return doc
