"""The body of a story: paragraphs, sections, lead-ins, figure captions and sidebars.

Sections open with a line ending in "——" followed by a short subtitle line; short
one-sentence lines are stand-alone lead-ins; "图①：…。某某摄" lines are figure captions;
a sidebar is a short title (感言, 记者手记…) followed by entries each closed by "——署名".
"""

from __future__ import annotations

import re

from ..model import Block, Diagnostic, Document, Figure, Section, Sidebar, SignedText
from .units import INDENT, Unit, is_heading_like, is_headline_like, is_lead_in

_FIGURE = re.compile(r"^(图[①-⑳\d一二三四五六七八九十]*)[：:]\s*(.+)$")
CREDIT = re.compile(
    r"(?<=[。！？）)\s])\s*((?:(?:本报|新华社)?记者\s*)?[\u4e00-\u9fff·]{2,6}"
    r"(?:[、\s][\u4e00-\u9fff·]{2,6})*(?:摄|供图|绘)|新华社发|资料图片)$"
)
SIDEBAR_TITLES = (
    "感言", "记者手记", "短评", "链接", "背景", "相关链接", "延伸阅读", "记者感言", "编后", "观察",
)
# a line this short, without sentence punctuation, may be a heading rather than text
_HEADING_MAX = 20


def is_section_title(u: Unit) -> bool:
    return u.text.endswith("——") and 2 < len(u.text) <= 30


def _is_sidebar_title(u: Unit) -> bool:
    if u.text in SIDEBAR_TITLES:
        return True
    return u.blanks_before >= 2 and len(u.text) <= 8 and is_heading_like(u.text) and (
        not any(ch in u.text for ch in "，、：“”")
    )


def _signature(text: str) -> str | None:
    if text.startswith("——") and 1 < len(text) - 2 <= 30:
        return text[2:].strip(INDENT)
    return None


def split_credit(caption: str) -> tuple[str, str | None]:
    c = CREDIT.search(caption)
    if not c:
        return caption, None
    return caption[: c.start()].rstrip(), c.group(1).strip()


def parse_figure(u: Unit) -> Figure | None:
    m = _FIGURE.match(u.text)
    if not m:
        return None
    caption, credit = split_credit(m.group(2))
    return Figure(label=m.group(1), caption=caption, credit=credit, line=u.line)


def _section_subtitle(units: list[Unit], i: int) -> str | None:
    u = units[i] if i < len(units) else None
    if u and is_heading_like(u.text) and not (
        is_section_title(u) or is_lead_in(u.text) or parse_figure(u)
    ):
        return u.text
    return None


def _may_be_heading(text: str) -> bool:
    """Short, and neither a sentence nor clauses: a heading that lost its marks?"""
    return len(text) <= _HEADING_MAX and is_headline_like(text) and not any(
        ch in text for ch in "，、：,:!?！？”’」…")


def read_body(units: list[Unit], doc: Document) -> None:
    """Append the blocks, sections, figures and sidebars of ``units`` to ``doc``.

    Short one-sentence lines are lead-ins only in a story with sections (a feature); in
    news copy short paragraphs are common and stay paragraphs.
    """
    feature = any(is_section_title(u) for u in units)
    current_blocks = doc.lead
    sidebar: Sidebar | None = None
    entry: SignedText | None = None
    i = 0
    while i < len(units):
        u = units[i]
        fig = parse_figure(u)
        if fig:
            doc.figures.append(fig)
            i += 1
            continue
        if _is_sidebar_title(u) and i + 1 < len(units) and (
            sidebar is None or u.blanks_before >= 2
        ):
            sidebar = Sidebar(title=u.text, line=u.line)
            doc.sidebars.append(sidebar)
            entry = None
            i += 1
            continue
        if sidebar is not None:
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
        if is_section_title(u):
            sub = _section_subtitle(units, i + 1)
            section = Section(title=u.text[:-2].rstrip(INDENT), subtitle=sub, line=u.line)
            doc.sections.append(section)
            current_blocks = section.blocks
            i += 2 if sub is not None else 1
            continue
        last = i + 1 == len(units)
        if feature and is_lead_in(u.text) and not last:
            current_blocks.append(Block("lead_in", u.text, u.line))
        elif not last and _may_be_heading(u.text):
            # Read as a paragraph, it would be glued to the next one (R101) and a heading
            # would vanish into the text; as a stand-alone line it stays visible.
            current_blocks.append(Block("lead_in", u.text, u.line))
            doc.warnings.append(Diagnostic(
                "R402", u.line, f"short line without sentence punctuation \u201c{u.text}\u201d "
                "read as a stand-alone lead-in (heading); if it is text, join it in the "
                "Markdown (layout import)"))
        else:
            current_blocks.append(Block("paragraph", u.text, u.line))
        i += 1
