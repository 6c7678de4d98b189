"""Reader for plain-text newsroom exports (see docs/source-formats.md).

The shape it understands, line by line: optional kicker, headline, optional subtitle
(often starting with "——"), byline ("本报记者 某某"), an optional editor's note closed by a
lone "编者" line, opening paragraphs, sections whose title line ends in "——" followed by a
subtitle line, short stand-alone lead-in sentences, figure captions ("图①：…。某某摄") and
sidebars (a short title such as 感言 followed by entries each closed by "——署名").

Paragraphs are either separated by blank lines or set one per line with a full-width
indent; the indent is layout and is dropped.  Structure only: cleaning (rejoining broken
paragraphs, punctuation) happens in :mod:`layout.transforms`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import LayoutError
from ..model import Block, Byline, Document, Figure, Section, Sidebar, SignedText

_INDENT = "\u3000 \t\u00a0"
ROLES = (
    "本报特约记者", "本报通讯员", "本报记者", "新华社记者", "特约记者", "通讯员", "实习生", "记者",
)
_BYLINE = re.compile(r"^(" + "|".join(ROLES) + r")[\s\u3000]*(\S.*)$")
_NAME_SEP = re.compile(r"[\s\u3000、,，]+")
_FIGURE = re.compile(r"^(图[①-⑳\d一二三四五六七八九十]*)[：:]\s*(.+)$")
_CREDIT = re.compile(
    r"(?<=[。！？）)\s])\s*((?:(?:本报|新华社)?记者\s*)?[\u4e00-\u9fff·]{2,6}"
    r"(?:[、\s][\u4e00-\u9fff·]{2,6})*(?:摄|供图|绘)|新华社发|资料图片)$"
)
SIDEBAR_TITLES = (
    "感言", "记者手记", "短评", "链接", "背景", "相关链接", "延伸阅读", "记者感言", "编后", "观察",
)
_DATELINE = re.compile(
    r"^((?:本报|新华社)[^，。\s\u3000]{1,16}?电(?:（[^）]{1,30}）)?)[\s\u3000]*(?=\S)"
)
_SENTENCE_END = "。！？"
LEAD_IN_MAX = 24


@dataclass
class Unit:
    """One non-blank source line, its indentation stripped."""

    text: str
    line: int
    blanks_before: int


def split_units(text: str) -> list[Unit]:
    units: list[Unit] = []
    blanks = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip(_INDENT + "\f\u200b\ufeff")
        if not stripped:
            blanks += 1
            continue
        units.append(Unit(stripped, number, blanks))
        blanks = 0
    return units


def is_lead_in(text: str) -> bool:
    """A short one-sentence line such as "户外奔跑，有了遮风避雨的港湾。"."""
    return (
        len(text) <= LEAD_IN_MAX
        and text.endswith("。")
        and not any(ch in _SENTENCE_END for ch in text[:-1])
        and text[0] not in "“‘「『（(《"
    )


def _is_section_title(u: Unit) -> bool:
    return u.text.endswith("——") and 2 < len(u.text) <= 30


def _is_heading_like(text: str) -> bool:
    """Short, without sentence punctuation: a title, subtitle or label."""
    return len(text) <= 40 and not any(ch in text for ch in "。！？；")


def _is_sidebar_title(u: Unit) -> bool:
    if u.text in SIDEBAR_TITLES:
        return True
    return u.blanks_before >= 2 and len(u.text) <= 8 and _is_heading_like(u.text) and (
        not any(ch in u.text for ch in "，、：“”")
    )


def _signature(text: str) -> str | None:
    if text.startswith("——") and 1 < len(text) - 2 <= 30:
        return text[2:].strip(_INDENT)
    return None


def parse_byline(u: Unit) -> Byline | None:
    m = _BYLINE.match(u.text)
    if not m or len(u.text) > 40 or any(ch in u.text for ch in "。！？"):
        return None
    authors = [a for a in _NAME_SEP.split(m.group(2)) if a]
    return Byline(role=m.group(1), authors=authors, line=u.line)


def parse_figure(u: Unit) -> Figure | None:
    m = _FIGURE.match(u.text)
    if not m:
        return None
    caption = m.group(2)
    credit = None
    c = _CREDIT.search(caption)
    if c:
        credit = c.group(1).strip()
        caption = caption[: c.start()].rstrip()
    return Figure(label=m.group(1), caption=caption, credit=credit, line=u.line)


def read_text(text: str, path: str = "") -> Document:
    """Structure the decoded text of a plain-text export into a Document."""
    units = split_units(text)
    if not units:
        raise LayoutError("R301", "source is empty", path)
    pos = 0

    # --- head: kicker / title / subtitle, then byline
    byline_at = next(
        (i for i, u in enumerate(units[:6]) if parse_byline(u) is not None), None
    )
    if byline_at is not None:
        head = units[:byline_at]
        pos = byline_at + 1
    else:
        head = []
        while pos < len(units) and len(head) < 3 and _is_heading_like(units[pos].text) and (
            not _is_section_title(units[pos])
        ):
            head.append(units[pos])
            pos += 1
        if not head:
            raise LayoutError("R310", "no headline: the first line is a paragraph", path,
                              units[0].line)
    kicker = subtitle = None
    texts = [u.text for u in head]
    if len(texts) > 1 and texts[-1].startswith("——"):
        subtitle = texts.pop()
    if len(texts) >= 3:
        kicker, title, extra = texts[0], texts[1], texts[2:]
        subtitle = "".join(extra) if subtitle is None else "".join(extra) + subtitle
    elif len(texts) == 2:
        kicker, title = texts
    elif texts:
        title = texts[0]
    else:
        raise LayoutError("R310", "no headline before the byline", path, units[0].line)
    doc = Document(title=title, kicker=kicker, subtitle=subtitle, source=path)
    if byline_at is not None:
        doc.byline = parse_byline(units[byline_at])

    # --- editor's note: paragraphs up to a lone "编者" line within the first units
    for j in range(pos, min(pos + 8, len(units))):
        sig = units[j].text
        if sig in ("编者", "——编者", "—— 编者"):
            note_units = units[pos:j]
            if note_units:
                doc.editor_note = SignedText(
                    paragraphs=[u.text for u in note_units],
                    signature=sig.lstrip("— "),
                    line=note_units[0].line,
                    lines=[u.line for u in note_units],
                )
                pos = j + 1
            break

    # --- body
    current_blocks = doc.lead
    sidebar: Sidebar | None = None
    entry: SignedText | None = None
    i = pos
    while i < len(units):
        u = units[i]
        fig = parse_figure(u)
        if fig:
            doc.figures.append(fig)
            i += 1
            continue
        if sidebar is None and _is_sidebar_title(u) and i + 1 < len(units):
            sidebar = Sidebar(title=u.text, line=u.line)
            doc.sidebars.append(sidebar)
            i += 1
            continue
        if sidebar is not None:
            if _is_sidebar_title(u) and u.blanks_before >= 2:
                sidebar = Sidebar(title=u.text, line=u.line)
                doc.sidebars.append(sidebar)
                entry = None
                i += 1
                continue
            sig = _signature(u.text)
            if sig is not None and entry is not None:
                entry.signature = sig
                entry = None
            else:
                if entry is None:
                    entry = SignedText(paragraphs=[], line=u.line)
                    sidebar.entries.append(entry)
                entry.paragraphs.append(u.text)
                entry.lines.append(u.line)
            i += 1
            continue
        if _is_section_title(u):
            subtitle_unit = units[i + 1] if i + 1 < len(units) else None
            sub = None
            if subtitle_unit and _is_heading_like(subtitle_unit.text) and not (
                _is_section_title(subtitle_unit) or is_lead_in(subtitle_unit.text)
                or parse_figure(subtitle_unit)
            ):
                sub = subtitle_unit.text
            section = Section(title=u.text[:-2].rstrip(_INDENT), subtitle=sub, line=u.line)
            doc.sections.append(section)
            current_blocks = section.blocks
            i += 2 if sub is not None else 1
            continue
        kind = "lead_in" if is_lead_in(u.text) and i + 1 < len(units) else "paragraph"
        current_blocks.append(Block(type=kind, text=u.text, line=u.line))
        i += 1

    # --- dateline opening the first lead paragraph ("本报北京3月5日电"); the writers set
    # it with that paragraph, so without a lead it stays part of the text.
    first = doc.lead[0] if doc.lead else None
    if first is not None:
        m = _DATELINE.match(first.text)
        if m:
            doc.dateline = m.group(1)
            first.text = first.text[m.end():]
    return doc
