"""Kinds of piece a story's body may hold beyond plain paragraphs.

- an editor's note: paragraphs closed by a lone "编者" line, or one paragraph opening
  "编者按：" (the label stays at the start of its text, as it is printed);
- an interview: "问：" / "答：" (or "记者：" / "王某：") paragraphs become question and
  answer blocks, the speaker kept apart from the text;
- run-in lead-ins: a section's paragraphs opening with a short two-clause sentence
  ("园区创业，搭建思想交流的舞台。") that are siblings of its stand-alone lead-ins;
- photo news: a headline and one caption-like paragraph ending in a credit ("王某摄").
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import Block, Document, Figure, SignedText
from ..transforms.paragraphs import ends_open
from .body import split_credit
from .units import Unit

_NOTE_SIGNATURES = ("编者", "——编者", "—— 编者")
_INLINE_NOTE = re.compile(r"^(?:编者按|【编者按】|编者的话)[：:]?")
SPEAKER_MAX = 8  # characters of a speaker's label: "问", "记者", a name
QUESTIONERS = ("问", "记者", "主持人")  # who asks; every other speaker answers
_SPEAKER = re.compile(r"^(?P<who>问|答|记者|主持人|[\u4e00-\u9fff·]{2,4})[：:][\u3000 ]*(?=\S)")
# A run-in: one short sentence of two clauses, then the paragraph goes on.
_RUN_IN = re.compile(
    r"^(?P<run>(?![“‘「『（(《])[^，。！？]{2,10}，[^，。！？“‘「]{2,12}[。！？])(?P<rest>\S.*)$")


def take_editor_note(units: list[Unit]) -> tuple[SignedText | None, list[Unit]]:
    """The editor's note at the start of ``units`` (if any) and the units after it."""
    for j, u in enumerate(units[:8]):
        if u.text in _NOTE_SIGNATURES:
            if j == 0:
                break
            note = units[:j]
            return SignedText(paragraphs=[n.text for n in note], signature=u.text.lstrip("— "),
                              line=note[0].line, lines=[n.line for n in note]), units[j + 1:]
    for j, u in enumerate(units[:3]):
        if _INLINE_NOTE.match(u.text) and len(u.text) > 6:
            rest = units[:j] + units[j + 1:]
            return SignedText(paragraphs=[u.text], line=u.line, lines=[u.line]), rest
    return None, units


def mark_interview(doc: Document) -> None:
    """Question and answer blocks, when the story is an interview."""
    blocks = [b for b in _all_blocks(doc) if b.type == "paragraph"]
    speakers = Counter(m.group("who") for b in blocks if (m := _SPEAKER.match(b.text)))
    questions = sum(speakers[q] for q in QUESTIONERS)
    answers = speakers["答"] + sum(n for who, n in speakers.items()
                                   if who not in (*QUESTIONERS, "答") and n >= 2)
    if not questions or not answers:
        return
    for b in blocks:
        m = _SPEAKER.match(b.text)
        if not m:
            continue
        who = m.group("who")
        if who in QUESTIONERS:
            b.type = "question"
        elif who == "答" or speakers[who] >= 2:
            b.type = "answer"
        else:
            continue
        b.speaker, b.text = who, b.text[m.end():]


def mark_run_ins(doc: Document) -> None:
    """Run-in lead-ins in sections (the lead has none).

    A section's first paragraph opening with a short two-clause sentence, before any
    stand-alone lead-in, frames the section ("不断探索，勇立潮头。各类…"); those after
    it are run-in lead-ins when the section shows the series: it has stand-alone
    lead-ins, or at least two such openings follow the framing one.
    """
    for section in doc.sections:
        candidates: list[tuple[Block, re.Match[str]]] = []
        framing_seen = False
        previous: Block | None = None
        for b in section.blocks:
            after_open, previous = previous is not None and (
                previous.type == "paragraph" and ends_open(previous.text)), b
            if b.type == "lead_in":
                framing_seen = True
                continue
            # the second half of a paragraph broken by a blank line (rejoined later) opens
            # in mid-sentence, whatever it looks like
            m = _RUN_IN.match(b.text) if b.type == "paragraph" and not after_open else None
            if m is None:
                continue
            if framing_seen:
                candidates.append((b, m))
            framing_seen = True
        has_lead_ins = any(b.type == "lead_in" for b in section.blocks)
        if has_lead_ins or len(candidates) >= 2:
            for b, m in candidates:
                b.run_in, b.text = m.group("run"), m.group("rest")


def photo_news(doc: Document) -> None:
    """A headline with one caption-like paragraph ending in a credit is a photo's caption."""
    if (len(doc.lead) != 1 or doc.sections or doc.figures or doc.sidebars or doc.byline
            or doc.dateline or doc.editor_note or doc.lead[0].type != "paragraph"):
        return
    block = doc.lead[0]
    caption, credit = split_credit(block.text)
    if credit is None or not credit.endswith("摄"):
        return
    doc.figures.append(Figure(label="", caption=caption, credit=credit, line=block.line))
    doc.lead.clear()


def _all_blocks(doc: Document) -> list[Block]:
    return [*doc.lead, *(b for s in doc.sections for b in s.blocks)]
