"""Missing glyphs are reported before rendering, with code point, character and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout import glyphs
from layout.glyphs import Charset, missing_glyphs, uncovered
from layout.readers import read
from layout.settings import load_style

from .conftest import SAMPLE, run_layout

# U+20000 (CJK Extension B) turns up in personal and place names; the Noto CJK SC fonts
# and AR PL UKai do not have it.  U+F0000 is a private-use character no font here has.
RARE = "\U00020000"
PRIVATE = "\U000F0000"
SOURCE = f"""眉题

一篇短文的标题

本报记者 张三

第一段正文，讲述事情的经过。

第二段正文里有个生僻字{RARE}，还有私用区字符{PRIVATE}和{RARE}。
"""
FONTS = load_style("newspaper").fonts


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    path = tmp_path / "rare.txt"
    path.write_text(SOURCE, "utf-8")
    return path


def test_charset_ranges() -> None:
    charset = Charset.parse("20-7e a0 4e00-9fff")
    assert 0x41 in charset and 0xA0 in charset and 0x4E2D in charset
    assert 0x1F not in charset and 0xA1 not in charset and 0xA000 not in charset


def test_uncovered_character_reported_with_code_point_and_line(source: Path) -> None:
    found = missing_glyphs(read(source), FONTS)
    assert [d.format(str(source)) for d in found] == [
        f"{source}:9: G101 U+20000 {RARE} is not covered by any configured font "
        "(2 times, first here)",
        f"{source}:9: G101 U+F0000 {PRIVATE} is not covered by any configured font",
    ]
    assert {d.severity for d in found} == {"warning"}


def test_each_story_reports_its_own_characters(tmp_path: Path) -> None:
    """A source of several stories is laid out story by story: a character of the second
    story is reported once, by the second story, at its line."""
    path = tmp_path / "two.txt"
    path.write_text("第一条消息标题\n　　本报北京3月5日电  第一条消息的内容。\n第二条消息标题\n"
                    f"　　本报上海3月5日电  第二条消息有生僻字{RARE}。\n", "utf-8")
    first = read(path)
    assert len(first.following) == 1
    assert missing_glyphs(first, FONTS) == []
    assert [(d.code, d.line) for d in missing_glyphs(first.following[0], FONTS)] == [
        ("G101", 4)]


def test_sample_is_fully_covered() -> None:
    assert missing_glyphs(read(SAMPLE), FONTS) == []


def test_a_character_counts_as_covered_if_any_role_has_it() -> None:
    """UKai (the note role) lacks Extension A characters such as U+3400 that Noto has."""
    assert uncovered({"\u3400", "中"}, ["AR PL UKai CN"]) == {"\u3400"}
    assert uncovered({"\u3400", "中"}, ["AR PL UKai CN", "Noto Serif CJK SC"]) == set()
    doc = read(SAMPLE)
    doc.sidebars[0].entries[0].paragraphs[0] += "\u3400"
    assert missing_glyphs(doc, FONTS) == []
    assert [d.line for d in missing_glyphs(doc, {"note": ["AR PL UKai CN"]})] == [
        doc.sidebars[0].entries[0].lines[0]]


def test_spaces_controls_and_variation_selectors_need_no_glyph() -> None:
    doc = read(SAMPLE)
    doc.lead[0].text += "\u3000\u200b\u2060\ufe0f\u00ad"
    assert missing_glyphs(doc, FONTS) == []


def test_a_style_whose_fonts_are_not_installed_gets_a_short_report() -> None:
    found = missing_glyphs(read(SAMPLE), {"body": ["No Such Font Family"]})
    assert len(found) == glyphs.MAX_REPORTED + 1
    assert "more characters are not covered by any configured font: U+" in found[-1].message


def test_without_fontconfig_tools_the_check_says_so(monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    glyphs.family_charsets.cache_clear()
    glyphs._installed.cache_clear()
    try:
        [d] = missing_glyphs(read(SAMPLE), FONTS)
    finally:
        glyphs.family_charsets.cache_clear()
        glyphs._installed.cache_clear()
    assert (d.code, d.severity) == ("G100", "warning")
    assert "install fontconfig" in d.message


@pytest.mark.slow
def test_cli_warns_and_builds(source: Path, tmp_path: Path) -> None:
    proc = run_layout("build", str(source), "-o", str(tmp_path / "out"), "--format", "pdf")
    assert proc.returncode == 0, proc.stderr
    assert f"{source}:9: G101 U+20000 {RARE} is not covered" in proc.stderr
    assert (tmp_path / "out" / "rare.pdf").exists()


@pytest.mark.slow
def test_strict_makes_a_missing_glyph_an_error(source: Path, tmp_path: Path) -> None:
    proc = run_layout("build", str(source), "-o", str(tmp_path / "out"), "--strict")
    assert proc.returncode == 3
    assert f"{source}:9: G101 U+F0000 {PRIVATE} is not covered" in proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
