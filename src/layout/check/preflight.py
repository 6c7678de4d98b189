"""Preflight (``P211``–``P299``): what a printer's preflight profile looks at in a PDF.

The findings are judged from one :class:`~.pdf_content.Scan` of the file.  The PDF's own
claim decides what is forbidden: a file that says it is PDF/X may hold no RGB, and
PDF/X-1a and X-3 no transparency.  The build runs the same preflight on the PDF it just
made (``layout.writers.press_preflight``), so both report the same codes.
"""

from __future__ import annotations

from collections.abc import Iterator

from .findings import Finding
from .pdf_content import SMALL_TEXT_PT, PlacedImage, Scan

LOW_PPI = 200.0  # photos for newsprint (300 for coated paper)
SOFT_PPI = 150.0  # visibly soft: an error under --strict in a PDF/X build
INK_LIMIT = 300.0  # total area coverage, per cent (the default profile is SWOP's; newsprint 240)


def findings(scan: Scan, path: str, ink_limit: float = INK_LIMIT, images: bool = True
             ) -> Iterator[Finding]:
    """Every preflight finding of ``scan`` (the build and `layout check` share these)."""
    if images:
        yield from image_findings(scan, path, ink_limit)
    yield from color_findings(scan, path)
    yield from pdfx_findings(scan, path)
    yield from line_findings(scan, path)


def image_problems(image: PlacedImage, ink_limit: float = INK_LIMIT
                   ) -> Iterator[tuple[str, str]]:
    """(code, what is wrong) for one placed image."""
    if image.ppi < SOFT_PPI:
        yield "P212", (f"is {image.ppi:.0f} ppi in its frame: visibly soft "
                       f"(under {SOFT_PPI:.0f} ppi)")
    elif image.ppi < LOW_PPI:
        yield "P211", f"is {image.ppi:.0f} ppi in its frame (under {LOW_PPI:.0f} ppi)"
    if image.ink is not None and image.ink > ink_limit:
        yield "P213", f"has {image.ink:.0f}% total ink coverage (limit {ink_limit:.0f}%)"


def image_findings(scan: Scan, path: str, ink_limit: float = INK_LIMIT) -> Iterator[Finding]:
    for image in scan.images:
        for code, problem in image_problems(image, ink_limit):
            yield Finding(code, f"image {image.index + 1} ({image.width}×{image.height} px) "
                          + problem, path, image.page)


def color_findings(scan: Scan, path: str) -> Iterator[Finding]:
    if scan.pdfx:
        for page, what in sorted(scan.rgb.items()):
            yield Finding("P214", f"RGB colour in a {scan.pdfx} file: "
                          + ", ".join(sorted(what)) + " (a style's colours belong in its "
                          "[colors] table, in CMYK)", path, page)
        for page, what in sorted(scan.spot.items()):
            yield Finding("P215", "spot colour in a 4-colour print file: "
                          + ", ".join(sorted(what)), path, page)
    for page in sorted(scan.registration_inside):
        yield Finding("P216", "registration colour used inside the bleed (it prints on every "
                      "plate; only marks may use it)", path, page)
    for page, count in sorted(scan.rich_black.items()):
        yield Finding("P217", f"{count} glyphs in rich black (K with C, M or Y): use 100% K",
                      path, page)
    if scan.pdfx and scan.black_glyphs > scan.black_overprinted:
        yield Finding("P218", f"{scan.black_glyphs - scan.black_overprinted} of "
                      f"{scan.black_glyphs} glyphs in 100% K do not overprint", path)


def pdfx_findings(scan: Scan, path: str) -> Iterator[Finding]:
    if not scan.pdfx:
        return
    if scan.output_intent != "cmyk":
        yield Finding("P219", f"claims {scan.pdfx} but has no OutputIntent with a CMYK "
                      f"profile ({scan.output_intent or 'none'})", path)
    if scan.no_trimbox:
        yield Finding("P220", "pages without a TrimBox: "
                      + ", ".join(map(str, scan.no_trimbox)), path)
    for name, page in sorted(scan.fake_bold.items(), key=lambda item: item[1]):
        yield Finding("P225", f"font {name} is named bold but its program is a regular "
                      "weight: nothing is emboldened (use a family with a bold face)", path, page)
    if not scan.pdfx.startswith("PDF/X-4"):
        for page, what in sorted(scan.transparency.items()):
            yield Finding("P221", f"transparency in a {scan.pdfx} file: "
                          + ", ".join(sorted(what)), path, page)
        if scan.version > "1.4" and scan.pdfx.startswith(("PDF/X-1a", "PDF/X-3")):
            yield Finding("P222", f"{scan.pdfx} must be PDF 1.4 or older, not {scan.version}",
                          path)
        if scan.intent_icc_version > 2 and scan.pdfx.startswith(("PDF/X-1a", "PDF/X-3")):
            yield Finding("P226", f"{scan.pdfx} (PDF 1.4) needs an ICC version 2 output "
                          f"profile, not version {scan.intent_icc_version}", path)


def line_findings(scan: Scan, path: str) -> Iterator[Finding]:
    for page, width in sorted(scan.hairlines.items()):
        yield Finding("P223", f"a line {width / 72 * 25.4:.3f} mm thin (under 0.1 mm) may not "
                      "print", path, page)
    for page, size in sorted(scan.small_process_text.items()):
        yield Finding("P224", f"text at {size:.1f} pt in more than one ink (under "
                      f"{SMALL_TEXT_PT:g} pt, it blurs if the plates misregister)", path, page)
