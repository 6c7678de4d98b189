"""Readers turn a source file into a :class:`layout.model.Document`.

They know nothing of HTML.  ``read(path)`` picks a reader by file extension.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..limits import DEFAULT_LIMITS, SourceLimits, check_paragraphs
from ..model import Document
from ..transforms import apply_default_transforms
from ..transforms.images import attach_images
from . import plaintext


def _read_markdown(text: str, source: str) -> Document:
    from . import markdown  # imported when a Markdown source is read (markdown-it, YAML)

    return markdown.read_markdown(text, source)


def _markdown_fidelity(text: str, doc: Document) -> str:
    from . import markdown

    return markdown.fidelity_text(text, doc)


READERS: dict[str, Callable[[str, str], Document]] = {
    ".txt": plaintext.read_text, ".md": _read_markdown}
# The text a reader's model must keep every Han character of, when not the whole source
# (a Markdown file's YAML comments and the page metadata of either are not article text).
FIDELITY_TEXT: dict[str, Callable[[str, Document], str]] = {
    ".md": _markdown_fidelity, ".txt": plaintext.fidelity_text}


def printed_text(path: Path, text: str, doc: Document) -> str:
    """The decoded ``text`` of the source at ``path`` that ``doc``, read from it, must print:
    what the model keeps every Han character of, and ``layout check`` counts (F101)."""
    return FIDELITY_TEXT.get(path.suffix.lower(), plaintext.fidelity_text)(text, doc)


def source_suffixes() -> tuple[str, ...]:
    return tuple(READERS)


def read(path: Path, limits: SourceLimits = DEFAULT_LIMITS) -> Document:
    """Read, structure and clean one source and find its photos (beside it).

    Every change is reported in ``doc.warnings``; a source over ``limits`` is refused.
    """
    from .decode import read_source_text

    suffix = path.suffix.lower()
    reader = READERS.get(suffix, plaintext.read_text)
    text = read_source_text(path, limits)
    doc = reader(text, str(path))
    check_paragraphs(doc, str(path), limits)
    apply_default_transforms(doc, printed_text(path, text, doc))
    for story in doc.stories():
        attach_images(story, path)
        if story is not doc:
            doc.warnings += story.warnings
            story.warnings = []
    return doc
