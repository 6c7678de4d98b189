"""The EPUB's package metadata, stating only what is true of this book.

Dublin Core (title, creators with roles, publisher, rights, the issue's date, subjects,
description) and EPUB Accessibility 1.1 discovery metadata.  The accessibility summary
is written from what the book contains; nobody is named as having certified it unless
the project says who did (``[paper] certified_by``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from ..model import Diagnostic, Document
from ..settings import Settings
from ..transforms.script import in_script

if TYPE_CHECKING:  # editions import this module without loading ebooklib
    from ebooklib import epub

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
_DATE = re.compile(r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?")


@dataclass(frozen=True)
class Contents:
    """What a book holds, as far as its accessibility metadata is concerned."""

    sections: int
    photos: int  # images with a text alternative
    captions: int  # figures whose photo is not in the book: caption only
    sidebars: int
    folios: tuple[int, ...] = ()  # the printed pages marked in the text, as printed

    @property
    def pages(self) -> int:
        return len(self.folios)


def issue_date(settings: Settings, modified: datetime) -> tuple[str, list[Diagnostic]]:
    """``dc:date``: the issue's date (``--date``/``[issue] date``), else the build's."""
    if not settings.publication.issue_date:
        return modified.astimezone(UTC).strftime("%Y-%m-%d"), []
    found = _DATE.search(settings.publication.issue_date)
    if found:
        try:
            return date(*map(int, found.groups())).isoformat(), []
        except ValueError:
            pass
    return modified.astimezone(UTC).strftime("%Y-%m-%d"), [Diagnostic(
        "B333", 1, f"issue date {settings.publication.issue_date!r} is not a date (2023-03-05 or "
        "2023年3月5日); the EPUB's dc:date is the build date", "warning")]


def folio_range(folios: Sequence[int]) -> str:
    """第6版, 第6—7版; an edition's articles, each numbered as printed: 第1—2版、第1版."""
    runs: list[list[int]] = []
    for folio in folios:
        if runs and folio == runs[-1][-1] + 1:
            runs[-1].append(folio)
        else:
            runs.append([folio])
    return "、".join(f"第{r[0]}版" if len(r) == 1 else f"第{r[0]}—{r[-1]}版" for r in runs)


def page_break_source(settings: Settings, folios: Sequence[int]) -> str:
    """The print edition the page-list follows: paper, date, pages and page preset."""
    date_text = f"{settings.publication.issue_date} " if settings.publication.issue_date else ""
    return in_script(f"{settings.publication.paper} {date_text}印刷版{folio_range(folios)}"
                     f"（{settings.design.page.name} 版式）", settings.publication.script)


def accessibility_summary(contents: Contents, settings: Settings) -> str:
    """A description in Chinese of how the book can be read, from what it holds."""
    parts = ["本电子书为可重排文本，正文按阅读顺序排列"]
    if contents.sections:
        parts.append(f"分为 {contents.sections} 个部分，标题层级清晰，目录列出各部分及小标题")
    else:
        parts.append("目录列出标题")
    if contents.photos:
        parts.append(f"{contents.photos} 幅图片均有替代文本和图片说明")
    if contents.captions:
        parts.append(f"{contents.captions} 幅印刷版图片未收入，其说明文字集中收录")
    if contents.sidebars:
        parts.append(f"另有 {contents.sidebars} 个专栏各成一章")
    if contents.pages:
        parts.append(f"标注了与印刷版{folio_range(contents.folios)}对应的页码位置，"
                     "可按页跳转")
    return in_script("，".join(parts) + "。无闪烁、声音或动态效果。", settings.publication.script)


def accessibility(contents: Contents, settings: Settings) -> list[tuple[str, str]]:
    """EPUB Accessibility 1.1 discovery metadata, as (property, value) pairs."""
    visual = contents.photos > 0
    features = ["structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability"]
    if contents.pages:
        features += ["pageBreakMarkers", "pageNavigation", "printPageNumbers"]
    if visual:
        features.append("alternativeText")
    meta = [("schema:accessMode", m) for m in (["textual", "visual"] if visual else ["textual"])]
    meta.append(("schema:accessModeSufficient", "textual"))
    if visual:
        meta.append(("schema:accessModeSufficient", "textual,visual"))
    meta += [("schema:accessibilityFeature", f) for f in features]
    meta += [
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", accessibility_summary(contents, settings)),
        ("dcterms:conformsTo", CONFORMS_TO),
    ]
    if settings.publication.certified_by:
        meta.append(("a11y:certifiedBy", settings.publication.certified_by))
    if contents.pages:
        meta.append(("pageBreakSource", page_break_source(settings, contents.folios)))
    return meta


def description_of(doc: Document) -> str:
    if doc.editor_note:
        return "".join(doc.editor_note.paragraphs)
    return doc.subtitle or (doc.lead[0].text if doc.lead else "")


def subjects(doc: Document) -> list[str]:
    """The article's column (kicker) and section titles: the PDF's keywords too."""
    return list(dict.fromkeys(filter(None, [doc.kicker, *(s.title for s in doc.sections)])))


def describe(book: epub.EpubBook, doc: Document, settings: Settings, modified: datetime,
             identifier: str, contents: Contents) -> list[Diagnostic]:
    """Package metadata: Dublin Core, creators with roles, accessibility (EPUB A11y 1.1)."""
    book.set_identifier(identifier)
    book.set_title(doc.title)
    book.set_language(settings.publication.language)
    for n, author in enumerate(doc.byline.authors if doc.byline else [], start=1):
        book.add_author(author, role="aut", uid=f"creator{n}")
    book.add_metadata("DC", "publisher", settings.publication.publisher)
    if settings.publication.rights:
        book.add_metadata("DC", "rights", settings.publication.rights)
    dc_date, diagnostics = issue_date(settings, modified)
    book.add_metadata("DC", "date", dc_date)
    for subject in subjects(doc):
        book.add_metadata("DC", "subject", subject)
    description = description_of(doc)
    if description:
        book.add_metadata("DC", "description", description)
    for prop, value in accessibility(contents, settings):
        book.add_metadata(None, "meta", value, {"property": prop})
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    return diagnostics
