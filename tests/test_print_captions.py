"""Captions as a reader sees them on the printed page: a photo's credit (摄影) follows the
caption's text on its last line where it fits, else on the next line — never leaving the
caption's text spread across the frame (a credit kept whole and wrapped had made the
text's last line a justified one: 0.08–0.4 em more between characters)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from layout.chars import is_han
from layout.makeup.grid import PDF_KEY, Grid
from layout.readers import read

from .conftest import SAMPLE

pytestmark = pytest.mark.slow

SPREAD = 1.05  # em: the most a Han character of a caption's last line may advance (1.0)


def _baseline(char: dict[str, Any]) -> float:
    """A character's baseline, down the page (its text matrix's origin)."""
    return -float(char["matrix"][5])


def _lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters in lines (by baseline), each line left to right, top to bottom."""
    rows: list[list[dict[str, Any]]] = []
    for c in sorted(chars, key=_baseline):
        if rows and _baseline(c) - _baseline(rows[-1][-1]) < 1:
            rows[-1].append(c)
        else:
            rows.append([c])
    return [sorted(row, key=lambda c: c["x0"]) for row in rows]


def _find(line: list[dict[str, Any]], text: str) -> list[dict[str, Any]] | None:
    texts = "".join(c["text"] for c in line)
    at = texts.rfind(text)
    return line[at:at + len(text)] if at >= 0 else None


def _credits(pdf: Path, credits: list[str]) -> list[dict[str, Any]]:
    """Each credit found on the page: its characters, the caption's lines above it."""
    found = []
    with pdfplumber.open(pdf) as doc:
        grid = Grid.parse(doc.metadata[PDF_KEY.lstrip("/")])
        assert grid is not None
        page = doc.pages[0]
        frames = [*page.rects, *page.images]
        for line in _lines(page.chars):
            for credit in sorted(set(credits)):
                chars = _find(line, credit)
                if chars is None:
                    continue
                left = chars[0]["x0"]
                frame = max((f for f in frames if f["bottom"] <= chars[0]["top"]
                             and f["x0"] - 1 < left < f["x1"]), key=lambda f: f["bottom"])
                caption = [c for c in page.chars if frame["bottom"] <= c["top"]
                           and c["bottom"] <= chars[0]["bottom"] + 1
                           and frame["x0"] - 1 <= c["x0"] and c["x1"] <= frame["x1"] + 1]
                found.append({"credit": chars, "pitch": grid.pitch,
                              "lines": _lines([c for c in caption if c not in chars])})
    return found


def _spread(line: list[dict[str, Any]]) -> float:
    """The widest advance between two Han characters of a line, in ems."""
    return max((b["x0"] - a["x0"]) / a["size"] for a, b in itertools.pairwise(line)
               if is_han(a["text"]) and is_han(b["text"]))


def test_a_credit_on_a_line_of_its_own_leaves_the_caption_set_solid(sample_build: Path
                                                                    ) -> None:
    credits = [f.credit for f in read(SAMPLE).figures if f.credit]
    found = _credits(sample_build / f"{SAMPLE.stem}.pdf", credits)
    assert len(found) == len(credits) >= 5
    apart = 0
    for f in found:
        credit, last = f["credit"], f["lines"][-1]
        if _baseline(credit[0]) - _baseline(last[0]) > 1:  # the credit's own line
            apart += 1
            # on the next grid line
            assert abs(_baseline(credit[0]) - _baseline(last[0]) - f["pitch"]) < 0.1
            assert _spread(last) <= SPREAD, "".join(c["text"] for c in last)
    assert apart >= 1  # the sample at broadsheet has a credit that does not fit (图⑤)
