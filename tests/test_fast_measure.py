"""The fast measure (paragraphs counted with Pango, layout.makeup.linebreak) against the
reference (the whole measuring HTML laid out by WeasyPrint): equal line counts, heads and
line starts for every block, and a wrong prediction caught by the build."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from weasyprint import DEFAULT_OPTIONS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.formatting_structure.build import build_formatting_structure
from weasyprint.text.fonts import FontConfiguration

from layout.app import article
from layout.app.article import layout_article, measurer
from layout.makeup import fastmeasure, linebreak
from layout.makeup.makeup import make_up
from layout.makeup.measure import Measured
from layout.makeup.plan import Plan
from layout.readers import read
from layout.settings import Design, Publication, Settings, load_style
from tests.conftest import OPENING
from tests.newsroom_copy import FIXTURES

pytestmark = pytest.mark.slow  # WeasyPrint lays out every measure compared

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source" / "renmin-ribao-party-building.txt"
FIXTURE_FILES = sorted((ROOT / "tests" / "fixtures").glob("*.txt"))


@pytest.fixture(autouse=True)
def _fresh_memo() -> Iterator[None]:
    """Every test counts its paragraphs afresh (some change the model under test)."""
    linebreak._LINES.clear()
    fastmeasure._SHEETS.clear()
    yield
    linebreak._LINES.clear()
    fastmeasure._SHEETS.clear()


def _settings(style: str, preset: str | None) -> Settings:
    loaded = load_style(style)
    return Settings(Publication(), Design(loaded, loaded.preset(preset)))


def _compare(source: Path, settings: Settings, out: Path) -> int:
    """Make ``source`` up with a measure that takes both measures and asserts they agree;
    the number of measures compared."""
    doc = read(source)
    allowed = [source.parent, *settings.design.style.folders]
    fast = measurer(doc, source, out, allowed, fast=True)
    reference = measurer(doc, source, out, allowed, fast=False)
    compared = []

    def both(plan: Plan, trial: Settings) -> Measured:
        quick, slow = fast(plan, trial), reference(plan, trial)
        assert quick.lines == slow.lines
        assert quick.head == slow.head
        assert quick.breaks == slow.breaks
        compared.append(quick)
        return slow

    make_up(doc, settings, both, autofit=True)
    return len(compared)


@pytest.mark.parametrize("preset", ["broadsheet", "tabloid", "a3", "a4"])
def test_fast_measure_equals_weasyprint_on_the_sample(preset: str, tmp_path: Path) -> None:
    assert _compare(SAMPLE, _settings("newspaper", preset), tmp_path)


def test_fast_measure_equals_weasyprint_in_the_book_style(tmp_path: Path) -> None:
    assert _compare(SAMPLE, _settings("book", None), tmp_path)


@pytest.mark.parametrize("name", [p.name for p in FIXTURE_FILES] + sorted(FIXTURES))
def test_fast_measure_equals_weasyprint_on_the_fixtures(name: str, tmp_path: Path) -> None:
    source = tmp_path / name
    if name in FIXTURES:
        source = tmp_path / f"{name}.txt"
        source.write_text(FIXTURES[name], "utf-8")
    else:
        source.write_bytes((ROOT / "tests" / "fixtures" / name).read_bytes())
    for preset in ("broadsheet", "a4"):
        assert _compare(source, _settings("newspaper", preset), tmp_path)


def test_the_fast_measure_leaves_most_blocks_out_of_the_layout(tmp_path: Path) -> None:
    """What makes it fast: the body's paragraphs are measured with Pango, not laid out."""
    doc = read(SAMPLE)
    seen: list[dict[str, linebreak.Lines]] = []
    fast = measurer(doc, SAMPLE, tmp_path, [SAMPLE.parent], fast=True, predicted=seen)
    make_up(doc, _settings("newspaper", "broadsheet"), fast, autofit=False)
    body = [f"l{n}" for n in (15, 17, 19, 21, 27, 29, 31, 33, 35, 37, 39, 43, 45, 47)]
    assert set(body) <= set(seen[0])


def test_a_wrong_prediction_falls_back_to_the_weasyprint_measure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
        ) -> None:
    """The sample's opening (its lead, the editor's note and a section's paragraphs are
    longer than two lines): what falls back does not depend on the story's length."""
    source = tmp_path / "opening.txt"
    source.write_text(OPENING, "utf-8")
    settings = _settings("newspaper", "broadsheet")
    monkeypatch.setattr(article, "FAST_MEASURE", False)
    reference = layout_article(read(source), source, settings, tmp_path)
    monkeypatch.setattr(article, "FAST_MEASURE", True)
    real_fill = linebreak.fill

    def one_line_short(chars: list, width: float, indent: float) -> tuple[int, tuple[int, ...]]:
        count, starts = real_fill(chars, width, indent)
        return (count - 1, starts[:-1]) if count > 2 else (count, starts)

    monkeypatch.setattr(linebreak, "fill", one_line_short)
    with caplog.at_level(logging.DEBUG, logger="layout.app.article"):
        laid = layout_article(read(source), source, settings, tmp_path)
    assert "the fast measure miscounted the lines of" in caplog.text
    assert laid.html == reference.html  # the page made up from the reference measure
    assert not laid.failed


def test_a_right_prediction_does_not_fall_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
        ) -> None:
    calls = []
    real = fastmeasure.mispredicted

    def spy(document: object, predicted: list) -> list[str]:
        calls.append(len(predicted))
        return real(document, predicted)  # type: ignore[arg-type]

    monkeypatch.setattr(article, "mispredicted", spy)
    with caplog.at_level(logging.DEBUG, logger="layout.app.article"):
        laid = layout_article(read(SAMPLE), SAMPLE, _settings("newspaper", "broadsheet"),
                              tmp_path)
    assert calls and calls[0] > 0 and not laid.failed
    assert "miscounted" not in caplog.text


def test_the_comparison_fails_on_a_model_without_hanging_white_space(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: without the rule for white space Pango hangs (U+3000 after
    a dateline), the briefs' line starts differ from WeasyPrint's."""
    source = tmp_path / "briefs.txt"
    source.write_text(FIXTURES["briefs"], "utf-8")
    monkeypatch.setattr(linebreak, "_hanging", lambda chars, i, start: None)
    with pytest.raises(AssertionError):
        _compare(source, _settings("newspaper", "broadsheet"), tmp_path)


def _paragraph(body: str, css: str = "") -> Any:
    """The block box of ``<p id="p">`` in ``body``, as the fast measure sees it."""
    css = "p { font: 16px serif; text-indent: 2em; margin: 0 } " + css
    document = HTML(string=f"<style>{css}</style>{body}")
    counter_style = CounterStyle()
    context = Document._build_layout_context(
        document, FontConfiguration(), counter_style, {}, DEFAULT_OPTIONS.copy())
    root = build_formatting_structure(
        document.etree_element, context.style_for, context.get_image_from_uri,
        document.base_url, context.target_collector, counter_style, context.footnotes)
    return next(b for b in root.descendants() if isinstance(b, boxes.BlockBox)
                and b.element is not None and b.element.get("id") == "p")


TEXT = "The quick brown fox jumps over the lazy dog, again and again, " * 3
BASE = f'<p id="p">{TEXT}<span class="s">and then it rests</span> a while.</p>'


@pytest.mark.parametrize(("body", "css", "width"), [
    (BASE, "", 200.0),  # the same: from the memo
    (BASE, "", 150.0),  # width
    (BASE, "p { text-indent: 6em }", 200.0),  # indent
    (BASE, "p { font-size: 20px }", 200.0),  # size
    (BASE, "p { font-weight: bold }", 200.0),  # face
    (BASE, "p { font-family: monospace }", 200.0),
    (BASE.replace("quick", "slow"), "", 200.0),  # text
    (BASE, ".s { white-space: nowrap }", 200.0),  # a break between boxes
    (BASE, ".s { padding-left: 40px }", 200.0),  # an inline box's spacing
    (BASE, ".s { font-kerning: none }", 200.0),
    (BASE.replace('id="p"', 'id="p" lang="ja"'), "", 200.0),
])
def test_a_paragraph_is_counted_from_the_memo_only_when_nothing_it_depends_on_changed(
        body: str, css: str, width: float) -> None:
    """A paragraph counted once is kept by everything its lines depend on: each change
    (measured afresh) is counted as if nothing were kept."""
    first = linebreak.paragraph_lines(_paragraph(BASE), 200.0, {})
    assert first is not None and len(linebreak._LINES) == 1
    assert linebreak.paragraph_lines(_paragraph(BASE), 200.0, {}) is first  # kept
    kept = linebreak.paragraph_lines(_paragraph(body, css), width, {})
    linebreak._LINES.clear()
    fresh = linebreak.paragraph_lines(_paragraph(body, css), width, {})
    assert kept == fresh


def test_the_memo_key_changes_with_each_part() -> None:
    """Each of the variants above gives another key (a part dropped from the key would
    make two of them equal)."""
    def key(body: str, css: str = "", width: float = 200.0) -> object:
        box = _paragraph(body, css)
        line = box.children[0]
        leaves = linebreak._leaves(line, (line,))
        assert leaves is not None
        return linebreak._memo_key(leaves, width, linebreak._px(box.style["text_indent"]) or 0,
                                   box.style["font_size"], linebreak.element_text(box.element))

    keys = [key(BASE), key(BASE, width=150.0), key(BASE, "p { text-indent: 6em }"),
            key(BASE, "p { font-size: 20px }"), key(BASE, "p { font-weight: bold }"),
            key(BASE, "p { font-family: monospace }"), key(BASE.replace("quick", "slow")),
            key(BASE, ".s { white-space: nowrap }"), key(BASE, ".s { padding-left: 40px }"),
            key(BASE, ".s { font-kerning: none }"),
            key(BASE.replace('id="p"', 'id="p" lang="ja"'))]
    # what does not change the lines does not change the key: the same in another tag
    assert key(BASE) == keys[0] == key(BASE.replace("<span", "<b").replace("</span>", "</b>"),
                                       "b { font: inherit }")
    assert len(set(map(repr, keys))) == len(keys)


def test_a_paragraph_in_a_font_of_the_documents_own_is_not_kept() -> None:
    """A document's ``@font-face`` fonts are in its own font map: its paragraphs are
    counted afresh each time."""
    css = "@font-face { font-family: Own; src: local(DejaVu Sans) } p { font-family: Own }"
    assert linebreak.paragraph_lines(_paragraph(BASE, css), 200.0, {}) is not None
    assert len(linebreak._LINES) == 0


@pytest.mark.parametrize("text", [
    "Plain ASCII text, with spaces and a hyphen-ated word.",
    "连日来，各地抓住有利天气，组织农民开展春耕备耕。\u3000记者在郊区看到“农机手”正在忙碌。",
    "混排 Latin 与中文 2026 年；café naïve e\u0301 ﬁ 😀 𠀀 end",
])
def test_pangos_arrays_read_whole_give_what_their_fields_give(text: str) -> None:
    """:func:`linebreak._shape` reads Pango's glyph and attribute arrays whole; read a
    field at a time they give the same advances, breaks and white space."""
    assert linebreak._ARRAYS is not None
    box = _paragraph(f'<p id="p" lang="zh">{text}</p>')
    leaf = box.children[0].children[0]
    layouts: dict[str, Any] = {}
    fast = linebreak._shape(leaf.text, leaf.style, layouts)
    layout = next(v for k, v in layouts.items() if isinstance(k, str))
    assert fast == linebreak._read_fields(leaf.text, layout)
    assert len(fast[0]) == len(leaf.text) and any(fast[1]) and sum(fast[0]) > 0


def test_pangos_types_are_reached_from_the_functions_signatures() -> None:
    """:mod:`layout.makeup.linebreak` takes Pango's types from the functions' signatures
    (cffi parses a type named in a string, ~2 ms each): they are the types so named."""
    from weasyprint.text.ffi import ffi

    assert linebreak._GLYPH_INFO is ffi.typeof("PangoGlyphInfo *")
    assert linebreak._LOG_ATTR is ffi.typeof("PangoLogAttr *")
    assert linebreak._INT is ffi.typeof("int *")
    info = ffi.sizeof("PangoGlyphInfo") // 4
    width_at = (ffi.offsetof("PangoGlyphInfo", "geometry")
                + ffi.offsetof("PangoGlyphGeometry", "width")) // 4
    assert linebreak._ARRAYS is not None and linebreak._ARRAYS[:2] == (info, width_at)


def _sheets(css: str, base_url: str = "/tmp/a/") -> list[Any]:
    document = HTML(string=f"<style>{css}</style><p>text</p>", base_url=base_url)
    return fastmeasure._author_sheets(document, FontConfiguration(), CounterStyle(), {}, [],
                                      [])


def test_a_measuring_stylesheet_is_parsed_once_per_text_and_base_url() -> None:
    css = "p { color: red } @page { size: 100pt 200pt }"
    first = _sheets(css)
    assert len(first) == 1 and len(fastmeasure._SHEETS) == 1
    assert _sheets(css) == first  # the same parsed sheet
    assert _sheets(css + " ")[0] is not first[0]  # another text
    assert _sheets(css, "/tmp/b/")[0] is not first[0]  # another base URL
    assert len(fastmeasure._SHEETS) == 3
    assert first[0].page_rules  # its @page rule kept with it


@pytest.mark.parametrize("css", [
    "@import url(other.css); p { color: red }",
    "@font-face { font-family: Own; src: local(DejaVu Sans) } p { font-family: Own }",
    "@counter-style own { system: cyclic; symbols: '*'; } li { list-style: own }",
])
def test_a_stylesheet_that_reaches_outside_itself_is_parsed_each_time(
        css: str, tmp_path: Path) -> None:
    """A sheet whose parsing fetched a file or added to the document's fonts or counter
    styles is not kept: those belong to the document being measured."""
    (tmp_path / "other.css").write_text("p { color: blue }")
    assert len(_sheets(css, f"{tmp_path}/")) == 1
    assert len(fastmeasure._SHEETS) == 0


def test_a_document_of_several_stylesheets_gets_weasyprints_own() -> None:
    document = HTML(string="<style>p { color: red }</style><style>p { color: blue }</style>")
    assert len(fastmeasure._author_sheets(document, FontConfiguration(), CounterStyle(), {},
                                          [], [])) == 2
    assert len(fastmeasure._SHEETS) == 0


def test_measures_share_the_systems_fonts_until_a_document_adds_its_own() -> None:
    first = fastmeasure.fonts()
    assert fastmeasure.fonts() is first
    HTML(string="<style>@font-face { font-family: Own; src: local(DejaVu Sans) }</style>"
         "<p>x</p>").render(font_config=first)
    assert first._folder is not None  # it holds the document's font now
    second = fastmeasure.fonts()
    assert second is not first and second._folder is None


@pytest.mark.parametrize(("source", "preset"), [
    (SAMPLE, "broadsheet"), (SAMPLE, "a4"), (ROOT / "tests" / "fixtures" / "ai-farming.txt",
                                            "tabloid")])
def test_the_final_layout_shares_the_measures_fonts_and_is_the_same(
        source: Path, preset: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The final layout is made with the measures' font configuration (their faces loaded
    already, by this story's measures and those of the stories before it in this process):
    the same PDF as with a configuration of its own; kept for the next story."""
    settings = _settings("newspaper", preset)
    given: list[object] = []
    real_render = article.pdf.render

    def render(*args: Any, **kwargs: Any) -> Any:
        given.append(kwargs.get("font_config"))
        return real_render(*args, **kwargs)

    monkeypatch.setattr(article.pdf, "render", render)
    shared = layout_article(read(source), source, settings, tmp_path)
    assert given and all(g is not None and g is given[0] for g in given)
    assert fastmeasure.fonts() is given[0]  # kept for the next story
    monkeypatch.setattr(article, "fonts", FontConfiguration)  # each layout its own
    own = layout_article(read(source), source, settings, tmp_path)
    assert shared.rendered is not None and own.rendered is not None
    assert shared.html == own.html
    assert (shared.rendered.document.write_pdf() == own.rendered.document.write_pdf())
