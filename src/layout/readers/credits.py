"""Bylines ("本报记者 王某", "本报评论员") and datelines ("新华社北京3月5日电（记者 王某）").

A byline is a line of roles and names; a commentary's byline is a role with no name.  A
dateline opens the first paragraph of a story; the reporters it names are kept apart from
it for the metadata, while the dateline keeps its text as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Byline, Credit
from .units import Unit

_COMMENTATOR = r"(?:本报|新华社|[\u4e00-\u9fff]{2,6}?(?:日报|晚报|时报))?(?:特约)?评论员"
ROLES = (
    "本报特约记者", "本报通讯员", "本报记者", "新华社记者", "新华社发", "特约记者", "通讯员",
    "实习生", "记者",
)
_ROLE = re.compile(r"^(" + _COMMENTATOR + "|" + "|".join(ROLES) + r")(.*)$")
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,6}$")
_NAME_SEP = re.compile(r"[\s\u3000、,，]+")

AGENCIES = r"(?:本报|新华社|中新社|人民日报)"
_PLACE_DATE = (r"(?:(?!记者|评论员|通讯员)[\u4e00-\u9fff]{2,8}?)?"
               r"(?:\d{1,2}月\d{1,2}日|[一二三四五六七八九十]{1,3}日)?[电讯]")
_DATELINE = re.compile(
    r"^(?P<head>【" + AGENCIES + r"[^】]{1,16}电】|据?" + AGENCIES + r"(?:讯|" + _PLACE_DATE + r"))"
    r"(?P<paren>[\s\u3000]*[（(](?P<pcredit>[^）)]{2,40})[）)])?"
    r"(?P<report>[\s\u3000]*(?P<rcredit>(?:本报)?记者[\s\u3000]*[\u4e00-\u9fff·、\s\u3000]{2,30}?)"
    r"报道[：:])?"
)


def _credits(text: str) -> list[Credit] | None:
    """Roles and names of ``text`` ("本报记者 王某 通讯员 赵某"), or None if it is not one."""
    credits: list[Credit] = []
    for token in (t for t in _NAME_SEP.split(text) if t):
        m = _ROLE.match(token)
        if m and (not m.group(2) or _NAME.match(m.group(2))):
            credits.append(Credit(m.group(1), [m.group(2)] if m.group(2) else []))
        elif credits and _NAME.match(token):
            credits[-1].authors.append(token)
        else:
            return None
    return credits or None


def parse_byline(u: Unit) -> Byline | None:
    if len(u.text) > 40 or any(ch in u.text for ch in "。！？：:"):
        return None
    credits = _credits(u.text)
    if credits is None:
        return None
    return Byline(role=credits[0].role, authors=[a for c in credits for a in c.authors],
                  line=u.line, credits=credits if len(credits) > 1 else [])


def merge_bylines(first: Byline, more: Byline) -> Byline:
    """Two byline lines ("本报记者 王某" / "通讯员 赵某") as one byline."""
    credits = (first.credits or [Credit(first.role, first.authors)]) + (
        more.credits or [Credit(more.role, more.authors)])
    return Byline(role=first.role, authors=first.authors + more.authors, line=first.line,
                  credits=credits)


@dataclass
class Dateline:
    text: str  # as printed, reporters included
    authors: list[str]
    end: int  # where the paragraph's own text starts


def parse_dateline(text: str) -> Dateline | None:
    m = _DATELINE.match(text)
    if not m:
        return None
    rest = text[m.end():].lstrip("\u3000 \t")
    if not rest:
        return None
    authors: list[str] = []
    for group in ("pcredit", "rcredit"):
        if m.group(group):
            credits = _credits(m.group(group).strip())
            if credits is None:
                if group == "pcredit":  # "（图文）", "（综合报道）": not reporters
                    continue
                return None
            authors += [a for c in credits for a in c.authors]
    return Dateline(text=m.group(0).strip("\u3000 \t"), authors=authors,
                    end=len(text) - len(rest))
