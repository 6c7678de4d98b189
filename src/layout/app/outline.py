"""The readable outline `layout inspect` prints: how the reader understood the source.

Headline lines are named by their role (引题 kicker, 主题 title, 副题 subtitle), so the
reader's decisions can be checked at a glance; the warnings that follow say where it
guessed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..makeup.grid import page_grid
from ..model import Block, Document

if TYPE_CHECKING:  # importing pages imports WeasyPrint: 0.3 s of every no-op rebuild
    from .pages import ComposedPage

_MARKS = {"lead_in": "»", "question": "问", "answer": "答"}


def _short(text: str, width: int = 28) -> str:
    return text[:width] + ("…" if len(text) > width else "")


def _blocks(blocks: Sequence[Block]) -> list[str]:
    out = []
    for b in blocks:
        mark = _MARKS.get(b.type, "¶")
        speaker = f"{b.speaker}：" if b.speaker else ""
        run_in = f"[{b.run_in}] " if b.run_in else ""
        out.append(f"  {b.line:>4} {mark} {speaker}{run_in}{_short(b.text)}")
    return out


def story_outline(doc: Document) -> list[str]:
    lines = []
    if doc.column:
        lines.append(f"column    {doc.column}")
    if doc.kicker:
        lines.append(f"kicker    {doc.kicker}  (引题)")
    lines.append(f"title     {doc.title}  (主题)")
    if doc.subtitle:
        lines.append(f"subtitle  {doc.subtitle}  (副题)")
    if doc.byline:
        lines.append(f"byline    {doc.byline.text}")
    if doc.dateline:
        authors = f"  (reporters: {'、'.join(doc.dateline_authors)})" if (
            doc.dateline_authors) else ""
        lines.append(f"dateline  {doc.dateline}{authors}")
    if doc.editor_note:
        lines.append(f"editor's note: {len(doc.editor_note.paragraphs)} paragraphs, "
                     f"signed {doc.editor_note.signature or '(inline)'}")
    lines.append(f"lead: {len(doc.lead)} paragraphs")
    lines += _blocks(doc.lead)
    for s in doc.sections:
        lines.append(f"section {s.line}: {s.title}" + (f" / {s.subtitle}" if s.subtitle else ""))
        lines += _blocks(s.blocks)
    for f in doc.figures:
        lines.append(f"figure {f.line}: {f.label or '(photo news)'} {_short(f.caption, 24)} "
                     f"[{f.credit or 'no credit'}] {f.image or '(no image)'}")
    for sb in doc.sidebars:
        lines.append(f"sidebar {sb.line}: {sb.title}, {len(sb.entries)} entries")
        for e in sb.entries:
            lines.append(f"  {e.line:>4} {len(e.paragraphs)} paragraph(s) — {e.signature or ''}")
    return lines


def outline(doc: Document) -> str:
    lines = []
    if doc.page:
        p = doc.page
        parts = [("date", p.date), ("paper", p.paper), ("page", p.number), ("name", p.name),
                 ("column", p.column)]
        lines.append("page      " + ", ".join(f"{k} {v}" for k, v in parts if v is not None))
    stories = doc.stories()
    for n, story in enumerate(stories, start=1):
        if len(stories) > 1:
            lines.append(f"story {n} (line {story.head_line})")
        lines += story_outline(story)
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a wide character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def plan_table(page: ComposedPage, heading: str) -> str:
    """The modules a composed page chose, one line each: story, kind, column and line
    (1-based), columns × lines, headline size, body size, photo frame lines."""
    assert page.layout is not None
    grid = page_grid(page.settings.design.page)
    rows = [f"{heading} ({page.settings.design.page.name}: {grid.columns} columns × "
            f"{grid.lines} lines)",
            f"{_pad('story', 28)} {'kind':<10} {'col':>3} {'line':>4} {'cols':>4} "
            f"{'lines':>5} {'headline':>8} {'body':>6} {'photo':>5}"]
    for m in page.layout.modules:
        f = m.fit
        size = f"{f.head.headline.size:g}pt" if f.head.headline else "-"
        rows.append(f"{_pad(_short(f.story.title, 12), 28)} {f.story.kind:<10} {m.x + 1:>3} "
                    f"{m.y + 1:>4} {f.width:>4} {f.height:>5} {size:>8} {f.size:>4g}pt "
                    f"{f.photo or '-':>5}")
    for box, x, y in page.boxes:
        rows.append(f"{_pad(_short(box.label, 12), 28)} {'box':<10} {x + 1:>3} {y + 1:>4} "
                    f"{box.columns:>4} {box.lines:>5}")
    return "\n".join(rows)
