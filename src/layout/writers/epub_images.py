"""Photos for e-readers: sRGB, a bounded size, no metadata but the orientation applied.

Camera files go into an EPUB far too large (6000×4000 px, several MB each), often CMYK
(shown inverted or not at all by many readers) and with EXIF that may hold the
photographer's location.  Each photo is decoded, turned upright (EXIF orientation applied),
converted to sRGB (through its ICC profile when it has one), scaled so its long edge is at
most ``max_edge`` px and re-encoded (JPEG quality 85, progressive; PNG stays PNG) without
any EXIF, XMP, IPTC or ICC data.  A photo already within every limit goes in unchanged.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from ..errors import LayoutError
from ..model import Diagnostic, Document, Figure
from ..sandbox import inside

JPEG_QUALITY = 85
ORIENTATION = 0x0112  # the EXIF tag: the only metadata whose meaning we keep (applied)
_SRGB = ImageCms.createProfile("sRGB")
GPS_IFD = 0x8825
# Pillow's names for the metadata a JPEG or PNG may carry (an sRGB profile is harmless,
# but it goes too when a photo is re-encoded anyway)
METADATA = {"exif": "EXIF", "xmp": "XMP", "XML:com.adobe.xmp": "XMP", "photoshop": "IPTC",
            "iptc": "IPTC", "comment": "comment", "Comment": "comment", "Description": "text"}


@dataclass(frozen=True)
class Photo:
    """A photo ready for the EPUB."""

    data: bytes
    media_type: str
    suffix: str
    size: tuple[int, int]


def prepare(data: bytes, max_edge: int) -> tuple[Photo, list[str]]:
    """The photo in ``data`` made fit for e-readers, and what was changed (empty: nothing)."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        kind = image.format
        if kind not in ("JPEG", "PNG"):
            raise ValueError(f"is {kind}; EPUB needs JPEG or PNG")
        changes = _problems(image, max_edge)
        if not changes:
            return Photo(data, _media_type(kind), _suffix(kind), image.size), []
        out = _upright_srgb(image)
        if max(out.size) > max_edge:
            out.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if kind == "JPEG":
        out.save(buffer, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    else:
        out.save(buffer, "PNG", optimize=True)
    return Photo(buffer.getvalue(), _media_type(kind), _suffix(kind), out.size), changes


def _problems(image: Image.Image, max_edge: int) -> list[str]:
    changes = []
    if max(image.size) > max_edge:
        changes.append(f"scaled from {image.width}×{image.height} px to a long edge of "
                       f"{max_edge} px")
    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        changes.append(f"converted from {image.mode} to sRGB")
    elif image.info.get("icc_profile") and not _is_srgb(image.info["icc_profile"]):
        changes.append("converted to sRGB from its colour profile")
    exif = image.getexif()
    orientation = exif.get(ORIENTATION, 1)
    if orientation != 1:
        changes.append(f"turned upright (EXIF orientation {orientation})")
    if exif.get_ifd(GPS_IFD):
        changes.append("location (GPS) removed")
    found = sorted({"EXIF" if len(exif) else "", *(METADATA[k] for k in METADATA
                                                   if image.info.get(k))} - {""})
    if found:
        changes.append("metadata removed (" + ", ".join(found) + ")")
    return changes


def _is_srgb(profile: bytes) -> bool:
    try:
        description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(
            io.BytesIO(profile)))
    except (OSError, ImageCms.PyCMSError):
        return False
    return "srgb" in description.casefold().replace(" ", "")


def _upright_srgb(image: Image.Image) -> Image.Image:
    """Orientation applied, converted to sRGB (RGB, RGBA or grey), no metadata attached."""
    upright = ImageOps.exif_transpose(image) or image
    profile = image.info.get("icc_profile")
    if profile and not _is_srgb(profile) and upright.mode in ("RGB", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(upright, source, _SRGB, outputMode="RGB")
            if converted is not None:  # (None only when converting in place)
                upright = converted
        except (OSError, ImageCms.PyCMSError):
            pass  # a broken profile: the plain conversion below is the best guess
    if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P"
                                                and "transparency" in upright.info):
        target = "RGBA" if image.format == "PNG" else "RGB"
    else:
        target = "L" if upright.mode in ("L", "1", "I;16") else "RGB"
    clean = upright.convert(target)
    clean.info = {}
    return clean


def _media_type(kind: str) -> str:
    return "image/jpeg" if kind == "JPEG" else "image/png"


def _suffix(kind: str) -> str:
    return "jpg" if kind == "JPEG" else "png"


@dataclass(frozen=True)
class FigureImage:
    """The photo of one figure, as the EPUB stores it."""

    uid: str
    file_name: str
    media_type: str
    data: bytes


def figure_images(doc: Document, source: Path, max_edge: int
                  ) -> tuple[list[FigureImage | None], list[Diagnostic]]:
    """The photo of each figure (None without one), fit for e-readers; one warning (B331)
    for each photo that had to be changed."""
    out: list[FigureImage | None] = []
    diagnostics: list[Diagnostic] = []
    for n, figure in enumerate(doc.figures, start=1):
        if not figure.image:
            out.append(None)
            continue
        photo, changes = _prepared(figure, source, max_edge)
        if changes:
            diagnostics.append(Diagnostic(
                "B331", figure.line, f"photo {figure.image!r} of {figure.label} prepared for "
                "e-readers: " + "; ".join(changes), "warning"))
        out.append(FigureImage(f"figure{n}", f"images/figure{n}.{photo.suffix}",
                               photo.media_type, photo.data))
    return out, diagnostics


def _prepared(figure: Figure, source: Path, max_edge: int) -> tuple[Photo, list[str]]:
    assert figure.image is not None
    path = source.parent / figure.image
    if not inside(path, [source.parent]):  # checked when attached; a symlink may change
        raise LayoutError("U101", f"image {figure.image!r} of {figure.label} refused: it "
                          "leads outside the source's folder", str(source), figure.line)
    try:
        return prepare(path.read_bytes(), max_edge)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        if isinstance(exc, UnidentifiedImageError):
            why = "not an image"
        elif isinstance(exc, ValueError):
            why = str(exc)
        else:
            why = getattr(exc, "strerror", None) or str(exc)
        raise LayoutError("B301", f"image {figure.image!r} of {figure.label} cannot be "
                          f"used: {why}", str(source), figure.line) from None
