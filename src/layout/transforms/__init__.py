"""Pure model -> model steps, each reporting what it changed in ``doc.warnings``."""

from __future__ import annotations

from ..model import Document
from .controls import remove_control_characters
from .fidelity import verify_han_fidelity
from .halfwidth import full_width_between_han
from .latin import warn_stray_latin
from .paragraphs import rejoin_broken_paragraphs
from .punctuation import normalise_parentheses

DEFAULT_TRANSFORMS = (remove_control_characters, rejoin_broken_paragraphs, normalise_parentheses,
                      full_width_between_han, warn_stray_latin)


def apply_default_transforms(doc: Document, source_text: str | None = None) -> Document:
    """Clean every story of ``doc``; what each step did goes to the first story's warnings."""
    for story in doc.stories():
        for transform in DEFAULT_TRANSFORMS:
            transform(story)
        if story is not doc:
            doc.warnings += story.warnings
            story.warnings = []
    doc.warnings.sort(key=lambda w: (w.line, w.code))
    if source_text is not None:
        verify_han_fidelity(doc, source_text)
    return doc
