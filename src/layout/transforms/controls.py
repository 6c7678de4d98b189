"""Remove the characters XML cannot carry: C0 controls (but tab and newline), U+FFFE/FFFF.

Decoding lets a few control bytes through (one or two in a long text are no sign of a
binary file), but they have no visible form, and in the EPUB's XHTML or the PDF's
metadata they make the file invalid or stop the writer.  Each removal is reported.
"""

from __future__ import annotations

import dataclasses
import re

from ..model import Diagnostic, Document

_UNCARRIABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str, line: int, found: dict[int, int]) -> str:
    new, count = _UNCARRIABLE.subn("", text)
    if count:
        found[line] = found.get(line, 0) + count
    return new


def _walk(node: object, line: int, found: dict[int, int]) -> None:
    """Clean every string of a model node and of the nodes inside it, in place."""
    line = getattr(node, "line", line)
    lines = getattr(node, "lines", None) or []
    for f in dataclasses.fields(node):  # type: ignore[arg-type]
        value = getattr(node, f.name)
        if f.name == "warnings":
            continue
        if isinstance(value, str):
            setattr(node, f.name, _clean(value, line, found))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    where = lines[i] if f.name == "paragraphs" and i < len(lines) else line
                    value[i] = _clean(item, where, found)
                elif dataclasses.is_dataclass(item):
                    _walk(item, line, found)
        elif dataclasses.is_dataclass(value):
            _walk(value, line, found)


def remove_control_characters(doc: Document) -> Document:
    found: dict[int, int] = {}
    _walk(doc, 1, found)
    for line, count in sorted(found.items()):
        doc.warnings.append(Diagnostic(
            "U103", line, f"{count} control character(s) removed: they have no visible form "
            "and are not allowed in XHTML"))
    return doc
