"""Attach supplied photos to figures: JPEG/PNG files next to the source.

A figure labelled "图①" takes the first of ``图①.jpg``, ``<source stem>-1.jpg``,
``fig1.jpg`` or ``1.jpg`` (``.jpeg``/``.png`` too) that exists beside the source.
An image named in the source's metadata (``figure.image``) is kept as given, but only
if it is a relative path that stays inside the source's folder: a URL, an absolute
path, a ``..`` walk out of the folder, a symlink pointing out of it or anything but a
regular file is refused (U101) and the figure gets no image.  The PDF writer's sandbox
enforces the same rule again.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ..model import Diagnostic, Document
from ..sandbox import inside

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


def refusal(name: str, folder: Path) -> str | None:
    """Why image reference ``name`` may not be used, or None if it stays in ``folder``.

    The name is checked both as written and percent-decoded, because it ends up in a
    URL that the renderer decodes.
    """
    if "\0" in name or "\\" in name:
        return "contains a NUL or backslash"
    for form in dict.fromkeys((name, unquote(name))):
        if urlsplit(form).scheme or form.startswith("//"):
            return "is a URL; only files in the source's folder can be used"
        if PurePosixPath(form).is_absolute():
            return "is an absolute path; only files in the source's folder can be used"
        if not inside(folder / form, [folder]):
            return "leads outside the source's folder"
        if (folder / form).exists() and not (folder / form).is_file():
            return "is not a regular file (a FIFO, a device or a folder)"
    return None


def attach_images(doc: Document, source: Path) -> Document:
    folder = source.parent
    for index, figure in enumerate(doc.figures, start=1):
        if figure.image:
            why = refusal(figure.image, folder)
            if why:
                doc.warnings.append(Diagnostic(
                    "U101", figure.line,
                    f"image reference {figure.image!r} of {figure.label} refused: {why}",
                    "error"))
                figure.image = None
            continue
        number = figure_number(figure.label, index)
        for name in candidate_names(figure.label, number, source.stem):
            if (folder / name).is_file():
                why = refusal(name, folder)
                if why:
                    doc.warnings.append(Diagnostic(
                        "U101", figure.line,
                        f"image {name!r} for {figure.label} refused: it is a symlink that {why}",
                        "error"))
                else:
                    figure.image = name
                break
    return doc
