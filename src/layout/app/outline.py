"""The readable outline `layout inspect` prints: how the reader understood the source.

Headline lines are named by their role (引题 kicker, 主题 title, 副题 subtitle), so the
reader's decisions can be checked at a glance; the warnings that follow say where it
guessed.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Block, Document

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
