"""Attach supplied photos to figures: JPEG/PNG files next to the source.

A figure labelled "图①" takes the first of ``图①.jpg``, ``<source stem>-1.jpg``,
``fig1.jpg`` or ``1.jpg`` (``.jpeg``/``.png`` too) that exists beside the source.
An image named in the source's metadata (``figure.image``) is kept as given.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Document

SUFFIXES = (".jpg", ".jpeg", ".png")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def figure_number(label: str, index: int) -> int:
    tail = label.removeprefix("图")
    if tail and tail[0] in _CIRCLED:
        return _CIRCLED.index(tail[0]) + 1
    if tail.isdigit():
        return int(tail)
    return index


def candidate_names(label: str, number: int, stem: str) -> list[str]:
    bases = [label, f"{stem}-{number}", f"fig{number}", str(number)]
    return [b + s for b in bases for s in SUFFIXES]


def attach_images(doc: Document, source: Path) -> Document:
    folder = source.parent
    for index, figure in enumerate(doc.figures, start=1):
        if figure.image:
            continue
        number = figure_number(figure.label, index)
        for name in candidate_names(figure.label, number, source.stem):
            if (folder / name).is_file():
                figure.image = name
                break
    return doc
