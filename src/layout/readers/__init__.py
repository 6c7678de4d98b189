"""Readers turn a source file into a :class:`layout.model.Document`.

They know nothing of HTML.  ``read(path)`` picks a reader by file extension.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Document
from ..transforms import apply_default_transforms
from ..transforms.images import attach_images
from . import markdown, plaintext

READERS = {".txt": plaintext.read_text, ".md": markdown.read_markdown}
# The text a reader's model must keep every Han character of, when not the whole source
# (a Markdown file's YAML comments are not part of the article).
FIDELITY_TEXT = {".md": markdown.fidelity_text}


def source_suffixes() -> tuple[str, ...]:
    return tuple(READERS)


def read(path: Path) -> Document:
    """Read, structure and clean one source and find its photos (beside it).

    Every change is reported in ``doc.warnings``.
    """
    from .decode import read_source_text

    suffix = path.suffix.lower()
    reader = READERS.get(suffix, plaintext.read_text)
    text = read_source_text(path)
    doc = reader(text, str(path))
    apply_default_transforms(doc, FIDELITY_TEXT.get(suffix, str)(text))
    return attach_images(doc, path)
