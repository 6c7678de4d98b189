"""The reader's own promise: no Han character of the source is lost or invented."""

from __future__ import annotations

from collections import Counter

from ..chars import han_chars
from ..model import Diagnostic, Document


def model_text(doc: Document) -> str:
    return "".join(text for _, text in doc.texts())


def verify_han_fidelity(doc: Document, source_text: str) -> None:
    source = Counter(han_chars(source_text))
    model = Counter(han_chars(model_text(doc)))
    if source == model:
        return
    lost = source - model
    added = model - source
    detail = []
    if lost:
        detail.append("lost " + "".join(sorted(lost.elements()))[:40])
    if added:
        detail.append("added " + "".join(sorted(added.elements()))[:40])
    doc.warnings.append(Diagnostic(
        "R900", 1, "reader did not keep every Han character: " + "; ".join(detail), "error"))
