"""pdfplumber, its pages' content streams read by a regular expression.

pdfplumber has pdfminer interpret each page: pdfminer's PostScript parser reads a content
stream a byte at a time in Python, most of a measure's time.  WeasyPrint's streams hold
only numbers, names, hex strings, arrays, marked-content dictionaries and operators, which
the preflight's regular expression reads (:data:`layout.check.content_tokens.TOKEN`);
:func:`objects` gives them as pdfminer's parser would, and :class:`Interpreter` runs
pdfminer's own operators on them, so that every character, rule and image comes out as
pdfminer makes it.  Any stream with something the parser might read otherwise (literal
strings, inline images, odd hex strings, escapes in names, NULs, booleans, procedures,
several streams on a page) is left to pdfminer's parser.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer import settings
from pdfminer.pdfinterp import PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psparser import KWD, LIT, PSKeyword, PSLiteral, keyword_name
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException

from .content_tokens import TOKEN

# What ends a keyword for pdfminer's parser (psparser.END_KEYWORD), and the keywords its
# content parser reads otherwise or that are not operators.
_KEYWORD_END = re.compile(rb"[#/%\[\]()<>{}\s\\]")
_REFUSED = {b"BI", b"ID", b"EI", b"true", b"false", b"null"}


def objects(data: bytes) -> list[Any] | None:
    """The objects of a decoded content stream as pdfminer's content parser yields them
    (numbers, names as literals, strings as bytes, lists, dictionaries keyed by name,
    operators as keywords), or None where its parser might read it otherwise."""
    if b"\x00" in data:
        return None
    out: list[Any] = []
    stack: list[list[Any]] = [out]
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
            if not token.isascii():
                return None
            value = LIT(token[1:].decode("ascii"))
        elif kind == "hex":
            digits = re.sub(rb"\s", b"", token[1:-1])
            if len(digits) % 2:
                return None  # pdfminer keeps an odd last digit as it is
            value = bytes.fromhex(digits.decode("ascii"))
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
            else:
                keys = items[::2]
                if len(items) % 2 or not all(isinstance(k, PSLiteral) for k in keys):
                    return None
                value = {k.name: v for k, v in zip(keys, items[1::2], strict=True)}
        elif kind == "operator" and not kinds and token not in _REFUSED:
            end = match.end()
            if (token[:1] in b"'\"" and len(token) > 1) or (
                    end < len(data) and not _KEYWORD_END.match(data, end)):
                return None  # pdfminer reads a keyword up to its own delimiters
            value = KWD(token)
        else:
            return None
        stack[-1].append(value)
    return out if not kinds else None


class Interpreter(PDFPageInterpreter):
    """pdfminer's interpreter, a stream's objects read by :func:`objects` where it can
    (its ``execute``, operator for operator)."""

    def execute(self, streams: Any) -> None:
        stream = stream_value(streams[0]) if len(streams) == 1 else None
        if not isinstance(stream, PDFStream) or stream.objid is None or (
                stream.objid in self.parent_stream_ids):
            return super().execute(streams)
        found = objects(stream.get_data())
        if found is None:
            return super().execute(streams)
        self.stream_ids.clear()
        self.stream_ids.add(stream.objid)
        for obj in found:
            if not isinstance(obj, PSKeyword):
                self.push(obj)
                continue
            name = keyword_name(obj)
            method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
            if hasattr(self, method):
                func = getattr(self, method)
                nargs = func.__code__.co_argcount - 1
                if nargs:
                    args = self.pop(nargs)
                    if len(args) == nargs:
                        func(*args)
                else:
                    func()
            elif settings.STRICT:
                raise PDFInterpreterError(f"Unknown operator: {name!r}")
        return None


class _Page(Page):
    @property
    def layout(self) -> Any:
        """pdfplumber's ``Page.layout`` (0.11), with :class:`Interpreter`."""
        if hasattr(self, "_layout"):
            return self._layout
        device = PDFPageAggregatorWithMarkedContent(
            self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams)
        try:
            Interpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
        except Exception as exc:  # as pdfplumber reports any of pdfminer's errors
            raise PdfminerException(exc) from exc
        self._layout = device.get_result()
        return self._layout


def open_pdf(path: Path | str) -> Any:
    """``pdfplumber.open(path)``, its pages read with :class:`Interpreter`."""
    pdf = pdfplumber.open(path)
    for page in pdf.pages:
        page.__class__ = _Page
    return pdf
