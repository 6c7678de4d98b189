"""``epub.images``: the EPUB's images are fit for e-readers (E701–E703).

Camera files put straight into a book are what this catches: CMYK images (shown inverted
or not at all by many reading systems), photos carrying the photographer's GPS position
or other EXIF/XMP data, and images far larger than any e-reader screen.
"""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from .epub import EpubFile
from .findings import Finding

MAX_EDGE = 2048  # px, the long edge `layout build` scales photos to by default (not covers)
SCREEN_MODES = {"RGB", "RGBA", "L", "LA", "P", "1"}
GPS_IFD = 0x8825


def check_images(epub: EpubFile) -> list[Finding]:
    archive = epub.require()
    out: list[Finding] = []
    for href, media_type, properties in epub.manifest.values():
        if media_type not in ("image/jpeg", "image/png", "image/gif", "image/webp"):
            continue
        try:
            with Image.open(io.BytesIO(archive.read(href))) as image:
                mode, size, exif = image.mode, image.size, image.getexif()
                xmp = bool(image.info.get("xmp") or image.info.get("XML:com.adobe.xmp"))
        except (KeyError, OSError, UnidentifiedImageError) as exc:
            out.append(Finding("E701", f"{href} cannot be read as an image: {exc}", epub.name))
            continue
        if mode not in SCREEN_MODES:
            out.append(Finding("E701", f"{href} is {mode}, not RGB or grey: many reading "
                               "systems show it wrongly or not at all", epub.name))
        if exif.get_ifd(GPS_IFD):
            out.append(Finding("E702", f"{href} carries a GPS position (EXIF)", epub.name))
        elif len(exif) or xmp:
            out.append(Finding("E702", f"{href} carries {'EXIF' if len(exif) else 'XMP'} "
                               "metadata", epub.name))
        if max(size) > MAX_EDGE and "cover-image" not in properties:  # covers: 1600×2560
            out.append(Finding("E703", f"{href} is {size[0]}×{size[1]} px, larger than "
                               f"{MAX_EDGE} px on its long edge", epub.name))
    return out
