"""Real newsroom shapes (invented copy, tests/newsroom_copy.py) read as a desk reads them."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layout.chars import han_chars
from layout.model import Document
from layout.readers import read
from layout.readers.archive import column_line

from .newsroom_copy import (
    ARCHIVE_ONE,
    ARCHIVE_THREE,
    BRIEFS,
    COMMENTARY,
    FIXTURES,
    INTERVIEW,
    PHOTO_NEWS,
    THREE_LINE_HEAD,
    TWO_LINE_DASH,
    TWO_LINE_PLAIN,
    WIRE,
)

_HALF_WIDTH_BETWEEN_HAN = re.compile(r"[\u4e00-\u9fff][,:;?!][\u4e00-\u9fff]")


def read_text(tmp_path: Path, text: str, name: str = "copy.txt") -> Document:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return read(path)


def summary(doc: Document) -> dict[str, Any]:
    """What a desk checks first: the head, the credits, and how the body starts."""
    blocks = [*doc.lead, *(b for s in doc.sections for b in s.blocks)]
    return {
        "column": doc.column, "kicker": doc.kicker, "title": doc.title,
        "subtitle": doc.subtitle,
        "byline": doc.byline.text if doc.byline else None,
        "dateline": doc.dateline, "authors": doc.dateline_authors,
        "blocks": [(b.type, b.speaker) if b.speaker else b.type for b in blocks],
        "first": blocks[0].text[:8] if blocks else None,
    }


PAGE_4 = {"date": "2001-03-05", "number": 4, "name": "要闻", "column": None,
          "paper": "某某日报", "line": 1}


def check_clean(doc: Document, page: dict[str, Any] | None = None) -> None:
    """The page metadata; no headline text inside a paragraph, no half-width , : between
    Han, no error."""
    assert (doc.page.to_json() if doc.page else None) == page
    for story in doc.stories():
        heads = [t for t in (story.kicker, story.title, story.subtitle) if t]
        for b in [*story.lead, *(b for s in story.sections for b in s.blocks)]:
            assert not any(h in b.text for h in heads), (b.line, b.text)
    texts = "\n".join(t for _, t in doc.texts())
    assert not _HALF_WIDTH_BETWEEN_HAN.search(texts)
    assert not [w for w in doc.warnings if w.severity == "error"], doc.warnings


def codes(doc: Document) -> list[tuple[str, int]]:
    return [(w.code, w.line) for w in doc.warnings]


def test_archive_page_with_one_story(tmp_path: Path) -> None:
    doc = read_text(tmp_path, ARCHIVE_ONE)
    check_clean(doc, PAGE_4)
    assert doc.following == []
    assert summary(doc) == {
        "column": None, "kicker": "稳住农业基本盘", "title": "春耕备耕有序展开",
        "subtitle": None, "byline": None, "dateline": "本报上海3月5日电记者王小明报道：",
        "authors": ["王小明"], "blocks": ["paragraph", "paragraph"], "first": "连日来，各地抓住"}
    assert codes(doc) == [("R405", 1), ("R103", 10), ("R103", 12)]
    assert "3 ， 1 ：" in doc.warnings[1].message
    # the page lines it does not print, and why (the running head gives the rest)
    assert doc.warnings[0].message == (
        "3 archive page lines read as page metadata are not printed as text: the running "
        "head gives the date, 第4版, the page's name “要闻”; the paper's name “某某日报” "
        "stays the publication's (--paper); 1 “专栏:” line names no column")
    # a single story keeps the schema of one document, plus its page
    data = doc.to_json()
    assert data["title"] == "春耕备耕有序展开" and data["page"]["number"] == 4


def test_archive_page_with_three_stories(tmp_path: Path) -> None:
    doc = read_text(tmp_path, ARCHIVE_THREE)
    check_clean(doc, PAGE_4)
    assert [summary(s) for s in doc.stories()] == [
        {"column": None, "kicker": "稳住农业基本盘", "title": "春耕备耕有序展开",
         "subtitle": None, "byline": None, "dateline": "本报上海3月5日电记者王小明报道：",
         "authors": ["王小明"], "blocks": ["paragraph", "paragraph"], "first": "连日来，各地抓住"},
        {"column": "经济观察", "kicker": None, "title": "外贸开局平稳向好",
         "subtitle": "——前两个月进出口增长百分之五", "byline": None,
         "dateline": "本报北京3月5日电记者李华报道：", "authors": ["李华"],
         "blocks": ["paragraph", "paragraph"], "first": "海关总署今天发布"},
        {"column": None, "kicker": None, "title": "城市更新让老街焕发新生", "subtitle": None,
         "byline": None, "dateline": "本报杭州3月5日电记者赵明、钱亮报道：",
         "authors": ["赵明", "钱亮"], "blocks": ["paragraph", "paragraph"],
         "first": "走进老城区，修缮"},
    ]
    data = doc.to_json()
    assert list(data) == ["page", "stories", "warnings"]
    assert [s["title"] for s in data["stories"]] == [
        "春耕备耕有序展开", "外贸开局平稳向好", "城市更新让老街焕发新生"]
    assert data["stories"][1]["column"] == "经济观察"
    assert all("warnings" not in s for s in data["stories"])
    assert ("R103", 21) in codes(doc)


def test_briefs_mixing_datelines(tmp_path: Path) -> None:
    doc = read_text(tmp_path, BRIEFS)
    check_clean(doc, {"date": None, "number": None, "name": None, "column": "简讯",
                      "paper": None, "line": 1})
    assert [(s.title, s.dateline, s.dateline_authors, len(s.lead), s.lead[0].text[:6])
            for s in doc.stories()] == [
        ("春季招聘会今起举行", "本报北京3月5日电　（记者张伟）", ["张伟"], 1, "北京市春季招"),
        ("铁路新线开通运营", "新华社成都3月5日电（记者刘洋、陈静）", ["刘洋", "陈静"], 1,
         "一条连接川西"),
        ("全民阅读活动启动", "本报讯（记者孙丽）", ["孙丽"], 1, "今年全民阅读"),
        ("新能源汽车销量增长", "【新华社重庆五日电】", [], 1, "记者从市经信"),
    ]
    assert all(s.column is None and s.kicker is None for s in doc.stories())
    assert codes(doc) == [("R103", 3)]


@pytest.mark.parametrize("role", ["本报评论员", "人民日报评论员", "本报特约评论员"])
def test_commentary_byline_is_a_role(tmp_path: Path, role: str) -> None:
    doc = read_text(tmp_path, COMMENTARY.replace("本报评论员", role))
    check_clean(doc)
    assert summary(doc) == {
        "column": None, "kicker": None, "title": "让创新活力充分涌流", "subtitle": None,
        "byline": role, "dateline": None, "authors": [],
        "blocks": ["paragraph"] * 3, "first": "创新是引领发展的"}
    assert doc.byline is not None and (doc.byline.role, doc.byline.authors) == (role, [])
    assert codes(doc) == []


def test_interview_with_inline_editor_note(tmp_path: Path) -> None:
    doc = read_text(tmp_path, INTERVIEW)
    check_clean(doc)
    assert summary(doc) == {
        "column": "高端访谈", "kicker": None, "title": "推动绿色发展迈上新台阶",
        "subtitle": "——访某省省长周某某", "byline": "本报记者 李明", "dateline": None,
        "authors": [], "first": "今年以来，贵省在",
        "blocks": [("question", "问"), ("answer", "答")] * 2}
    assert doc.editor_note is not None
    assert doc.editor_note.paragraphs[0].startswith("编者按：绿色发展是")
    assert doc.editor_note.lines == [5]
    assert doc.lead[3].to_json() == {"type": "answer", "text": doc.lead[3].text, "line": 9,
                                     "run_in": None, "speaker": "答"}
    assert codes(doc) == []


def test_interview_with_named_speakers(tmp_path: Path) -> None:
    text = INTERVIEW.replace("问：", "记者：").replace("答：", "周某某：")
    doc = read_text(tmp_path, text)
    assert [(b.type, b.speaker) for b in doc.lead] == [
        ("question", "记者"), ("answer", "周某某")] * 2


def test_photo_news(tmp_path: Path) -> None:
    doc = read_text(tmp_path, PHOTO_NEWS)
    check_clean(doc)
    assert (doc.column, doc.title, doc.lead, doc.page) == ("图片新闻", "春到田间", [], None)
    (figure,) = doc.figures
    assert figure.to_json() == {
        "label": "",
        "caption": "3月5日，农民在田间管理小麦。眼下正值春耕时节，各地农民抓住时机忙于农事。",
        "credit": "新华社记者 张三摄", "image": None, "line": 5}


def test_wire_copy_with_several_reporters(tmp_path: Path) -> None:
    doc = read_text(tmp_path, WIRE)
    check_clean(doc)
    assert summary(doc) == {
        "column": None, "kicker": None, "title": "我国成功发射新一代气象卫星", "subtitle": None,
        "byline": None, "dateline": "新华社酒泉11月29日电（记者 王某、李某）",
        "authors": ["王某", "李某"], "blocks": ["paragraph"] * 3, "first": "11月29日，我"}
    assert doc.to_json()["dateline_authors"] == ["王某", "李某"]


def test_three_line_headline_group_and_two_roles(tmp_path: Path) -> None:
    doc = read_text(tmp_path, THREE_LINE_HEAD)
    check_clean(doc)
    assert summary(doc) == {
        "column": None, "kicker": "聚焦春耕生产", "title": "良田沃野处处春",
        "subtitle": "——各地多措并举保障粮食丰收", "byline": "本报记者 周洋 通讯员 吴敏",
        "dateline": "本报长沙3月5日电", "authors": [], "blocks": ["paragraph"] * 2,
        "first": "连日来，湖南各地"}
    assert doc.byline is not None and doc.byline.to_json()["credits"] == [
        {"role": "本报记者", "authors": ["周洋"]}, {"role": "通讯员", "authors": ["吴敏"]}]
    assert codes(doc) == []


def test_two_line_group_with_dash(tmp_path: Path) -> None:
    doc = read_text(tmp_path, TWO_LINE_DASH)
    check_clean(doc)
    assert summary(doc) == {
        "column": None, "kicker": None, "title": "数字乡村建设提速",
        "subtitle": "——农村宽带接入用户超过一亿户", "byline": None,
        "dateline": "本报北京3月5日电（记者郑洁）", "authors": ["郑洁"],
        "blocks": ["paragraph"] * 2, "first": "记者从有关部门获"}
    assert codes(doc) == []


def test_two_line_group_without_dash_is_kicker_and_title(tmp_path: Path) -> None:
    doc = read_text(tmp_path, TWO_LINE_PLAIN)
    check_clean(doc)
    assert summary(doc) == {
        "column": None, "kicker": "各地积极推进老旧小区改造惠及千家万户", "title": "居民住得更舒心",
        "subtitle": None, "byline": None, "dateline": "本报讯", "authors": [],
        "blocks": ["paragraph"] * 2, "first": "今年以来，各地加"}
    # the upper line is the longer: the group could be title + subtitle, so it says so
    assert codes(doc) == [("R401", 1)]
    assert "引题" in doc.warnings[0].message and "各地积极推进" in doc.warnings[0].message
    # with the shorter line on top, the convention and the shape agree: no warning
    swapped = read_text(tmp_path, TWO_LINE_PLAIN.replace(
        "各地积极推进老旧小区改造惠及千家万户", "老旧小区改造"))
    assert (swapped.kicker, codes(swapped)) == ("老旧小区改造", [])


def test_stories_from_another_page_are_reported(tmp_path: Path) -> None:
    text = ARCHIVE_THREE.replace("第4版(要闻)\n专栏:经济观察", "第5版(经济)\n专栏:经济观察")
    doc = read_text(tmp_path, text)
    assert doc.page is not None and (doc.page.number, doc.page.name) == (4, "要闻")
    assert ("R404", 10) in codes(doc)


def test_a_sidebar_quoting_wire_copy_is_no_new_story(tmp_path: Path) -> None:
    text = WIRE + "\n\n\n链接\n\n新华社北京11月28日电　气象卫星是观测地球的眼睛。\n"
    doc = read_text(tmp_path, text)
    assert doc.following == [] and [s.title for s in doc.sidebars] == ["链接"]


def test_a_lone_short_line_is_kept_as_a_heading_and_reported(tmp_path: Path) -> None:
    doc = read_text(tmp_path, WIRE.replace("卫星顺利进入", "发射过程\n\n卫星顺利进入"))
    assert [(b.type, b.text) for b in doc.lead][1] == ("lead_in", "发射过程")
    assert codes(doc) == [("R402", 5)]


# the labels of page lines: what they label is kept in ``page`` and ``column``
METADATA_LABELS = re.compile(r"\d+年|\d+月|\d+日|第\d+版|专栏")


def _variant(text: str, blank_lines: bool, indent: bool, crlf: bool) -> str:
    lines = [line.strip("\u3000") for line in text.splitlines() if line.strip()]
    if indent:
        lines = ["\u3000\u3000" + line for line in lines]
    out = ("\n\n" if blank_lines else "\n").join(lines) + "\n"
    return out.replace("\n", "\r\n") if crlf else out


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(sorted(FIXTURES)), blank_lines=st.booleans(),
       indent=st.booleans(), crlf=st.booleans())
def test_every_han_character_lands_once(tmp_path_factory: pytest.TempPathFactory, name: str,
                                        blank_lines: bool, indent: bool, crlf: bool) -> None:
    """Han characters of the source == those of the model (a story's column included, it
    is printed) and of the page metadata."""
    text = _variant(FIXTURES[name], blank_lines, indent, crlf)
    doc = read_text(tmp_path_factory.mktemp("copy"), text)
    source = Counter(han_chars(text))
    model = Counter(han_chars("".join(t for _, t in doc.texts())))
    lines = text.replace("\r\n", "\n").split("\n")
    metadata = [lines[n - 1] for n in doc.metadata_lines]
    printed_columns = Counter(han_chars("".join(
        c for n in doc.metadata_lines if (c := column_line(lines[n - 1].strip())))))
    assert source + printed_columns == model + Counter(han_chars("".join(metadata)))
    kept = [doc.page.paper, doc.page.name, doc.page.column] if doc.page else []
    kept += [s.column for s in doc.stories()]
    # each story repeats its page line: every value is kept once (R404 if they differ)
    assert set(han_chars(METADATA_LABELS.sub("", "".join(metadata)))) <= set(
        han_chars("".join(filter(None, kept))))
    # the shape of the text does not change the reading
    plain = read_text(tmp_path_factory.mktemp("plain"), FIXTURES[name])
    assert [summary(s) for s in doc.stories()] == [summary(s) for s in plain.stories()]


def test_half_width_marks_between_han_only(tmp_path: Path) -> None:
    text = ("标题\n\n本报记者 王五\n\n他说:今年收入3,000元,比去年多;你信吗?\n\n"
            "会议10:30开始,随后说Hello, world (ok) 结束。\n")
    doc = read_text(tmp_path, text, "报道,总结.txt")
    assert doc.source.endswith("报道,总结.txt")  # a file name is not text
    first, second = (b.text for b in doc.lead)
    assert first == "他说：今年收入3,000元，比去年多；你信吗？"
    assert second == "会议10:30开始，随后说Hello, world (ok) 结束。"
    assert [(w.code, w.line, w.message.split(": ")[-1]) for w in doc.warnings] == [
        ("R103", 5, "1 ， 1 ： 1 ； 1 ？"), ("R103", 7, "1 ，")]


@pytest.mark.parametrize(("text", "dateline"), [
    ("本报上海3月5日讯　记者从市统计局获悉", "本报上海3月5日讯"),  # 日讯, as 电
    ("据新华社北京3月5日电　国务院日前印发通知", "据新华社北京3月5日电"),  # a reprint
    ("据新华社电　国务院日前印发通知", "据新华社电"),
])
def test_more_dateline_forms(tmp_path: Path, text: str, dateline: str) -> None:
    doc = read_text(tmp_path, f"标题一则\n\n{text}，全文如下。\n")
    assert doc.dateline == dateline
    assert doc.lead[0].text.startswith(text[len(dateline):].lstrip("\u3000")[:4])
