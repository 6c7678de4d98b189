"""Full-width punctuation in every face, measured from a PDF alone.

The body measure (:mod:`.typography`, T104) takes the advance from the first mark of a
pair to the second, which is right where every mark's glyph fills its cell (the body's
Song).  A face whose cells are CSS margins (``layout.typeset.marks``: a Kai with
Latin-width quotes) draws glyphs narrower than their cells, so here marks are measured by
the room they take: from the end of the character before them to the start of the
character after them, on one line, less the justification gaps at the run's two ends (the
line's median space between two Han characters; justification adds none inside a pair:
``layout.typeset.justify.expandable``).  One mark takes 1 em; a squeezed pair 1.5 em,
an unsqueezed one 2 em.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from pathlib import Path

from ..chars import SPACES, SQUEEZABLE, is_han
from .plumbing import open_pdf
from .typography import Glyph, _cluster_baselines, _glyphs


def mark_widths(pdf_path: Path | str) -> dict[tuple[str, int], list[float]]:
    """``{(face, marks): [em, …]}``: the width of each run of one or two full-width marks
    standing between two Han characters of the same size on one line, by the face of
    the run's first mark."""
    out: dict[tuple[str, int], list[float]] = defaultdict(list)
    with open_pdf(pdf_path) as pdf:
        for page in pdf.pages:
            glyphs = [g for g in _glyphs(page) if g.text not in SPACES]
            for row in _cluster_baselines(glyphs, 0.5):
                for i in range(len(row)):
                    width = _run(row, i)
                    if width:
                        out[(row[i + 1].font, width[0])].append(width[1])
            page.flush_cache()
    return dict(out)


def _run(row: list[Glyph], i: int) -> tuple[int, float] | None:
    """(marks, em) of the run of marks after ``row[i]``, if one stands between Han."""
    before = row[i]
    if not _han(before.text):
        return None
    end = i + 1
    while end < len(row) and row[end].text in SQUEEZABLE and end - i <= 2:
        end += 1
    marks = row[i + 1:end]
    if not 1 <= len(marks) <= 2 or end == len(row) or not _han(row[end].text):
        return None
    after = row[end]
    if any(g.size != before.size for g in (*marks, after)):
        return None
    if after.x0 - before.x1 > (len(marks) + 1) * before.size:
        return None  # not one line: the next character stands in another column
    return len(marks), (after.x0 - before.x1 - 2 * _gap(row, i)) / before.size


def _gap(row: list[Glyph], i: int) -> float:
    """The space justification added between two characters of the line (of one column)
    holding ``row[i]``: the median space between its adjacent Han characters."""
    lo = hi = i
    while lo > 0 and row[lo].x0 - row[lo - 1].x1 < row[i].size / 2:
        lo -= 1
    while hi + 1 < len(row) and row[hi + 1].x0 - row[hi].x1 < row[i].size / 2:
        hi += 1
    line = row[lo:hi + 1]
    gaps = [b.x0 - a.x1 for a, b in zip(line, line[1:], strict=False)
            if _han(a.text) and _han(b.text)]
    return max(statistics.median(gaps), 0.0) if gaps else 0.0


def _han(text: str) -> bool:
    return len(text) == 1 and is_han(text)
