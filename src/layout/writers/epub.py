"""EPUB 3 writer: XHTML rendered from our templates, packaged verbatim by ebooklib.

ebooklib rewrites documents given as ``EpubHtml``; complete XHTML added as a plain
``EpubItem`` is written as is.  The zip is then normalised (fixed entry times and
order, ``mimetype`` first and stored) so equal inputs give byte-identical files.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from ebooklib import epub
from markupsafe import Markup

from ..atomic import write_bytes_atomic
from ..model import Document
from ..settings import PACKAGE_TEMPLATES, Settings
from .html import block_renderer
from .templating import environment

NAMESPACE = uuid.UUID("6f1c2a4e-2b7d-4c61-9a55-2f0d8f3b7a10")


def stable_identifier(doc: Document) -> str:
    """A name-based UUID: the same article always gets the same identifier."""
    basis = "\n".join([doc.title, *(t for _, t in doc.texts())])
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, basis)}"


def build_epub(doc: Document, settings: Settings, modified: datetime) -> bytes:
    env = environment(settings.style)
    lang = settings.language
    block_html = block_renderer(env)
    page = env.get_template("epub/chapter.xhtml.j2")

    def xhtml(title: str, body_template: str, **context: object) -> bytes:
        body = env.get_template(body_template).render(doc=doc, block_html=block_html, **context)
        return page.render(lang=lang, title=title, body=Markup(body)).encode("utf-8")

    book = epub.EpubBook()
    book.set_identifier(stable_identifier(doc))
    book.set_title(doc.title)
    book.set_language(lang)
    if doc.byline:
        for n, author in enumerate(doc.byline.authors, start=1):
            book.add_author(author, uid=f"creator{n}")
    book.add_metadata("DC", "publisher", settings.publisher)
    book.add_metadata(None, "meta", modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
                      {"property": "dcterms:modified"})
    css = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                        content=(PACKAGE_TEMPLATES / "epub" / "style.css").read_bytes())
    book.add_item(css)

    chapters: list[tuple[epub.EpubItem, str]] = []

    def add(uid: str, title: str, template: str, **context: object) -> None:
        item = epub.EpubItem(uid=uid, file_name=f"{uid}.xhtml",
                             media_type="application/xhtml+xml",
                             content=xhtml(title, template, **context))
        book.add_item(item)
        chapters.append((item, title))

    add("title", doc.title, "epub/title.html.j2")
    for n, section in enumerate(doc.sections, start=1):
        add(f"section{n}", section.title, "epub/section.html.j2", section=section)
    if doc.figures:
        add("figures", "图片说明", "epub/figures.html.j2")
    for n, sidebar in enumerate(doc.sidebars, start=1):
        add(f"sidebar{n}", sidebar.title, "epub/sidebar.html.j2", sidebar=sidebar)

    book.toc = [epub.Link(item.file_name, title, item.id) for item, title in chapters]
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title="目录")
    book.add_item(nav)
    book.spine = [item for item, _ in chapters] + [nav]
    raw = io.BytesIO()
    epub.write_epub(raw, book, {"epub3_pages": False, "mtime": modified})
    return normalise_zip(raw.getvalue(), modified)


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


def write_epub(doc: Document, settings: Settings, modified: datetime, out: Path) -> None:
    write_bytes_atomic(out, build_epub(doc, settings, modified))
