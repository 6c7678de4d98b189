"""--embed-fonts: each embedded subset covers exactly the characters of the text it styles.

The check is independent of the writer's own bookkeeping: it reads the stylesheet the EPUB
ships, applies its font-family rules to every document (nearest element with a matching
rule; the most specific, then the last rule wins) and opens the embedded fonts' cmaps.
"""

from __future__ import annotations

import io
import posixpath
from pathlib import Path

import cssselect2
import pytest
import tinycss2
from fontTools.ttLib import TTFont

from layout.writers import epub_fonts

from .conftest import SAMPLE
from .epub_support import NS, Epub, assert_valid, build

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Epub:
    return Epub(build(SAMPLE, tmp_path_factory.mktemp("fonts"), "--format", "epub",
                      "--embed-fonts"))


Face = tuple[str, str]  # (family, "normal" | "bold")
UA_BOLD = "h1, h2, h3, h4, h5, h6, strong, b, th"  # what browsers set bold by default


def stylesheet(book: Epub) -> tuple[dict[Face, str], cssselect2.Matcher, cssselect2.Matcher]:
    """(@font-face (family, weight) -> font href, a matcher of the font-family rules ->
    first family, a matcher of the elements set bold)."""
    css = book.read(book.member("style.css")).decode("utf-8")
    faces: dict[Face, str] = {}
    families = cssselect2.Matcher()
    bold = cssselect2.Matcher()
    for selector in cssselect2.compile_selector_list(UA_BOLD):
        bold.add_selector(selector, "bold")
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "supports":
            continue
        declarations = tinycss2.parse_declaration_list(rule.content, True, True)
        values = {d.lower_name: d.value for d in declarations if d.type == "declaration"}
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            family = next(t.value for t in values["font-family"] if t.type == "string")
            weight = tinycss2.serialize(values["font-weight"]).strip()
            url = next(t for t in values["src"] if t.type in ("url", "function"))
            faces[family, weight] = url.value if url.type == "url" else url.arguments[0].value
        elif rule.type == "qualified-rule":
            selectors = cssselect2.compile_selector_list(rule.prelude)
            if "font-family" in values:
                first = next(t.value for t in values["font-family"]
                             if t.type in ("string", "ident"))
                for selector in selectors:
                    families.add_selector(selector, first)
            if "font-weight" in values:
                for selector in selectors:
                    bold.add_selector(selector, tinycss2.serialize(values["font-weight"]).strip())
    return faces, families, bold


def styled_text(book: Epub, families: cssselect2.Matcher, bold: cssselect2.Matcher
                ) -> dict[Face, set[str]]:
    """(first font family, weight) -> the characters set in it, over every document."""
    out: dict[Face, set[str]] = {}

    def visit(element: cssselect2.ElementWrapper, inherited: Face) -> None:
        matches = families.match(element)
        weights = bold.match(element)
        face = (max(matches)[3] if matches else inherited[0],
                max(weights)[3] if weights else inherited[1])
        chars = element.etree_element.text or ""
        for child in element.iter_children():
            visit(child, face)
            chars += child.etree_element.tail or ""
        out.setdefault(face, set()).update(c for c in chars if not c.isspace())

    for root in book.documents.values():
        wrapper = cssselect2.ElementWrapper.from_xml_root(root)
        body = next(e for e in wrapper.iter_subtree()
                    if e.etree_element.tag == f"{{{NS['x']}}}body")
        visit(body, ("", "normal"))
    return {face: chars for face, chars in out.items() if chars}


def test_each_subset_covers_exactly_the_text_it_styles(book: Epub) -> None:
    """Regular and bold faces of each role: the table of contents is not set in bold."""
    faces, families, bold = stylesheet(book)
    assert {w for _, w in faces} == {"normal", "bold"}
    assert len(faces) >= 5  # body, note and heading, regular; note and heading, bold
    text = styled_text(book, families, bold)
    assert set(text) <= set(faces), "text set in a face that is not embedded"
    toc = "".join(book.nav.find(".//x:nav/x:ol", NS).itertext())
    heading = next(f for f in faces if "Sans" in f[0])[0]
    assert set(toc) - {" ", "\n"} <= text[heading, "normal"]
    for face, href in faces.items():
        family = face
        member = posixpath.normpath(posixpath.join(posixpath.dirname(book.member("style.css")),
                                                   href))
        font = TTFont(io.BytesIO(book.read(member)))
        cmap = {chr(c) for c in font.getBestCmap()}
        assert text[face] <= cmap, (family, "".join(sorted(text[face] - cmap)))
        assert cmap - {" "} == text[face], (face, "".join(sorted(cmap - text[face])))
        (item,) = [i for i in book.manifest.values()
                   if posixpath.normpath(book.member(i.get("href"))) == member]
        assert item.get("media-type") == ("font/otf" if "CFF " in font else "font/ttf")


def test_han_text_is_in_the_embedded_fonts(book: Epub) -> None:
    _, families, bold = stylesheet(book)
    text = styled_text(book, families, bold)
    body = set(book.body_text()) - {" ", "\n"}
    assert body <= set().union(*text.values())


@pytest.mark.slow
@pytest.mark.epubcheck
def test_valid_with_fonts(book: Epub) -> None:
    assert_valid(book.path)


def test_apple_books_is_told_to_use_the_fonts(book: Epub) -> None:
    options = book.read("META-INF/com.apple.ibooks.display-options.xml")
    assert b'<option name="specified-fonts">true</option>' in options


def test_bold_selectors_follow_the_stylesheet() -> None:
    """Every selector the stylesheet sets bold is one role_texts counts as bold."""
    css = (Path(epub_fonts.__file__).parent.parent / "templates" / "epub" / "style.css.j2"
           ).read_text("utf-8")
    bold = set()
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule" and "font-weight: bold" in tinycss2.serialize(
                rule.content):
            bold |= {s.strip() for s in tinycss2.serialize(rule.prelude).split(",")}
    assert bold
    for selector in bold:  # h1.headline counts as h1
        assert selector in epub_fonts.BOLD_SELECTORS or selector.split(".")[0] in (
            epub_fonts.BOLD_SELECTORS), selector


def cell_spans(book: Epub) -> int:
    return sum(1 for _, body in book.reading_bodies for span in body.iter(f"{{{NS['x']}}}span")
               if "zp" in (span.get("class") or "").split())


def test_embedded_kai_marks_get_their_cells(book: Epub) -> None:
    """The embedded Kai is LXGW WenKai: no halt, quotes a third of an em wide.  Its quotes
    get full-width cells and the first mark of a pair a half-width one, as in print."""
    css = book.read(book.member("style.css")).decode("utf-8")
    assert ".editor-note .zp, " in css and "{ margin-left: 0; margin-right: 0.650em; }" in css
    assert ".sidebar .zq, " in css and "{ margin-left: 0; margin-right: -0.500em; }" in css
    assert cell_spans(book) > 20


def test_without_the_option_no_fonts(tmp_path: Path) -> None:
    plain = Epub(build(SAMPLE, tmp_path, "--format", "epub"))
    assert not [i for i in plain.manifest.values() if i.get("media-type").startswith("font/")]
    assert b"@font-face" not in plain.read(plain.member("style.css"))
    # the reader's own Kai is unknown: no cells made for WenKai's quotes
    assert b".zp" not in plain.read(plain.member("style.css")) and not cell_spans(plain)
    assert "META-INF/com.apple.ibooks.display-options.xml" not in plain.zip.namelist()
