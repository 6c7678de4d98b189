"""EPUB covers: a typographic cover readable as a thumbnail, and the print page.

The library and store show a cover at 100–200 px wide: a whole newspaper page there is
grey noise.  The typographic cover is drawn with Pillow at 1600×2560 px from the
document's own text — the paper's name, the date, the kicker and the headline (broken
between its clauses, as in print) in the style's fonts — and the first photo, if any.
The print page (``--cover print``) is the print edition's first page cropped to its trim
box, so bleed and printer's marks never show.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFont

from ..chars import NO_LINE_END, NO_LINE_START
from ..errors import LayoutError
from ..model import Document
from ..settings import Settings
from . import epub_fonts

if TYPE_CHECKING:
    import pypdfium2 as pdfium

SIZE = (1600, 2560)
MARGIN = 120
MAX_BYTES = 300 * 1024
PAPER_COLOUR = (250, 247, 240)
INK = (26, 26, 26)
RED = (178, 24, 30)
PRINT_PAGE_WIDTH = 1400  # pixels: sharp on e-reader screens
CLAUSE_ENDS = set("，、：；！？。 \u3000")
_PDFIUM = threading.Lock()


def _font(role: str, settings: Settings, size: int) -> ImageFont.FreeTypeFont:
    """The role's first installed family (its bold face for headings) at ``size`` px."""
    spec = next(r for r in epub_fonts.ROLES if r.name == role)
    names = epub_fonts.families(spec, settings.design.style, settings.publication.script)
    for family in names:
        located = epub_fonts.locate(family, spec.weight)
        if located:
            return ImageFont.truetype(located[1], size, index=located[2])
    raise LayoutError("B332", f"the cover needs a {role} font; none of {', '.join(names)} "
                      "is installed", exit_code=3)


def clauses(text: str) -> list[str]:
    """``text`` cut after each clause mark or space (the places a headline may break)."""
    out, current = [], ""
    for ch in text:
        current += ch
        if ch in CLAUSE_ENDS:
            out.append(current)
            current = ""
    return [c for c in [*out, current] if c.strip()]


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float, by_clause: bool = True
         ) -> list[str]:
    """Lines of at most ``width``: whole clauses where they fit (``by_clause``), else
    characters, never starting a line with a closing mark or ending one with an opening
    mark."""
    lines: list[str] = []
    line = ""
    for clause in clauses(text) if by_clause else [text]:
        if font.getlength((line + clause).rstrip()) <= width:
            line += clause
            continue
        if line.strip():
            lines.append(line.strip())
        line = ""
        for ch in clause:
            if font.getlength(line + ch) > width and line.strip() and ch not in NO_LINE_START:
                keep = line[-1] if line[-1] in NO_LINE_END else ""
                lines.append(line[: len(line) - len(keep)].strip())
                line = keep
            line += ch
    if line.strip():
        lines.append(line.strip())
    return lines


def _text_lines(draw: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont,
                top: int, fill: tuple[int, int, int], leading: float = 1.25) -> int:
    """Draw centred lines from ``top``; returns the y below them."""
    step = int(font.size * leading)
    for line in lines:
        draw.text((SIZE[0] / 2, top), line, font=font, fill=fill, anchor="mt")
        top += step
    return top


def typographic_cover(doc: Document, settings: Settings, photo: bytes | None,
                      summary: str) -> bytes:
    """The cover JPEG (at most ``MAX_BYTES``): the first photo, else ``summary`` (the
    book's description) fills what the title leaves."""
    image = Image.new("RGB", SIZE, PAPER_COLOUR)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    y = MARGIN
    y = _text_lines(draw, wrap(settings.publication.paper, _font("body", settings, 200), width),
                    _font("body", settings, 200), y, RED, 1.15)
    draw.rectangle((MARGIN, y + 10, SIZE[0] - MARGIN, y + 22), fill=RED)
    y += 60
    folio = f"第{settings.publication.folio}版"
    dated = "  ".join(filter(None, [settings.publication.issue_date, folio]))
    y = _text_lines(draw, [dated], _font("heading", settings, 64), y, INK) + 60
    if doc.kicker:
        kicker = _font("heading", settings, 76)
        lines = wrap(doc.kicker, kicker, width - 80)
        band = int(kicker.size * 1.3) * len(lines) + 50
        draw.rectangle((MARGIN, y, SIZE[0] - MARGIN, y + band), fill=RED)
        _text_lines(draw, lines, kicker, y + 30, PAPER_COLOUR, 1.3)
        y += band + 70
    headline = _font("heading", settings, 150)
    y = _text_lines(draw, wrap(doc.title, headline, width), headline, y, INK, 1.2) + 40
    if doc.subtitle:
        subtitle = _font("note", settings, 72)
        y = _text_lines(draw, wrap(doc.subtitle, subtitle, width), subtitle, y, INK) + 40
    if doc.byline:
        byline = _font("note", settings, 64)
        names = " ".join(filter(None, [doc.byline.role, *doc.byline.authors]))
        y = _text_lines(draw, wrap(names, byline, width), byline, y, INK) + 60
    if photo is not None and SIZE[1] - MARGIN - y > 400:
        with Image.open(io.BytesIO(photo)) as opened:
            picture = opened.convert("RGB")
            picture.thumbnail((width, SIZE[1] - MARGIN - y), Image.Resampling.LANCZOS)
            image.paste(picture, ((SIZE[0] - picture.width) // 2, y))
    elif summary:
        note = _font("note", settings, 60)
        room = (SIZE[1] - MARGIN - y) // int(note.size * 1.6)
        lines = wrap(summary, note, width, by_clause=False)
        if len(lines) > room > 0:
            lines = [*lines[: room - 1], lines[room - 1][:-1] + "……"]
        draw.line((MARGIN, y, SIZE[0] - MARGIN, y), fill=RED, width=4)
        for line in lines[:room]:
            y += int(note.size * 1.6)
            draw.text((MARGIN, y), line, font=note, fill=INK, anchor="ls")
    return _jpeg(image)


def _jpeg(image: Image.Image) -> bytes:
    """The highest quality step from 85 down that stays within ``MAX_BYTES``.  Baseline,
    not progressive: every reader decodes it, and it is encoded 2.5 times faster (the
    cover takes two or three tries; ~8% larger at one quality)."""
    data = b""
    for quality in (85, 75, 65, 55, 45):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, optimize=True)
        data = out.getvalue()
        if len(data) <= MAX_BYTES:
            break
    return data


def print_page(pdf: bytes) -> bytes:
    """The print edition's first page inside its trim box, as a JPEG."""
    import pypdfium2 as pdfium  # only for --cover print: not imported by every build

    with _PDFIUM:  # PDFium must not be used by two threads at once
        try:
            document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise LayoutError("B302", "cannot rasterise the print edition for the cover: "
                              f"{exc}") from None
        try:
            page = document[0]
            crop = tuple(_trim_crop(page))
            width = page.get_width() - crop[0] - crop[2]
            bitmap = page.render(scale=PRINT_PAGE_WIDTH / width, crop=crop)
            image = bitmap.to_pil().convert("RGB")
        finally:
            document.close()
    return _jpeg(image)


def _trim_crop(page: pdfium.PdfPage) -> Iterator[float]:
    """How much to cut from the left, bottom, right and top to keep the trim box."""
    media = page.get_mediabox()
    trim = page.get_trimbox()
    yield from (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])
