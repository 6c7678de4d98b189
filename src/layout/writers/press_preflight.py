"""The preflight of a PDF the build just made, as build diagnostics.

`layout check` reports the same codes on the file (``layout.check.preflight``); here an
image finding is put at the line of its figure, and what breaks the PDF/X variant the
file claims is an error: the build then writes nothing rather than a false label.
"""

from __future__ import annotations

import io

from pypdf import PdfReader

from ..check.pdf_content import scan_pdf
from ..check.preflight import findings, image_problems
from ..model import Diagnostic, Document, Severity

VARIANT_BROKEN = {"P214", "P215", "P219", "P220", "P221", "P222", "P226"}
STRICT_ERRORS = {"P212"}


def preflight(data: bytes, doc: Document, strict: bool) -> list[Diagnostic]:
    """``strict`` makes a visibly soft photo an error in a PDF/X file (the one for press)."""
    scan = scan_pdf(PdfReader(io.BytesIO(data)))
    strict = strict and scan.pdfx is not None
    out = []
    photos = [f for f in doc.figures if f.image]
    # Figures are drawn in model order; if a style draws other images, they go at line 1.
    placed = photos if len(photos) == len(scan.images) else []
    for image in scan.images:
        figure = placed[image.index] if placed else None
        subject = (f"photo of {figure.label} ({figure.image}, " if figure else
                   f"image {image.index + 1} on page {image.page} (")
        for code, problem in image_problems(image):
            severity: Severity = "error" if strict and code in STRICT_ERRORS else "warning"
            out.append(Diagnostic(code, figure.line if figure else 1,
                                  f"{subject}{image.width}×{image.height} px) {problem}",
                                  severity))
    for finding in findings(scan, "", images=False):
        where = f"page {finding.page}: " if finding.page is not None else ""
        out.append(Diagnostic(finding.code, 1, where + finding.message,
                              "error" if finding.code in VARIANT_BROKEN else "warning"))
    return out
