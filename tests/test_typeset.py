"""The Chinese typesetting layer: markup spans, and justification measured in the PDF."""

from __future__ import annotations

import html
import io
import re
import subprocess
from collections import defaultdict

import pdfplumber
import pypdfium2 as pdfium
import pytest
from weasyprint import HTML

from layout.chars import is_han, is_latin
from layout.typeset import check_internals, headline_markup, justification, typeset_markup
from layout.typeset.justify import levelled
from layout.typeset.markup import BREAK, last_line_mark
from layout.writers import pdf  # noqa: F401 - installs the layer

TAGS = re.compile(r"<[^>]+>")
HAN_SPACE_HAN = re.compile(r"[\u4e00-\u9fff][ \u3000]+[\u4e00-\u9fff]")


def plain(markup: str) -> str:
    return html.unescape(TAGS.sub("", markup).replace(BREAK, ""))


@pytest.mark.parametrize("text", [
    "他说：“我们马上回去研究。”北京市京西玉泉花卉市场……",
    "潜行公司的销售规模从2021年的5000万元迅速增长到2022年1亿元，增长100%。",
    "政策 and 党中央——<script>alert(1)</script>",
])
def test_markup_keeps_every_character(text: str) -> None:
    assert plain(str(typeset_markup(text))) == text


def test_first_mark_of_a_pair_is_squeezed() -> None:
    out = str(typeset_markup("研究。”北京"))
    assert '<span class="zq">。</span>”' in out
    assert '<span class="zq">' not in str(typeset_markup("研究，北京"))  # a lone mark


def test_han_latin_runs_get_spacing_only_beside_han() -> None:
    out = str(typeset_markup("从2021年到iPhone 15，"))
    assert '<span class="zl zl-se">2021</span>' in out
    assert '<span class="zl zl-s">iPhone</span>' in out  # a space follows: no margin there
    assert " 15，" in out  # neither side touches Han


def test_double_marks_stay_with_the_character_before() -> None:
    assert '<span class="zn">员——</span>' in str(typeset_markup("覆盖万千党员——党员工作在哪里"))


def test_last_two_characters_kept_together() -> None:
    out = str(typeset_markup("不断创造新的更大业绩。"))
    assert out.endswith('<span class="zn">业绩。</span>')


def test_breaks_allowed_beside_quotation_marks() -> None:
    out = str(typeset_markup("现在街边有‘家’，累了"))
    assert f"有{BREAK}‘家" in out
    assert f"{BREAK}，" not in out  # never before a comma


def test_weasyprint_internals_are_as_expected() -> None:
    check_internals()


PARAGRAPH = ("各类新经济组织、新社会组织发扬传统，与时俱进，做到党员工作生活在哪里，党组织就覆盖到"
             "哪里，让党员无论在哪里都能找到组织。“现在街边有‘家’，累了回‘家’。”潜行公司的销售规模"
             "从2021年的5000万元迅速增长到2022年1亿元，增长100%。")


def lines_of(pdf_bytes: bytes) -> list[tuple[float, float, str]]:
    """(x0, x1, text) of each line of text, top to bottom."""
    rows: dict[float, list[dict]] = defaultdict(list)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as doc:
        for ch in doc.pages[0].chars:
            rows[round(ch["top"], 0)].append(ch)
    out = []
    for _, chars in sorted(rows.items()):
        chars.sort(key=lambda c: c["x0"])
        out.append((chars[0]["x0"], chars[-1]["x1"], "".join(c["text"] for c in chars)))
    return out


def render(typeset: bool, paragraph: str = PARAGRAPH, width: float = 100) -> bytes:
    text = typeset_markup(paragraph) if typeset else paragraph
    page = f"""<html lang="zh-Hans"><style>
      @page {{ size: {width + 20}pt 400pt; margin: 10pt }} body {{ margin: 0 }}
      p {{ font: 10pt "Noto Serif CJK SC"; text-align: justify; text-indent: 2em; margin: 0 }}
      .zq {{ font-feature-settings: "halt" }} .zl-s, .zl-se {{ margin-left: .25em }}
      .zl-e, .zl-se {{ margin-right: .25em }} .zn {{ white-space: nowrap }}
    </style><p>{text}</p></html>"""
    with justification() if typeset else pdf.contextlib.nullcontext():
        return HTML(string=page).write_pdf()


def short_lines(pdf_bytes: bytes) -> list[str]:
    lines = lines_of(pdf_bytes)
    edge = 110.0  # the 120 pt page less its 10 pt right margin
    return [t for x0, x1, t in lines[:-1] if edge - x1 > 1.0]  # 0.1 em at 10 pt


def test_lines_end_flush_with_the_layer() -> None:
    assert short_lines(render(True)) == []


def test_lines_are_ragged_without_the_layer() -> None:
    assert len(short_lines(render(False))) >= 3


def test_slack_levels_the_gaps_beside_a_margin() -> None:
    assert levelled([0.0, 0.0, 0.0], 3.0) == (1.0, [1.0, 1.0, 1.0])
    # Han–Latin margins of 2 take nothing while the other gaps are below them...
    assert levelled([2.0, 0.0, 0.0, 2.0], 3.0) == (1.5, [0.0, 1.5, 1.5, 0.0])
    # ... and what the others exceed them by once they are above
    assert levelled([2.0, 0.0], 4.0) == (3.0, [1.0, 3.0])


# Latin runs and numbers in an 11-em column (the broadsheet's): lines spread by their breaks
LATIN = ("这套系统基于AI视觉和5G网络，能在3秒内识别200多种病虫害，准确率超过98%。过去一个人管50亩"
         "地，现在借助GPS导航拖拉机，一个人能管500亩。据统计，2023年全市新能源汽车产量达到35.6万辆，"
         "同比增长42%，出口额突破120亿元。")
MARGIN = 0.25  # em, the Han–Latin margin of render()'s style


def gaps_of(pdf_bytes: bytes) -> list[tuple[list[float], list[float]]]:
    """(Han–Han gaps, Han–Latin gaps) in em of each line but the last, at 10 pt."""
    rows: dict[float, list[dict]] = defaultdict(list)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as doc:
        for ch in doc.pages[0].chars:
            rows[round(ch["top"], 0)].append(ch)
    out = []
    for _, chars in sorted(rows.items())[:-1]:
        chars.sort(key=lambda c: c["x0"])
        han, mixed = [], []
        for a, b in zip(chars, chars[1:], strict=False):
            gap = (b["x0"] - a["x1"]) / 10
            if is_han(a["text"]) and is_han(b["text"]):
                han.append(gap)
            elif is_latin(a["text"]) != is_latin(b["text"]) and (
                    is_han(a["text"]) or is_han(b["text"])):
                mixed.append(gap)
        out.append((han, mixed))
    return out


def test_a_latin_run_is_not_set_looser_than_the_han_around_it() -> None:
    """A spread line's gaps look even: a Han–Latin gap is its margin, or the Han gaps'
    size where those are wider, never the margin and the Han gap added (T105)."""
    lines = gaps_of(render(True, LATIN, 110))
    assert any(han and max(han) > 0.05 and mixed for han, mixed in lines)  # spread, with Latin
    for han, mixed in lines:
        level = max([MARGIN, *han])
        assert all(MARGIN - 0.02 <= gap <= level + 0.02 for gap in mixed), (han, mixed)


def caption(mark: str) -> list[tuple[float, float, str]]:
    """A caption whose credit, kept whole, does not fit on its text's line: ~13.5 em of text
    and an 8-em credit in 18 em."""
    page = f"""<html lang="zh-Hans"><style>@page {{ size: 200pt 100pt; margin: 10pt }}
      body {{ margin: 0 }} p {{ font: 10pt "Noto Serif CJK SC"; text-align: justify; margin: 0 }}
      .credit {{ white-space: nowrap; margin-left: 1em }}
    </style><p>图1：农技人员查看作物长势。{mark}<span class="credit">本报记者 王芳摄</span></p>
    </html>"""
    with justification():
        return lines_of(HTML(string=page).write_pdf())


def test_a_line_ending_at_the_last_line_mark_is_not_spread() -> None:
    (x0, x1, text), (_, _, credit) = caption(last_line_mark())
    assert (text, credit) == ("图1：农技人员查看作物长势。", "本报记者 王芳摄")
    assert x1 - x0 < 140  # set solid: 13.5 em (the digit is narrower)
    (x0, x1, text), _ = caption(BREAK)  # a plain break opportunity: spread to the measure
    assert x1 - x0 == pytest.approx(180, abs=1)


def test_extracted_text_is_the_source(tmp_path) -> None:  # noqa: ANN001
    data = render(True)
    assert "".join(t for *_, t in lines_of(data)) == PARAGRAPH.replace(" ", "")
    path = tmp_path / "p.pdf"
    path.write_bytes(data)
    poppler = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                             check=True).stdout
    viewer = pdfium.PdfDocument(str(path))[0].get_textpage().get_text_range()
    for copied in (poppler, viewer):
        assert "".join(copied.split()) == PARAGRAPH.replace(" ", "")
        assert not HAN_SPACE_HAN.search(copied), copied
        assert "\u200b" not in copied and "\u2060" not in copied


def test_tail_spans_numbers_between_the_last_two_han() -> None:
    out = str(typeset_markup("中小企业4家。"))
    assert out.endswith('<span class="zn">业<span class="zl zl-se">4</span>家。</span>')
    # A text ending on a number cannot end on a lone Han character: nothing to keep.
    assert 'class="zn"' not in str(typeset_markup("同比增长35%。"))


def test_headline_breaks_between_clauses() -> None:
    out = str(headline_markup("增强党建凝聚力 共画发展同心圆"))
    assert out.startswith('<span class="zn">增强党建凝聚力</span> <span class="zn">')


def test_a_mark_pair_across_a_break_opportunity_reads_squeezed() -> None:
    """A text box opening with the break opportunity before an opening quote (。“) is drawn
    without the empty string WeasyPrint starts it with: pdfminer, as `layout check` reads
    the PDF, counted the line's character spacing before the quote and read the pair a gap
    apart (T104), though viewers draw it squeezed to half an em."""
    page = """<html lang="zh-Hans"><style>@page { size: 130pt 100pt; margin: 10pt }
      body { margin: 0 } p { font: 10pt "Noto Serif CJK SC"; text-align: justify; margin: 0 }
      .zq { font-feature-settings: "halt" } .zn { white-space: nowrap }
    </style><p>""" + str(typeset_markup("象象。“过去一个人管亩地，现在借助导航拖拉机"))
    page += "</p></html>"
    with justification():
        data = HTML(string=page).write_pdf()
    with pdfplumber.open(io.BytesIO(data)) as doc:
        chars = {c["text"]: c["x0"] for c in doc.pages[0].chars if c["top"] < 30}
    assert chars["“"] - chars["。"] == pytest.approx(5.0, abs=0.05)  # half an em, no gap
