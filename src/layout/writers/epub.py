"""EPUB 3 writer: XHTML rendered from our templates, packaged verbatim by ebooklib.

Every document (chapters, cover, ``nav.xhtml``, ``toc.ncx``, the stylesheet) is rendered
from the Jinja2 templates in ``templates/epub/`` and added to ebooklib as a plain
``EpubItem``, which it writes as is (``EpubHtml`` would rewrite it).  The chapters are
parsed once with lxml to insert the print page-break markers (:mod:`.pagination`), which
also proves each is well-formed XML.  ebooklib writes the package document; the pitfalls
it has (no ``xml:lang`` on ``<package>``, zip entries dated now) are corrected here, and
the zip is re-packed so equal inputs give byte-identical files.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ebooklib import epub
from jinja2 import Environment
from lxml import etree
from markupsafe import Markup
from weasyprint.document import Document as WeasyDocument

from ..errors import LayoutError
from ..model import Block, Diagnostic, Document
from ..settings import Settings
from ..transforms.script import in_script
from ..typeset.marks import MarkMetrics, face_marks
from . import epub_cover, epub_fonts, epub_metadata, epub_text
from .epub_pictures import Pictures, pictures
from .html import ElementIds
from .pagination import PageBreak, place_page_breaks, print_flow
from .templating import environment

NAMESPACE = uuid.UUID("6f1c2a4e-2b7d-4c61-9a55-2f0d8f3b7a10")
XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LABELS = {
    "toc": "目录", "landmarks": "导览", "pages": "页码", "cover": "封面", "bodymatter": "正文",
    "captions": "图片说明", "photos": "图片", "print_page": "印刷版版面",
}


# Apple Books uses a book's own fonts only when told so.
APPLE_OPTIONS = "META-INF/com.apple.ibooks.display-options.xml"
APPLE_SPECIFIED_FONTS = (b'<?xml version="1.0" encoding="UTF-8"?>\n<display_options>'
                         b'<platform name="*"><option name="specified-fonts">true</option>'
                         b'</platform></display_options>\n')


def stable_identifier(doc: Document) -> str:
    """A name-based UUID: the same article always gets the same identifier."""
    basis = "\n".join([doc.title, *(t for _, t in doc.texts())])
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, basis)}"


def labels(script: str | None) -> dict[str, str]:
    """The EPUB's own words, in the book's script (``--script``)."""
    return {k: in_script(v, script) for k, v in LABELS.items()}


def figures_heading(doc: Document, script: str | None = None) -> str:
    words = labels(script)
    return words["photos"] if any(f.image for f in doc.figures) else words["captions"]


def decorations(doc: Document, script: str | None = None) -> list[str]:
    """Texts the EPUB's reading order adds to the source's (for fidelity checks)."""
    return [figures_heading(doc, script)] if doc.figures else []


@dataclass
class TocEntry:
    label: str
    href: str
    children: list[TocEntry] = field(default_factory=list)
    order: int = 0  # NCX playOrder


@dataclass
class Chapter:
    uid: str
    title: str
    root: etree._Element

    @property
    def file_name(self) -> str:
        return f"{self.uid}.xhtml"

    @property
    def body(self) -> etree._Element:
        body = self.root.find(f"{{{XHTML}}}body")
        if body is None:  # every chapter template has one
            raise ValueError(f"{self.file_name} has no body")
        return body

    def xhtml(self) -> bytes:
        return serialise(self.root)


@dataclass(frozen=True)
class Resource:
    uid: str
    file_name: str
    media_type: str
    data: bytes


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True)


def parse(xhtml: str, what: str) -> etree._Element:
    try:
        return etree.fromstring(xhtml.encode("utf-8"),
                                etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:  # a broken template: say which
        raise LayoutError("B300", f"EPUB template output is not well-formed XML: {exc}",
                          what) from None


class Renderer:
    """Renders the EPUB's XHTML documents from the templates, parsed (so proven XML)."""

    def __init__(self, doc: Document, settings: Settings, kobo: bool = False) -> None:
        self.doc = doc
        self.kobo = kobo
        self.vertical = settings.run.vertical
        self.lang = settings.publication.language
        self.first_page = settings.publication.folio
        self.script = settings.publication.script
        self.cells = kai_cells(settings)
        self.labels = labels(settings.publication.script)
        self.env = environment(settings.design.style)
        self.block_html = block_renderer(self.env)

    def document(self, uid: str, title: str, template: str, body_class: str = "",
                 **context: object) -> Chapter:
        body = self.env.get_template(template).render(
            doc=self.doc, ids=ElementIds, block_html=self.block_html, **context)
        page = self.env.get_template("epub/chapter.xhtml.j2").render(
            lang=self.lang, title=title, body=Markup(body), body_class=body_class)
        chapter = Chapter(uid, title, parse(page, f"{uid}.xhtml"))
        if self.kobo:
            epub_text.kobo_spans(chapter.body)
        epub_text.squeeze_pairs(chapter.body, cells=self.cells is not None)
        if self.vertical:
            epub_text.upright_numbers(chapter.body)
        for heading in chapter.body.iter(f"{{{XHTML}}}h1", f"{{{XHTML}}}h2"):
            epub_text.clause_breaks(heading)
        return chapter

    def chapters(self, images: list[Resource | None]) -> list[Chapter]:
        """The reading order after the cover: opening, sections, figures, sidebars."""
        doc = self.doc
        out = [self.document("title", doc.title, "epub/title.html.j2")]
        for n, section in enumerate(doc.sections, start=1):
            out.append(self.document(f"section{n}", section.title, "epub/section.html.j2",
                                     section=section))
        if doc.figures:
            heading = figures_heading(doc, self.script)
            out.append(self.document("figures", heading, "epub/figures.html.j2",
                                     heading=heading,
                                     images=[i.file_name if i else None for i in images]))
        for n, sidebar in enumerate(doc.sidebars, start=1):
            out.append(self.document(f"sidebar{n}", sidebar.title, "epub/sidebar.html.j2",
                                     sidebar=sidebar))
        return out

    def navigation(self, identifier: str, cover: Chapter, chapters: list[Chapter],
                   breaks: list[PageBreak]) -> tuple[Chapter, str]:
        """``nav.xhtml`` and ``toc.ncx``, made from the same entries."""
        toc = toc_entries(self.doc, chapters)
        pages = page_entries(breaks, chapters, self.first_page)
        set_play_order(toc, pages, chapters)
        landmarks = [
            {"type": "cover", "href": cover.file_name, "label": self.labels["cover"]},
            {"type": "toc", "href": "nav.xhtml#toc", "label": self.labels["toc"]},
            {"type": "bodymatter", "href": chapters[0].file_name,
             "label": self.labels["bodymatter"]},
        ]
        nav = self.env.get_template("epub/nav.xhtml.j2").render(
            lang=self.lang, labels=self.labels, toc=toc, landmarks=landmarks, pages=pages)
        ncx = self.env.get_template("epub/toc.ncx.j2").render(
            lang=self.lang, identifier=identifier, title=self.doc.title, labels=self.labels,
            toc=toc, pages=pages, depth=2 if any(e.children for e in toc) else 1)
        parse(ncx, "toc.ncx")
        return Chapter("nav", self.labels["toc"], parse(nav, "nav.xhtml")), ncx


def build_epub(doc: Document, settings: Settings, modified: datetime, source: Path,
               layout: WeasyDocument, print_pdf: bytes | None, kobo: bool = False,
               made: Pictures | None = None) -> tuple[bytes, list[Diagnostic]]:
    """The EPUB of ``doc``; ``layout`` is the print edition's laid-out WeasyPrint document
    (where its pages begin) and ``print_pdf`` its PDF (needed for ``--cover print``
    only).  ``kobo``: a kepub, every sentence in a koboSpan.  ``made``: its
    :func:`pictures`, if made already."""
    render = Renderer(doc, settings, kobo)
    made = made or pictures(doc, settings, source)
    diagnostics = list(made.diagnostics)
    images = [Resource(i.uid, i.file_name, i.media_type, i.data) if i else None
              for i in made.images]
    chapters = render.chapters(images)
    breaks, placing = place_page_breaks(print_flow(layout), [c.body for c in chapters])
    diagnostics += placing
    cover_image = Resource("cover-image", "images/cover.jpg", "image/jpeg", made.cover)
    cover = render.document("cover", render.labels["cover"], "epub/cover.html.j2",
                            body_class="cover-page", image=cover_image.file_name,
                            alt=cover_alt(doc, settings))
    extras: list[Chapter] = []
    extra_images: list[Resource] = []
    if settings.run.cover == "print":
        if print_pdf is None:
            raise ValueError("--cover print: the EPUB's print page needs the print PDF")
        extra_images.append(Resource("print-page-image", "images/print-page.jpg", "image/jpeg",
                                     epub_cover.print_page(print_pdf)))
        extras.append(render.document(
            "print-page", render.labels["print_page"], "epub/cover.html.j2",
            body_class="cover-page", image=extra_images[0].file_name,
            alt=in_script(f"{settings.publication.paper}印刷版第{settings.publication.folio}版版面，"
                          f"标题《{doc.title}》", settings.publication.script)))
    identifier = stable_identifier(doc)
    nav, ncx = render.navigation(identifier, cover, chapters, breaks)

    faces: list[epub_fonts.Face] = []
    if settings.run.embed_fonts:
        texts = epub_fonts.role_texts(c.root for c in [cover, *extras, nav, *chapters])
        faces, font_diagnostics = epub_fonts.embed(settings.design.style, texts,
                                                   settings.publication.script)
        diagnostics += font_diagnostics

    book = epub.EpubBook()
    contents = epub_metadata.Contents(
        sections=len(doc.sections), photos=sum(1 for i in images if i),
        captions=sum(1 for i in images if not i), sidebars=len(doc.sidebars),
        folios=tuple(settings.publication.folio + b.page - 1 for b in breaks))
    diagnostics += epub_metadata.describe(book, doc, settings, modified, identifier, contents)
    if settings.run.vertical:  # pages turn right to left; Kindle's converters read the meta
        book.set_direction("rtl")
        book.add_metadata(None, "meta", "", {"name": "primary-writing-mode",
                                             "content": "vertical-rl"})
    resources = [
        Resource("style", "style.css", "text/css",
                 stylesheet(render.env, settings, faces).encode("utf-8")),
        *(Resource(f"font-{f.role}-{f.weight}", f.file_name, f.media_type, f.data)
          for f in faces),
        *(i for i in images if i), *extra_images,
        Resource("ncx", "toc.ncx", "application/x-dtbncx+xml", ncx.encode("utf-8")),
    ]
    for r in resources:
        book.add_item(_item(r.uid, r.file_name, r.media_type, r.data, []))
    book.add_item(_item(cover_image.uid, cover_image.file_name, cover_image.media_type,
                        cover_image.data, ["cover-image"]))
    for chapter in [cover, *extras, nav, *chapters]:
        book.add_item(_item(chapter.uid, chapter.file_name, "application/xhtml+xml",
                            chapter.xhtml(), ["nav"] if chapter is nav else []))
        book.spine.append(chapter.uid)
    raw = io.BytesIO()
    writer = PackageWriter(raw, book, {"epub3_pages": False, "epub2_guide": False,
                                       "mtime": modified.astimezone(UTC),
                                       "raise_exceptions": True}, settings.publication.language)
    writer.process()
    writer.write()
    extra = {APPLE_OPTIONS: APPLE_SPECIFIED_FONTS} if faces else {}
    return normalise_zip(raw.getvalue(), modified, extra), diagnostics


def _item(uid: str, file_name: str, media_type: str, data: bytes,
          properties: list[str]) -> epub.EpubItem:
    item = epub.EpubItem(uid=uid, file_name=file_name, media_type=media_type, content=data)
    item.properties = properties  # ebooklib writes an EpubItem's properties if it has any
    return item


@dataclass(frozen=True)
class PageList:
    """The page-list of a navigation document ebooklib writes (an edition's): its heading,
    (label, href) per print page, and a stylesheet hiding ``[hidden]`` for converters."""

    heading: str
    pages: list[tuple[str, str]]
    stylesheet: str


class PackageWriter(epub.EpubWriter):
    """ebooklib's writer, with the ``xml:lang`` it leaves off ``<package>``; where ebooklib
    writes the navigation document (an edition's), ``page_list`` adds the print pages to
    it (ebooklib's own page-list would list every element that has an id)."""

    def __init__(self, name: io.BytesIO, book: epub.EpubBook, options: dict, lang: str,
                 page_list: PageList | None = None) -> None:
        super().__init__(name, book, options)
        self.lang = lang
        self.page_list = page_list

    def _write_opf_file(self, root: etree._Element) -> None:
        root.set(XML_LANG, self.lang)
        super()._write_opf_file(root)

    def _get_nav(self, item: epub.EpubNav) -> bytes:
        nav: bytes = super()._get_nav(item)
        if not self.page_list or not self.page_list.pages:
            return nav
        root = etree.fromstring(nav)
        head, body = (next(e for e in root if etree.QName(e).localname == name)
                      for name in ("head", "body"))
        if self.page_list.stylesheet:
            etree.SubElement(head, f"{{{XHTML}}}link", rel="stylesheet", type="text/css",
                             href=self.page_list.stylesheet)
        page_nav = etree.SubElement(body, f"{{{XHTML}}}nav", {
            f"{{{OPS}}}type": "page-list", "id": "page-list", "hidden": "hidden",
            "role": "doc-pagelist", "aria-labelledby": "page-list-title"})
        etree.SubElement(page_nav, f"{{{XHTML}}}h2", id="page-list-title").text = (
            self.page_list.heading)
        ol = etree.SubElement(page_nav, f"{{{XHTML}}}ol")
        for label, href in self.page_list.pages:
            li = etree.SubElement(ol, f"{{{XHTML}}}li")
            etree.SubElement(li, f"{{{XHTML}}}a", href=href).text = label
        return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def cover_alt(doc: Document, settings: Settings) -> str:
    """What the typographic cover shows, in the order it shows it."""
    publication = settings.publication
    parts = [f"封面：{publication.paper}", publication.issue_date, f"第{publication.folio}版",
             f"{doc.kicker}" if doc.kicker else None, f"标题《{doc.title}》"]
    return in_script("，".join(p for p in parts if p), publication.script)


def block_renderer(env: Environment) -> Callable[[Block, str | None], Markup]:
    """``block_html(block, dateline)`` for the EPUB's body blocks."""
    template = env.get_template("epub/block.html.j2")

    def block_html(block: Block, dateline: str | None) -> Markup:
        return Markup(template.render(block=block, dateline=dateline, ids=ElementIds))

    return block_html


def toc_entries(doc: Document, chapters: list[Chapter]) -> list[TocEntry]:
    """One entry per chapter; a chapter's lead-ins (and run-in heads) below it."""
    def heads(chapter: Chapter, blocks: Iterable[Block]) -> list[TocEntry]:
        return [TocEntry(b.text if b.type == "lead_in" else b.run_in or "",
                         f"{chapter.file_name}#{ElementIds.block(b)}")
                for b in blocks if b.type == "lead_in" or b.run_in]

    by_uid = {c.uid: c for c in chapters}
    entries = [TocEntry(doc.title, by_uid["title"].file_name, heads(by_uid["title"], doc.lead))]
    for n, section in enumerate(doc.sections, start=1):
        chapter = by_uid[f"section{n}"]
        entries.append(TocEntry(section.title, chapter.file_name,
                                heads(chapter, section.blocks)))
    if "figures" in by_uid:
        entries.append(TocEntry(by_uid["figures"].title, by_uid["figures"].file_name))
    for n, sidebar in enumerate(doc.sidebars, start=1):
        entries.append(TocEntry(sidebar.title, by_uid[f"sidebar{n}"].file_name))
    return entries


def page_entries(breaks: list[PageBreak], chapters: list[Chapter], first_page: int
                 ) -> list[TocEntry]:
    """The page-list, labelled with the folios as printed (``--folio``); each marker's
    ``aria-label`` says the same."""
    file_of = {id(c.body): c.file_name for c in chapters}
    entries = []
    for b in breaks:
        label = str(first_page + b.page - 1)
        (marker,) = b.body.iterfind(f".//*[@id='{b.marker_id}']")
        marker.set("aria-label", label)
        entries.append(TocEntry(label, f"{file_of[id(b.body)]}#{b.marker_id}"))
    return entries


def set_play_order(toc: list[TocEntry], pages: list[TocEntry], chapters: list[Chapter]
                   ) -> None:
    """NCX playOrder: reading order of every target; equal targets share a number."""
    position: dict[str, tuple[int, int]] = {}
    for spine_index, chapter in enumerate(chapters):
        position[chapter.file_name] = (spine_index, -1)
        for order, element in enumerate(chapter.root.iter()):
            eid = element.get("id") if isinstance(element.tag, str) else None
            if eid:
                position[f"{chapter.file_name}#{eid}"] = (spine_index, order)
    targets = [*toc, *(c for e in toc for c in e.children), *pages]
    ranks = {p: n for n, p in enumerate(sorted({position[t.href] for t in targets}), start=1)}
    for target in targets:
        target.order = ranks[position[target.href]]


def kai_cells(settings: Settings) -> MarkMetrics | None:
    """The embedded Kai face's metrics when its marks need cells made (WenKai: no halt,
    Latin-width quotes; layout.typeset.marks).  Only an embedded face is known to be the
    one the reader sets; vertical text keeps the face's own vertical forms."""
    if not settings.run.embed_fonts or settings.run.vertical:
        return None
    note = next(r for r in epub_fonts.ROLES if r.name == "note")
    metrics = face_marks(epub_fonts.families(note, settings.design.style,
                                             settings.publication.script))
    return metrics if metrics and metrics.needs_cells else None


def stylesheet(env: Environment, settings: Settings, faces: list[epub_fonts.Face]) -> str:
    embedded = {f.role: f for f in faces}
    cells = kai_cells(settings) if "note" in embedded else None
    note = next(r for r in epub_fonts.ROLES if r.name == "note")
    roles = []
    for role in epub_fonts.ROLES:
        names = epub_fonts.families(role, settings.design.style,
                                     settings.publication.script)
        if role.name in embedded:
            names = [embedded[role.name].family, *names]
        roles.append({"selectors": Markup(", ".join(role.selectors)),
                      "families": epub_fonts.family_css(names, role.generic)})
    return env.get_template("epub/style.css.j2").render(
        roles=roles, faces=faces, vertical=settings.run.vertical,
        kai_cells=Markup(cells.css(note.selectors) if cells else ""))


def normalise_zip(data: bytes, when: datetime, extra: dict[str, bytes] | None = None
                  ) -> bytes:
    """Re-pack with ``mimetype`` first and stored, every entry dated ``when``, and the
    ``extra`` members (name -> data) added."""
    stamp = when.astimezone(UTC).timetuple()[:6]
    stamp = (max(stamp[0], 1980), *stamp[1:])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        members = {n: src.read(n) for n in src.namelist()} | (extra or {})
        ordered = ["mimetype"] + sorted(n for n in members if n != "mimetype")
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, members[name])
    return out.getvalue()

