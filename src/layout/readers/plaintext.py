"""Reader for plain-text newsroom exports (see docs/source-formats.md).

A source holds one story or several (an archive page, a 简讯 column).  Page lines of
archive exports become the page metadata (:mod:`.archive`); each story is a headline group
(:mod:`.headlines`), a byline and a dateline (:mod:`.credits`), an optional editor's note
and a body (:mod:`.body`), in which interviews, run-in lead-ins and photo news are
recognised (:mod:`.pieces`).

A new story starts at an archive page line ("第4版(要闻)"), or at a headline line that is
followed (after at most two more headline lines) by a paragraph opening with a dateline,
once the story before it has a body.  Structure only: cleaning (rejoining broken
paragraphs, punctuation) happens in :mod:`layout.transforms`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import LayoutError
from ..model import Byline, Diagnostic, Document, PageInfo
from .archive import column_line, page_header, page_line
from .body import SIDEBAR_TITLES, is_section_title, parse_figure, read_body
from .credits import merge_bylines, parse_byline, parse_dateline
from .headlines import read_headline
from .pieces import mark_interview, mark_run_ins, photo_news, take_editor_note
from .units import Unit, is_headline_like, is_lead_in, split_units

_HEAD_MAX = 4  # a column label and three headline lines
_HEADLINE_MAX = 60  # characters of a headline line standing above a byline


@dataclass
class Chunk:
    """The lines of one story, with what its archive page lines said."""

    units: list[Unit] = field(default_factory=list)
    page_number: int | None = None
    page_name: str | None = None
    column: str | None = None
    page_line: int | None = None  # the source line of its page line


def _headline_line(u: Unit) -> bool:
    return (is_headline_like(u.text) and not is_section_title(u) and not is_lead_in(u.text)
            and parse_figure(u) is None and parse_dateline(u.text) is None)


def _above_byline(u: Unit) -> bool:
    """A line above a byline is a headline line unless it is plainly text (a sentence)."""
    return len(u.text) <= _HEADLINE_MAX and "。" not in u.text and parse_dateline(u.text) is None


def _head_end(units: list[Unit]) -> int:
    """Where the headline group (and bylines) of a story's lines end."""
    i = 0
    while i < len(units) and i < _HEAD_MAX + 2 and (
        _headline_line(units[i]) or parse_byline(units[i])
    ):
        i += 1
    return i


def _story_starts(units: list[Unit]) -> list[int]:
    """Indexes where a further story starts: headline lines, then a dateline paragraph."""
    starts = [0]
    i = _head_end(units) + 1
    while i < len(units):
        group = 0
        while i + group < len(units) and group < 3 and _headline_line(units[i + group]) and (
            units[i + group].text not in SIDEBAR_TITLES  # "链接" then a wire story is a sidebar
        ):
            group += 1
        if group and i + group < len(units) and parse_dateline(units[i + group].text):
            starts.append(i)
            i += group + 1
        else:
            i += 1
    return starts


def split_stories(units: list[Unit]) -> tuple[PageInfo | None, list[Chunk], list[int]]:
    """The page metadata, the stories' lines, and the source lines read as metadata."""
    page: PageInfo | None = None
    meta: list[int] = []
    chunks: list[Chunk] = []
    for u in units:
        current = chunks[-1] if chunks else None
        if page is None and not chunks and (header := page_header(u.text, u.line)):
            page = header
            meta.append(u.line)
        elif pl := page_line(u.text):
            chunks.append(Chunk(page_number=pl.number, page_name=pl.name, page_line=u.line))
            meta.append(u.line)
        elif (column := column_line(u.text)) is not None and (
            current is None or not current.units
        ):
            if current is None:
                current = Chunk()
                chunks.append(current)
            current.column = column or None
            meta.append(u.line)
        else:
            if current is None:
                current = Chunk()
                chunks.append(current)
            current.units.append(u)
    stories: list[Chunk] = []
    for chunk in (c for c in chunks if c.units):
        starts = _story_starts(chunk.units)
        for n, (a, b) in enumerate(zip(starts, [*starts[1:], len(chunk.units)], strict=True)):
            part = Chunk(chunk.units[a:b], chunk.page_number, chunk.page_name,
                         chunk.column if n == 0 else None, chunk.page_line if n == 0 else None)
            stories.append(part)
    return page, stories, meta


def _take_bylines(units: list[Unit], at: int) -> tuple[Byline, int]:
    byline = parse_byline(units[at])
    assert byline is not None
    at += 1
    while at < len(units) and (more := parse_byline(units[at])):
        byline = merge_bylines(byline, more)
        at += 1
    return byline, at


def read_story(chunk: Chunk, path: str) -> tuple[Document, int | None]:
    """One story, and the source line of the column label in its headline group."""
    units = chunk.units
    byline_at = next((i for i, u in enumerate(units[:6]) if parse_byline(u) is not None), None)
    byline = None
    if byline_at is not None and 0 < byline_at <= _HEAD_MAX and all(
        _above_byline(u) for u in units[:byline_at]
    ):
        head = units[:byline_at]
        byline, pos = _take_bylines(units, byline_at)
    else:
        head = []
        while len(head) < _HEAD_MAX and len(head) < len(units) and _headline_line(
            units[len(head)]
        ):
            head.append(units[len(head)])
        pos = len(head)
    if not head:
        raise LayoutError("R310", "no headline: the first line is a paragraph", path,
                          units[0].line)
    headline = read_headline(head)
    doc = Document(title=headline.title, kicker=headline.kicker, subtitle=headline.subtitle,
                   source=path, byline=byline, column=chunk.column or headline.column,
                   head_line=head[0].line)
    doc.warnings += headline.diagnostics
    note, rest = take_editor_note(units[pos:])
    doc.editor_note = note
    read_body(rest, doc)
    # the dateline opens the first paragraph; the writers set it with that paragraph
    first = doc.lead[0] if doc.lead else None
    if first is not None and first.type == "paragraph" and (
        dateline := parse_dateline(first.text)
    ):
        doc.dateline = dateline.text
        doc.dateline_authors = dateline.authors
        first.text = first.text[dateline.end:]
    mark_interview(doc)
    mark_run_ins(doc)
    photo_news(doc)
    return doc, headline.column_line


def read_text(text: str, path: str = "") -> Document:
    """Structure the decoded text of a plain-text export into a Document (its stories)."""
    units = split_units(text)
    if not units:
        raise LayoutError("R301", "source is empty", path)
    page, chunks, meta = split_stories(units)
    if not chunks:
        raise LayoutError("R310", "no story: the source holds only page lines", path,
                          units[0].line)
    read = [read_story(chunk, path) for chunk in chunks]
    stories = [story for story, _ in read]
    first, first_label = read[0]
    if len(stories) > 1 and first.column and not chunks[0].column:
        # a column label over several stories ("简讯") is the page's column (metadata)
        page = page or PageInfo(line=chunks[0].units[0].line)
        page.column, first.column = first.column, None
        if first_label is not None:
            meta.append(first_label)
    for story in stories[1:]:
        first.warnings += story.warnings
        story.warnings = []
    first.following = stories[1:]
    page = _with_story_page(page, chunks[0])
    for story in stories:  # the stories of a source share its page
        story.page = page
    first.warnings += _other_pages(page, chunks)
    first.metadata_lines = sorted(meta)
    first.warnings += _unprinted(page, {u.line: u.text for u in units}, first.metadata_lines)
    return first


def _unprinted(page: PageInfo | None, texts: dict[int, str], meta: list[int]
               ) -> list[Diagnostic]:
    """Why the page lines read as metadata are not printed as text (R405): the running
    head gives the page's date, 第N版 and name; the paper's name stays the publication's;
    an empty "专栏:" names nothing to print."""
    lines = [n for n in meta if page_header(texts[n].strip(), n) or page_line(
        texts[n].strip()) or column_line(texts[n].strip()) == ""]
    if page is None or not lines:
        return []
    shown = [what for what, value in (("the date", page.date), (f"第{page.number}版",
                                                               page.number),
                                      (f"the page's name “{page.name}”", page.name)) if value]
    parts = [f"the running head gives {', '.join(shown)}"] if shown else []
    if page.paper:
        parts.append(f"the paper's name “{page.paper}” stays the publication's (--paper)")
    empty = sum(1 for n in lines if column_line(texts[n].strip()) == "")
    if empty:
        parts.append(f"{empty} “专栏:” line{'s name' if empty > 1 else ' names'} no column")
    return [Diagnostic("R405", lines[0], f"{len(lines)} archive page line"
                       f"{'s' if len(lines) > 1 else ''} read as page metadata are not "
                       f"printed as text: {'; '.join(parts)}")]


def _with_story_page(page: PageInfo | None, chunk: Chunk) -> PageInfo | None:
    """The page header completed with the first story's page line (第N版 and its name)."""
    if chunk.page_number is None or chunk.page_line is None:
        return page
    if page is None:
        page = PageInfo(line=chunk.page_line)
    if page.number is None:
        page.number = chunk.page_number
    if page.name is None:
        page.name = chunk.page_name
    return page


def _other_pages(page: PageInfo | None, chunks: list[Chunk]) -> list[Diagnostic]:
    """A story whose page line names another page than the source's (kept: the first)."""
    out = []
    for chunk in chunks:
        if page is None or chunk.page_line is None:
            continue
        if (chunk.page_number, chunk.page_name) != (page.number, page.name):
            out.append(Diagnostic(
                "R404", chunk.page_line, f"this story's page line says 第{chunk.page_number}版"
                f"({chunk.page_name or ''}), the page is 第{page.number}版({page.name or ''}): "
                "the page metadata keeps the first; split the source to keep both"))
    return out


def fidelity_text(text: str, doc: Document) -> str:
    """The source without the lines read as page metadata (kept in ``page``); of a
    "专栏:" line, the column it names, which is printed with its story."""
    drop = set(doc.metadata_lines)
    return "\n".join((column_line(line.strip()) or "") if n in drop else line
                     for n, line in enumerate(text.split("\n"), start=1))
