"""Passes over the EPUB's finished XHTML trees that add inline markup, never a character.

- :func:`squeeze_pairs`: the first mark of two adjacent full-width marks (。” ，“ ）、)
  in ``<span class="zq">``; the stylesheet sets it half-width (``halt``) where the
  reading system lacks ``text-spacing-trim``, which squeezes such pairs by itself.
- :func:`clause_breaks`: ``<wbr/>`` after each clause of a headline; with
  ``word-break: keep-all`` a headline then breaks only there (共画发展同心圆 stays whole).
- :func:`kobo_spans`: the sentences Kobo readers count and highlight (``--format kepub``).
- :func:`upright_numbers`: short numbers set upright in vertical text (``--vertical``).

Text is split at positions of text nodes (``.text`` and ``.tail``); the pieces of one
node keep their order, so the text of every element is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from ..typeset.markup import mark_classes

XHTML = "http://www.w3.org/1999/xhtml"
CLAUSE_MARKS = set("，、：；！？ \u3000")
# Where no span may go: inside these, text is not running text.
SKIP = {f"{{{XHTML}}}{t}" for t in ("head", "title", "style", "script")}

def _text_slots(element: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """(element, "text"|"tail") for every text node below ``element``, in document order,
    collected first so that the caller may change the tree."""
    slots: list[tuple[etree._Element, str]] = []

    def walk(node: etree._Element) -> None:
        if node.tag in SKIP:
            return
        if node.text:
            slots.append((node, "text"))
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                slots.append((child, "tail"))

    walk(element)
    yield from slots


def _wrap(node: etree._Element, where: str, pieces: list[tuple[str, etree._Element | None]]
          ) -> None:
    """Replace a text slot with ``pieces``: (text, None) stays text, (text, element) puts
    the element there (its text already inside it)."""
    leading = ""
    elements: list[etree._Element] = []
    for text, element in pieces:
        if element is not None:
            elements.append(element)
        elif elements:
            elements[-1].tail = (elements[-1].tail or "") + text
        else:
            leading += text
    if where == "text":
        node.text = leading or None
        for n, element in enumerate(elements):
            node.insert(n, element)
    else:
        parent = node.getparent()
        if parent is None:
            return  # the root element, which has no tail
        node.tail = leading or None
        at = parent.index(node) + 1
        for n, element in enumerate(elements):
            parent.insert(at + n, element)


def _span(text: str, cls: str) -> etree._Element:
    span = etree.Element(f"{{{XHTML}}}span")
    span.set("class", cls)
    span.text = text
    return span


def squeeze_pairs(body: etree._Element, cells: bool = False) -> None:
    """``<span class="zq">`` around the first mark of each adjacent pair of marks; with
    ``cells`` every quotation mark in a span too (``layout.typeset.markup.mark_classes``),
    for an embedded face whose marks need their cells made (``layout.typeset.marks``)."""
    for node, where in _text_slots(body):
        text = getattr(node, where)
        marks = mark_classes(text, cells)
        if not marks:
            continue
        pieces: list[tuple[str, etree._Element | None]] = []
        start = 0
        for i, classes in sorted(marks.items()):
            pieces += [(text[start:i], None), (text[i], _span(text[i], classes))]
            start = i + 1
        pieces.append((text[start:], None))
        _wrap(node, where, pieces)


def clause_breaks(heading: etree._Element) -> None:
    """A ``<wbr/>`` after each clause mark or space of ``heading``'s text (not at its end)."""
    for node, where in _text_slots(heading):
        text = getattr(node, where)
        cuts = [i + 1 for i, ch in enumerate(text[:-1]) if ch in CLAUSE_MARKS
                and text[i + 1] not in CLAUSE_MARKS]
        if not cuts:
            continue
        pieces: list[tuple[str, etree._Element | None]] = []
        start = 0
        for cut in cuts:
            wbr = etree.Element(f"{{{XHTML}}}wbr")
            pieces.append((text[start:cut], None))
            pieces.append(("", wbr))
            start = cut
        pieces.append((text[start:], None))
        _wrap(node, where, pieces)


# Kobo's reading statistics and highlights work on spans it expects in a "kepub": every
# sentence of every text block in <span class="koboSpan" id="kobo.P.S"> (P counts the
# blocks of a document, S the sentences of a block), as Kobo's own converter makes them.
KOBO_BLOCKS = {f"{{{XHTML}}}{t}" for t in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li",
                                           "figcaption", "td", "th", "blockquote", "dd", "dt")}
SENTENCE_ENDS = set("。！？…；!?")
CLOSERS = set("”’」』）》)\"'")


def sentences(text: str) -> list[str]:
    """``text`` cut after each sentence end (and the closing marks right after it)."""
    out, start, i = [], 0, 0
    while i < len(text):
        if text[i] in SENTENCE_ENDS:
            i += 1
            while i < len(text) and (text[i] in SENTENCE_ENDS or text[i] in CLOSERS):
                i += 1
            out.append(text[start:i])
            start = i
        else:
            i += 1
    if start < len(text):
        out.append(text[start:])
    return out


def kobo_spans(body: etree._Element) -> None:
    """Wrap the sentences of every text block of ``body`` in numbered koboSpans."""
    paragraph = 0
    for block in [e for e in body.iter() if e.tag in KOBO_BLOCKS]:
        if any(a.tag in KOBO_BLOCKS for a in block.iterancestors()):
            continue  # its text is numbered with the enclosing block
        paragraph += 1
        segment = 0
        for node, where in _text_slots(block):
            if node is block and where == "tail":
                continue
            pieces: list[tuple[str, etree._Element | None]] = []
            for sentence in sentences(getattr(node, where)):
                if not sentence.strip():
                    pieces.append((sentence, None))
                    continue
                segment += 1
                span = _span(sentence, "koboSpan")
                span.set("id", f"kobo.{paragraph}.{segment}")
                pieces.append((sentence, span))
            _wrap(node, where, pieces)


# In vertical text, Latin words and long numbers lie rotated (text-orientation: mixed);
# a number of one or two digits stands upright across the column (tate-chu-yoko).
_SHORT_NUMBER = re.compile(r"(?<![0-9A-Za-z.,%:/+\-])[0-9]{1,2}(?![0-9A-Za-z%.,:/])")


def upright_numbers(body: etree._Element) -> None:
    """``<span class="tcy">`` around each stand-alone number of one or two digits."""
    for node, where in _text_slots(body):
        text = getattr(node, where)
        found = list(_SHORT_NUMBER.finditer(text))
        if not found:
            continue
        pieces: list[tuple[str, etree._Element | None]] = []
        start = 0
        for match in found:
            pieces += [(text[start:match.start()], None),
                       (match.group(), _span(match.group(), "tcy"))]
            start = match.end()
        pieces.append((text[start:], None))
        _wrap(node, where, pieces)
