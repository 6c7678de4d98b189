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
import threading
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2 as pdfium
from ebooklib import epub
from jinja2 import Environment
from lxml import etree
from markupsafe import Markup
from PIL import Image, UnidentifiedImageError
from weasyprint.document import Document as WeasyDocument

from ..errors import LayoutError
from ..model import Block, Diagnostic, Document
from ..sandbox import inside
from ..settings import Settings
from . import epub_fonts
from .html import ElementIds
from .pagination import PageBreak, place_page_breaks, print_flow
from .templating import environment

NAMESPACE = uuid.UUID("6f1c2a4e-2b7d-4c61-9a55-2f0d8f3b7a10")
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LABELS = {
    "toc": "目录", "landmarks": "导览", "pages": "页码", "cover": "封面", "bodymatter": "正文",
    "captions": "图片说明", "photos": "图片",
}
COVER_WIDTH = 1400  # pixels: sharp on e-reader screens, a few hundred KB as JPEG
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
_PDFIUM = threading.Lock()


def stable_identifier(doc: Document) -> str:
    """A name-based UUID: the same article always gets the same identifier."""
    basis = "\n".join([doc.title, *(t for _, t in doc.texts())])
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, basis)}"


def figures_heading(doc: Document) -> str:
    return LABELS["photos"] if any(f.image for f in doc.figures) else LABELS["captions"]


def decorations(doc: Document) -> list[str]:
    """Texts the EPUB's reading order adds to the source's (for fidelity checks)."""
    return [figures_heading(doc)] if doc.figures else []


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

    def __init__(self, doc: Document, settings: Settings) -> None:
        self.doc = doc
        self.lang = settings.publication.language
        self.env = environment(settings.design.style)
        self.block_html = block_renderer(self.env)

    def document(self, uid: str, title: str, template: str, body_class: str = "",
                 **context: object) -> Chapter:
        body = self.env.get_template(template).render(
            doc=self.doc, ids=ElementIds, block_html=self.block_html, **context)
        page = self.env.get_template("epub/chapter.xhtml.j2").render(
            lang=self.lang, title=title, body=Markup(body), body_class=body_class)
        return Chapter(uid, title, parse(page, f"{uid}.xhtml"))

    def chapters(self, images: list[Resource | None]) -> list[Chapter]:
        """The reading order after the cover: opening, sections, figures, sidebars."""
        doc = self.doc
        out = [self.document("title", doc.title, "epub/title.html.j2")]
        for n, section in enumerate(doc.sections, start=1):
            out.append(self.document(f"section{n}", section.title, "epub/section.html.j2",
                                     section=section))
        if doc.figures:
            out.append(self.document("figures", figures_heading(doc), "epub/figures.html.j2",
                                     heading=figures_heading(doc),
                                     images=[i.file_name if i else None for i in images]))
        for n, sidebar in enumerate(doc.sidebars, start=1):
            out.append(self.document(f"sidebar{n}", sidebar.title, "epub/sidebar.html.j2",
                                     sidebar=sidebar))
        return out

    def navigation(self, identifier: str, cover: Chapter, chapters: list[Chapter],
                   breaks: list[PageBreak]) -> tuple[Chapter, str]:
        """``nav.xhtml`` and ``toc.ncx``, made from the same entries."""
        toc = toc_entries(self.doc, chapters)
        pages = page_entries(breaks, chapters)
        set_play_order(toc, pages, chapters)
        landmarks = [
            {"type": "cover", "href": cover.file_name, "label": LABELS["cover"]},
            {"type": "toc", "href": "nav.xhtml#toc", "label": LABELS["toc"]},
            {"type": "bodymatter", "href": chapters[0].file_name,
             "label": LABELS["bodymatter"]},
        ]
        nav = self.env.get_template("epub/nav.xhtml.j2").render(
            lang=self.lang, labels=LABELS, toc=toc, landmarks=landmarks, pages=pages)
        ncx = self.env.get_template("epub/toc.ncx.j2").render(
            lang=self.lang, identifier=identifier, title=self.doc.title, labels=LABELS,
            toc=toc, pages=pages, depth=2 if any(e.children for e in toc) else 1)
        parse(ncx, "toc.ncx")
        return Chapter("nav", LABELS["toc"], parse(nav, "nav.xhtml")), ncx


def build_epub(doc: Document, settings: Settings, modified: datetime, source: Path,
               layout: WeasyDocument, print_pdf: bytes) -> tuple[bytes, list[Diagnostic]]:
    """The EPUB of ``doc``; ``layout`` is the print edition's laid-out WeasyPrint document
    (where its pages begin) and ``print_pdf`` its PDF (the cover)."""
    render = Renderer(doc, settings)
    images = figure_images(doc, source)
    chapters = render.chapters(images)
    breaks, diagnostics = place_page_breaks(print_flow(layout), [c.body for c in chapters])
    cover_image = Resource("cover-image", "images/cover.jpg", "image/jpeg",
                           cover_jpeg(print_pdf))
    cover = render.document("cover", LABELS["cover"], "epub/cover.html.j2",
                            body_class="cover-page", image=cover_image.file_name,
                            alt=f"封面：{settings.publication.paper}印刷版第1版版面，标题《{doc.title}》")
    identifier = stable_identifier(doc)
    nav, ncx = render.navigation(identifier, cover, chapters, breaks)

    faces: list[epub_fonts.Face] = []
    if settings.run.embed_fonts:
        texts = epub_fonts.role_texts(c.root for c in [cover, nav, *chapters])
        faces, font_diagnostics = epub_fonts.embed(settings.design.style, texts)
        diagnostics += font_diagnostics

    book = epub.EpubBook()
    describe(book, doc, settings, modified, identifier, has_images=any(images),
             pages=len(breaks))
    resources = [
        Resource("style", "style.css", "text/css",
                 stylesheet(render.env, settings, faces).encode("utf-8")),
        *(Resource(f"font-{f.role}", f.file_name, f.media_type, f.data) for f in faces),
        *(i for i in images if i),
        Resource("ncx", "toc.ncx", "application/x-dtbncx+xml", ncx.encode("utf-8")),
    ]
    for r in resources:
        book.add_item(_item(r.uid, r.file_name, r.media_type, r.data, []))
    book.add_item(_item(cover_image.uid, cover_image.file_name, cover_image.media_type,
                        cover_image.data, ["cover-image"]))
    for chapter in [cover, nav, *chapters]:
        book.add_item(_item(chapter.uid, chapter.file_name, "application/xhtml+xml",
                            chapter.xhtml(), ["nav"] if chapter is nav else []))
        book.spine.append(chapter.uid)
    raw = io.BytesIO()
    writer = _Writer(raw, book, {"epub3_pages": False, "epub2_guide": False,
                                 "mtime": modified.astimezone(UTC), "raise_exceptions": True},
                     settings.publication.language)
    writer.process()
    writer.write()
    return normalise_zip(raw.getvalue(), modified), diagnostics


def _item(uid: str, file_name: str, media_type: str, data: bytes,
          properties: list[str]) -> epub.EpubItem:
    item = epub.EpubItem(uid=uid, file_name=file_name, media_type=media_type, content=data)
    item.properties = properties  # ebooklib writes an EpubItem's properties if it has any
    return item


class _Writer(epub.EpubWriter):
    """ebooklib's writer, with the ``xml:lang`` it leaves off ``<package>``."""

    def __init__(self, name: io.BytesIO, book: epub.EpubBook, options: dict,
                 lang: str) -> None:
        super().__init__(name, book, options)
        self.lang = lang

    def _write_opf_file(self, root: etree._Element) -> None:
        root.set(XML_LANG, self.lang)
        super()._write_opf_file(root)


def describe(book: epub.EpubBook, doc: Document, settings: Settings, modified: datetime,
             identifier: str, has_images: bool, pages: int) -> None:
    """Package metadata: Dublin Core, creators with roles, accessibility (EPUB A11y 1.1)."""
    book.set_identifier(identifier)
    book.set_title(doc.title)
    book.set_language(settings.publication.language)
    for n, author in enumerate(doc.byline.authors if doc.byline else [], start=1):
        book.add_author(author, role="aut", uid=f"creator{n}")
    book.add_metadata("DC", "publisher", settings.publication.publisher)
    book.add_metadata("DC", "date", modified.astimezone(UTC).strftime("%Y-%m-%d"))
    description = description_of(doc)
    if description:
        book.add_metadata("DC", "description", description)
    modes = ["textual", "visual"] if has_images else ["textual"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "pageBreakMarkers",
                "pageNavigation", "printPageNumbers", "displayTransformability"]
    if has_images:
        features.append("alternativeText")
    meta: list[tuple[str, str]] = [("schema:accessMode", m) for m in modes]
    meta.append(("schema:accessModeSufficient", "textual"))
    if has_images:
        meta.append(("schema:accessModeSufficient", "textual,visual"))
    meta += [("schema:accessibilityFeature", f) for f in features]
    meta += [
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", accessibility_summary(has_images, pages)),
        ("dcterms:conformsTo", CONFORMS_TO),
        ("a11y:certifiedBy", settings.publication.publisher),
        ("pageBreakSource", page_break_source(settings, pages)),
    ]
    for prop, value in meta:
        book.add_metadata(None, "meta", value, {"property": prop})
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})


def description_of(doc: Document) -> str:
    if doc.editor_note:
        return "".join(doc.editor_note.paragraphs)
    return doc.subtitle or (doc.lead[0].text if doc.lead else "")


def accessibility_summary(has_images: bool, pages: int) -> str:
    images = ("图片均有文字说明和替代文本，" if has_images
              else "本书不含图片，原版图片的说明文字集中收录，")
    return ("本电子书为可重排文本，符合 EPUB 无障碍 1.1 与 WCAG 2.1 AA 级要求：正文按阅读顺序排列，"
            "标题层级清晰，目录列出各部分及小标题，" + images +
            f"并标注了与印刷版对应的 {pages} 个页码位置，可按页跳转。"
            "无闪烁、声音或动态效果等危害。")


def page_break_source(settings: Settings, pages: int) -> str:
    publication = settings.publication
    date = f"{publication.issue_date} " if publication.issue_date else ""
    return f"{publication.paper} {date}印刷版（{settings.design.page.name} 版式，共 {pages} 版）"


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


def page_entries(breaks: list[PageBreak], chapters: list[Chapter]) -> list[TocEntry]:
    file_of = {id(c.body): c.file_name for c in chapters}
    return [TocEntry(str(b.page), f"{file_of[id(b.body)]}#{b.marker_id}") for b in breaks]


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


def stylesheet(env: Environment, settings: Settings, faces: list[epub_fonts.Face]) -> str:
    embedded = {f.role: f for f in faces}
    roles = []
    for role in epub_fonts.ROLES:
        names = epub_fonts.families(role, settings.design.style)
        if role.name in embedded:
            names = [embedded[role.name].family, *names]
        roles.append({"selectors": Markup(", ".join(role.selectors)),
                      "families": epub_fonts.family_css(names, role.generic)})
    return env.get_template("epub/style.css.j2").render(roles=roles, faces=faces)


def figure_images(doc: Document, source: Path) -> list[Resource | None]:
    """The supplied photo of each figure, checked to be a JPEG or PNG, with an ASCII name."""
    out: list[Resource | None] = []
    for n, figure in enumerate(doc.figures, start=1):
        if not figure.image:
            out.append(None)
            continue
        path = source.parent / figure.image
        if not inside(path, [source.parent]):  # checked when attached; a symlink may change
            raise LayoutError("U101", f"image {figure.image!r} of {figure.label} refused: it "
                              "leads outside the source's folder", str(source), figure.line)
        try:
            data = path.read_bytes()
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                image.verify()
        except OSError as exc:  # unreadable, or not an image Pillow knows
            why = "not an image" if isinstance(exc, UnidentifiedImageError) else exc.strerror
            raise LayoutError("B301", f"image {figure.image!r} of {figure.label} cannot be "
                              f"used: {why}", str(source), figure.line) from None
        if kind not in ("JPEG", "PNG"):
            raise LayoutError("B301", f"image {figure.image!r} of {figure.label} is {kind}; "
                              "EPUB needs JPEG or PNG", str(source), figure.line)
        suffix, media_type = ("jpg", "image/jpeg") if kind == "JPEG" else ("png", "image/png")
        out.append(Resource(f"figure{n}", f"images/figure{n}.{suffix}", media_type, data))
    return out


def cover_jpeg(pdf: bytes) -> bytes:
    """The print edition's first page as a JPEG (same PDF, same bytes)."""
    with _PDFIUM:  # PDFium must not be used by two threads at once
        try:
            document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise LayoutError("B302", "cannot rasterise the print edition for the cover: "
                              f"{exc}") from None
        try:
            page = document[0]
            bitmap = page.render(scale=COVER_WIDTH / page.get_width())
            image = bitmap.to_pil().convert("RGB")
        finally:
            document.close()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()


def normalise_zip(data: bytes, when: datetime) -> bytes:
    """Re-pack with ``mimetype`` first and stored, and every entry dated ``when``."""
    stamp = when.astimezone(UTC).timetuple()[:6]
    stamp = (max(stamp[0], 1980), *stamp[1:])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        ordered = ["mimetype"] + sorted(n for n in names if n != "mimetype")
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()

