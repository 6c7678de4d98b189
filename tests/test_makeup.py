"""The make-up stage before WeasyPrint: the grid, fitted headlines, photo frames, and the
build failing when WeasyPrint drops a rule of the print CSS."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from layout.app.article import layout_article
from layout.errors import LayoutError
from layout.makeup.figures import MAX_CROP, SMALLER, TALLEST, frame_lines, line_range, measure_width
from layout.makeup.grid import Grid, page_grid
from layout.makeup.headline import clauses, fit_headline, width_em
from layout.readers import read
from layout.settings import BUILTIN_STYLES, Design, Publication, Settings, load_style

NEWSPAPER = load_style("newspaper")
BOOK = load_style("book")


@pytest.mark.parametrize("preset", sorted(NEWSPAPER.pages))
def test_grid_is_whole_characters_and_whole_lines(preset: str) -> None:
    page = NEWSPAPER.preset(preset)
    grid = page_grid(page)
    chars = grid.column / page.body_size
    assert chars == pytest.approx(round(chars)) and chars >= 8
    assert grid.pitch == pytest.approx(page.body_size * page.leading, abs=0.001)
    # The type area lies within the preset's margins and is centred between them.
    top, right, bottom, left = grid.margins_mm()
    assert top == pytest.approx(page.margin[0]) and bottom >= page.margin[2] - 1e-6
    assert left == pytest.approx(right, abs=0.01) and left >= page.margin[3] - 1e-6
    assert grid.height - grid.bottom < page.margin[2] * 72 / 25.4 + grid.pitch
    assert Grid.parse(grid.describe()) == Grid.parse(Grid.parse(grid.describe()).describe())


def test_headline_breaks_between_clauses_balanced() -> None:
    text = "人工智能走进田间地头，智慧农业产值增长三成 万名农民用上数字化管理"
    assert clauses(text) == ["人工智能走进田间地头，", "智慧农业产值增长三成",
                             "万名农民用上数字化管理"]
    fitted = fit_headline(text, 700, 44, 24)
    assert len(fitted.lines) == 2
    assert "".join(fitted.lines) == text
    # Balanced: the wider line is as narrow as any break between clauses allows (21 of
    # the 32 characters, and a space), not all three clauses on one line.
    lengths = [len(line) for line in fitted.lines]
    assert max(lengths) <= 22
    assert fitted.size * max(width_em(line) for line in fitted.lines) <= 700


def test_short_headline_takes_the_largest_size_on_one_line() -> None:
    fitted = fit_headline("增强党建凝聚力 共画发展同心圆", 1000, 64, 30)
    assert fitted == fitted.__class__(64.0, ("增强党建凝聚力 共画发展同心圆",))


def test_headline_that_cannot_fit_is_an_error() -> None:
    with pytest.raises(LayoutError) as err:
        fit_headline("一" * 40, 500, 30, 18, "x.txt")
    assert err.value.code == "L201" and err.value.exit_code == 3


@pytest.mark.parametrize("ratio", [0.5, 2 / 3, 1.0, 1.5, 16 / 9, 3.0])
@pytest.mark.parametrize("photo", [True, False])
def test_frames_keep_the_picture_shape_within_the_crop(ratio: float, photo: bool) -> None:
    grid = page_grid(NEWSPAPER.preset("a3"))
    least, most = line_range(grid, ratio, photo)
    ideal = grid.column / ratio
    for lines in range(least, most + 1):
        frame = lines * grid.pitch
        if photo:  # cropped in height only: the photo never runs past the column's edges
            assert ideal * (1 - MAX_CROP) - 1e-6 <= frame <= ideal + 1e-6
        else:  # the share of the height, or of the width, cropped
            assert (ideal - frame) / ideal <= MAX_CROP + 1e-6 or lines == 2
            assert (frame - ideal) / frame <= MAX_CROP + 1e-6
    assert least <= frame_lines(grid, ratio, photo) <= most


def test_a_dropped_css_rule_fails_the_build(tmp_path: Path) -> None:
    style = tmp_path / "styles" / "newspaper"
    shutil.copytree(BUILTIN_STYLES / "newspaper", style)
    css = style / "style.css"
    css.write_text(css.read_text("utf-8") + "\n@page { @top-left, @top-right { color: red } }\n",
                   "utf-8")
    custom = load_style("newspaper", tmp_path)
    source = Path(__file__).parent / "fixtures" / "ai-farming.txt"
    settings = Settings(Publication(), Design(custom, custom.preset("a4")))
    laid = layout_article(read(source), source, settings, tmp_path)
    dropped = [d for d in laid.diagnostics if d.code == "L202"]
    assert laid.failed and dropped and "top-right" in dropped[0].message


def test_headline_takes_one_line_across_rather_than_two_short_ones() -> None:
    """At 43 pt it fills the width in one line; two lines at the largest 44 pt would leave
    a hole beside each (a desk sets it across)."""
    fitted = fit_headline("数字乡村建设提速 智慧农业惠及万家", 716, 44, 26)
    assert fitted.lines == ("数字乡村建设提速 智慧农业惠及万家",) and fitted.size == 43
    # Two lines win when they are clearly larger.
    assert len(fit_headline("数字乡村建设提速 智慧农业惠及万家", 560, 44, 26).lines) == 2
    # A fifth larger is not: on the broadsheet's 8 columns (987 pt) two lines at 64 pt
    # stood 72 mm short of each edge (an empty rectangle of 3.2% of the type area, desk
    # seed 19); one line across at 53 pt.
    fitted = fit_headline("外贸开局平稳向好、进出口增长百分之五", 987, 64, 38)
    assert fitted.lines == ("外贸开局平稳向好、进出口增长百分之五",) and fitted.size == 53


def test_the_editors_note_takes_the_setting_that_fills_its_columns() -> None:
    """Of the note's measured settings, the one whose lines fill its columns evenly."""
    import dataclasses

    from layout.makeup.makeup import NOTE_FIXED, _note_lines
    from layout.makeup.measure import Measured
    from layout.makeup.plan import NOTE_SETTINGS, plan_page

    source = Path(__file__).parent.parent / "source" / "renmin-ribao-party-building.txt"
    doc = read(source)
    plan = dataclasses.replace(plan_page(doc, Settings.default("newspaper", "a3")),
                               note_columns=5)
    # The style's setting: 11 lines, the last of 5 columns 4 lines short; setting 4: 15.
    lines = {"editor-note": 11 + NOTE_FIXED, **{f"editor-note-v{k}": 11 + NOTE_FIXED
                                               for k in range(len(NOTE_SETTINGS))}}
    lines["editor-note-v4"] = 15 + NOTE_FIXED
    height, setting = _note_lines(doc, plan, Measured(lines, 0))
    assert setting == NOTE_SETTINGS[4] and height == 3 + NOTE_FIXED
    # When none fills them better, the style's own.
    lines["editor-note-v4"] = 11 + NOTE_FIXED
    assert _note_lines(doc, plan, Measured(lines, 0))[1] == plan.note


def test_a_photo_goes_after_the_paragraph_its_caption_names(tmp_path: Path) -> None:
    """The caption's telling words (a place, a name) pick the paragraph; words every
    paragraph has (记者) do not; an unnamed photo is spread over the body left."""
    from layout.makeup.figures import place_figures
    from layout.makeup.grid import page_grid

    paragraphs = ["记者来到乡村，看到农民正在田间忙碌，今年的春耕备耕工作有序展开。",
                  "记者走进海口复兴城互联网信息产业园，园区党员服务中心人来人往。",
                  "记者了解到，各地抓住有利天气，组织农民开展春耕备耕，农机手忙碌。",
                  "记者在义乌中国小商品城看到，商户们正在忙着打包发货，生意兴隆。",
                  "记者看到，一批新的项目正在加紧建设，为发展注入新的动能和活力。",
                  "记者在采访中感到，基层党组织的作用越来越突出，群众越来越满意。"]
    source = tmp_path / "story.txt"
    source.write_text("\n\n".join([
        "党建引领发展", "本报记者 王芳", *paragraphs,
        "图①：记者在义乌中国小商品城采访。本报记者 王芳摄",
        "图②：记者在田间采访。本报记者 王芳摄"]) + "\n", "utf-8")
    doc = read(source)
    frames = place_figures(doc, page_grid(NEWSPAPER.preset("a3")), tmp_path,
                           NEWSPAPER.preset("a3").body_size)
    blocks = [b.line for b in doc.lead] or [b.line for s in doc.sections for b in s.blocks]
    assert frames[0].after == blocks[3]  # 义乌中国小商品城
    assert frames[1].after > frames[0].after  # unnamed: later, in reading order


@pytest.mark.parametrize("preset", sorted(BOOK.pages))
def test_a_tall_photo_in_a_book_is_narrower_than_the_measure(preset: str) -> None:
    """On the book's one column a portrait at the measure would fill the page (A5: all of
    it, with its caption lost below): its frame is the most whole characters that keep it
    within TALLEST of the type area, centred on the character grid; a landscape photo, and
    every photo on a newspaper's columns, keeps its column's width."""
    page = BOOK.preset(preset)
    grid, em = page_grid(page), page.body_size
    tallest = TALLEST * grid.lines * grid.pitch
    assert measure_width(grid, 3 / 2, em) == grid.column
    for ratio in (2 / 3, 1.0, 1 / 3):
        width = measure_width(grid, ratio, em)
        chars, measure = width / em, round(grid.column / em)
        assert chars == pytest.approx(round(chars)) and (measure - round(chars)) % 2 == 0
        assert width / ratio <= tallest < (width + 2 * em) / ratio
    news = NEWSPAPER.preset("a4")
    assert measure_width(page_grid(news), 2 / 3, news.body_size) == page_grid(news).column
    # set smaller where photos that tall leave a band (make_up): a smaller share, a
    # narrower frame, on the character grid still
    widths = [measure_width(grid, 1.0, em, share) for share in (TALLEST, *SMALLER)]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1]
    assert all((round(grid.column / em) - round(w / em)) % 2 == 0 for w in widths)
