"""The pictures of an EPUB, made from the document alone (not from its layout).

Apart from :mod:`layout.writers.epub` so that a build can make them in a child process and
take them back without importing the EPUB writer (ebooklib, lxml): the build makes the
EPUB itself in another child (``layout.app.build``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Diagnostic, Document
from ..settings import Settings
from . import epub_cover, epub_images, epub_metadata


@dataclass(frozen=True)
class Pictures:
    """The figures' photos fit for e-readers, what preparing them said, the typographic
    cover.  A build makes them beside the print PDF (layout.app.build), the EPUB and kepub
    share them."""

    images: list[epub_images.FigureImage | None]
    diagnostics: list[Diagnostic]
    cover: bytes


def pictures(doc: Document, settings: Settings, source: Path) -> Pictures:
    found, diagnostics = epub_images.figure_images(doc, source, settings.run.epub_image_max)
    first_photo = next((i.data for i in found if i), None)
    return Pictures(found, diagnostics, epub_cover.typographic_cover(
        doc, settings, first_photo, epub_metadata.description_of(doc)))
