"""Visual regression (``V…``): each PDF page rendered at a fixed resolution and compared
with the PNG stored for it in a baseline folder.

Layout: ``<baseline>/<pdf stem>/page-001.png``.  A page that differs gets
``page-001.diff.png`` next to its baseline: the baseline faded, the differing pixels red.
``update`` stores the current pages instead of comparing (and removes stale pages and
diff images).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops

from ..atomic import write_bytes_atomic
from .findings import Finding

DPI = 50
PIXEL_THRESHOLD = 32  # a pixel differs when a channel moves by more than this (of 255)


@dataclass(frozen=True)
class VisualOptions:
    baseline: Path
    update: bool = False
    dpi: int = DPI
    tolerance: float = 0.001  # share of a page's pixels allowed to differ


def render_pages(pdf: pdfium.PdfDocument, dpi: int) -> list[Image.Image]:
    images = []
    for page in pdf:
        bitmap = page.render(scale=dpi / 72)
        images.append(bitmap.to_pil().convert("RGB"))
        page.close()
    return images


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


def diff_share(expected: Image.Image, actual: Image.Image) -> tuple[float, Image.Image]:
    """Share of differing pixels, and a picture of them (faded baseline, changes in red)."""
    delta = ImageChops.difference(expected, actual).convert("L")
    mask = delta.point(lambda v: 255 if v > PIXEL_THRESHOLD else 0)
    changed = mask.histogram()[255]
    faded = Image.blend(expected.convert("RGB"), Image.new("RGB", expected.size, "white"), 0.7)
    faded.paste(Image.new("RGB", expected.size, (220, 0, 0)), mask=mask)
    return changed / (expected.width * expected.height), faded


def update_baseline(name: str, pdf: pdfium.PdfDocument, options: VisualOptions) -> int:
    """Store the current pages as the baseline; return how many were written."""
    folder = options.baseline / Path(name).stem
    folder.mkdir(parents=True, exist_ok=True)
    images = render_pages(pdf, options.dpi)
    for stale in folder.glob("page-*.png"):
        stale.unlink()
    for number, image in enumerate(images, start=1):
        write_bytes_atomic(folder / f"page-{number:03d}.png", _png(image))
    return len(images)


def compare(name: str, pdf: pdfium.PdfDocument, options: VisualOptions) -> list[Finding]:
    folder = options.baseline / Path(name).stem
    images = render_pages(pdf, options.dpi)
    stored = sorted(folder.glob("page-[0-9][0-9][0-9].png"))
    out = []
    if len(stored) > len(images):
        out.append(Finding("V004", f"the baseline has {len(stored)} pages, the PDF "
                           f"{len(images)}", name))
    for number, image in enumerate(images, start=1):
        base = folder / f"page-{number:03d}.png"
        diff = folder / f"page-{number:03d}.diff.png"
        if not base.is_file():
            out.append(Finding("V003", f"no baseline image {base} (run with --update-baseline)",
                               name, number))
            continue
        with Image.open(base) as stored_image:
            expected = stored_image.convert("RGB")
        if expected.size != image.size:
            out.append(Finding("V002", f"page size changed: {image.width}×{image.height} px, "
                               f"baseline {expected.width}×{expected.height} px at "
                               f"{options.dpi} dpi", name, number))
            continue
        share, picture = diff_share(expected, image)
        if share > options.tolerance:
            write_bytes_atomic(diff, _png(picture))
            out.append(Finding("V001", f"{share:.2%} of the page differs from the baseline "
                               f"(tolerance {options.tolerance:.2%}); see {diff}", name, number))
        elif diff.exists():
            diff.unlink()
    return out
