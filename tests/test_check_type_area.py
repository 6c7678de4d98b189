"""The typography check reads the glyphs of the type area (issue 11): a mark squeezed to
half an em at the end of a line of the last column, its whole em in the PDF's widths, is
the line's, not the margin's."""

from __future__ import annotations

from types import SimpleNamespace

from layout.check.typography import _glyphs

MM = 72 / 25.4
WIDTH, HEIGHT = 200 * MM, 300 * MM
MARGINS = (20.0, 20.0, 20.0, 20.0)  # mm: top, right, bottom, left
RIGHT = WIDTH - 20 * MM  # the type area's right edge
EM = 9.5


def char(text: str, x0: float, width: float = EM, top: float = 100.0) -> dict[str, object]:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + EM,
            "size": EM, "fontname": "AAAAAA+Noto-Serif-CJK-SC", "upright": True}


def page(*chars: dict[str, object]) -> SimpleNamespace:
    return SimpleNamespace(chars=list(chars), height=HEIGHT, trimbox=(0.0, 0.0, WIDTH, HEIGHT),
                           bbox=(0.0, 0.0, WIDTH, HEIGHT))


def test_a_squeezed_mark_at_the_last_columns_edge_is_in_the_type_area() -> None:
    """元 ends half an em before the edge, 。 is drawn in that half: its advance (a whole em
    in the PDF) reaches half an em past the edge, its middle a hair past it."""
    line = page(char("亿", RIGHT - 1.5 * EM - 0.5), char("元", RIGHT - 0.5 * EM - 0.45),
                char("。", RIGHT - 0.5 * EM + 0.01))
    assert [g.text for g in _glyphs(line, MARGINS)] == ["亿", "元", "。"]


def test_glyphs_in_the_margins_are_not() -> None:
    """A glyph beside the type area (its first half past the right edge), above it (a
    running head) or left of it is left out."""
    outside = page(char("报", RIGHT + 1.0), char("眉", RIGHT - 3 * EM, top=10.0),
                   char("左", 20 * MM - 0.6 * EM), char("中", RIGHT - 3 * EM))
    assert [g.text for g in _glyphs(outside, MARGINS)] == ["中"]
