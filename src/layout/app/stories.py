"""A source holding several stories (an archive page, a 简讯 column) as one PDF and one EPUB.

Each story is laid out on its own and the results are put together in source order, as
an edition puts articles together (:mod:`layout.app.edition`): the PDF holds every story's
pages (each story starts a page; their bookmarks are kept), the EPUB one chapter per
story.  Setting several stories on one page is page make-up, not done here.  The print
HTML, one document per story, is written as ``<name>.html``, ``<name>-2.html``, ….
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ..model import Diagnostic, Document
from ..settings import Settings


class _Result(Protocol):
    diagnostics: list[Diagnostic]


def source_title(doc: Document) -> str:
    """The title of a several-story source: its page ("某某日报 2001年3月5日 第4版 要闻")."""
    page = doc.page
    if page is None:
        return doc.title
    date = dt.date.fromisoformat(page.date) if page.date else None
    parts = [page.paper, f"{date.year}年{date.month}月{date.day}日" if date else None,
             f"第{page.number}版" if page.number is not None else None, page.name, page.column]
    return " ".join(p for p in parts if p) or doc.title


def several_stories(doc: Document, source: Path, settings: Settings, out_dir: Path,
                    formats: tuple[str, ...], result: _Result,
                    story_bytes: Callable[[Document], dict[str, bytes]]
                    ) -> list[tuple[Path, bytes]]:
    """The files of ``doc`` and its following stories; none if a story may not be written."""
    from .build import SUFFIXES, build_time
    from .edition import merge_epubs, merge_pdfs, open_epub

    made = []
    for story in doc.stories():
        files = story_bytes(story)
        if not files:
            return []
        made.append(files)
    if any(d.severity == "error" for d in result.diagnostics):
        return []
    name, title = source.stem, source_title(doc)
    out: list[tuple[Path, bytes]] = []
    if "html" in formats:
        out += [(out_dir / (f"{name}.html" if n == 1 else f"{name}-{n}.html"), files["html"])
                for n, files in enumerate(made, start=1)]
    if "pdf" in formats:
        out.append((out_dir / f"{name}.pdf", merge_pdfs([f["pdf"] for f in made], title,
                                                            settings.publication.language)))
    for fmt in ("epub", "kepub"):  # the Kobo edition's stories keep their koboSpan spans
        if fmt in formats:
            packages = [open_epub(f[fmt], str(source)) for f in made]
            # the stories of one page under the page, as a composed page's: one cover,
            # each story opening with its headline
            out.append((out_dir / f"{name}{SUFFIXES[fmt]}",
                        merge_epubs(packages, title, settings, build_time(source),
                                    groups=[(title, len(packages))])))
    return out
