"""Run-ins (a dateline's, a brief's or a speaker's bold words opening a paragraph) as
`layout check` reads them: no head for L105, a paragraph's opening for T101; a head or
lead-in of its own and a short line inside a paragraph are still found."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from layout.check.layout import Piece, Run, _later, _stranded
from layout.check.typography import _mark_paragraphs, _page_lines
from layout.makeup.grid import Grid

SONG, HEI = "Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC-Bold"
EM, PITCH = 10.0, 15.0
COLUMN = 12  # characters


def piece(text: str, column_x: float, row: int, font: str, start: str = "", end: str = "",
          at: int = 0) -> Piece:
    x0 = column_x + at * EM
    base = 100 + row * PITCH
    return Piece(text, x0, x0 + len(text) * EM, base - EM, base, base, EM, font, start, end)


def full(row: int, font: str = SONG) -> Piece:
    return piece("字" * COLUMN, 0, row, font)


def stranded(pieces: list[Piece]) -> list[str]:
    return [p.text for p in _stranded(Run(0, pieces, EM), EM, 3, SONG)]


def test_a_run_in_at_a_column_foot_is_no_head() -> None:
    """Two full lines of a bold dateline, then its last words and the paragraph's own
    text on one line, at the foot of a column: a run-in, not a stranded head."""
    lines = [full(0), full(1), full(2, HEI), full(3, HEI),
             # "某）　11月29日，我国": bold words, then the text (mostly Song)
             piece("某）十一月二十九日我国", 0, 4, SONG, start=HEI, end=SONG)]
    assert stranded(lines) == []


def test_a_lead_in_at_a_column_foot_is_still_a_head() -> None:
    """A bold lead-in of its own ends where its words do, and the next paragraph opens in
    the text's face: stranded with one line under it."""
    lines = [full(0), full(1), piece("凝心聚力", 0, 2, HEI), piece("提升水平", 0, 3, HEI),
             piece("字" * 10, 0, 4, SONG, at=2)]
    assert stranded(lines) == ["提升水平"]
    # ... and a larger head too, though the line under it opened with bold words.
    head = Piece("小标题", 0, 30, 120, 132, 132, 12.0, HEI)
    lines = [full(0), head, piece("问：今年以来", 0, 3, SONG, start=HEI, end=SONG, at=2)]
    assert stranded(lines) == ["小标题"]


def test_a_short_run_in_paragraph_does_not_make_bold_the_text_face() -> None:
    """A column of a brief may hold more bold dateline than text: the document's text
    face decides, not the column's most common."""
    lines = [full(0, HEI), piece("字字字字", 0, 1, SONG, start=HEI, end=SONG),
             piece("字字", 0, 2, SONG)]
    assert stranded(lines) == []


def test_a_run_in_filling_a_column_foot_goes_on_in_the_next_column() -> None:
    """A dateline filling the last line of a column, the paragraph's text going on at the
    top of the next column flush left: a run-in.  Indented there (a new paragraph) or
    ending short of the column's edge, the bold line is a lead-in of its own."""
    edges = (0.0, COLUMN * EM)
    column = [full(0), full(1), full(2, HEI)]
    flush = (piece("字" * COLUMN, 200, 0, SONG), 200.0)
    indented = (piece("字" * 10, 200, 0, SONG, at=2), 200.0)

    def found(lines: list[Piece], after: tuple[Piece, float]) -> list[str]:
        return [p.text for p in _stranded(Run(0, lines, EM), EM, 3, SONG, edges, after)]

    assert found(column, flush) == []
    assert found(column, indented) == ["字" * COLUMN]
    short = [full(0), full(1), piece("凝心聚力", 0, 2, HEI)]
    assert found(short, flush) == ["凝心聚力"]


def test_the_text_goes_on_in_the_next_column_of_its_module() -> None:
    """A head is judged where its text goes on after it (L105 leaves alone a head over a
    story's last lines: no later run, above the type area's foot)."""
    first, second = Run(0, [full(0)], EM), Run(1, [full(0)], EM)
    assert _later(first, [first, second]) is second
    assert _later(second, [first, second]) is None
    below = Run(0, [full(5)], EM)  # past a photo in the same column
    assert _later(first, [first, second, below]) is below


def test_a_box_of_its_own_face_is_text() -> None:
    """A sidebar set in Kai at the body size: its lines are its text, not heads (the
    document's text face is not in its column)."""
    kai = "LXGW-WenKai"
    lines = [full(0, kai), full(1, kai), piece("潮头。", 0, 2, kai)]
    assert stranded(lines) == []
    assert stranded([full(0), full(1), piece("潮头。", 0, 2, kai)]) == ["潮头。"]


def char(text: str, x0: float, row: int, font: str) -> dict[str, Any]:
    base = 100 + row * PITCH
    return {"text": text, "x0": x0, "x1": x0 + EM, "top": base - EM, "bottom": base,
            "size": EM, "fontname": font, "upright": True,
            "matrix": (EM, 0, 0, EM, x0, 800 - base)}


def line(x: float, row: int, text: str, font: str = SONG) -> list[dict[str, Any]]:
    return [char(t, x + k * EM, row, font) for k, t in enumerate(text)]


def ragged(chars: list[dict[str, Any]], grid: Grid | None = None) -> list[str]:
    page = SimpleNamespace(chars=chars, rects=[], lines=[], height=800.0,
                           bbox=(0.0, 0.0, 600.0, 800.0))
    lines = _page_lines(page, 1, SONG, EM, None, grid)
    _mark_paragraphs(lines, SONG)
    return [ln.text for ln in lines if not ln.final and ln.slack > 0.1]


def test_a_line_ends_a_paragraph_before_a_run_in() -> None:
    """A paragraph's last line, then (in the next column) a brief opening with a bold
    dateline that fills a line: the short line ends its paragraph."""
    second = 200.0
    chars = (line(0, 0, "字" * COLUMN) + line(0, 1, "余个。")
             + line(second, 0, "本报北京三月五日电记者张", HEI)
             + line(second, 1, "伟）", HEI) + line(second + 2 * EM, 1, "北京市今天起在各区举")
             + line(second, 2, "字" * COLUMN))
    assert ragged(chars) == []
    # The same short line with the text running on in the next column is ragged.
    chars = (line(0, 0, "字" * COLUMN) + line(0, 1, "余个。")
             + line(second, 0, "字" * COLUMN) + line(second, 1, "字" * COLUMN))
    assert ragged(chars) == ["余个。"]


def test_a_speaker_opens_a_paragraph_without_an_indent() -> None:
    """"问：" in bold at a short column's left: the column is the text's, and the line
    before it ends a paragraph."""
    second = 200.0
    chars = (line(0, 0, "字" * COLUMN) + line(0, 1, "转型。")
             + line(second, 0, "问：", HEI) + line(second + 2.5 * EM, 0, "下一步有什么")
             + line(second, 1, "打算？"))
    assert ragged(chars) == []
    chars = (line(0, 0, "字" * COLUMN) + line(0, 1, "转型。")
             + line(second, 0, "下一步有什么") + line(second, 1, "打算？"))
    assert ragged(chars) == ["转型。"]


def test_a_column_of_indented_lines_starts_at_the_grid() -> None:
    """A commentary of one-line paragraphs in one column: every line indented, so the
    lines alone cannot say where the column starts; the grid the PDF records can."""
    chars = (line(2 * EM, 0, "字" * (COLUMN - 2)) + line(2 * EM, 1, "字" * 6)
             + line(2 * EM, 2, "字" * 8))
    grid = Grid(600.0, 800.0, 0.0, 80.0, 1, COLUMN * EM, 10.0, PITCH, 40)
    assert ragged(chars, grid) == []
    assert ragged(chars) == ["字" * 6]  # read without it: one paragraph, a short line
