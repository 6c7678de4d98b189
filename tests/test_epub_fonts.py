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

from .conftest import SAMPLE
from .epub_support import NS, Epub, assert_valid, build

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Epub:
    return Epub(build(SAMPLE, tmp_path_factory.mktemp("fonts"), "--format", "epub",
                      "--embed-fonts"))


def stylesheet(book: Epub) -> tuple[dict[str, str], cssselect2.Matcher]:
    """(@font-face family -> font href, a matcher of the font-family rules -> first family)."""
    css = book.read(book.member("style.css")).decode("utf-8")
    faces: dict[str, str] = {}
    matcher = cssselect2.Matcher()
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        declarations = tinycss2.parse_declaration_list(rule.content, True, True)
        values = {d.lower_name: d.value for d in declarations if d.type == "declaration"}
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            family = next(t.value for t in values["font-family"] if t.type == "string")
            url = next(t for t in values["src"] if t.type in ("url", "function"))
            faces[family] = url.value if url.type == "url" else url.arguments[0].value
        elif rule.type == "qualified-rule" and "font-family" in values:
            first = next(t.value for t in values["font-family"] if t.type in ("string", "ident"))
            for selector in cssselect2.compile_selector_list(rule.prelude):
                matcher.add_selector(selector, first)
    return faces, matcher


def styled_text(book: Epub, matcher: cssselect2.Matcher) -> dict[str, set[str]]:
    """First font family -> the characters set in it, over every content document."""
    out: dict[str, set[str]] = {}

    def visit(element: cssselect2.ElementWrapper, inherited: str | None) -> None:
        matches = matcher.match(element)
        family = max(matches)[3] if matches else inherited
        chars = element.etree_element.text or ""
        for child in element.iter_children():
            visit(child, family)
            chars += child.etree_element.tail or ""
        out.setdefault(family, set()).update(c for c in chars if not c.isspace())

    for root in book.documents.values():
        wrapper = cssselect2.ElementWrapper.from_xml_root(root)
        body = next(e for e in wrapper.iter_subtree()
                    if e.etree_element.tag == f"{{{NS['x']}}}body")
        visit(body, None)
    return out


def test_each_subset_covers_exactly_the_text_it_styles(book: Epub) -> None:
    faces, matcher = stylesheet(book)
    assert len(faces) == 3  # body, note, heading
    text = styled_text(book, matcher)
    assert set(text) <= set(faces), "text set in a family that is not embedded"
    for family, href in faces.items():
        member = posixpath.normpath(posixpath.join(posixpath.dirname(book.member("style.css")),
                                                   href))
        font = TTFont(io.BytesIO(book.read(member)))
        cmap = {chr(c) for c in font.getBestCmap()}
        assert text[family] <= cmap, (family, "".join(sorted(text[family] - cmap)))
        assert cmap - {" "} == text[family], (family, "".join(sorted(cmap - text[family])))
        (item,) = [i for i in book.manifest.values()
                   if posixpath.normpath(book.member(i.get("href"))) == member]
        assert item.get("media-type") == ("font/otf" if "CFF " in font else "font/ttf")


def test_han_text_is_in_the_embedded_fonts(book: Epub) -> None:
    _, matcher = stylesheet(book)
    text = styled_text(book, matcher)
    body = set(book.body_text()) - {" ", "\n"}
    assert body <= set().union(*text.values())


def test_valid_with_fonts(book: Epub) -> None:
    assert_valid(book.path)


def test_without_the_option_no_fonts(tmp_path: Path) -> None:
    plain = Epub(build(SAMPLE, tmp_path, "--format", "epub"))
    assert not [i for i in plain.manifest.values() if i.get("media-type").startswith("font/")]
    assert b"@font-face" not in plain.read(plain.member("style.css"))
