"""What a PDF's pages draw, as preflight needs it: one pass over every page's content
(and the forms and images it draws) with the graphics state (q/Q, cm, colour spaces and
colours, gs, text font and size, Do) records colours, glyphs, images, lines, fonts and
transparency in a :class:`Scan`.  :mod:`.preflight` judges it.
"""

from __future__ import annotations

import io
import math
import re
import struct
from dataclasses import dataclass, field
from typing import Any

from fontTools.ttLib import TTFont, TTLibError
from PIL import Image, ImageMath, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ContentStream, StreamObject

from . import content_tokens

HAIRLINE_PT = 0.1 * 72 / 25.4  # 0.1 mm
SMALL_TEXT_PT = 5.0
BOLD_NAME = re.compile(r"(Bold|Black|Heavy)$", re.I)  # BaseFont "AR-PL-UKai-CN-Bold"
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF's row-vector convention: cm prepends to the CTM)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def as_matrix(operands: Any) -> Matrix | None:
    """Six numbers as a matrix; None for anything else (the operator is then ignored)."""
    m = tuple(float(v) for v in operands if isinstance(v, int | float))
    if len(m) != 6:
        return None
    return m


def scale(m: Matrix) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


@dataclass(frozen=True)
class Space:
    """A colour space as preflight sees it."""

    family: str  # "rgb", "cmyk", "gray", "registration", "spot", "lab", "pattern", "other"
    name: str  # as written in the file, for messages

    @property
    def components(self) -> int:
        return {"rgb": 3, "cmyk": 4, "gray": 1}.get(self.family, 1)


DEVICE = {"/DeviceRGB": Space("rgb", "DeviceRGB"), "/DeviceCMYK": Space("cmyk", "DeviceCMYK"),
          "/DeviceGray": Space("gray", "DeviceGray"), "/Pattern": Space("pattern", "Pattern")}
INITIAL = DEVICE["/DeviceGray"]


@dataclass
class State:
    ctm: Matrix = IDENTITY
    fill: tuple[Space, tuple[float, ...]] = (INITIAL, (0.0,))
    stroke: tuple[Space, tuple[float, ...]] = (INITIAL, (0.0,))
    overprint_fill: bool = False
    overprint_stroke: bool = False
    line_width: float = 1.0
    font: Any = None
    font_size: float = 0.0
    text_matrix: Matrix = IDENTITY

    def copy(self) -> State:
        return State(**self.__dict__)


@dataclass
class PlacedImage:
    page: int
    index: int  # order of drawing, over the whole document
    width: int
    height: int
    ppi: float
    space: Space
    ink: float | None  # highest total area coverage, per cent (CMYK images)


@dataclass
class Scan:
    """What one pass over a PDF found."""

    pdfx: str | None = None  # "PDF/X-4", "PDF/X-1a:2003" … as the file claims
    version: str = ""
    output_intent: str | None = None  # the OutputIntent profile's colour space, if any
    intent_icc_version: int = 0  # … and its ICC major version
    glyphs: int = 0
    black_glyphs: int = 0  # in 100 % K only
    black_overprinted: int = 0  # … with overprint on
    rich_black: dict[int, int] = field(default_factory=dict)  # page -> glyphs
    small_process_text: dict[int, float] = field(default_factory=dict)  # page -> smallest pt
    rgb: dict[int, set[str]] = field(default_factory=dict)  # page -> what used RGB
    spot: dict[int, set[str]] = field(default_factory=dict)
    transparency: dict[int, set[str]] = field(default_factory=dict)
    registration_inside: set[int] = field(default_factory=set)
    hairlines: dict[int, float] = field(default_factory=dict)  # page -> thinnest, pt
    images: list[PlacedImage] = field(default_factory=list)
    no_trimbox: list[int] = field(default_factory=list)
    fake_bold: dict[str, int] = field(default_factory=dict)  # font name -> first page

    def note(self, table: dict[int, set[str]], page: int, what: str) -> None:
        table.setdefault(page, set()).add(what)


def _claimed_pdfx(reader: PdfReader) -> str | None:
    info = reader.metadata
    if info is not None and info.get("/GTS_PDFXVersion"):
        return str(info["/GTS_PDFXVersion"])
    metadata = reader.root_object.get("/Metadata")
    stream = metadata.get_object() if metadata is not None else None
    if isinstance(stream, StreamObject):
        xmp = stream.get_data().decode("utf-8", "replace")
        if match := re.search(r"GTS_PDFXVersion>([^<]+)<", xmp):
            return match.group(1)
    return None


def _output_intent(reader: PdfReader) -> tuple[str | None, int]:
    """The PDF/X OutputIntent profile's colour space and ICC major version."""
    for intent in reader.root_object.get("/OutputIntents", []):
        intent = intent.get_object()
        profile = intent.get("/DestOutputProfile")
        if intent.get("/S") == "/GTS_PDFX" and profile is not None:
            profile = profile.get_object()
            n = int(profile.get("/N", 0))
            try:
                version = profile.get_data()[8]
            except (PyPdfError, IndexError, ValueError):
                version = 0
            return {1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "other"), version
    return None, 0


class Scanner:
    """Walks content streams with a graphics state (q/Q, cm, colours, gs, text, Do)."""

    def __init__(self, reader: PdfReader) -> None:
        self.reader = reader
        intent, icc_version = _output_intent(reader)
        self.scan = Scan(pdfx=_claimed_pdfx(reader), version=reader.pdf_header.removeprefix(
            "%PDF-"), output_intent=intent, intent_icc_version=icc_version)
        self._image_ink: dict[int, float | None] = {}
        self._fonts_seen: set[int] = set()

    def run(self) -> Scan:
        for number, page in enumerate(self.reader.pages, start=1):
            if "/TrimBox" not in page:
                self.scan.no_trimbox.append(number)
            self.page, self.bleed = number, [float(v) for v in page.bleedbox]
            group = page.get("/Group")
            if group is not None and group.get_object().get("/S") == "/Transparency":
                self.scan.note(self.scan.transparency, number, "page transparency group")
            contents = page.get_contents()
            if contents is not None:
                self._stream(contents, page.get("/Resources"), State())
        return self.scan

    # --- resources ---------------------------------------------------------------------
    @staticmethod
    def _resource(resources: Any, kind: str, name: Any) -> Any:
        if resources is None:
            return None
        table = resources.get_object().get(kind)
        if table is None:
            return None
        value = table.get_object().get(name)
        return value.get_object() if value is not None else None

    def _space(self, name: Any, resources: Any) -> Space:
        if str(name) in DEVICE:
            return DEVICE[str(name)]
        value = self._resource(resources, "/ColorSpace", name)
        return self._describe(value, str(name)) if value is not None else Space("other",
                                                                                 str(name))

    def _describe(self, value: Any, name: str) -> Space:
        value = value.get_object()
        if not isinstance(value, list):
            return DEVICE.get(str(value), Space("other", str(value)))
        family = str(value[0])
        if family == "/ICCBased":
            n = int(value[1].get_object().get("/N", 0))
            kind = {1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "other")
            return Space(kind, f"{name} (ICCBased, {n} components)")
        if family == "/Separation":
            colorant = str(value[1])
            if colorant == "/All":
                return Space("registration", f"{name} (Separation All)")
            return Space("spot", f"Separation {colorant.lstrip('/')}")
        if family == "/DeviceN":
            return Space("spot", "DeviceN " + " ".join(str(c).lstrip("/") for c in value[1]))
        if family == "/Indexed":
            base = self._describe(value[1], name)
            return Space(base.family, f"Indexed {base.name}")
        if family in ("/Lab", "/CalRGB"):
            return Space("rgb" if family == "/CalRGB" else "lab", family.lstrip("/"))
        if family == "/Pattern":
            return DEVICE["/Pattern"]
        return DEVICE.get(family, Space("other", family))

    def _use(self, space: Space, what: str) -> None:
        if space.family in ("rgb", "lab"):
            self.scan.note(self.scan.rgb, self.page, f"{what} in {space.name}")
        elif space.family == "spot":
            self.scan.note(self.scan.spot, self.page, f"{what} in {space.name}")

    # --- content -----------------------------------------------------------------------
    def _stream(self, contents: Any, resources: Any, state: State) -> None:
        stack: list[State] = []
        path: list[tuple[float, float]] = []
        rects: list[tuple[float, float, float, float]] = []
        try:
            operations = content_operations(contents, self.reader)
        except (PyPdfError, ValueError, KeyError):
            return
        for operands, op in operations:
            if op == b"q":
                stack.append(state.copy())
            elif op == b"Q":
                if stack:
                    state = stack.pop()
            elif op == b"cm":
                if (m := as_matrix(operands)) is not None:
                    state.ctm = multiply(m, state.ctm)
            elif op == b"w":
                state.line_width = float(operands[0])
            elif op in (b"cs", b"CS"):
                space = self._space(operands[0], resources)
                initial = (0.0,) * space.components if space.family != "cmyk" else (
                    0.0, 0.0, 0.0, 1.0)
                setattr(state, "fill" if op == b"cs" else "stroke", (space, initial))
            elif op in (b"sc", b"scn", b"SC", b"SCN"):
                target = "fill" if op in (b"sc", b"scn") else "stroke"
                space = getattr(state, target)[0]
                values = tuple(float(v) for v in operands if isinstance(v, int | float))
                setattr(state, target, (space, values))
            elif op in (b"rg", b"RG", b"k", b"K", b"g", b"G"):
                space = DEVICE[{b"r": "/DeviceRGB", b"k": "/DeviceCMYK", b"g": "/DeviceGray"}[
                    op.lower()[:1]]]
                target = "fill" if op.islower() else "stroke"
                setattr(state, target, (space, tuple(float(v) for v in operands)))
                self._use(space, f"colour operator {op.decode()}")
            elif op == b"gs":
                self._ext_gstate(self._resource(resources, "/ExtGState", operands[0]), state)
            elif op == b"Tf":
                state.font = self._resource(resources, "/Font", operands[0])
                state.font_size = float(operands[1])
                self._font_used(state.font)
            elif op == b"Tm":
                if (m := as_matrix(operands)) is not None:
                    state.text_matrix = m
            elif op == b"BT":
                state.text_matrix = IDENTITY
            elif op in (b"Tj", b"TJ", b"'", b'"'):
                self._text(operands, op, state)
            elif op == b"Do":
                self._draw(self._resource(resources, "/XObject", operands[0]), state)
            elif op == b"INLINE IMAGE":
                self._use(self._inline_space(operands), "inline image")
            elif op in (b"m", b"l"):
                path.append(self._point(state, float(operands[0]), float(operands[1])))
            elif op == b"c":
                path += [self._point(state, float(operands[i]), float(operands[i + 1]))
                         for i in (0, 2, 4)]
            elif op == b"re":
                x, y, w, h = (float(v) for v in operands)
                corners = [self._point(state, x, y), self._point(state, x + w, y + h)]
                path += corners
                (x0, y0), (x1, y1) = corners
                rects.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
            elif op in (b"S", b"s", b"B", b"B*", b"b", b"b*", b"f", b"F", b"f*"):
                self._paint(op, state, path, _thickness(rects))
                path, rects = [], []
            elif op == b"n":
                path, rects = [], []

    @staticmethod
    def _inline_space(operands: Any) -> Space:
        settings = operands.get("settings", {}) if isinstance(operands, dict) else {}
        name = str(settings.get("/CS", settings.get("/ColorSpace", "/DeviceGray")))
        short = {"/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK", "/G": "/DeviceGray"}
        return DEVICE.get(short.get(name, name), Space("other", name))

    @staticmethod
    def _point(state: State, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = state.ctm
        return (a * x + c * y + e, b * x + d * y + f)

    def _ext_gstate(self, gstate: Any, state: State) -> None:
        if gstate is None:
            return
        if "/OP" in gstate:
            state.overprint_stroke = bool(gstate["/OP"])
            state.overprint_fill = bool(gstate.get("/op", gstate["/OP"]))
        if "/op" in gstate:
            state.overprint_fill = bool(gstate["/op"])
        for key in ("/CA", "/ca"):
            if key in gstate and float(gstate[key]) < 1:
                self.scan.note(self.scan.transparency, self.page, f"opacity {key} "
                               f"{float(gstate[key]):g}")
        mask = gstate.get("/SMask")
        if mask is not None and str(mask) != "/None":
            self.scan.note(self.scan.transparency, self.page, "soft mask")
        mode = gstate.get("/BM")
        if mode is not None and str(mode) not in ("/Normal", "/Compatible"):
            self.scan.note(self.scan.transparency, self.page, f"blend mode {mode}")

    def _paint(self, op: bytes, state: State, path: list[tuple[float, float]],
               filled_width: float | None) -> None:
        strokes = op in (b"S", b"s", b"B", b"B*", b"b", b"b*")
        fills = op not in (b"S", b"s")
        used = ([state.stroke] if strokes else []) + ([state.fill] if fills else [])
        for space, _ in used:
            self._use(space, "a path")
            if space.family == "registration" and self._inside(path):
                self.scan.registration_inside.add(self.page)
        if not self._inside(path):
            return  # printer's marks
        widths = [state.line_width * scale(state.ctm)] if strokes else []
        widths += [filled_width] if fills and filled_width else []
        thinnest = min(widths, default=None)
        if thinnest is not None and thinnest < HAIRLINE_PT:
            self.scan.hairlines[self.page] = min(thinnest, self.scan.hairlines.get(
                self.page, thinnest))

    def _inside(self, path: list[tuple[float, float]]) -> bool:
        x0, y0, x1, y1 = self.bleed
        return any(x0 < x < x1 and y0 < y < y1 for x, y in path)

    def _font_used(self, font: Any) -> None:
        """Note a font named bold whose embedded program is not (a style's fake bold)."""
        if font is None or id(font) in self._fonts_seen:
            return
        self._fonts_seen.add(id(font))
        name = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
        if BOLD_NAME.search(name):
            weight = font_weight(font)
            if weight is not None and weight < 600:
                self.scan.fake_bold.setdefault(name, self.page)

    def _text(self, operands: Any, op: bytes, state: State) -> None:
        strings = operands[0] if op == b"TJ" else operands[-1:]
        font = state.font
        wide = font is not None and font.get("/Subtype") == "/Type0"
        count = sum(len(_raw(s)) // (2 if wide else 1) for s in strings
                    if not isinstance(s, int | float))
        if not count:
            return
        space, values = state.fill
        self._use(space, "text")
        if space.family == "registration":
            self.scan.registration_inside.add(self.page)
        self.scan.glyphs += count
        cmyk = values if space.family == "cmyk" and len(values) == 4 else None
        if space.family == "gray" and values[:1] == (0,):
            cmyk = (0.0, 0.0, 0.0, 1.0)  # DeviceGray black prints on the K plate only
        if cmyk == (0, 0, 0, 1):
            self.scan.black_glyphs += count
            if state.overprint_fill:
                self.scan.black_overprinted += count
        elif cmyk is not None and cmyk[3] >= 0.9 and any(cmyk[:3]):
            self.scan.rich_black[self.page] = self.scan.rich_black.get(self.page, 0) + count
        matrix = multiply(state.text_matrix, state.ctm)
        size = state.font_size * scale(matrix)
        if cmyk is not None and sum(v > 0 for v in cmyk) >= 2 and size < SMALL_TEXT_PT:
            self.scan.small_process_text[self.page] = min(
                size, self.scan.small_process_text.get(self.page, size))

    def _draw(self, xobject: Any, state: State) -> None:
        if xobject is None:
            return
        subtype = xobject.get("/Subtype")
        if subtype == "/Form":
            group = xobject.get("/Group")
            if group is not None and group.get_object().get("/S") == "/Transparency":
                self.scan.note(self.scan.transparency, self.page, "transparency group")
            inner = state.copy()
            if "/Matrix" in xobject and (m := as_matrix(xobject["/Matrix"])) is not None:
                inner.ctm = multiply(m, state.ctm)
            self._stream(xobject, xobject.get("/Resources"), inner)
        elif subtype == "/Image":
            self._image(xobject, state)

    def _image(self, image: Any, state: State) -> None:
        a, b, c, d, _, _ = state.ctm
        width_in, height_in = math.hypot(a, b) / 72, math.hypot(c, d) / 72
        width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        ppi = min(width / width_in, height / height_in) if width_in and height_in else 0.0
        if image.get("/ImageMask"):
            return
        space = self._describe(image["/ColorSpace"], "image") if "/ColorSpace" in image else (
            Space("other", "JPX"))
        self._use(space, "an image")
        if "/SMask" in image or "/Mask" in image:
            self.scan.note(self.scan.transparency, self.page, "image with a soft mask")
        key = id(image)
        if key not in self._image_ink:
            self._image_ink[key] = image_ink(image) if space.family == "cmyk" else None
        self.scan.images.append(PlacedImage(self.page, len(self.scan.images), width, height,
                                            ppi, space, self._image_ink[key]))


def _thickness(rects: list[tuple[float, float, float, float]]) -> float | None:
    """How thick a filled rectangle, or the ring between two (a border, a rule), is."""
    if len(rects) == 1:
        x0, y0, x1, y1 = rects[0]
        return min(x1 - x0, y1 - y0)
    if len(rects) == 2:
        (a0, b0, a1, b1), (c0, d0, c1, d1) = rects
        insets = [abs(c0 - a0), abs(d0 - b0), abs(a1 - c1), abs(b1 - d1)]
        return min((i for i in insets if i > 1e-6), default=None)
    return None


def font_weight(font: Any) -> int | None:
    """The OS/2 weight class of a font's embedded program, if it has one."""
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return None
    descriptor = descriptor.get_object()
    program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
    if program is None:
        return None
    try:
        tables = TTFont(io.BytesIO(program.get_object().get_data()), lazy=True)
        return int(tables["OS/2"].usWeightClass) if "OS/2" in tables else None
    except (TTLibError, KeyError, ValueError, AssertionError, struct.error):
        return None


def content_operations(contents: Any, reader: PdfReader) -> list[tuple[Any, bytes]]:
    """The operations of a content stream: read fast where WeasyPrint's plain streams
    allow (:mod:`layout.check.content_tokens`), else by pypdf (the preflight's scan and
    the glyph check)."""
    get_data = getattr(contents, "get_data", None)
    fast = content_tokens.operations(get_data()) if get_data else None
    return fast if fast is not None else ContentStream(contents, reader).operations


def _raw(string: Any) -> bytes:
    """The bytes of a PDF string operand (pypdf decodes some to text)."""
    if isinstance(string, bytes):
        return string
    original = getattr(string, "get_original_bytes", None)
    return original() if original else str(string).encode("latin-1", "replace")


def image_ink(image: Any) -> float | None:
    """The highest total area coverage (C+M+Y+K, per cent) of a CMYK image, if decodable."""
    try:
        filters = image.get("/Filter")
        if filters == "/DCTDecode":
            picture = Image.open(io.BytesIO(image._data))  # Pillow undoes Adobe's inversion
        else:
            picture = image.decode_as_image()
        if picture.mode != "CMYK":
            return None
        c, m, y, k = picture.split()
        total = ImageMath.lambda_eval(lambda v: v["c"] + v["m"] + v["y"] + v["k"],
                                      c=c, m=m, y=y, k=k)
        return round(total.getextrema()[1] / 255 * 100, 1)
    except (UnidentifiedImageError, OSError, ValueError, PyPdfError, NotImplementedError):
        return None


def scan_pdf(reader: PdfReader) -> Scan:
    return Scanner(reader).run()
