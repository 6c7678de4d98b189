"""Punctuation cells for faces without ``halt`` or with Latin-width quotes, the fonts of a
Traditional build, and the pair measure on centred marks (unit tests, no build)."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.check.typography import Glyph, Line, TypographyReport
from layout.config import Config
from layout.transforms.script import convert_settings, script_families
from layout.typeset.marks import MarkMetrics, face_marks
from layout.typeset.markup import typeset_markup


def test_markup_marks_quotes_and_opening_marks_for_cells() -> None:
    html = str(typeset_markup("他说：“好。”don’t", cells=True))
    assert '<span class="zq">：</span>' in html
    assert '<span class="zp zo">“</span>' in html  # an opening quote: its cell on the left
    assert '<span class="zq zp">”</span>' not in html  # ” ends the text: no pair
    assert "don’t" in html  # an apostrophe inside a Latin word is no quotation mark
    plain = str(typeset_markup("他说：“好。”", cells=False))
    assert "zp" not in plain and '<span class="zq">：</span>' in plain


def test_cells_css_follows_the_face() -> None:
    wenkai = MarkMetrics("LXGW WenKai", halt=False, quote=0.35, other=1.0, stop="left")
    css = wenkai.css((".kai",))
    assert ".kai .zq { margin-left: 0; margin-right: -0.500em; }" in css
    assert ".kai .zq.zo { margin-left: -0.500em; margin-right: 0; }" in css
    assert ".kai .zp { margin-left: 0; margin-right: 0.650em; }" in css
    assert ".kai .zp.zq.zo { margin-left: 0.150em; margin-right: 0; }" in css
    assert wenkai.needs_cells
    assert wenkai.css((".a", ".b")).startswith(".a .zq, .b .zq { margin-left: 0;")
    noto = MarkMetrics("Noto Serif CJK SC", halt=True, quote=1.0, other=1.0, stop="left")
    assert noto.css((".kai",)) == ""  # halt and full-width quotes: nothing to correct
    # Taiwan forms (AR PL UKai TW): a centred mark loses a quarter em on each side, a
    # quotation mark (inked at its side) the half away from its ink
    ukai = MarkMetrics("AR PL UKai TW", halt=False, quote=1.0, other=1.0, stop="centre")
    assert ukai.css((".kai",)).splitlines() == [
        ".kai .zq { margin-left: -0.250em; margin-right: -0.250em; }",
        ".kai .zp.zq { margin-left: 0; margin-right: -0.500em; }",
        ".kai .zp.zq.zo { margin-left: -0.500em; margin-right: 0; }"]
    unknown = MarkMetrics("Some Kai", halt=False, quote=1.0, other=1.0, stop="")
    assert unknown.css((".kai",)) == ""  # marks inked elsewhere: left as they are


def test_installed_faces_are_read() -> None:
    wenkai = face_marks(["Nonesuch Kai", "LXGW WenKai"])
    assert wenkai and not wenkai.halt and wenkai.quote < 0.5 and wenkai.stop == "left"
    ukai = face_marks(["AR PL UKai TW"])
    assert ukai and ukai.stop == "centre" and ukai.quote_side and ukai.quote == 1.0
    noto = face_marks(["Noto Serif CJK SC"])
    assert noto and noto.halt and noto.quote == 1.0
    assert face_marks(["serif"]) is None


def line(*glyphs: tuple[str, float]) -> Line:
    return Line(1, 0, tuple(Glyph(t, x, x + 10, 100, 10, "F") for t, x in glyphs), 0, 100, 10)


@pytest.mark.parametrize(("glyphs", "advance"), [
    ((("字", 0), ("。", 10), ("”", 15)), 0.5),  # mainland: the halted mark's box stays put
    ((("字", 0), ("。", 7.5), ("」", 15)), 0.5),  # centred: drawn a quarter em left
    ((("字", 0), ("。", 10), ("」", 20)), 1.0),  # not squeezed
    ((("字", 0), ("？", 10), ("”", 15), ("“", 20)), 0.5),  # three marks: no mark is a cell
])
def test_pair_advance_counts_from_the_cell(glyphs: tuple[tuple[str, float], ...],
                                           advance: float) -> None:
    report = TypographyReport("x.pdf", lines=[line(*glyphs)])
    assert report.pair_advances[0] == pytest.approx(advance)


def test_traditional_builds_name_traditional_fonts() -> None:
    assert script_families(["Noto Serif CJK SC", "serif"], "traditional") == [
        "Noto Serif CJK TC", "serif"]
    # WenKai stays behind the regional Kai for the characters it lacks (説 in UKai HK)
    assert script_families(["LXGW WenKai", "AR PL UKai CN", "Kaiti SC"], "traditional-hk") == [
        "AR PL UKai HK", "LXGW WenKai", "Kaiti TC"]
    assert script_families(["Noto Sans CJK SC"], None) == ["Noto Sans CJK SC"]
    settings = Config(root=Path(".")).settings(script="traditional-tw")
    fonts = convert_settings(settings).design.style.fonts
    assert fonts["body"][0] == "Noto Serif CJK TC" and fonts["heading"][0] == "Noto Sans CJK TC"
    assert fonts["note"][0] == "AR PL UKai TW"
