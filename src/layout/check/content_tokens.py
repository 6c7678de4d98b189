"""A fast reader of PDF content streams for the preflight scan.

pypdf's ``ContentStream`` parses operands a byte at a time in Python: the build's preflight
of a 15-page book took about as long as its measure.  WeasyPrint's streams hold only
numbers, names, hex strings, arrays, marked-content dictionaries and operators, which one
regular expression reads.  Anything else (literal strings, inline images, escaped names)
returns None and the caller falls back to pypdf.

Strings come back as their bytes.  (pypdf decodes some hex strings to text, and gives
them back with a UTF-16 byte order mark: a glyph too many in each such string's count.)
"""

from __future__ import annotations

import re
from typing import Any

TOKEN = re.compile(rb"""
    (?P<space>[\s\x00]+|%[^\r\n]*)
  | (?P<number>[+-]?(?:\d+\.?\d*|\.\d+))
  | (?P<name>/[^\s\x00/\[\]()<>{}%\#]*)(?![#])
  | (?P<open_dict><<) | (?P<close_dict>>>)
  | (?P<hex><[0-9A-Fa-f\s]*>)
  | (?P<open_array>\[) | (?P<close_array>\])
  | (?P<operator>[A-Za-z'"][A-Za-z0-9*']*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

Operation = tuple[list[Any], bytes]
UNSUPPORTED = {b"BI", b"ID", b"EI", b"true", b"false", b"null"}


def operations(data: bytes) -> list[Operation] | None:
    """``(operands, operator)`` pairs of a decoded content stream (numbers as int or
    float, names as str, strings as bytes, arrays as lists, dictionaries as dicts), or
    None for what this reader does not handle."""
    out: list[Operation] = []
    stack: list[list[Any]] = [[]]  # the operands, then one list per open array or dict
    kinds: list[bytes] = []
    for match in TOKEN.finditer(data):
        kind = match.lastgroup
        token = match.group()
        value: Any
        if kind == "space":
            continue
        if kind == "number":
            value = float(token) if b"." in token else int(token)
        elif kind == "name":
            value = token.decode("latin-1")
        elif kind == "hex":
            digits = re.sub(rb"\s", b"", token[1:-1])
            value = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
        elif kind in ("open_array", "open_dict"):
            stack.append([])
            kinds.append(token)
            continue
        elif kind in ("close_array", "close_dict"):
            if not kinds or kinds.pop() != (b"[" if token == b"]" else b"<<"):
                return None
            items = stack.pop()
            if token == b"]":
                value = items
            elif len(items) % 2 == 0:
                value = dict(zip(items[::2], items[1::2], strict=True))
            else:
                return None
        elif kind == "operator" and not kinds and token not in UNSUPPORTED:
            out.append((stack[0], token))
            stack[0] = []
            continue
        else:
            return None
        stack[-1].append(value)
    return out if not kinds and not stack[0] else None
