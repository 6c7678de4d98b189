"""The page plan of a project (``[[pages]]`` in layout.toml): each page composed and
written as its PDF, and the edition of all pages as one PDF and one EPUB.

Each page is composed once (:func:`layout.app.pages.compose_page`); the EPUB has one
chapter per story, grouped under its page in the navigation.  Every file is written in
one transaction: all or none.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import transaction, write_bytes_atomic
from ..compose.content import CONTINUATION
from ..config import PagePlan
from ..errors import LayoutError
from ..model import Diagnostic
from ..readers import read
from ..settings import Settings
from ..transforms import script
from ..writers import epub, pdf
from .build import build_time
from .edition import merge_epubs, merge_pdfs, open_epub
from .pages import ComposedPage, Jump, compose_page

PAGE_CODES = ("L213",)  # what is said of a page as a whole, not of one source
EDITION = "pages"  # the edition's file names: pages.pdf, pages.epub


@dataclass
class PagesResult:
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[tuple[str, Diagnostic]] = field(default_factory=list)  # (path, …)
    pages: list[ComposedPage] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for _, d in self.diagnostics)


def page_settings(settings: Settings, plan: PagePlan) -> Settings:
    """The settings of one planned page: its number as the folio, its name in the head."""
    return dataclasses.replace(settings, publication=dataclasses.replace(
        settings.publication, folio=plan.number, section_name=plan.name))


def page_name(plan: PagePlan) -> str:
    return f"page-{plan.number:02d}"


def compose_plan(plan: PagePlan, settings: Settings, out_dir: Path, created: str | None,
                 render: bool = True, continued: tuple[Jump, ...] = (),
                 jump_to: int = 0) -> ComposedPage:
    settings = page_settings(settings, plan)
    # every writer sets the converted text (the page's own texts and fonts too)
    sources = [(path, script.for_script(read(path), settings)[0]) for path in plan.stories]
    return compose_page(sources, script.convert_settings(settings), out_dir, fixed=plan.boxes,
                        title=f"第{plan.number}版 {plan.name}", created=created,
                        render=render, continued=continued, jump_to=jump_to)


def jump_target(plan: PagePlan, plans: tuple[PagePlan, ...]) -> int:
    """The page a story too long for ``plan`` continues on: the one the plan names, else
    the next page (0: none, the last page)."""
    later = sorted(p.number for p in plans if p.number > plan.number)
    return plan.jump or (later[0] if later else 0)


def compose_plans(plans: tuple[PagePlan, ...], settings: Settings, out_dir: Path,
                  created: str | None, render: bool = True, jump: bool = False
                  ) -> Iterator[tuple[PagePlan, ComposedPage | LayoutError]]:
    """Each planned page composed, in the order of their numbers (a page that cannot be
    made: its error).  With ``jump`` a story too long for its page continues on a later
    one (:func:`jump_target`), set there after that page's own stories."""
    continued: dict[int, list[Jump]] = {}
    for plan in sorted(plans, key=lambda p: p.number):
        try:
            page = compose_plan(plan, settings, out_dir, created, render,
                                continued=tuple(continued.pop(plan.number, ())),
                                jump_to=jump_target(plan, plans) if jump else 0)
        except LayoutError as exc:
            yield plan, exc
            continue
        for j in page.jumps:
            continued.setdefault(j.to, []).append(j)
        yield plan, page


def build_pages(plans: tuple[PagePlan, ...], settings: Settings, out_dir: Path,
                formats: tuple[str, ...], title: str, single: str | None = None,
                jump: bool = False) -> PagesResult:
    """Write every planned page's PDF (and HTML) and the edition of all pages.

    ``single`` (one page: a source's stories composed, ``layout build --compose``) names
    the files of that page, ``<single>.pdf`` … and its EPUB; no edition is written;
    ``jump``: see :func:`compose_plans`."""
    result = PagesResult()
    stamp = max(build_time(s) for plan in plans for s in plan.stories)
    created = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    files: list[tuple[Path, bytes]] = []
    pdfs, packages, groups = [], [], []
    for plan, page in compose_plans(plans, settings, out_dir, created, jump=jump):
        if isinstance(page, LayoutError):  # the page as a whole: at its [[pages]] table
            result.diagnostics.append((plan.where, Diagnostic(
                page.code, plan.line, page.message, "error")))
            continue
        result.pages.append(page)
        result.diagnostics += [(plan.where, dataclasses.replace(d, line=plan.line))
                               if d.code in PAGE_CODES else (page.where, d)
                               for d in page.diagnostics]
        if page.failed or page.rendered is None:
            continue
        name = single or page_name(plan)
        page_pdf = pdf.pdf_bytes(page.rendered, page.settings, str(out_dir / f"{name}.pdf"))
        pdfs.append(page_pdf)
        if "pdf" in formats:
            files.append((out_dir / f"{name}.pdf", page_pdf))
        if "html" in formats:
            files.append((out_dir / f"{name}.html", page.html.encode("utf-8")))
        if "epub" in formats:
            count = 0
            for story in page.stories:
                # a continuation's chapter is its start's: the whole story, on its page
                for doc in story.docs if story.kind != CONTINUATION else ():
                    data, notes = epub.build_epub(doc, page.settings, stamp, story.source,
                                                  page.rendered.document, page_pdf)
                    # The printed page begins with its first story: the others' chapters
                    # hold no page start (B321 says so of each; that is no news).
                    result.diagnostics += [(str(story.source), d) for d in notes
                                           if d.code != "B321" or count == 0]
                    package = open_epub(data, str(story.source))
                    if count:  # the page-list names each printed page once: at its first story
                        package.pages = []
                    packages.append(package)
                    count += 1
            groups.append((f"第{plan.number}版　{plan.name}", count))
    if result.failed:
        return result
    language = settings.publication.language
    if "pdf" in formats and pdfs and not single:
        files.append((out_dir / f"{EDITION}.pdf", merge_pdfs(pdfs, title, language)))
    if "epub" in formats and packages:
        files.append((out_dir / f"{single or EDITION}.epub",
                      merge_epubs(packages, title, settings, stamp, groups=groups)))
    with transaction():
        for target, data in files:
            write_bytes_atomic(target, data)
            result.outputs.append(target)
    return result
