"""Other shapes of newsroom exports, written by the tests themselves."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from layout.errors import LayoutError
from layout.readers import read
from layout.readers.decode import decode

ARTICLE = """\
　　新春走基层
　　山村里的新课堂
　　——记乡村教师的一天
　　本报记者　张三　李四
　　本报北京2月3日电（记者王五）　清晨六点，山路上已经有了学生的身影。老师们早早来到教室，生起炉火。
　　学校虽小，五脏俱全。图书角里摆满了捐赠的新书，孩子们围坐在一起读书。
扎根山村——
为了孩子们走出大山
　　上课铃响了。
　　李老师拿起粉笔，在黑板上写下今天的课题。孩子们的眼睛亮了起来，课堂上充满了笑声。
　　图1：李老师在给学生上课。本报记者　赵六摄
记者手记
　　在山村采访的三天，我看到了教育的力量。老师们的坚守令人动容，孩子们的笑脸令人难忘。
　　——张三
"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def check_article(doc) -> None:  # noqa: ANN001
    assert doc.kicker == "新春走基层"
    assert doc.title == "山村里的新课堂"
    assert doc.subtitle == "——记乡村教师的一天"
    assert doc.byline.role == "本报记者"
    assert doc.byline.authors == ["张三", "李四"]
    assert doc.dateline == "本报北京2月3日电（记者王五）"
    assert doc.lead[0].text.startswith("清晨六点")
    assert len(doc.lead) == 2
    (section,) = doc.sections
    assert section.title == "扎根山村"
    assert section.subtitle == "为了孩子们走出大山"
    assert [b.type for b in section.blocks] == ["lead_in", "paragraph"]
    (figure,) = doc.figures
    assert (figure.label, figure.credit) == ("图1", "本报记者　赵六摄")
    (sidebar,) = doc.sidebars
    assert sidebar.title == "记者手记"
    assert sidebar.entries[0].signature == "张三"
    assert not [w for w in doc.warnings if w.severity == "error"]


def test_indented_one_line_paragraphs(tmp_path: Path) -> None:
    check_article(read(write(tmp_path, "a.txt", ARTICLE.encode("utf-8"))))


def test_gb18030_with_crlf(tmp_path: Path) -> None:
    data = ARTICLE.replace("\n", "\r\n").encode("gb18030")
    doc = read(write(tmp_path, "a.txt", data))
    check_article(doc)
    assert "\r" not in doc.lead[0].text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_encodings(tmp_path: Path, encoding: str) -> None:
    data = ARTICLE.encode(encoding)
    assert data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    check_article(read(write(tmp_path, "a.txt", data)))


def test_blank_line_separated_with_several_reporters(tmp_path: Path) -> None:
    text = "\n\n".join(line.strip("　") for line in ARTICLE.splitlines())
    check_article(read(write(tmp_path, "a.txt", text.encode("utf-8"))))


def test_sidebar_titles_and_person_signatures(tmp_path: Path) -> None:
    text = ("标题一行\n\n本报记者 王五\n\n正文第一段写在这里，内容完整。\n\n\n\n短评\n\n"
            "评论的内容写在这里，观点鲜明。\n\n——王五\n\n第二条评论写在这里。\n\n——赵六\n")
    doc = read(write(tmp_path, "a.txt", text.encode("utf-8")))
    (sidebar,) = doc.sidebars
    assert sidebar.title == "短评"
    assert [e.signature for e in sidebar.entries] == ["王五", "赵六"]


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "R301"), (b"  \n\n", "R301"), (b"\x00\x01\x02binary\x00" * 10, "R302"),
     (b"\x80\xff\x80\xff", "R303"), (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "R303")],
)
def test_bad_input(data: bytes, code: str) -> None:
    with pytest.raises(LayoutError) as info:
        decode(data, "x.txt")
    assert info.value.code == code
    assert str(info.value).startswith(f"x.txt: {code} ")
