"""Columns as boxes: the measure's line starts, paragraphs cut between columns, and the
column boxes of a made-up page (src/layout/makeup/columns.py)."""

from __future__ import annotations

import pytest
from weasyprint import HTML

from layout.makeup.grid import Grid
from layout.makeup.measure import line_starts, measure_blocks

GRID = Grid(width=400.0, height=800.0, left=20.0, top=20.0, columns=1, column=100.0,
            gutter=10.0, pitch=12.0, lines=60)


def test_line_starts_follow_the_collapsed_text() -> None:
    content = "甲乙丙丁\n  戊己 庚辛"
    assert line_starts(content, ["甲乙丙丁 ", "戊己 ", "庚辛"]) == (7, 10)
    assert line_starts("甲乙\u200b“丙”", ["甲乙\u200b", "“丙”"]) == (3,)


def test_line_starts_refuse_a_line_that_is_not_the_text() -> None:
    with pytest.raises(ValueError):
        line_starts("甲乙丙丁", ["甲乙", "丁丙"])


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
