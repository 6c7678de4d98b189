"""Page lines of newspaper archive exports.

An archive page export opens with a page header ("2001年3月5日某某日报 第4版"); each story
then opens with its page line ("第4版(要闻)") and a column line ("专栏:" with the column's
name, often empty).  These lines are metadata: they become the model's ``page`` and the
story's ``column``, never headlines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..model import PageInfo

_DATE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_PAGE_HEADER = re.compile(
    r"^(?P<before>[^\d第]{0,14}?)[\s\u3000]*(?P<date>\d{4}年\d{1,2}月\d{1,2}日)"
    r"[\s\u3000]*(?P<after>[^\d第]{0,14}?)[\s\u3000]*"
    r"第(?P<n>\d{1,3})版(?:[\s\u3000]*[（(](?P<name>[^）)]{1,12})[）)])?$"
)
_PAGE_LINE = re.compile(r"^第(?P<n>\d{1,3})版[\s\u3000]*(?:[（(](?P<name>[^）)]{0,12})[）)])?$")
_COLUMN_LINE = re.compile(r"^专栏[\s\u3000]*[：:][\s\u3000]*(?P<name>.{0,20})$")


@dataclass
class PageLine:
    """A story's page line: 第N版 and the page's name."""

    number: int
    name: str | None


def page_header(text: str, line: int) -> PageInfo | None:
    m = _PAGE_HEADER.match(text)
    if not m:
        return None
    d = _DATE.match(m.group("date"))
    assert d is not None
    try:
        date = dt.date(int(d.group("y")), int(d.group("m")), int(d.group("d")))
    except ValueError:
        return None
    paper = (m.group("before") + m.group("after")).strip("\u3000 \t")
    return PageInfo(line=line, date=date.isoformat(), number=int(m.group("n")),
                    name=m.group("name") or None, paper=paper or None)


def page_line(text: str) -> PageLine | None:
    m = _PAGE_LINE.match(text)
    return PageLine(int(m.group("n")), m.group("name") or None) if m else None


def column_line(text: str) -> str | None:
    """The column a "专栏:" line names: "" when it names none; None if not such a line."""
    m = _COLUMN_LINE.match(text)
    return m.group("name").strip() if m else None
