"""Headline groups (标题组): 引题 (kicker), 主题 (title), 副题 (subtitle).

The group is the one to three lines before the byline or dateline.  The rules, in order:

- a known column label first in the group ("简讯", "高端访谈"…) is the story's column;
- a line opening with "——" is the 副题;
- three lines are 引题, 主题, 副题;
- two lines with "——" on the second are 主题 + 副题;
- two lines without "——" are 引题 + 主题: the convention of the papers this tool serves
  sets a 副题 with a leading "——", so a lower line without one is the main title.  The
  usual 引题 is the shorter line; when the upper line is the longer one the group may
  instead be 主题 + 副题, and the reader says so (R401) with the choice it made.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Diagnostic
from .units import Unit

COLUMN_LABELS = (
    "简讯", "要闻简报", "新闻简讯", "本报简讯", "专访", "高端访谈", "访谈", "人物专访", "图片新闻",
    "评论员文章", "社论", "本报评论员文章", "今日谈", "人民时评", "人民论坛", "新闻速递", "快讯",
)


@dataclass
class Headline:
    title: str
    kicker: str | None = None
    subtitle: str | None = None
    column: str | None = None
    column_line: int | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def is_column_label(text: str) -> bool:
    return text.strip("【】[]") in COLUMN_LABELS


def read_headline(head: list[Unit]) -> Headline:
    """Give each line of a (non-empty) headline group its role."""
    units = list(head)
    column = column_line = None
    if len(units) > 1 and is_column_label(units[0].text):
        column, column_line = units[0].text, units[0].line
        units = units[1:]
    diagnostics: list[Diagnostic] = []
    group = len(units)
    subtitle = None
    if len(units) > 1 and units[-1].text.startswith("——"):
        subtitle = units.pop().text
    texts = [u.text for u in units]
    kicker = None
    if len(texts) >= 3:
        kicker, title = texts[0], texts[1]
        subtitle = "".join(texts[2:] + ([subtitle] if subtitle else []))
        if group > 3:
            diagnostics.append(Diagnostic(
                "R401", units[2].line, f"headline group of {group} lines: read "
                f"{' / '.join(texts[2:])} as the 副题 (subtitle)"))
    elif len(texts) == 2:
        kicker, title = texts
        if subtitle is None and len(kicker) > len(title):
            diagnostics.append(Diagnostic(
                "R401", units[0].line, f"two headline lines without ——: read \u201c{kicker}\u201d "
                f"as the 引题 (kicker) and \u201c{title}\u201d as the 主题 (title); if the "
                "lower line is a 副题, mark it in the Markdown (layout import)"))
    else:
        title = texts[0]
    return Headline(title=title, kicker=kicker, subtitle=subtitle, column=column,
                    column_line=column_line, diagnostics=diagnostics)
