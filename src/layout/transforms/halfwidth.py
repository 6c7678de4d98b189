"""Half-width , : ; ? ! between Chinese characters set full-width: "记者,北京" -> "记者，北京".

Archive exports often carry ASCII punctuation inside Chinese text.  A mark is changed only
when Chinese stands before it and Chinese (or the end of the text) after it, so "3,000",
"10:30" and Latin text keep theirs; parentheses are :mod:`.punctuation`'s (R102).  Every
line with changes gets one R103 with the count of each mark.
"""

from __future__ import annotations

import re
from collections import Counter

from ..chars import CLOSING, HAN, OPENING
from ..model import Diagnostic, Document
from .blocks import rewrite_strings

FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
# Chinese before: a Han character or a closing quote/bracket; after: Han, an opening one, or
# the end of the text ("吗?").
_MARK = re.compile(rf"(?:(?<={HAN})|(?<=[{CLOSING}]))[,:;?!](?=[{OPENING}]|{HAN}|\Z)")


def full_width_between_han(doc: Document) -> Document:
    found: dict[int, Counter[str]] = {}

    def fix(text: str, line: int) -> str:
        def swap(m: re.Match[str]) -> str:
            mark = FULL_WIDTH[m.group(0)]
            found.setdefault(line, Counter())[mark] += 1
            return mark

        return _MARK.sub(swap, text)

    rewrite_strings(doc, fix)
    for line, counts in sorted(found.items()):
        detail = " ".join(f"{n} {mark}" for mark, n in sorted(counts.items()))
        doc.warnings.append(Diagnostic(
            "R103", line, f"half-width punctuation between Chinese set full-width: {detail}",
            "info"))
    return doc
