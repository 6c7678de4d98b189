"""What a press needs of the PDF: the CMYK output profile, photos in CMYK, K-only black
overprinting, trim and bleed boxes, marks in registration colour.

WeasyPrint writes the PDF/X variant's metadata and the OutputIntent (from the profile given
as the ``device-cmyk`` colour profile); :func:`finisher` does the rest on its PDF objects
before they are serialised.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydyf
from PIL import Image, ImageCms, UnidentifiedImageError
from weasyprint.css import ColorProfile
from weasyprint.pdf import VARIANTS
from weasyprint.pdf.stream import Stream

from .. import diskcache
from ..colors import littlecms_key, transform
from ..errors import LayoutError

# Ghostscript's default CMYK output profile ("Artifex CMYK SWOP Profile", ICC v2), from the
# Debian package libgs-common that `ghostscript` (scripts/ensure-system.sh) brings.
DEFAULT_PROFILES = ("/usr/share/color/icc/ghostscript/default_cmyk.icc",
                    "/usr/share/ghostscript/*/iccprofiles/default_cmyk.icc")
PDFX_VARIANTS = ("pdf/x-1a", "pdf/x-3", "pdf/x-4")
PDF_14 = ("pdf/x-1a", "pdf/x-3")
# PDF/X-5g refers to an external profile by URL; layout always embeds its profile.
UNSUPPORTED = {"pdf/x-5g": "PDF/X-5g needs an external output profile; use pdf/x-4"}
MARKS_MM = 10.0  # room for the marks outside the bleed
PT_PER_MM = 72 / 25.4
MARK_LINE_PT = 0.25


def variants() -> list[str]:
    """The PDF variants `--pdf-variant` accepts (WeasyPrint's, less its debug output)."""
    return sorted(v for v in VARIANTS if v not in UNSUPPORTED and v.startswith("pdf/"))


def check_variant(name: str) -> str:
    if name in UNSUPPORTED:
        raise LayoutError("B401", f"PDF variant {name!r} is not supported: {UNSUPPORTED[name]}",
                          exit_code=2)
    if name not in variants():
        raise LayoutError("B401", f"unknown PDF variant {name!r}; choose from "
                          + ", ".join(variants()), exit_code=2)
    return name


def is_pdfx(variant: str | None) -> bool:
    return variant in PDFX_VARIANTS


@dataclass(frozen=True)
class OutputProfile:
    """A CMYK output profile (ICC) and what is made with it."""

    path: Path
    data: bytes

    def color_profile(self) -> ColorProfile:
        """The profile as WeasyPrint's ``device-cmyk`` profile (PDF/X OutputIntent)."""
        return ColorProfile(io.BytesIO(self.data), self.path.as_uri(), "relative-colorimetric",
                            ["c", "m", "y", "k"])


def load_profile(path: str | Path | None) -> OutputProfile:
    """The profile at ``path`` (``--icc``), else the default one; it must be CMYK output."""
    if path is None:
        found = [f for pattern in DEFAULT_PROFILES for f in sorted(glob.glob(pattern))][:1]
        if not found:
            raise LayoutError("B402", "no CMYK output profile: install ghostscript "
                              "(scripts/ensure-system.sh) or pass --icc FILE")
        path = found[0]
    where = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise LayoutError("B402", f"ICC profile cannot be read: {exc.strerror}", where) from None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    except (OSError, ImageCms.PyCMSError) as exc:
        raise LayoutError("B402", f"not an ICC profile: {exc}", where) from None
    if profile.xcolor_space.strip() != "CMYK" or profile.device_class != "prtr":
        raise LayoutError("B402", f"not a CMYK output profile (colour space "
                          f"{profile.xcolor_space.strip()}, class {profile.device_class})", where)
    problem = _unusable(data)
    if problem:
        raise LayoutError("B402", f"littleCMS cannot convert with this profile: {problem}",
                          where)
    return OutputProfile(Path(path).resolve(), data)


@functools.lru_cache(maxsize=4)
def _unusable(data: bytes) -> str | None:
    """Why photos cannot be converted into the profile or screen colours out of it; kept
    on disk (:mod:`layout.diskcache`): building the two transforms takes ~30 ms."""
    key = littlecms_key(data, __file__)
    kept = diskcache.load("usable", key)
    if isinstance(kept, dict) and isinstance(kept.get("problem", 0), str | None):
        return kept["problem"]
    problem = _try_transforms(data)
    diskcache.store("usable", key, {"problem": problem})
    return problem


def _try_transforms(data: bytes) -> str | None:
    """:func:`_unusable`, asked of littleCMS."""
    try:
        for source, destination, modes in ((_srgb(), data, ("RGB", "CMYK")),
                                           (data, _srgb(), ("CMYK", "RGB"))):
            ImageCms.applyTransform(Image.new(modes[0], (1, 1)),
                                    transform(_open(source), _open(destination), *modes))
    except OSError as exc:
        return str(exc)
    return None


def _srgb() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _open(data: bytes) -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(io.BytesIO(data))


def press_profile(variant: str | None, icc: str | None) -> OutputProfile | None:
    """The output profile of a PDF/X build; None for other PDFs."""
    if not is_pdfx(variant):
        return None
    profile = load_profile(icc)
    if variant in PDF_14 and profile.data[8] > 2:
        raise LayoutError("B403", f"{variant} is PDF 1.4, which embeds only ICC version 2 "
                          f"profiles; this one is version {profile.data[8]}: use pdf/x-4",
                          str(icc), exit_code=2)
    return profile


def image_converter(profile: OutputProfile) -> Callable[[bytes], bytes]:
    """Photos to CMYK JPEG through ``profile`` (the same photo is converted once)."""
    return functools.partial(_to_cmyk, profile=profile.data)


@functools.lru_cache(maxsize=16)
def _to_cmyk(data: bytes, profile: bytes) -> bytes:
    """RGB perceptually from the photo's own profile (sRGB if none), grey to K only;
    transparency is flattened on white paper.  CMYK and unreadable data pass unchanged."""
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError):
        return data  # WeasyPrint reports it; the preflight finds what it drew
    if image.mode == "CMYK":
        return data
    if image.mode in ("RGBA", "LA", "PA", "P") or "transparency" in image.info:
        flat = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    if image.mode in ("L", "I", "I;16", "1"):
        black = Image.eval(image.convert("L"), lambda v: 255 - v)
        blank = Image.new("L", image.size, 0)
        cmyk = Image.merge("CMYK", (blank, blank, blank, black))
    else:
        own = image.info.get("icc_profile")
        try:
            rgb = transform(_open(own) if own else _open(_srgb()), _open(profile), "RGB", "CMYK")
        except OSError:  # the photo's own profile is unusable: take it as sRGB
            rgb = transform(_open(_srgb()), _open(profile), "RGB", "CMYK")
        cmyk = rgb.apply(image.convert("RGB"))
    out = io.BytesIO()
    dpi = image.info.get("dpi")
    cmyk.save(out, "JPEG", quality=92, subsampling=0, **({"dpi": dpi} if dpi else {}))
    return out.getvalue()


def finisher(variant: str | None, bleed_mm: float, marks: tuple[str, ...]
             ) -> Callable[[object, object], None]:
    """A ``write_pdf`` finisher: BleedBox and marks; for PDF/X also black overprint and a
    reproducible document id."""
    pdfx = is_pdfx(variant)

    def finish(document: object, pdf: pydyf.PDF) -> None:
        if pdfx:
            for obj in pdf.objects:
                if isinstance(obj, Stream):
                    overprint_black(obj)
            _stable_document_id(pdf)
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page":
                _boxes(obj, bleed_mm)
                if marks:
                    _add_marks(pdf, obj, bleed_mm, marks)

    return finish


def _boxes(page: pydyf.Dictionary, bleed_mm: float) -> None:
    """BleedBox = TrimBox + bleed (WeasyPrint puts it at most 10 pt out, into the marks)."""
    bleed = bleed_mm * PT_PER_MM
    left, top, right, bottom = page["TrimBox"]
    page["BleedBox"] = pydyf.Array([left - bleed, top - bleed, right + bleed, bottom + bleed])


# --- black overprint -------------------------------------------------------------------
_COLOR_OP = re.compile(rb"^((?:-?[\d.]+ )+)(sc|scn|SC|SCN|k|K|rg|RG|g|G)$")
_STATES: dict[tuple[str, bool], tuple[str, dict[str, object]]] = {
    ("fill", True): ("layout-op1", {"op": "true", "OPM": 1}),
    ("fill", False): ("layout-op0", {"op": "false"}),
    ("stroke", True): ("layout-OP1", {"OP": "true", "OPM": 1}),
    ("stroke", False): ("layout-OP0", {"OP": "false"}),
}


def is_k_black(values: list[float]) -> bool:
    return len(values) == 4 and values[:3] == [0, 0, 0] and values[3] == 1


def overprint_black(stream: Stream) -> None:
    """After each colour operator, switch overprint on for 100 % K and off otherwise.

    Overprint is graphics state, saved and restored by q/Q like the colour it goes with,
    so its state follows the colour through the stream.
    """
    ops = stream.stream
    if not any(isinstance(op, bytes) and _COLOR_OP.match(op) for op in ops):
        return
    states = stream._resources.setdefault("ExtGState", pydyf.Dictionary())
    current = [{"fill": False, "stroke": False}]
    out: list[object] = []
    for op in ops:
        out.append(op)
        if op == b"q":
            current.append(dict(current[-1]))
        elif op == b"Q" and len(current) > 1:
            current.pop()
        elif isinstance(op, bytes) and (match := _COLOR_OP.match(op)):
            operator = match.group(2).decode()
            kind = "stroke" if operator.isupper() else "fill"
            values = [float(v) for v in match.group(1).split()]
            black = is_k_black(values)
            if black != current[-1][kind]:
                name, entries = _STATES[(kind, black)]
                states[name] = pydyf.Dictionary({"Type": "/ExtGState", **entries})
                out.append(f"/{name} gs".encode())
                current[-1][kind] = black
    stream.stream = out


# --- marks -----------------------------------------------------------------------------
REGISTRATION = "layout-registration"
# Colour bar patches: C, M, Y, K solids, then the two-colour overprints and 50 % tints.
BAR = ((1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), (0, 1, 1, 0), (1, 0, 1, 0),
       (1, 1, 0, 0), (0.5, 0, 0, 0), (0, 0.5, 0, 0), (0, 0, 0.5, 0), (0, 0, 0, 0.5))


def _registration() -> pydyf.Array:
    """The registration colour: a Separation named All, printed on every plate."""
    function = pydyf.Dictionary({"FunctionType": 2, "Domain": pydyf.Array([0, 1]),
                                 "C0": pydyf.Array([0, 0, 0, 0]),
                                 "C1": pydyf.Array([1, 1, 1, 1]), "N": 1})
    return pydyf.Array(["/Separation", "/All", "/DeviceCMYK", function])


def _add_marks(pdf: pydyf.PDF, page: pydyf.Dictionary, bleed_mm: float,
               marks: tuple[str, ...]) -> None:
    """Draw the marks at the end of the page's content, outside the bleed."""
    x0, y0, x1, y1 = (float(v) for v in page["TrimBox"])
    offset = (bleed_mm + 2) * PT_PER_MM
    length = (MARKS_MM - 3) * PT_PER_MM
    ops = [f"/{REGISTRATION} CS 1 SCN {MARK_LINE_PT} w".encode()]
    if "crop" in marks:
        for x in (x0, x1):
            for y, out in ((y0, -1), (y1, 1)):
                ops.append(_line(x, y + out * offset, x, y + out * (offset + length)))
        for y in (y0, y1):
            for x, out in ((x0, -1), (x1, 1)):
                ops.append(_line(x + out * offset, y, x + out * (offset + length), y))
    centre = offset + length / 2
    if "registration" in marks:
        mid_x, mid_y = (x0 + x1) / 2, (y0 + y1) / 2
        for x, y in ((mid_x, y0 - centre), (mid_x, y1 + centre),
                     (x0 - centre, mid_y), (x1 + centre, mid_y)):
            ops += _target(x, y, length / 2)
    if "colorbar" in marks:
        size = length * 0.8
        x, y = x0 + 5 * PT_PER_MM, y0 - centre - size / 2  # clear of the crop mark
        for patch in BAR:
            ops.append(" ".join(f"{v:g}" for v in patch).encode() + b" k")
            ops.append(f"{x:.3f} {y:.3f} {size:.3f} {size:.3f} re f".encode())
            x += size
    content = _deref(pdf, page["Contents"])
    # WeasyPrint's page content changes the CTM without restoring it.
    content.stream = [b"q", *content.stream, b"Q", b"q", *ops, b"Q"]
    resources = _deref(pdf, page["Resources"])
    _deref(pdf, resources["ColorSpace"])[REGISTRATION] = _registration()


def _deref(pdf: pydyf.PDF, value: object) -> Any:
    """The object an indirect reference (``b"12 0 R"``) names, or the value itself."""
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split()[0])]
    return value


def _line(x0: float, y0: float, x1: float, y1: float) -> bytes:
    return f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l S".encode()


def _target(x: float, y: float, radius: float) -> list[bytes]:
    """A registration target: a circle with a cross through it."""
    k = 0.5523 * radius * 0.6
    r = radius * 0.6
    circle = (f"{x + r:.3f} {y:.3f} m "
              f"{x + r:.3f} {y + k:.3f} {x + k:.3f} {y + r:.3f} {x:.3f} {y + r:.3f} c "
              f"{x - k:.3f} {y + r:.3f} {x - r:.3f} {y + k:.3f} {x - r:.3f} {y:.3f} c "
              f"{x - r:.3f} {y - k:.3f} {x - k:.3f} {y - r:.3f} {x:.3f} {y - r:.3f} c "
              f"{x + k:.3f} {y - r:.3f} {x + r:.3f} {y - k:.3f} {x + r:.3f} {y:.3f} c S")
    return [circle.encode(), _line(x - radius, y, x + radius, y),
            _line(x, y - radius, x, y + radius)]


def _stable_document_id(pdf: pydyf.PDF) -> None:
    """WeasyPrint gives PDF/X-4 a random xmpMM:DocumentID; derive it from the metadata."""
    if "Metadata" not in pdf.catalog:
        return
    stream = _deref(pdf, pdf.catalog["Metadata"])
    chunks = [c if isinstance(c, bytes) else str(c).encode() for c in stream.stream]
    content = b"".join(chunks)
    pattern = re.compile(rb"xmp\.did:[0-9a-f-]{36}")
    stable = uuid.UUID(bytes=hashlib.md5(pattern.sub(b"", content)).digest())
    stream.stream = [pattern.sub(f"xmp.did:{stable}".encode(), content)]
