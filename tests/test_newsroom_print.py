"""The print HTML of newsroom pieces: run-ins bold, interview speakers, photo news captions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from lxml import html as lxml_html

from layout.readers import read
from layout.settings import RunOptions, Settings
from layout.writers.html import render_html

from .conftest import SAMPLE
from .newsroom_copy import INTERVIEW, PHOTO_NEWS, THREE_LINE_HEAD

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess


def page_of(source: Path, typeset: bool = False) -> lxml_html.HtmlElement:
    settings = dataclasses.replace(Settings.default(page="a4"), run=RunOptions(typeset=typeset))
    return lxml_html.fromstring(render_html(read(source), settings))


def test_run_ins_of_the_sample_are_bold() -> None:
    page = page_of(SAMPLE)
    assert [e.text_content() for e in page.iter("strong") if e.get("class") == "run-in"] == [
        "园区创业，搭建思想交流的舞台。", "搭建平台，共同解决问题。", "凝心聚力，提升服务水平。",
        "引进人才，增强发展后劲。", "增强“四力”，感受活力。"]


def test_a_run_in_is_not_set_as_a_paragraph_end() -> None:
    """The paragraph goes on after a run-in: its last characters are not kept together
    (that rule would push "舞台。" to the next line and leave the line loose)."""
    run_ins = [e for e in page_of(SAMPLE, typeset=True).iter("strong")
               if e.get("class") == "run-in"]
    assert len(run_ins) == 5
    assert all(span.get("class") != "zn" for e in run_ins for span in e.iter("span"))
    paragraph = run_ins[0].getparent()
    assert any(span.get("class") == "zn" for span in paragraph.iter("span"))


def test_interview_speakers_are_set_apart(tmp_path: Path) -> None:
    source = tmp_path / "interview.txt"
    source.write_text(INTERVIEW, "utf-8")
    page = page_of(source)
    paragraphs = [p for p in page.iter("p") if p.get("class") in ("question", "answer")]
    assert [(p.get("class"), p.find("strong").text_content()) for p in paragraphs] == [
        ("question", "问："), ("answer", "答："), ("question", "问："), ("answer", "答：")]
    assert paragraphs[0].text_content() == "问：今年以来，贵省在绿色发展方面有哪些新举措？"


def test_photo_news_caption_has_no_empty_label(tmp_path: Path) -> None:
    source = tmp_path / "photo.txt"
    source.write_text(PHOTO_NEWS, "utf-8")
    (caption,) = page_of(source).iter("figcaption")
    assert caption.text_content().startswith("3月5日，农民在田间")
    assert caption.find(".//span[@class='label']") is None


def test_every_credit_of_a_byline_is_printed(tmp_path: Path) -> None:
    """"本报记者　周洋　通讯员　吴敏": the 通讯员 and the name after it stand in the byline
    as the source names them (a byline of one role prints as before)."""
    source = tmp_path / "three-line-head.txt"
    source.write_text(THREE_LINE_HEAD, "utf-8")
    byline = next(p for p in page_of(source).iter("p") if p.get("class") == "byline")
    assert [(s.get("class"), s.text) for s in byline.iter("span")] == [
        ("role kai", "本报记者"), ("author kai", "周洋"), ("role kai", "通讯员"),
        ("author kai", "吴敏")]
    assert byline.text_content() == "本报记者 周洋 通讯员 吴敏"
    sample = next(p for p in page_of(SAMPLE).iter("p") if p.get("class") == "byline")
    assert [s.get("class") for s in sample.iter("span")][0] == "role kai"
