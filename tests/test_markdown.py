"""Markdown sources: the reader, the writer, and `layout import`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layout.model import Document
from layout.readers import read
from layout.readers.markdown import read_markdown
from layout.writers.markdown import escape, to_markdown

from .conftest import SAMPLE, layout_cli
from .newsroom_copy import ARCHIVE_THREE, FIXTURES

ARTICLE = """\
---
kicker: 新时代
title: 标题 <b>加粗</b>
subtitle: ——副标题
byline:
  role: 本报记者
  authors: [张三, 李四]
dateline: 本报北京3月5日电
editor_note:
  paragraphs:
    - 编者按第一段。
    - 编者按第二段。
  signature: 编者
figures:
  - label: 图①
    caption: 记者在现场采访。
    credit: 王五摄
    image: photo.jpg
sidebars:
  - title: 感言
    entries:
      - paragraphs: [感言一。]
        signature: 记者 张三
---

导语第一段，<script>alert(1)</script>原样保留。

## 第一节

*第一节的副标题*

**单独一句的引题。**

**园区创业，搭建舞台。**“来园区工作快一年了。”
他说。

## 第二节

第二节正文，
接着一行。Latin
words 之间加空格。
"""


def model(doc: Document) -> dict[str, Any]:
    """The JSON model without source lines and warnings."""
    return _strip_json(doc.to_json())


def test_front_matter_and_body() -> None:
    doc = read_markdown(ARTICLE, "a.md")
    assert doc.warnings == []
    assert (doc.kicker, doc.title, doc.subtitle) == ("新时代", "标题 <b>加粗</b>", "——副标题")
    assert doc.byline and doc.byline.authors == ["张三", "李四"] and doc.byline.line == 5
    assert doc.dateline == "本报北京3月5日电"
    assert doc.editor_note and doc.editor_note.lines == [11, 12]
    assert doc.editor_note.signature == "编者"
    assert [(f.label, f.credit, f.image, f.line) for f in doc.figures] == [
        ("图①", "王五摄", "photo.jpg", 15)]
    assert doc.sidebars[0].title == "感言" and doc.sidebars[0].line == 20
    assert doc.sidebars[0].entries[0].signature == "记者 张三"
    assert [(b.type, b.text, b.line) for b in doc.lead] == [
        ("paragraph", "导语第一段，<script>alert(1)</script>原样保留。", 26)]
    first, second = doc.sections
    assert (first.title, first.subtitle, first.line) == ("第一节", "第一节的副标题", 28)
    assert [(b.type, b.run_in, b.text, b.line) for b in first.blocks] == [
        ("lead_in", None, "单独一句的引题。", 32),
        ("paragraph", "园区创业，搭建舞台。", "“来园区工作快一年了。”他说。", 34),
    ]
    assert (second.title, second.subtitle) == ("第二节", None)
    assert second.blocks[0].text == "第二节正文，接着一行。Latin words 之间加空格。"


@pytest.mark.slow
def test_raw_html_is_text_in_the_outputs(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text(ARTICLE, "utf-8")
    out = tmp_path / "out"
    proc = layout_cli("build", str(source), "-o", str(out), "--format", "html", "-q")
    assert proc.returncode == 0, proc.stderr
    page = (out / "a.html").read_text("utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>加粗" not in page


def test_errors_have_lines(tmp_path: Path) -> None:
    text = """\
---
title: 标题
colour: red
figures:
  - label: 图①
    caption: 说明。
    size: big
---

正文。

- 列表

### 小标题

![图](x.jpg)
"""
    doc = read_markdown(text, "a.md")
    found = [(w.line, w.code, w.severity) for w in doc.warnings]
    assert found == [(3, "M102", "error"), (7, "M102", "error"), (12, "M205", "error"),
                     (14, "M204", "error"), (16, "M205", "error")]
    source = tmp_path / "a.md"
    source.write_text(text, "utf-8")
    proc = layout_cli("inspect", str(source))
    assert proc.returncode == 3
    assert f"{source}:3: M102 unknown key 'colour'" in proc.stderr


def test_bad_yaml_reports_its_line(tmp_path: Path) -> None:
    source = tmp_path / "bad.md"
    source.write_text("---\ntitle: 标题\nbyline: [unclosed\nkicker: x\n---\n\n正文。\n", "utf-8")
    proc = layout_cli("build", str(source), "-o", str(tmp_path / "out"))
    assert proc.returncode == 3
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{source}:") and " M101 " in lines[0]
    line = int(lines[0].split(":")[1])
    assert 3 <= line <= 5
    assert "Traceback" not in proc.stderr


def test_title_from_a_heading_and_formatting_warnings() -> None:
    doc = read_markdown("# 标题\n\n一段*强调*和[链接](http://x.cn)。\n", "a.md")
    assert doc.title == "标题" and doc.lead[0].text == "一段强调和链接。"
    assert {(w.code, w.line) for w in doc.warnings} == {("M301", 3)}
    missing = read_markdown("正文。\n", "a.md")
    assert [(w.code, w.severity) for w in missing.warnings] == [("M104", "error")]


def test_yaml_comments_are_not_article_text(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("---\n# 这是注释\ntitle: 标题  # 又一个注释\n---\n\n正文。\n", "utf-8")
    doc = read(source)
    assert not [w for w in doc.warnings if w.code == "R900"]


@pytest.mark.slow
def test_import_then_inspect_is_the_plain_text_model(tmp_path: Path) -> None:
    target = tmp_path / "sample.md"
    proc = layout_cli("import", str(SAMPLE), "-o", str(target), "-q")
    assert proc.returncode == 0, proc.stderr
    assert target.read_text("utf-8").startswith("---\nkicker: 新时代新征程新伟业\n")
    as_text = json.loads(layout_cli("inspect", str(SAMPLE), "--json").stdout)
    as_markdown = json.loads(layout_cli("inspect", str(target), "--json").stdout)
    assert _strip_json(as_markdown) == _strip_json(as_text)
    # the Markdown keeps its own lines: every block points into the .md file
    lines = target.read_text("utf-8").splitlines()
    for section in as_markdown["sections"]:
        assert lines[section["line"] - 1] == f"## {section['title']}"


def _strip_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_json(v) for k, v in value.items() if k not in ("line", "warnings")}
    if isinstance(value, list):
        return [_strip_json(v) for v in value]
    return value


@pytest.mark.slow
def test_import_refuses_to_overwrite(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(SAMPLE.read_bytes())
    assert layout_cli("import", str(source), "-q").returncode == 0
    assert (tmp_path / "a.md").is_file()
    assert layout_cli("import", str(source), "-q").returncode == 2
    assert layout_cli("import", str(source), "-q", "--force").returncode == 0


def test_writer_round_trips_every_kind_of_block() -> None:
    doc = read_markdown(ARTICLE, "a.md")
    again = read_markdown(to_markdown(doc), "b.md")
    assert model(again) == model(doc)


SPECIAL = "ab1.)#*_-+=>|~[]()!<&;`\\ 中文，。“”"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SPECIAL, min_size=1, max_size=24).filter(
    lambda t: t.strip() == t and t.strip()))
@pytest.mark.slow
def test_escaped_text_reads_back_exactly(text: str) -> None:
    source = f"---\ntitle: t\n---\n\n{escape(text)}\n\n**{escape(text)}**{escape(text)}\n"
    doc = read_markdown(source, "a.md")
    assert [w for w in doc.warnings if w.severity == "error"] == []
    plain, run_in = doc.lead
    assert plain.text == text
    assert (run_in.run_in, run_in.text) == (text, text)


@pytest.mark.slow
def test_txt_and_imported_md_are_refused_naming_both(tmp_path: Path) -> None:
    """`layout import` writes source/a.md beside source/a.txt: build names both, writes nothing."""
    project = tmp_path / "p"
    (project / "source").mkdir(parents=True)
    txt = project / "source" / "a.txt"
    txt.write_bytes(SAMPLE.read_bytes())
    imported = layout_cli("import", str(txt), "-q")
    assert imported.returncode == 0 and "A002" in imported.stdout
    proc = layout_cli("build", "-q", "--format", "html", cwd=project)
    assert proc.returncode == 2
    assert "A002" in proc.stderr and "a.txt" in proc.stderr and "a.md" in proc.stderr
    assert not (project / "build").exists()
    txt.rename(project / "a.txt")  # moved aside: the Markdown is the one source
    proc = layout_cli("build", "-q", "--format", "html", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert (project / "build" / "a.html").is_file()


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_newsroom_shape_round_trips_through_markdown(tmp_path: Path, name: str) -> None:
    """page metadata, columns, several stories, credits, speakers: import keeps them all."""
    source = tmp_path / f"{name}.txt"
    source.write_text(FIXTURES[name], "utf-8")
    doc = read(source)
    target = tmp_path / f"{name}.md"
    target.write_text(to_markdown(doc), "utf-8")
    again = read(target)
    assert [w for w in again.warnings if w.code != "R103"] == []
    assert _strip_json(again.to_json()) == _strip_json(doc.to_json())


@pytest.mark.slow
def test_several_stories_in_one_markdown_file(tmp_path: Path) -> None:
    source = tmp_path / "page.txt"
    source.write_text(ARCHIVE_THREE, "utf-8")
    target = tmp_path / "page.md"
    proc = layout_cli("import", str(source), "-o", str(target), "-q")
    assert proc.returncode == 0, proc.stderr
    text = target.read_text("utf-8")
    assert text.count("\n---\n") == 5 and text.startswith("---\npage:\n  date: '2001-03-05'\n")
    data = json.loads(layout_cli("inspect", str(target), "--json").stdout)
    assert list(data) == ["page", "stories", "warnings"]
    assert data["page"]["number"] == 4 and data["page"]["name"] == "要闻"
    lines = text.splitlines()
    for story in data["stories"]:  # lines point into the .md file, story by story
        assert lines[story["lead"][0]["line"] - 1] == story["lead"][0]["text"]
    outline = layout_cli("inspect", str(target)).stdout
    assert "story 2" in outline and "外贸开局平稳向好" in outline


def test_page_metadata_belongs_to_the_first_story() -> None:
    text = "---\ntitle: 一\n---\n\n正文。\n\n---\ntitle: 二\npage:\n  number: 4\n---\n\n正文。\n"
    doc = read_markdown(text, "a.md")
    assert [s.title for s in doc.stories()] == ["一", "二"]
    assert [(w.code, w.line) for w in doc.warnings] == [("M106", 7)]
    bad = read_markdown("---\ntitle: 一\npage:\n  number: 四\n  date: 3月5日\n---\n\n正文。\n",
                        "a.md")
    assert [(w.code, w.line) for w in bad.warnings] == [("M103", 5), ("M103", 4)]


def test_interview_speakers_in_markdown() -> None:
    doc = read_markdown("---\ntitle: 访谈\n---\n\n**记者：**怎么看？\n\n**周某某：**很好。\n\n"
                        "**园区创业，搭建舞台。**正文。\n", "a.md")
    assert [(b.type, b.speaker, b.run_in, b.text) for b in doc.lead] == [
        ("question", "记者", None, "怎么看？"), ("answer", "周某某", None, "很好。"),
        ("paragraph", None, "园区创业，搭建舞台。", "正文。")]


def test_a_photo_named_in_chinese_is_no_lost_text(tmp_path: Path) -> None:
    """A figure's image: is a file name, not article text: its Han characters are not owed."""
    (tmp_path / "photos").mkdir()
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: 标题\nfigures:\n  - label: 图①\n    caption: 说明。\n"
                      "    image: photos/图①现场.jpg\n---\n\n正文。\n", "utf-8")
    doc = read(source)
    assert not [w for w in doc.warnings if w.code == "R900"], doc.warnings
