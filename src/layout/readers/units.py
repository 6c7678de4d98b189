"""Lines of a plain-text export, and the shapes a line can have."""

from __future__ import annotations

from dataclasses import dataclass

INDENT = "\u3000 \t\u00a0"
SENTENCE_END = "。！？"
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
        stripped = raw.strip(INDENT + "\f\u200b\ufeff")
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
        and not any(ch in SENTENCE_END for ch in text[:-1])
        and text[0] not in "“‘「『（(《"
    )


def is_heading_like(text: str) -> bool:
    """Short, without sentence punctuation: a title, subtitle or label."""
    return len(text) <= 40 and not any(ch in text for ch in "。！？；")


def is_headline_like(text: str) -> bool:
    """A line that can belong to a headline group: short, no full stop, no colon at its end.

    Headlines may ask or exclaim ("谁来种地？"), so ！ and ？ are allowed at the end.
    """
    return (
        len(text) <= 40
        and not any(ch in text for ch in "。；;")
        and not any(ch in text[:-1] for ch in "！？!?")
        and not text.endswith(("：", ":", "，", ","))
    )
