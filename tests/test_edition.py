"""Editions: the articles of layout.toml as one PDF and one EPUB."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from .conftest import OPENING, SAMPLE, Builds, layout_cli
from .epub_support import NS as EPUB_NS
from .epub_support import XML_LANG, Epub, assert_valid

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

SECOND = """\
---
kicker: 经济观察
title: 小店经济焕发新活力
byline:
  role: 本报记者
  authors: [王五]
---

街边小店，连着千家万户的日常生活。

## 稳住基本盘

小店是城市的毛细血管。

## 拓展新空间

线上线下融合，让小店走得更远。
"""

THIRD = "短讯：城市书房延长开放时间\n\n本报讯 全市城市书房自下月起延长开放时间。\n"  # no sections

CONFIG = """\
[paper]
name = "人民日报"
[issue]
date = 2024-03-05
number = 25000
[style]
page = "a4"
[edition]
articles = ["source/{first}", "source/second.md", "source/third.txt"]
"""

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


def make_project(folder: Path) -> Path:
    (folder / "source").mkdir(parents=True)
    shutil.copyfile(SAMPLE, folder / "source" / SAMPLE.name)
    (folder / "source" / "second.md").write_text(SECOND, "utf-8")
    (folder / "source" / "third.txt").write_text(THIRD, "utf-8")
    (folder / "layout.toml").write_text(CONFIG.format(first=SAMPLE.name), "utf-8")
    return folder


def nav_tree(epub: Path) -> list[tuple[str, list[str]]]:
    """(chapter, [entries below it]) of the EPUB's table of contents."""
    with zipfile.ZipFile(epub) as z:
        nav_name = next(n for n in z.namelist() if n.endswith("nav.xhtml"))
        root = etree.fromstring(z.read(nav_name))
    toc = root.find(".//x:nav[@epub:type='toc']/x:ol", NS)
    return [("".join(li.find("x:a", NS).itertext()),
             ["".join(a.itertext()) for a in li.findall("x:ol/x:li/x:a", NS)])
            for li in toc.findall("x:li", NS)]


def build_edition(project: Path) -> None:
    """The project of ``make_project`` built (``layout build`` in it)."""
    make_project(project)
    proc = layout_cli("build", "-q", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "wrote build/edition.pdf (edition of 3 articles)" in proc.stdout


@pytest.fixture(scope="session")
def edition(built: Builds) -> Path:
    """The edition's build folder, shared with test_distributed's local build."""
    return built.once("edition-project", build_edition) / "build"


def test_edition_pdf_has_both_articles_in_order(edition: Path) -> None:
    text = subprocess.run(["pdftotext", "-layout", str(edition / "edition.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    first, second = flat.find("增强党建凝聚力"), flat.find("小店经济焕发新活力")
    assert 0 <= first < second
    from pypdf import PdfReader

    pages = [len(PdfReader(edition / f"{n}.pdf").pages)
             for n in ("renmin-ribao-party-building", "second", "third")]
    edition_pdf = PdfReader(edition / "edition.pdf")
    assert len(edition_pdf.pages) == sum(pages)  # consecutive pages, nothing set twice
    assert edition_pdf.metadata.title == "人民日报 2024年3月5日 第25000期"
    assert [o.title for o in edition_pdf.outline if not isinstance(o, list)] == [
        "增强党建凝聚力 共画发展同心圆", "小店经济焕发新活力", "短讯：城市书房延长开放时间"]
    assert edition_pdf.trailer["/Root"]["/Lang"] == "zh-Hans"


def test_edition_epub_lists_articles_and_their_sections(edition: Path) -> None:
    tree = nav_tree(edition / "edition.epub")
    assert [chapter for chapter, _ in tree] == ["增强党建凝聚力 共画发展同心圆",
                                                 "小店经济焕发新活力", "短讯：城市书房延长开放时间"]
    assert {"覆盖万千党员", "激发创新活力", "引领发展方向"} <= set(tree[0][1])
    assert tree[1][1] == ["稳住基本盘", "拓展新空间"]
    assert tree[2][1] == []
    with zipfile.ZipFile(edition / "edition.epub") as z:
        names = z.namelist()
        assert names[0] == "mimetype"
        body = b"".join(z.read(n) for n in names if n.endswith(".xhtml"))
    assert "线上线下融合".encode() in body and "党员工作生活在哪里".encode() in body


@pytest.mark.slow
@pytest.mark.epubcheck
def test_edition_epub_is_valid(edition: Path) -> None:
    """With a section-less article (no empty <ol/> in the navigation): no finding at all."""
    assert_valid(edition / "edition.epub")


def test_edition_epub_language_and_accessibility(edition: Path) -> None:
    book = Epub(edition / "edition.epub")
    assert book.opf.get(XML_LANG) == "zh-Hans"
    assert [e.text for e in book.dc("date")] == ["2024-03-05"]
    assert book.meta("schema:accessibilityHazard") == ["none"]
    (summary,) = book.meta("schema:accessibilitySummary")
    assert "3 个部分" in summary
    assert not book.meta("a11y:certifiedBy")
    assert all(len(ol) for ol in book.nav.iter(f"{{{EPUB_NS['x']}}}ol"))  # no empty list


def page_list(epub: Path) -> list[tuple[str, str]]:
    """(label, href) of the EPUB's page-list, in order."""
    book = Epub(epub)
    nav = book.nav.find(".//x:nav[@epub:type='page-list']", NS)
    return [] if nav is None else [(a.text or "", a.get("href", ""))
                                   for a in nav.iterfind("x:ol/x:li/x:a", NS)]


def test_edition_page_list_is_every_article_s_print_pages(edition: Path) -> None:
    """Each article's page-list (its print pages, labelled as printed), in reading order,
    each entry leading to the article's own page marker."""
    expected = [(label, f"a{n}/{href}") for n, name in enumerate(
        ("renmin-ribao-party-building", "second", "third"), start=1)
        for label, href in page_list(edition / f"{name}.epub")]
    assert len(expected) >= 4  # the sample's 3 A4 pages and one page per short story
    merged = page_list(edition / "edition.epub")
    assert merged == expected
    book = Epub(edition / "edition.epub")
    nav = book.nav.find(".//x:nav[@epub:type='page-list']", NS)
    assert nav.get("hidden") == "hidden" and nav.get("role") == "doc-pagelist"
    with zipfile.ZipFile(edition / "edition.epub") as z:
        for _, href in merged:  # every entry leads to a page marker
            name, _, anchor = href.partition("#")
            member = next(n for n in z.namelist() if n.endswith(name))
            assert f'id="{anchor}"'.encode() in z.read(member)
    assert "pageNavigation" in book.meta("schema:accessibilityFeature")
    (source,) = book.meta("pageBreakSource")
    assert "第1—3版、第1版、第1版" in source


@pytest.mark.skipif(shutil.which("ebook-convert") is None,
                    reason="calibre's ebook-convert is not installed (apt-get install calibre)")
def test_calibre_shows_no_edition_navigation_text(edition: Path, tmp_path: Path) -> None:
    """The edition's page-list is hidden for converters too (its navigation links the first
    article's stylesheet): calibre's TXT has no "页码 1 2 3 1 1"."""
    txt = tmp_path / "edition.txt"
    subprocess.run(["ebook-convert", str(edition / "edition.epub"), str(txt)], check=True,
                   capture_output=True, timeout=600)
    text = txt.read_text("utf-8")
    assert "小店经济焕发新活力" in text and "页码" not in text


def test_unchanged_edition_is_up_to_date(edition: Path) -> None:
    """Built again where it was built (a copy elsewhere rebuilds its articles: their
    digests hold the source's path): nothing is written, so the shared build stays as
    it was (the session checks that too)."""
    before = {p.name: p.stat().st_mtime_ns for p in edition.iterdir()}
    proc = layout_cli("build", "-q", cwd=edition.parent)
    assert proc.returncode == 0, proc.stderr
    assert "edition (edition): up to date" in proc.stdout
    assert "wrote" not in proc.stdout, proc.stdout
    assert {p.name: p.stat().st_mtime_ns for p in edition.iterdir()} == before


def test_failed_article_leaves_no_edition(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "source" / SAMPLE.name).write_text(OPENING, "utf-8")  # the length is no matter
    (project / "source" / "second.md").write_text("---\ntitle: [unclosed\n---\n", "utf-8")
    proc = layout_cli("build", "-q", "--format", "pdf", cwd=project)
    assert proc.returncode == 3
    assert "edition (edition): not built; failed articles: source/second.md" in proc.stderr
