"""Editions: the articles listed in layout.toml set as one PDF and one EPUB, in order.

Nothing is laid out or written twice: an edition is its articles' finished outputs put
together.  The PDF is the articles' PDFs in order (each starts on a new page; their
bookmarks are kept).  The EPUB takes every article's EPUB package as the EPUB writer made
it (documents, styles, images, each article in its own folder) in reading order; its
navigation lists each article as a chapter with the article's own entries below.
pypdf, ebooklib and the writers are imported only when an edition is written, so that
checking an unchanged edition stays quick.
"""

from __future__ import annotations

import io
import itertools
import json
import posixpath
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from ..atomic import write_bytes_atomic
from ..config import Edition
from ..decorations import INFO_KEY
from ..errors import LayoutError
from ..makeup.grid import FREE_KEY, shift_free
from ..makeup.grid import PDF_KEY as GRID_KEY
from ..model import Document
from ..settings import Settings
from ..writers import epub_metadata
from .incremental import Digest, Manifest, settings_digest
from .parallel import Outcome

NS = {"c": "urn:oasis:names:tc:opendocument:xmlns:container",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
EDITION_NAMESPACE = uuid.UUID("0b6b7f0e-4f2a-4b8e-9d6c-6c1f4f3b9e21")


@dataclass
class EditionResult:
    outputs: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)  # articles that failed to build
    skipped: bool = False


def edition_title(edition: Edition, settings: Settings) -> str:
    if edition.title:
        return edition.title
    parts = [settings.publication.paper, settings.publication.issue_date or ""]
    if settings.publication.issue_number is not None:
        parts.append(f"第{settings.publication.issue_number}期")
    return " ".join(p for p in parts if p)


def merge_pdfs(pdfs: Sequence[Path | bytes], title: str, language: str | None = None) -> bytes:
    """The PDFs (files, or their bytes) one after the other, outlines kept; ``language``
    is the document's (catalog /Lang), which merging does not carry over."""
    from pypdf import PdfReader, PdfWriter

    def opened(pdf: Path | bytes) -> str | io.BytesIO:
        return str(pdf) if isinstance(pdf, Path) else io.BytesIO(pdf)

    writer = PdfWriter()
    records: list[dict[str, str]] = []  # what `layout check` reads, of each PDF
    pages = 0
    for pdf in pdfs:
        reader = PdfReader(opened(pdf))
        info: dict[str, object] = dict(reader.metadata or {})
        record = {key: str(info[key]) for key in (INFO_KEY, GRID_KEY) if key in info}
        if FREE_KEY in info:
            record[FREE_KEY] = shift_free(str(info[FREE_KEY]), pages)
        records.append(record)
        writer.append(reader, import_outline=True)
        pages += len(reader.pages)
    writer.add_metadata({"/Title": title, **_merged_records(records)})
    if language:
        from pypdf.generic import NameObject, TextStringObject

        writer.root_object[NameObject("/Lang")] = TextStringObject(language)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _merged_records(records: Sequence[dict[str, str]]) -> dict[str, str]:
    """What ``layout check`` reads of a merged PDF: the first part's page decorations
    (their margins are the preset's), the grid when every part was made on the same
    one (else the check infers it), and the free bands of all parts."""
    out = {}
    if records and INFO_KEY in records[0]:
        out[INFO_KEY] = records[0][INFO_KEY]
    grids = {record.get(GRID_KEY, "") for record in records}
    if len(grids) == 1 and "" not in grids:
        out[GRID_KEY] = grids.pop()
    free = "; ".join(record[FREE_KEY] for record in records if FREE_KEY in record)
    if free:
        out[FREE_KEY] = free
    return out


def build_edition(edition: Edition, outcomes: Sequence[Outcome], settings: Settings,
                  out_dir: Path, formats: tuple[str, ...], force: bool = False
                  ) -> EditionResult:
    """Write ``<name>.pdf`` / ``<name>.epub`` from the built articles, unless unchanged."""
    by_source = {o.source.resolve(): o for o in outcomes}
    result = EditionResult()
    articles: list[tuple[Path, Document]] = []
    for article in edition.articles:
        outcome = by_source.get(article.resolve())
        if outcome is None or outcome.failed or outcome.doc is None:
            result.missing.append(article)
        else:
            articles.append((outcome.source, outcome.doc))
    if result.missing:
        return result
    title = edition_title(edition, settings)
    pdfs = [out_dir / f"{source.stem}.pdf" for source, _ in articles]
    digest = Digest().add("settings", settings_digest(settings)).add("title", title)
    digest.add("formats", repr(formats))
    for (_, doc), pdf in zip(articles, pdfs, strict=True):
        digest.add("model", json.dumps(doc.to_json(), ensure_ascii=False, sort_keys=True))
        for suffix in ("pdf", "epub"):
            if suffix in formats:
                digest.add_file(suffix, pdf.with_suffix(f".{suffix}"))
    key = f"edition:{edition.name}"
    manifest = Manifest(out_dir)
    if not force and manifest.fresh(key, digest.hexdigest()):
        result.skipped = True
        return result
    if "pdf" in formats:
        target = out_dir / f"{edition.name}.pdf"
        write_bytes_atomic(target, merge_pdfs(pdfs, title, settings.publication.language))
        result.outputs.append(target)
    if "epub" in formats:
        from .build import build_time

        target = out_dir / f"{edition.name}.epub"
        modified = max(build_time(source) for source, _ in articles)
        packages = [open_epub(out_dir / f"{source.stem}.epub") for source, _ in articles]
        contents = edition_contents(packages, [doc for _, doc in articles])
        write_bytes_atomic(target, merge_epubs(packages, title, settings, modified, contents))
        result.outputs.append(target)
    manifest.record(key, digest.hexdigest(), result.outputs)
    manifest.save()
    return result


# --- EPUB --------------------------------------------------------------------------------

@dataclass
class NavPoint:
    label: str
    href: str
    children: list[NavPoint] = field(default_factory=list)


@dataclass
class Item:
    uid: str
    href: str  # relative to the package document
    media_type: str
    properties: list[str]
    data: bytes


@dataclass
class Package:
    """One article's EPUB, opened: its items, reading order and table of contents."""

    identifier: str
    creators: list[str]
    items: list[Item]
    spine: list[str]  # item ids, the navigation document left out
    toc: list[NavPoint]
    pages: list[NavPoint]  # the page-list: the article's print pages, labelled as printed


def open_epub(path: Path | bytes | bytearray, where: str = "") -> Package:
    """An article's EPUB, from its file or its bytes (``where`` names it in messages)."""
    try:
        with zipfile.ZipFile(path if isinstance(path, Path) else io.BytesIO(path)) as z:
            container = etree.fromstring(z.read("META-INF/container.xml"))
            opf_path = _attribute(container.find(".//c:rootfile", NS), "full-path")
            base = posixpath.dirname(opf_path)
            opf = etree.fromstring(z.read(opf_path))
            manifest = opf.find("opf:manifest", NS)
            if manifest is None:
                raise KeyError("the package document has no manifest")
            items = [Item(_attribute(e, "id"), _attribute(e, "href"),
                          _attribute(e, "media-type"), (e.get("properties") or "").split(),
                          z.read(posixpath.join(base, _attribute(e, "href"))))
                     for e in manifest]
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise LayoutError("B501", f"cannot take the article EPUB into the edition: {exc}",
                          where or (str(path) if isinstance(path, Path) else "")) from None
    nav = next(i for i in items if "nav" in i.properties)
    nav_root = etree.fromstring(nav.data)
    toc_ol = nav_root.find(".//x:nav[@epub:type='toc']/x:ol", NS)
    pages_ol = nav_root.find(".//x:nav[@epub:type='page-list']/x:ol", NS)
    folder = posixpath.dirname(nav.href)
    return Package(
        identifier=opf.findtext(".//dc:identifier", "", NS),
        creators=[c.text or "" for c in opf.iterfind(".//dc:creator", NS)],
        items=[i for i in items if i is not nav and i.media_type != "application/x-dtbncx+xml"],
        spine=[idref for r in opf.iterfind("opf:spine/opf:itemref", NS)
               if (idref := r.get("idref")) is not None and idref != nav.uid],
        toc=_nav_points(toc_ol, folder) if toc_ol is not None else [],
        pages=_nav_points(pages_ol, folder) if pages_ol is not None else [],
    )


def _attribute(element: etree._Element | None, name: str) -> str:
    """An attribute the package needs (KeyError, naming it, if it or its element is missing)."""
    value = element.get(name) if element is not None else None
    if value is None:
        raise KeyError(f"no {name} attribute where the package needs one")
    return value


def _nav_points(ol: etree._Element, folder: str) -> list[NavPoint]:
    out = []
    for li in ol.iterfind("x:li", NS):
        a = li.find("x:a", NS)
        href = a.get("href") if a is not None else None
        if a is None or href is None:
            continue
        sub = li.find("x:ol", NS)
        out.append(NavPoint("".join(a.itertext()).strip(),
                            posixpath.normpath(posixpath.join(folder, href)),
                            _nav_points(sub, folder) if sub is not None else []))
    return out


def edition_contents(packages: Sequence[Package], docs: Sequence[Document] = ()
                     ) -> epub_metadata.Contents:
    """What the edition holds, for its accessibility metadata: one part per article, and
    the articles' print pages in its page-list.  Without the articles' models, captions
    and sidebars are not counted."""
    photos = sum(1 for p in packages for i in p.items if i.uid.startswith("figure")
                 and i.media_type.startswith("image/"))
    return epub_metadata.Contents(
        sections=len(packages), photos=photos,
        captions=max(sum(len(d.figures) for d in docs) - photos, 0),
        sidebars=sum(len(d.sidebars) for d in docs),
        folios=tuple(int(p.label) for k in packages for p in k.pages if p.label.isdigit()))


def merge_epubs(packages: Sequence[Package], title: str, settings: Settings,
                modified: datetime, contents: epub_metadata.Contents | None = None,
                groups: Sequence[tuple[str, int]] = ()) -> bytes:
    """One EPUB of several: article n's files under ``a<n>/``; one chapter per article;
    one page-list of every article's print pages, in reading order, labelled as printed.

    ``groups`` (label, count) put the chapters, in order, under one entry each in the
    navigation: the stories of a composed page under the page; the book then keeps only
    the first story's cover (a story of a page opens with its headline, not a cover)."""
    from ebooklib import epub as ebook

    from ..writers.epub import PackageWriter, PageList, labels, normalise_zip

    book = ebook.EpubBook()
    basis = "\n".join([title, *(p.identifier for p in packages)])
    book.set_identifier(f"urn:uuid:{uuid.uuid5(EDITION_NAMESPACE, basis)}")
    book.set_title(title)
    book.set_language(settings.publication.language)
    book.add_metadata("DC", "publisher", settings.publication.publisher)
    if settings.publication.rights:
        book.add_metadata("DC", "rights", settings.publication.rights)
    book.add_metadata("DC", "date", epub_metadata.issue_date(settings, modified)[0])
    for prop, value in epub_metadata.accessibility(
            contents or edition_contents(packages), settings):
        book.add_metadata(None, "meta", value, {"property": prop})
    creators = list(dict.fromkeys(c for p in packages for c in p.creators))
    for n, creator in enumerate(creators, start=1):
        book.add_author(creator, uid=f"creator{n}")
    spine: list[ebook.EpubItem] = []
    toc: list[object] = []
    for n, package in enumerate(packages, start=1):
        by_id = {}
        covers = {"cover", "cover-image"} if groups and n > 1 else set()
        for item in (i for i in package.items if i.uid not in covers):
            new = ebook.EpubItem(uid=f"a{n}-{item.uid}", file_name=f"a{n}/{item.href}",
                                 media_type=item.media_type, content=item.data)
            # one cover for the book: the first article's; the others open their chapter
            new.properties = [p for p in item.properties if p != "cover-image" or n == 1]
            book.add_item(new)
            by_id[item.uid] = new
        spine += [by_id[uid] for uid in package.spine if uid not in covers]
        if package.toc:
            head = package.toc[0]
            ids = itertools.count(1)
            below = [*head.children, *package.toc[1:]]  # the article's title page is the head
            if below:
                toc.append((ebook.Section(head.label, f"a{n}/{head.href}"),
                            [_toc_entry(p, f"a{n}", ids) for p in below]))
            else:  # a short story: one entry (an empty list is invalid in the navigation)
                toc.append(ebook.Link(f"a{n}/{head.href}", head.label, uid=f"a{n}-nav"))
    book.toc = _grouped(toc, groups) if groups else toc
    book.add_item(ebook.EpubNcx())
    nav = ebook.EpubNav(title=labels(settings.publication.script)["toc"])
    book.add_item(nav)
    book.spine = [nav, *spine]
    raw = io.BytesIO()
    pages = [(p.label, f"a{n}/{p.href}")
             for n, package in enumerate(packages, start=1) for p in package.pages]
    # the first article's stylesheet: it hides [hidden] for converters (calibre)
    stylesheet = next((f"a1/{i.href}" for i in packages[0].items
                       if i.media_type == "text/css"), "") if packages else ""
    writer = PackageWriter(raw, book, {"epub3_pages": False, "mtime": modified.astimezone(UTC),
                                       "raise_exceptions": True},
                           settings.publication.language,
                           PageList(labels(settings.publication.script)["pages"], pages,
                                    stylesheet))
    writer.process()
    writer.write()
    return normalise_zip(raw.getvalue(), modified)


def _grouped(toc: list[object], groups: Sequence[tuple[str, int]]) -> list[object]:
    """The chapters of ``toc`` under one section per group, in order."""
    from ebooklib import epub as ebook

    out: list[object] = []
    start = 0
    for label, count in groups:
        chapters = toc[start:start + count]
        first = chapters[0]
        href = first.href if isinstance(first, ebook.Link) else first[0].href  # type: ignore[index]
        out.append((ebook.Section(label, href), chapters))
        start += count
    return out


def _toc_entry(point: NavPoint, folder: str, ids: Iterator[int]) -> object:
    from ebooklib import epub as ebook

    href = f"{folder}/{point.href}"
    if not point.children:
        return ebook.Link(href, point.label, uid=f"{folder}-nav{next(ids)}")
    return (ebook.Section(point.label, href),
            [_toc_entry(c, folder, ids) for c in point.children])

