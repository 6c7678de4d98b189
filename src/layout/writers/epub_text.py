"""Passes over the EPUB's finished XHTML trees that add inline markup, never a character.

- :func:`squeeze_pairs`: the first mark of two adjacent full-width marks (。” ，“ ）、)
  in ``<span class="zq">``; the stylesheet sets it half-width (``halt``) where the
  reading system lacks ``text-spacing-trim``, which squeezes such pairs by itself.
- :func:`clause_breaks`: ``<wbr/>`` after each clause of a headline; with
  ``word-break: keep-all`` a headline then breaks only there (共画发展同心圆 stays whole).

Text is split at positions of text nodes (``.text`` and ``.tail``); the pieces of one
node keep their order, so the text of every element is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..typeset.chars import SQUEEZABLE

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
        node.tail = leading or None
        parent = node.getparent()
        at = parent.index(node) + 1
        for n, element in enumerate(elements):
            parent.insert(at + n, element)


def _span(text: str, cls: str) -> etree._Element:
    span = etree.Element(f"{{{XHTML}}}span")
    span.set("class", cls)
    span.text = text
    return span


def squeeze_pairs(body: etree._Element) -> None:
    """``<span class="zq">`` around the first mark of each adjacent pair of marks."""
    for node, where in _text_slots(body):
        text = getattr(node, where)
        firsts = [i for i in range(len(text) - 1)
                  if text[i] in SQUEEZABLE and text[i + 1] in SQUEEZABLE]
        if not firsts:
            continue
        pieces: list[tuple[str, etree._Element | None]] = []
        start = 0
        for i in firsts:
            pieces += [(text[start:i], None), (text[i], _span(text[i], "zq"))]
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
