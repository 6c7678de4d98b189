"""The page make-up measures (L-family), each shown failing on a deliberately broken page
and passing the same page made up properly."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.check.layout import LayoutLimits, Page, layout_findings, measure
from layout.makeup.grid import Grid

from .conftest import layout_cli
from .layout_pages import EM, GRID, PHOTO, made_up_page

DEFECTS = {
    "clipped": ("layout.inside", "L101"),
    "hole": ("layout.filled", "L102"),
    "off_grid": ("layout.baseline-grid", "L103"),
    "ragged_feet": ("layout.column-feet", "L104"),
    "stranded": ("layout.stranded-heads", "L105"),
    "dead_jump": ("layout.jumps", "L106"),
    "frame_off": ("layout.frames", "L107"),
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("made-up")
    out = {"good": made_up_page(base / "good.pdf")}
    for defect in DEFECTS:
        out[defect] = made_up_page(base / f"{defect}.pdf", **{defect: True})
    return out


def codes(pdf: Path, limits: LayoutLimits | None = None) -> dict[str, list[str]]:
    """Findings against ``limits``, by default issue 11's figures."""
    limits = limits or LayoutLimits()
    found = layout_findings(measure(pdf, limits), limits)
    return {check: [f.code for f in findings] for check, findings in found.items() if findings}


def test_grid_round_trips_through_the_pdf(pages: dict[str, Path]) -> None:
    report = measure(pages["good"])
    assert report.recorded_grid
    assert report.pages[0].grid == Grid.parse(GRID.describe())


def test_made_up_page_passes_every_measure(pages: dict[str, Path]) -> None:
    report = measure(pages["good"])
    assert codes(pages["good"]) == {}
    summary = report.summary()
    assert summary["on_grid_share"] == 1.0 and summary["max_foot_spread"] == 0.0
    assert summary["largest_empty_share"] < 0.01
    assert summary["outside_trim"] == summary["outside_type_area"] == 0


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_each_defect_is_found_by_its_check(pages: dict[str, Path], defect: str) -> None:
    check, code = DEFECTS[defect]
    found = codes(pages[defect])
    assert found.get(check) and set(found[check]) == {code}, found


def test_limits_are_options(pages: dict[str, Path]) -> None:
    assert "layout.column-feet" not in codes(pages["ragged_feet"],
                                             LayoutLimits(max_foot_spread=3, max_empty=0.05))
    assert "layout.baseline-grid" not in codes(pages["off_grid"], LayoutLimits(min_on_grid=0.7))
    assert "layout.baseline-grid" not in codes(pages["off_grid"],
                                               LayoutLimits(grid_tolerance=3.5))
    assert "layout.stranded-heads" not in codes(pages["stranded"], LayoutLimits(head_lines=1))
    assert "layout.frames" not in codes(pages["frame_off"], LayoutLimits(edge_tolerance=12))


def test_hole_share_is_measured(pages: dict[str, Path]) -> None:
    page = measure(pages["hole"]).pages[0]
    # Column 2 loses the text of grid lines 8-16 under the photo: a hole of 9 lines.
    expected = GRID.column * 9 * GRID.pitch / (GRID.type_width * GRID.lines * GRID.pitch)
    assert page.empty_share == pytest.approx(expected, rel=0.25)


@pytest.mark.slow
def test_layout_check_exits_1_on_a_clipped_headline(pages: dict[str, Path]) -> None:
    proc = layout_cli("check", str(pages["clipped"]), "--skip", "typography",
                      "--skip", "fidelity")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "L101" in proc.stdout
    proc = layout_cli("check", str(pages["good"]), "--skip", "typography",
                      "--skip", "fidelity", "--skip", "pdf.outline", "--skip", "pdf.metadata")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_closing_mark_may_hang_half_an_em() -> None:
    """A line ending with a squeezed closing mark reaches half an em past the edge in the
    PDF's glyph widths, though its ink does not; any other line may not."""
    from layout.check.layout import Piece, _hanging

    def piece(text: str) -> Piece:
        return Piece(text, 0.0, 10.0, 0.0, 10.0, 8.0, 10.0, "Noto-Serif-CJK-SC")

    assert _hanging(piece("写有个人信息的卡片，")) == pytest.approx(6.5)
    assert _hanging(piece("写有个人信息的卡片")) == pytest.approx(1.5)


def test_a_column_ending_in_a_box_has_its_foot_at_the_box() -> None:
    """A boxed sidebar's padding and border under its last line end its column."""
    from layout.check.layout import Piece, _run

    pitch = 15.0
    last = Piece("党建", 0.0, 20.0, 100.0, 110.0, 108.0, 10.0, "Noto-Serif-CJK-SC")
    assert _run(0, [last], 10.0, [110 + pitch + 1], pitch).foot == pytest.approx(108 + pitch)
    assert _run(0, [last], 10.0, [], pitch).foot == pytest.approx(108)
    # A box further down is not this run's.
    assert _run(0, [last], 10.0, [110 + 3 * pitch], pitch).foot == pytest.approx(108)
    # A smaller last line (a signature, a caption) is the foot too.
    small = Piece("编者", 0.0, 20.0, 115.0, 124.0, 123.0, 9.0, "AR-PL-UKai-CN")
    assert _run(0, [last, small], 10.0, [], pitch).foot == pytest.approx(123)


def test_lines_of_two_columns_are_two_pieces_across_a_narrow_gutter() -> None:
    """A squeezed colon ending column 1's line (its glyph box a full em) comes closer
    than an em to column 2's line: the gutter still separates them."""
    from types import SimpleNamespace

    from layout.check.layout import _pieces

    def char(text: str, x0: float) -> dict[str, object]:
        return {"text": text, "x0": x0, "x1": x0 + 10, "top": 90.0, "bottom": 100.0,
                "size": 10.0, "fontname": "Noto-Serif-CJK-SC", "upright": True,
                "matrix": (10, 0, 0, 10, x0, 12.0)}

    page = SimpleNamespace(height=112.0, bbox=(0, 0, 300, 112), chars=[
        char("者", 80), char("：", 90), char("复", 108), char("兴", 118)])
    assert [p.text for p in _pieces(page)] == ["者：复兴"]
    assert [p.text for p in _pieces(page, (104.0,))] == ["者：", "复兴"]


def test_a_hole_inside_a_compact_story_is_still_a_hole(tmp_path: Path) -> None:
    """A story that records where it ends (leaving the rest to other stories) is judged
    above that line only: a hole inside it is found; the band below is not counted."""
    holed = made_up_page(tmp_path / "holed.pdf", hole=True, free_from=GRID.lines - 4)
    assert codes(holed).get("layout.filled") == ["L102"]
    page = measure(holed).pages[0]
    assert page.free_from == pytest.approx(GRID.top + (GRID.lines - 4) * GRID.pitch, abs=0.01)
    cut = made_up_page(tmp_path / "cut.pdf", hole=True, free_from=PHOTO)
    assert "layout.filled" not in codes(cut)  # the hole lies below where the story ends


def _book_page(columns: int, band: int = 0) -> Page:
    """A page of ``columns`` columns as wide as one book measure: a short head (two lines of
    28 pt, a third of the measure) over five grid lines, then full body lines to the foot
    but for ``band`` empty lines in the middle."""
    from layout.check.layout import Piece, _measure_page

    width = 30 * EM
    column = (width - (columns - 1) * EM) / columns
    grid = Grid(width=width + 80, height=GRID.height, left=40.0, top=50.0, columns=columns,
                column=column, gutter=EM, pitch=15.0, lines=34)
    pieces = [Piece("标题", 40.0, 40.0 + width / 3, 50.0 + k * 2.5 * grid.pitch,
                    50.0 + (k + 1) * 2.5 * grid.pitch, 50.0 + (k + 0.8) * 2.5 * grid.pitch,
                    28.0, "Head") for k in range(2)]
    for i in range(5, grid.lines):
        if 15 <= i < 15 + band:
            continue
        top = grid.top + i * grid.pitch
        pieces.append(Piece("正文" * 15, 40.0, 40.0 + width, top, top + EM, top + EM, EM,
                            "Body"))
    return _measure_page(1, grid, (0.0, 0.0, grid.width, grid.height), pieces, [], EM,
                         LayoutLimits())


def test_one_column_counts_only_bands_across_the_measure() -> None:
    """One column (the book's): nothing can stand beside a line, so the space beside a
    ragged head is no hole (beside a short headline it was 6.4% of an A4 book page); an
    empty band across the measure still is.  With two columns the same space beside the
    head is a hole a desk would fill."""
    limit = LayoutLimits().max_empty
    assert not _book_page(1).holed(limit)
    assert _book_page(1, band=4).holed(limit)
    assert _book_page(2).holed(limit)


def test_a_frame_narrower_than_a_book_measure_stands_on_its_character_grid() -> None:
    """On a page of one column a whole number of body characters wide (the book's), a
    frame narrower than the measure is judged against the edges of the measure's
    characters (L107): a centred portrait 14 characters wide on 30 passes; moved by half a
    character, or half a character wider, it does not."""
    from layout.check.layout import Box, _frames_off_grid

    em = 10.5
    book = Grid(419.5, 595.3, 53.9, 56.7, 1, 30 * em, 0.0, 18.9, 25)
    columns = book.column_edges()

    def off(x0: float, chars: float) -> list[Box]:
        frame = Box("image", x0, 100.0, x0 + chars * em, 100.0 + 12 * book.pitch)
        return _frames_off_grid([frame], columns, book, 1.0, em)

    left = book.left + 8 * em
    assert off(left, 14) == [] and off(book.left, 30) == []
    assert off(left + em / 2, 14) and off(left, 14.5)
    # on a page of several columns a frame narrower than a column is no frame of the grid
    assert _frames_off_grid([Box("image", GRID.left + 5, 100.0, GRID.left + 5 + 6 * EM,
                                 100.0 + 12 * GRID.pitch)], GRID.column_edges(), GRID, 1.0,
                            EM) == []


def _spread(columns: list[list[tuple[float, float]]], boxes: list[tuple[str, float, float, int,
                                                                          int]]) -> float:
    """L104's spread of a module of two columns on GRID: ``columns`` their lines as
    (grid line of the baseline, size), ``boxes`` (kind, top and foot in grid lines, first
    and last column) pictures across them."""
    from layout.check.layout import Box, Piece, _modules, _runs

    edges = GRID.column_edges()
    pieces = [Piece("党建工作", lo, lo + 4 * size, GRID.top + line * GRID.pitch - size,
                    GRID.top + line * GRID.pitch + 0.2 * size, GRID.top + line * GRID.pitch,
                    size, "Noto-Serif-CJK-SC" if size == EM else "LXGW-WenKai")
              for (lo, _), lines in zip(edges, columns, strict=True) for line, size in lines]
    page = Page(1, GRID, pieces, [
        Box(kind, edges[first][0], GRID.top + top * GRID.pitch, edges[last][1],
            GRID.top + foot * GRID.pitch) for kind, top, foot, first, last in boxes])
    page.modules = _modules(_runs(edges, pieces, page.boxes, EM, GRID.pitch))
    (spread,) = page.foot_spreads()
    return spread


def test_a_caption_ends_its_column() -> None:
    """A column ending in a photo has its foot at the caption's last line (a line smaller
    than the body, under the picture): level with the text beside it, or short of it."""
    text = [(k, EM) for k in range(1, 24)]  # column 1: 23 lines
    photo = [("image", 3.2, 19.6, 1, 1)]  # column 2: 3 lines, the photo, its caption
    caption = [(20.0, 8.5), (21.0, 8.5), (22.0, 8.5)]
    assert _spread([text, [(1, EM), (2, EM), (3, EM), *caption]], photo) == pytest.approx(1)
    assert _spread([text, [(1, EM), (2, EM), (3, EM), *caption[:1]]], photo) == pytest.approx(3)
    # A photo cropped to its frame is drawn past its foot: the caption starts over it.
    assert _spread([text, [(1, EM), (2, EM), (3, EM), *caption]], [
        ("image", 3.2, 20.5, 1, 1)]) == pytest.approx(1)
    # A frame for position only holds its label, which is no caption.
    assert _spread([text, [(1, EM), (2, EM), (3, EM), (11.0, 8.5)]], [
        ("fill", 3.2, 19.6, 1, 1)]) == pytest.approx(20)


def test_a_caption_across_columns_ends_each_of_them() -> None:
    """The short last line of a caption under a photo across two columns stands in the
    first column only: it is the foot of both."""
    text = [(k, EM) for k in range(1, 11)]
    photo = [("image", 0.2, 8.6, 0, 1)]
    caption = [[(9.0, 8.5), (10.0, 8.5)], [(9.0, 8.5)]]
    below = [(k, EM) for k in range(11, 16)]  # the text under both: its own feet
    assert _spread(caption, photo) == pytest.approx(0)
    assert _spread([caption[0] + below, caption[1] + below], photo) == pytest.approx(0)
    # Small lines under no picture, apart from the text: no caption, no foot.
    assert _spread([text, [(1, EM), (2, EM), (9.0, 8.5)]], []) == pytest.approx(8)


def test_a_caption_with_text_under_it_or_a_head_under_a_band_is_no_foot() -> None:
    from layout.check.layout import Box, Piece, _runs

    edges = GRID.column_edges()
    lo, hi = edges[1]

    def line(at: float, size: float) -> Piece:
        base = GRID.top + at * GRID.pitch
        return Piece("党建工作", lo, lo + 4 * size, base - size, base + 0.2 * size, base, size,
                     "LXGW-WenKai")

    photo = Box("image", lo, GRID.top + 0.2 * GRID.pitch, hi, GRID.top + 8.6 * GRID.pitch)
    caption = [line(9, 8.5), line(10, 8.5)]
    text = [line(k, EM) for k in range(14, 20)]  # four lines of space, then the text

    def kinds(pieces: list[Piece], box: Box) -> list[str]:
        return ["caption" if r.caption else "text"
                for r in _runs([edges[1]], pieces, [box], EM, GRID.pitch)]

    assert kinds(caption, photo) == ["caption"]
    assert kinds(caption + text, photo) == ["text"]  # the text under it ends the column
    band = Box("fill", lo, GRID.top, hi, GRID.top + 1.6 * GRID.pitch)  # a kicker's band
    assert kinds([line(3, 20.0), line(5, 8.5)], band) == []  # a headline, a byline
