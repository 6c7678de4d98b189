"""Synthetic made-up pages for the L-family tests: text placed on a known grid.

``made_up_page(path, **defects)`` writes a PDF of two pages: two columns of body lines on
the baseline grid, flush to the foot, a picture frame standing on a column, and a jump
line whose text continues on page 2.  Each keyword turns one thing bad.
"""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML

from layout.makeup.grid import FREE_META, META_NAME, PT_PER_MM, Grid, describe_free

BODY = "Noto Serif CJK SC"
HEAD = "Noto Sans CJK SC"
TEXT = "党建工作引领企业发展凝聚人心共画同心圆新时代新征程新伟业激发创新活力"
EM = 10.0
GRID = Grid(width=148 * PT_PER_MM, height=210 * PT_PER_MM, left=40.0, top=50.0, columns=2,
            column=16 * EM, gutter=15.0, pitch=15.0, lines=34)
PHOTO = 8  # grid lines the picture frame takes at the head of column 2


def _line(x: float, y: float, text: str, size: float = EM, font: str = BODY,
          weight: str = "normal") -> str:
    return (f'<div style="position:absolute; left:{x}pt; top:{y}pt; font: {weight} {size}pt/'
            f"{GRID.pitch}pt '{font}'; white-space: nowrap\">{text}</div>")


# A justified line that ends in a mark squeezed to half an em (``halt``): 15 characters
# and the mark fill the column's 16 em, each character spaced by 1/32 em; the mark keeps
# its whole em of advance in the PDF's font widths, so its box reaches half an em past the
# column's right edge while its ink stays inside.
SQUEEZED = (f'<span style="letter-spacing: {EM / 32}pt">{TEXT[:15]}'
            '<span style="font-feature-settings: \'halt\'">：</span></span>')


def _column(k: int, first: int, last: int, shift: float = 0.0, head_at: int | None = None,
            squeezed_at: int | None = None) -> list[str]:
    left = GRID.column_edges()[k][0]
    out = []
    for i in range(first, last):
        y = GRID.top + i * GRID.pitch + shift
        if i == head_at:
            out.append(_line(left, y, TEXT[:8], font=HEAD, weight="bold"))
        else:
            out.append(_line(left, y, SQUEEZED if i == squeezed_at else TEXT[i % 10:][:16]))
    return out


def made_up_page(path: Path, *, clipped: bool = False, hole: bool = False,
                 off_grid: bool = False, ragged_feet: bool = False,
                 stranded: bool = False, dead_jump: bool = False,
                 frame_off: bool = False, free_from: int | None = None,
                 squeezed_end: bool = False) -> Path:
    """Write the synthetic page, with the defects asked for, to ``path``; ``free_from``
    records that the story ends at that grid line of page 1 (a compact module);
    ``squeezed_end`` ends one line of page 1 with a mark squeezed to half an em
    (:data:`SQUEEZED`; no defect)."""
    g = GRID
    (c1_left, _), (c2_left, c2_right) = g.column_edges()
    parts = []
    parts += _column(0, 0, g.lines - (3 if ragged_feet else 0),
                     head_at=g.lines - 2 if stranded else None,
                     squeezed_at=5 if squeezed_end else None)
    if clipped:
        # A headline too long for the page: WeasyPrint draws it past the trim.
        parts.append(_line(c1_left, g.top - 2 * g.pitch, TEXT * 2, size=12, font=HEAD,
                           weight="bold"))
    frame_left = c2_left + (10 if frame_off else 0)
    parts.append(f'<div style="position:absolute; left:{frame_left}pt; top:{g.top}pt; '
                 f'width:{c2_right - c2_left}pt; height:{PHOTO * g.pitch - 4}pt; '
                 'background:#ccc"></div>')
    text_from = g.lines // 2 if hole else PHOTO
    parts += _column(1, text_from, g.lines, shift=3.0 if off_grid else 0.0)
    jump = _line(c2_right - 7 * 8, g.bottom + 2, "（下转第2版）", size=8, font=HEAD)
    page2 = [_line(c1_left, g.top - 2 * g.pitch, "（上接第1版）", size=8, font=HEAD)]
    if dead_jump:
        page2.append(f'<div style="position:absolute; left:{c1_left}pt; top:{g.top}pt; '
                     f'width:{g.column}pt; height:{10 * g.pitch}pt; background:#ccc"></div>')
    else:
        page2 += _column(0, 0, g.lines) + _column(1, 0, g.lines)
    free = "" if free_from is None else (
        f'<meta name="{FREE_META}" content="{describe_free(1, g.top + free_from * g.pitch)}">')
    html = f"""<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">
<title>版面</title><meta name="{META_NAME}" content="{g.describe()}">{free}
<style>@page {{ size: {g.width}pt {g.height}pt; margin: 0 }}
body {{ margin: 0 }} .p {{ position: relative; height: {g.height - 1}pt; overflow: visible;
      break-after: page }}
</style></head><body>
<div class="p">{''.join(parts)}{jump}</div><div class="p">{''.join(page2)}</div>
</body></html>"""
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html).write_pdf(path, custom_metadata=True)
    return path
