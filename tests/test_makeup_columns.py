"""Columns as boxes: the measure's line starts, paragraphs cut between columns, and the
column boxes of a made-up page (src/layout/makeup/columns.py)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from weasyprint import HTML

from layout.chars import han_chars
from layout.check.layout import LayoutLimits, layout_findings, measure
from layout.makeup.columns import Unplaceable, column_html, overfull, parse
from layout.makeup.figures import body_blocks, columns_for
from layout.makeup.flow import Item, Slot, simulate
from layout.makeup.grid import Grid, page_grid
from layout.makeup.measure import measure_blocks
from layout.readers import read
from layout.settings import Settings

from .conftest import SAMPLE, Builds

GRID = Grid(width=400.0, height=800.0, left=20.0, top=20.0, columns=1, column=100.0,
            gutter=10.0, pitch=12.0, lines=60)


def test_a_cut_counts_offsets_in_the_collapsed_text() -> None:
    """``Measured.breaks`` counts a run of white space as one character: the cut maps its
    offsets back to the element's own text."""
    body = '<p id="w">甲乙  丙丁\n 戊己</p>'
    pages = [[[Slot("w", "text", 0, 1, 2)], [Slot("w", "text", 1, 2, 2)]]]
    (first, second), = column_html(body, pages, {"w": (6,)})  # "甲乙 丙丁 " | "戊己"
    assert (first, second) == ('<p id="w" class="open">甲乙  丙丁\n </p>',
                               '<p id="w-2" class="cont">戊己</p>')


@pytest.mark.slow
def test_measured_breaks_cut_a_paragraph_into_its_lines() -> None:
    text = "党建工作引领企业发展，<span class=\"x\">凝聚人心共画同心圆</span>，新时代新征程" * 3
    html = (f'<html><body style="margin:0"><p id="p" style="width: {GRID.column}pt; '
            f'font: 10pt/{GRID.pitch}pt \'Noto Serif CJK SC\'; margin:0">{text}</p></body></html>')
    doc = HTML(string=html).render()
    measured = measure_blocks(doc, GRID)
    content = "".join(text.replace('<span class="x">', "").replace("</span>", ""))
    starts = (0, *measured.breaks["p"], len(content))
    rows = [content[a:b] for a, b in zip(starts, starts[1:], strict=False)]
    lines = [b for b in doc.pages[0]._page_box.descendants() if type(b).__name__ == "LineBox"]
    assert len(rows) == len(lines) > 2
    assert "".join(rows) == content
    assert rows[1:] == ["".join(t.text for t in line.descendants() if hasattr(t, "text"))
                        for line in lines[1:]]
    assert all(len(r) <= 10 for r in rows), rows  # 100pt of 10pt characters


BODY = ('<section class="section"><h2 id="h" style="margin-top: 0">头</h2>'
        '<p id="p">甲乙<span class="zq">，</span>丙丁<b>戊己</b>庚辛</p></section>'
        '<aside class="sidebar" id="s"><h2 class="sidebar-title" data-part="s">链接</h2>'
        '<div class="entry" id="e1"><p id="q">子丑寅卯</p>'
        '<p class="signature" data-part="e1-end">——某</p></div></aside>')
BREAKS = {"p": (3, 6), "q": (2,)}


def slot(key: str, kind: str, first: int, last: int, lines: int) -> Slot:
    return Slot(key, kind, first, last, lines)


def test_a_cut_paragraph_keeps_its_text_and_reopens_its_spans() -> None:
    pages = [[[slot("h", "head", 0, 2, 2), slot("p", "text", 0, 2, 3)],
              [slot("p", "text", 2, 3, 3)]]]
    (first, second), = column_html(BODY, pages, BREAKS)
    assert first == ('<section class="section open"><h2 id="h" style="margin-top: 0">头</h2>'
                     '<p id="p" class="open">甲乙<span class="zq">，</span>丙丁<b>戊</b></p>'
                     '</section>')
    assert second == ('<section class="section cont"><p id="p-2" class="cont"><b>己</b>庚辛</p>'
                      '</section>')
    text = "".join(parse(first).text() + parse(second).text()).replace("头", "")
    assert text == parse(BODY).walk()[3].text() == "甲乙，丙丁戊己庚辛"


def test_a_box_cut_between_columns_is_closed_and_opened_again() -> None:
    pages = [[[slot("s", "head", 0, 3, 3), slot("q", "text", 0, 1, 2)],
              [slot("q", "text", 1, 2, 2), slot("e1-end", "text", 0, 1, 1),
               slot("s-foot", "text", 0, 1, 1)]]]
    (first, second), = column_html(BODY, pages, BREAKS)
    assert first.startswith('<aside class="sidebar open" id="s"><h2 class="sidebar-title"')
    assert '<div class="entry open" id="e1"><p id="q" class="open">子丑</p>' in first
    assert second == ('<aside class="sidebar cont"><div class="entry cont"><p id="q-2" '
                      'class="cont">寅卯</p><p class="signature" data-part="e1-end">——某</p>'
                      '</div></aside>')
    ids = re.findall(r' id="([^"]+)"', first + second)
    assert len(ids) == len(set(ids))


def test_a_cut_the_measure_did_not_read_is_refused() -> None:
    pages = [[[slot("p", "text", 0, 2, 3)], [slot("p", "text", 2, 3, 3)]]]
    with pytest.raises(Unplaceable):
        column_html(BODY, pages, {"p": (3,)})  # two lines' starts for three lines: one
    with pytest.raises(Unplaceable):
        column_html(BODY, [[[slot("x", "text", 0, 1, 1)]]], BREAKS)  # not in the body


def body_text(pdf: Path) -> list[str]:
    """Per page, the Han characters set inside the type area, in the PDF's order (the
    running heads and jump lines, outside it, left out)."""
    grid = measure(pdf).pages[0].grid
    out = []
    document = pdfium.PdfDocument(str(pdf))
    for page in document:
        height = page.get_height()
        text = page.get_textpage().get_text_bounded(
            grid.left - 1, height - grid.bottom - 1, grid.right + 1, height - grid.top + 1)
        out.append(han_chars(text))
    document.close()
    return out


def cut_paragraphs(html: str) -> dict[str, int]:
    """The paragraphs the print HTML cuts between two columns of one page: id -> page."""
    pages = html.split('<div class="column-page')[1:]
    return {key: n for n, page in enumerate(pages)
            for key in re.findall(r'<p id="([^"]+)" class="[^"]*\bopen\b', page)
            if f'<p id="{key}-2" class="cont' in page}


@pytest.mark.slow
def test_cut_paragraphs_read_in_order_from_the_pdf(built: Builds, tmp_path: Path) -> None:
    """A paragraph cut between columns reads, from the PDF, as the paragraph: no character
    lost or doubled at the cut (those cut between pages: the fidelity check, F103)."""
    out = built(SAMPLE, preset="a4")
    html = (out / f"{SAMPLE.stem}.html").read_text("utf-8")
    blocks = {f"l{b.line}": b for b in body_blocks(read(SAMPLE))}
    cut = {k: n for k, n in cut_paragraphs(html).items() if k in blocks}
    assert cut
    pages = body_text(out / f"{SAMPLE.stem}.pdf")

    def whole(key: str, pages: list[str]) -> bool:
        b = blocks[key]
        return han_chars((b.run_in or "") + b.text) in pages[cut[key]]

    assert all(whole(k, pages) for k in cut), [k for k in cut if not whole(k, pages)]
    # Broken on purpose: the second fragment of a cut paragraph begins with the first
    # fragment's last character again, and the measure finds it.
    first = next(iter(cut))
    broken = re.sub(rf'(<p id="{first}-2" class="cont">)', r"\1党", html, count=1)
    assert broken != html
    bad = tmp_path / "broken.pdf"
    HTML(string=broken, base_url=str(out)).write_pdf(bad, custom_metadata=True)
    assert not whole(first, body_text(bad))


@pytest.mark.slow
@pytest.mark.parametrize("depth", [3, 2])
def test_a_column_deeper_than_planned_is_found(depth: int) -> None:
    """Three lines in a box of three lines fit; in a box of two (broken on purpose) the
    build must set the body again."""
    html = ('<html><body style="margin:0"><div style="position: relative; height: 100pt">'
            f'<div class="column" style="position: absolute; width: 60pt; height: '
            f'{depth * 12}pt"><p style="margin:0; font: 10pt/12pt \'Noto Serif CJK SC\'">'
            '一<br>二<br>三</p>'
            '</div></div></body></html>')
    assert overfull(HTML(string=html).render(), 1) == (depth < 3)
    assert overfull(HTML(string=html).render(), 2)  # planned on two pages, set on one


@pytest.mark.slow
def test_photos_span_columns_on_the_broadsheet(built: Builds) -> None:
    """The sample's frames across two columns of the broadsheet, at the head of the
    columns they span: on column edges, the column feet flush, the body lines on the grid,
    no character of the source lost."""
    pdf = built(SAMPLE) / f"{SAMPLE.stem}.pdf"
    report = measure(pdf)
    grid = report.pages[0].grid
    wide = [b for page in report.pages for b in page.boxes if b.kind in ("fill", "image")
            and b.x1 - b.x0 > 1.5 * grid.column and b.bottom - b.top > 3 * grid.pitch]
    assert len(wide) >= 3
    lefts = [lo for lo, _ in grid.column_edges()]
    rights = [hi for _, hi in grid.column_edges()]
    for box in wide:
        assert min(abs(box.x0 - x) for x in lefts) < 1 and min(abs(box.x1 - x) for x in rights) < 1
    figures = report.summary()
    assert figures["frames_off_grid"] == 0 and figures["on_grid_share"] >= 0.95
    assert not layout_findings(report, LayoutLimits())["layout.column-feet"]
    document = pdfium.PdfDocument(str(pdf))
    printed = Counter(han_chars("".join(p.get_textpage().get_text_range() for p in document)))
    document.close()
    source = Counter(han_chars("".join(t for _, t in read(SAMPLE).texts())))
    assert not source - printed


def test_a_photo_across_columns_takes_the_head_of_the_next_ones() -> None:
    """A two-column photo after a paragraph that ends mid-column goes to the head of the
    next two columns, whose text starts below it; one whose text reaches the last column
    goes to the head of the next page's first two."""
    items = [Item("a", "text", 15), Item("p", "photo", 8, margin=1, span=2),
             Item("b", "text", 40), Item("q", "photo", 8, margin=1, span=2),
             Item("c", "text", 30)]
    flow = simulate(items, 4, [20], 20)
    assert [(a.key, a.page, a.column, a.span, a.top, a.lines) for a in flow.across] == [
        ("p", 0, 1, 2, 0, 7), ("q", 1, 0, 2, 0, 7)]
    pages = flow.column_pages()
    assert pages[0].tops == (0, 7, 7, 0) and pages[1].tops == (7, 7, 0, 0)
    # the columns under the photo hold 13 lines of text each
    assert [[(s.key, s.last - s.first) for s in c] for c in pages[0].columns] == [
        [("a", 15), ("b", 5)], [("b", 13)], [("b", 13)], [("b", 9), ("c", 11)]]


@pytest.mark.parametrize(("ratio", "photo", "lead", "preset", "span"), [
    (1.5, True, True, "broadsheet", 3), (1.5, True, True, "a4", 2),
    (1.5, True, False, "a4", 1), (0.67, True, False, "broadsheet", 1),
    (1.0, True, True, "tabloid", 2), (1.5, False, True, "a3", 2)])
def test_photos_span_columns_by_shape_and_place(ratio: float, photo: bool, lead: bool,
                                                preset: str, span: int) -> None:
    grid = page_grid(Settings.default("newspaper", preset).design.page)
    assert columns_for(grid, ratio, photo, lead) == span
