"""The sample's EPUB opened as a reader would: valid, navigable, described, accessible."""

from __future__ import annotations

import re
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import tinycss2
from lxml import etree

from layout.check.epubcheck import EpubCheck, shared
from layout.fidelity import han_difference
from layout.readers import read
from layout.writers.epub import decorations, stable_identifier

from .check_support import opf_name, rewrite_epub
from .conftest import GOLDEN, SAMPLE
from .epub_support import (
    EPOCH,
    EPUB_TYPE,
    GOLDEN_MEMBERS,
    NS,
    XML_LANG,
    Epub,
    assert_valid,
    build,
    epubcheck,
)

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

X = f"{{{NS['x']}}}"
GOLDEN_EPUB = GOLDEN / "epub"


@pytest.fixture(scope="module")
def book(sample_build: Path) -> Epub:
    return Epub(sample_build / f"{SAMPLE.stem}.epub")


@pytest.fixture(scope="module")
def doc():
    return read(SAMPLE)


def text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


@pytest.mark.epubcheck
def test_epubcheck_reports_nothing(book: Epub) -> None:
    result = assert_valid(book.path)
    assert result["nUsage"] == 0, "\n".join(result["messages"])


@pytest.mark.epubcheck
def test_epubcheck_in_one_jvm_reports_what_java_jar_reports(book: Epub, tmp_path: Path) -> None:
    """EPUBCheck in the one JVM a process keeps (layout check's and the tests' runner,
    src/layout/check/EpubCheckLoop.java) reports a broken book's errors (a missing file,
    markup against the schema, a broken stylesheet) as ``java -jar epubcheck.jar`` does,
    and ``assert_valid`` fails on them."""
    def break_it(members: dict[str, bytes]) -> None:
        opf = opf_name(members)
        members[opf] = members[opf].replace(b"</manifest>", b'<item id="ghost" href="ghost.'
                                            b'xhtml" media-type="application/xhtml+xml"/>'
                                            b"</manifest>")
        chapter = next(n for n in members if n.endswith("section1.xhtml"))
        members[chapter] = members[chapter].replace(b"<p", b"<p><blink>x</blink></p><p", 1)
        style = next(n for n in members if n.endswith("style.css"))
        members[style] += b"\n@font-face { src: url(missing.otf); }\n"

    broken = rewrite_epub(book.path, tmp_path / "broken.epub", break_it)
    in_jvm, alone = epubcheck(broken), epubcheck(broken, EpubCheck("java", one_jvm=False))
    assert shared(shutil.which("java") or "java").fallback is None  # it did run in the JVM
    assert in_jvm == alone
    assert in_jvm["nError"] >= 3, in_jvm["messages"]
    assert {m.split()[1] for m in in_jvm["messages"]} >= {"RSC-001", "RSC-005"}
    with pytest.raises(AssertionError, match="RSC-005"):
        assert_valid(broken)


def test_container(book: Epub) -> None:
    infos = book.zip.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == 0 and infos[0].extra == b""
    assert book.read("mimetype") == b"application/epub+zip"
    assert all(i.filename.isascii() for i in infos)


def test_every_document_is_xml_in_the_books_language(book: Epub) -> None:
    assert book.opf.get(XML_LANG) == "zh-Hans"
    assert [e.text for e in book.dc("language")] == ["zh-Hans"]
    assert len(book.documents) >= 6
    for href, root in book.documents.items():
        assert root.get("lang") == root.get(XML_LANG) == "zh-Hans", href
    ncx = etree.fromstring(book.read(book.member("toc.ncx")))
    assert ncx.get(XML_LANG) == "zh-Hans"


def test_metadata(book: Epub, doc) -> None:
    assert [e.text for e in book.dc("title")] == [doc.title]
    (identifier,) = book.dc("identifier")
    assert book.opf.get("unique-identifier") == identifier.get("id")
    assert identifier.text == stable_identifier(doc)
    assert uuid.UUID(identifier.text.removeprefix("urn:uuid:")).version == 5
    creators = book.dc("creator")
    assert [c.text for c in creators] == doc.byline.authors
    ids = [c.get("id") for c in creators]
    assert len(set(ids)) == len(ids) and all(ids)
    for cid in ids:
        (role,) = book.opf.findall(f"opf:metadata/opf:meta[@refines='#{cid}']", NS)
        assert (role.get("property"), role.get("scheme"), role.text) == (
            "role", "marc:relators", "aut")
    assert [p.text for p in book.dc("publisher")] == ["人民日报"]  # the paper, by default
    modified = datetime.fromtimestamp(int(EPOCH), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert book.meta("dcterms:modified") == [modified]
    (description,) = book.dc("description")
    assert description.text == "".join(doc.editor_note.paragraphs)


def test_publisher_from_the_command_line(tmp_path: Path) -> None:
    source = tmp_path / "short.txt"
    source.write_text("短讯标题\n\n这是一段很短的正文。\n", "utf-8")
    book = Epub(build(source, tmp_path / "out", "--format", "epub",
                      "--publisher", "人民日报出版社"))
    assert [p.text for p in book.dc("publisher")] == ["人民日报出版社"]


def test_accessibility_metadata(book: Epub) -> None:
    assert book.meta("schema:accessMode") == ["textual"]
    assert book.meta("schema:accessModeSufficient") == ["textual"]
    features = set(book.meta("schema:accessibilityFeature"))
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "printPageNumbers",
            "pageBreakMarkers", "pageNavigation"} <= features
    assert "alternativeText" not in features  # no images in the sample
    assert book.meta("schema:accessibilityHazard") == ["none"]
    (summary,) = book.meta("schema:accessibilitySummary")
    assert len(re.findall(r"[\u4e00-\u9fff]", summary)) > 30
    assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    (source,) = book.meta("pageBreakSource")
    assert "人民日报" in source and "印刷版" in source


def test_cover(book: Epub) -> None:
    image = book.item_with("cover-image")
    assert image.get("media-type") == "image/jpeg"
    data = book.read(book.member(image.get("href")))
    assert data[:3] == b"\xff\xd8\xff"
    cover = book.spine[0]
    root = book.documents[cover]
    (img,) = root.iter(f"{X}img")
    assert img.get("src") == image.get("href")
    assert re.search(r"[\u4e00-\u9fff]{4}", img.get("alt"))
    assert any(e.get(EPUB_TYPE) == "cover" for e in root.iter())
    assert book.opf.find("opf:metadata/opf:meta[@name='cover']", NS).get("content") == (
        image.get("id"))


def test_landmarks_hidden_with_cover_toc_bodymatter(book: Epub) -> None:
    landmarks = book.nav_list("landmarks")
    assert landmarks.get("hidden") == "hidden"
    links = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.iter(f"{X}a")}
    assert set(links) == {"cover", "toc", "bodymatter"}
    assert links["cover"] == book.spine[0]
    assert book.resolve(links["toc"], book.nav_href).get(EPUB_TYPE) == "toc"
    assert links["bodymatter"] == book.reading_bodies[0][0]


def toc_tree(ol: etree._Element) -> list[tuple[str, str, list]]:
    out = []
    for li in ol.findall(f"{X}li"):
        a = li.find(f"{X}a")
        sub = li.find(f"{X}ol")
        out.append((text(a), a.get("href"), toc_tree(sub) if sub is not None else []))
    return out


def test_nav_lists_sections_and_lead_ins_in_order(book: Epub, doc) -> None:
    toc = book.nav_list("toc")
    assert book.nav.find(f"{X}head/{X}title").text == "目录"
    assert text(toc.find(f"{X}h1")) == "目录"
    tree = toc_tree(toc.find(f"{X}ol"))
    labels = [(label, [c[0] for c in children]) for label, _, children in tree]
    expected = [(doc.title, [])]
    # run-in lead-ins are listed like stand-alone ones
    expected += [(s.title, [b.text if b.type == "lead_in" else b.run_in for b in s.blocks
                            if b.type == "lead_in" or b.run_in])
                 for s in doc.sections]
    expected += [("图片说明", [])] + [(sb.title, []) for sb in doc.sidebars]
    assert labels == expected
    for label, href, children in tree:
        target = book.resolve(href, book.nav_href)
        heading = next(target.iter(f"{X}h1", f"{X}h2"))
        assert text(heading).removesuffix("——") == label
        for child_label, child_href, _ in children:
            assert text(book.resolve(child_href, book.nav_href)).startswith(child_label)


def test_ncx_matches_nav(book: Epub) -> None:
    ncx = etree.fromstring(book.read(book.member("toc.ncx")))

    def points(parent: etree._Element) -> list:
        return [(p.findtext("ncx:navLabel/ncx:text", namespaces=NS),
                 p.find("ncx:content", NS).get("src"), points(p))
                for p in parent.findall("ncx:navPoint", NS)]

    assert points(ncx.find("ncx:navMap", NS)) == toc_tree(book.nav_list("toc").find(f"{X}ol"))
    uid = ncx.find("ncx:head/ncx:meta[@name='dtb:uid']", NS).get("content")
    assert uid == book.dc("identifier")[0].text
    targets = [(t.get("value"), t.find("ncx:content", NS).get("src"))
               for t in ncx.iterfind(".//ncx:pageTarget", NS)]
    pages = [(text(a), a.get("href")) for a in book.nav_list("page-list").iter(f"{X}a")]
    assert targets == pages


def test_chapters(book: Epub, doc) -> None:
    hrefs = [h for h, _ in book.reading_bodies]
    assert len(hrefs) == 1 + len(doc.sections) + 1 + len(doc.sidebars)
    opening = book.reading_bodies[0][1]
    assert text(opening.find(f".//{X}h1")) == doc.title
    assert text(opening.find(f".//{X}p[@class='kicker']")) == doc.kicker
    assert text(opening.find(f".//{X}p[@class='byline']")).split() == [
        doc.byline.role, *doc.byline.authors]
    note = opening.find(f".//{X}div[@class='editor-note']")
    assert [text(p) for p in note.findall(f"{X}p")] == [
        *doc.editor_note.paragraphs, doc.editor_note.signature]
    assert len(opening.findall(f".//{X}section/{X}p[@id]")) == len(doc.lead)
    for section, (_, body) in zip(doc.sections, book.reading_bodies[1:], strict=False):
        assert text(body.find(f".//{X}h2")) == f"{section.title}——"
        assert text(body.find(f".//{X}p[@class='section-subtitle']")) == section.subtitle
        lead_ins = [text(h) for h in body.iter(f"{X}h3")]
        assert lead_ins == [b.text for b in section.blocks if b.type == "lead_in"]
        assert len(body.findall(f".//{X}section/{X}p[@id]")) == sum(
            b.type == "paragraph" for b in section.blocks)


def test_figures_without_images_are_captions_under_a_heading(book: Epub, doc) -> None:
    body = book.documents["figures.xhtml"].find(f"{X}body")
    assert text(body.find(f".//{X}h2")) == "图片说明"
    assert not list(body.iter(f"{X}img")) and not list(body.iter(f"{X}figure"))
    captions = body.findall(f".//{X}p[@class='caption']")
    assert [text(c) for c in captions] == [
        f"{f.label}：{f.caption}{f.credit or ''}" for f in doc.figures]


def test_sidebar_is_a_chapter_with_signatures_set_right(book: Epub, doc) -> None:
    (sidebar,) = doc.sidebars
    body = book.documents["sidebar1.xhtml"].find(f"{X}body")
    assert text(body.find(f".//{X}h2")) == sidebar.title
    signatures = [text(p) for p in body.iter(f"{X}p") if p.get("class") == "signature"]
    assert signatures == [f"——{e.signature}" for e in sidebar.entries]
    rules = css_rules(book)
    assert ("text-align", "right") in rules[".signature"]


def test_every_han_character_of_the_source(book: Epub, doc) -> None:
    missing, extra = han_difference(SAMPLE.read_text("utf-8"), book.body_text(),
                                    decorations(doc))
    assert not missing and not extra


def css_rules(book: Epub) -> dict[str, list[tuple[str, str]]]:
    """selector -> (property, value) declarations of the EPUB stylesheet."""
    css = book.read(book.member("style.css")).decode("utf-8")
    rules: dict[str, list[tuple[str, str]]] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        declarations = [(d.lower_name, tinycss2.serialize(d.value).strip())
                        for d in tinycss2.parse_declaration_list(rule.content, True, True)
                        if d.type == "declaration"]
        for selector in tinycss2.serialize(rule.prelude).split(","):
            rules.setdefault(selector.strip(), []).extend(declarations)
    return rules


def test_stylesheet_for_e_readers(book: Epub) -> None:
    rules = css_rules(book)
    assert {("text-align", "justify"), ("text-indent", "2em")} <= set(rules["p"])
    assert ("line-break", "strict") in rules["body"]
    assert ("-epub-line-break", "strict") in rules["body"]
    families = [(s, v) for s, decls in rules.items() for p, v in decls if p == "font-family"]
    assert {s for s, _ in families} >= {"body", "h1", "h2", "h3", ".editor-note", ".sidebar"}
    for selector, value in families:
        first = value.split(",")[0].strip().strip('"')
        assert re.search(r"CJK|Han|Kai|Song|Hei|PingFang|UKai", first), (selector, value)
        assert value.rsplit(",", 1)[1].strip() in ("serif", "sans-serif"), (selector, value)
    css = book.read(book.member("style.css")).decode("utf-8")
    for risky in ("display: flex", "display: grid", "var(", "vh", "vw", "position: fixed"):
        assert risky not in css


@pytest.mark.parametrize("member", GOLDEN_MEMBERS)
def test_golden_members(book: Epub, member: str) -> None:
    """The packaged documents, compared as text (scripts/update-golden.py accepts changes)."""
    got = book.read(book.member(member)).decode("utf-8")
    assert got == (GOLDEN_EPUB / member).read_text("utf-8")


@pytest.mark.epubcheck
def test_minimal_article(tmp_path: Path) -> None:
    """No kicker, byline, note, sections, figures or sidebar: still a complete, valid EPUB."""
    source = tmp_path / "short.txt"
    source.write_text("短讯标题\n\n这是一段很短的正文。\n", "utf-8")
    book = Epub(build(source, tmp_path / "out", "--format", "epub"))
    assert_valid(book.path)
    assert not book.dc("creator")
    assert [d.text for d in book.dc("description")] == ["这是一段很短的正文。"]  # no note
    assert [text(a) for a in book.nav_list("toc").iter(f"{X}a")] == ["短讯标题"]
    assert [m.get("id") for _, m in book.markers()] == ["page-1"]
    missing, extra = han_difference(source.read_text("utf-8"), book.body_text())
    assert not missing and not extra


def test_headline_breaks_only_between_clauses(book: Epub, doc) -> None:
    h1 = book.documents["title.xhtml"].find(f".//{X}h1")
    assert text(h1) == doc.title
    pieces = [h1.text, *(w.tail for w in h1.iter(f"{X}wbr"))]
    assert pieces == ["增强党建凝聚力 ", "共画发展同心圆"]
    assert ("word-break", "keep-all") in css_rules(book)["h1"]


def test_adjacent_marks_are_squeezed(book: Epub) -> None:
    """The first of two adjacent marks is in span.zq; halt where text-spacing-trim is not."""
    spans = [s for root in book.documents.values() for s in root.iter(f"{X}span")
             if s.get("class") == "zq"]
    assert len(spans) > 20
    for span in spans:
        following = span.tail or span.getnext().text  # a mark, maybe the next span's
        assert len(span.text) == 1 and following[0] in "“”‘’（）《》、，。：；！？"
    css = book.read(book.member("style.css")).decode("utf-8")
    assert re.search(r"@supports not \(text-spacing-trim: trim-start\) \{\s*\.zq \{ "
                     r'font-feature-settings: "halt"; \}', css)
