"""Print page equivalents: the EPUB's page-break markers sit where the printed pages begin."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader
from weasyprint import HTML

from layout.readers import read
from layout.writers.pagination import PrintFlow, place_page_breaks, print_flow, significant

from .conftest import SAMPLE, Builds
from .epub_support import NS, Epub, assert_valid, build, check_page_starts

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

X = f"{{{NS['x']}}}"


@pytest.fixture(scope="module")
def a4(built: Builds) -> tuple[Epub, Path]:
    out = built(SAMPLE, preset="a4")
    return Epub(out / f"{SAMPLE.stem}.epub"), out / f"{SAMPLE.stem}.pdf"


def long_article(folder: Path) -> Path:
    """An article of long paragraphs, so that printed pages begin mid-paragraph."""
    body = "\n\n".join("".join(f"第{n}段第{m}句：各地创新工作方法，服务群众，推动发展取得新成效。"
                               for m in range(1, 13)) for n in range(1, 13))
    source = folder / "long-article.txt"
    source.write_text("\n\n".join([
        "综合报道", "长文测试：基层党建工作综述", "本报记者 王明",
        "一、夯实基层基础——", "推动工作落地见效", body,
        "二、创新工作方法——", "让党建工作活起来", body.replace("段", "节"),
    ]) + "\n", "utf-8")
    return source


def test_a4_page_list_matches_the_pdf(a4: tuple[Epub, Path]) -> None:
    book, pdf = a4
    assert len(PdfReader(pdf).pages) >= 3
    check_page_starts(book, pdf, read(SAMPLE))
    assert_valid(book.path)


def test_pages_beginning_mid_paragraph(tmp_path: Path) -> None:
    source = long_article(tmp_path)
    book = Epub(build(source, tmp_path / "out", "--page", "a4", "--format", "pdf,epub"))
    pdf = tmp_path / "out" / f"{source.stem}.pdf"
    assert len(PdfReader(pdf).pages) >= 4
    check_page_starts(book, pdf, read(source))
    inside = [m for _, m in book.markers()
              if m.getparent().tag == f"{X}p" and significant(m.getparent().text or "")]
    assert inside, "no printed page began inside a paragraph"
    assert_valid(book.path)


def test_print_flow_and_placement_unit(tmp_path: Path) -> None:
    """Directly on WeasyPrint: running heads and aria-hidden frames are not content."""
    para = "这是一个很长的段落，用来跨越页面。" * 40
    html = f"""<html lang="zh-Hans"><head><style>
      @page {{ size: 80mm 60mm; margin: 10mm; @top-center {{ content: "页眉" }} }}
      body {{ font-size: 10pt; }}</style></head><body>
      <h1 id="headline">标题</h1><div aria-hidden="true" id="fpo">装饰</div>
      <p id="l3">{para}</p><p id="l5">第二段。</p></body></html>"""
    flow = print_flow(HTML(string=html, base_url=str(tmp_path)).render())
    assert "页眉" not in flow.units and "装饰" not in flow.units
    assert flow.units == significant("标题" + para + "第二段。")
    assert flow.page_starts[0] == 0 and len(flow.page_starts) >= 3
    assert flow.page_starts == sorted(flow.page_starts)
    xhtml = etree.fromstring(
        f'<html xmlns="{NS["x"]}"><body><h1 id="headline">标题</h1>'
        f'<p id="l3">{para}</p><p id="l5">第二段。</p></body></html>')
    body = xhtml.find(f"{X}body")
    breaks, diagnostics = place_page_breaks(flow, [body])
    assert not diagnostics
    assert [b.page for b in breaks] == list(range(1, len(flow.page_starts) + 1))
    assert body[0].get("id") == "page-1"  # before the heading, not inside it
    text = "".join(body.itertext())
    for n, start in enumerate(flow.page_starts[1:], start=2):
        (marker,) = body.xpath("//*[@id=$id]", id=f"page-{n}")
        assert marker.getparent().get("id") == "l3"
        before = significant("".join(marker.getparent().text or "") + "".join(
            "".join(s.itertext()) + (s.tail or "") for s in marker.itersiblings(preceding=True)))
        assert len(significant("标题")) + len(before) == start
    assert significant(text) == flow.units


def _body(*paragraphs: tuple[str, str]) -> etree._Element:
    xhtml = etree.fromstring(f'<html xmlns="{NS["x"]}"><body>' + "".join(
        f'<p id="{pid}">{text}</p>' for pid, text in paragraphs) + "</body></html>")
    return xhtml.find(f"{X}body")


def test_placement_finds_the_print_text_when_offsets_disagree() -> None:
    flow = PrintFlow("甲乙丙丁戊己庚辛", page_starts=[0, 4], anchors=[("l1", 0), ("l2", 4)])
    # The EPUB has an extra character before the page start inside l2's anchor range.
    body = _body(("l1", "甲乙丙丁"), ("l2", "＊戊己庚辛"))
    breaks, diagnostics = place_page_breaks(flow, [body])
    assert not diagnostics and [b.page for b in breaks] == [1, 2]
    (marker,) = body.xpath("//*[@id='page-2']")
    assert marker.getparent().get("id") == "l2" and marker.tail == "戊己庚辛"


def test_placement_reports_text_it_cannot_find() -> None:
    flow = PrintFlow("甲乙丙丁戊己", page_starts=[0, 3], anchors=[("l7", 0), ("l9", 3)])
    body = _body(("l7", "甲乙丙"), ("l9", "子丑寅"))
    breaks, diagnostics = place_page_breaks(flow, [body])
    assert [b.page for b in breaks] == [1, 2]
    assert [(d.code, d.line, d.severity) for d in diagnostics] == [("B321", 9, "warning")]
    assert "printed page 2" in diagnostics[0].message
