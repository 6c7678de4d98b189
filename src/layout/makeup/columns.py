"""Columns as boxes: the column flow the make-up planned, as one box per column.

The body's HTML is rendered once in reading order (as for a single column); this module
takes it apart by element and puts together, for every column, exactly the items the
flow (:mod:`.flow`) planned for it: whole blocks, or a paragraph's lines [a, b) cut at
the offsets the measure read (``Measured.breaks``).  WeasyPrint then only sets the type in
each box: no multi-column balancing, and a column beside a photo spanning columns can
begin at any line.

A cut paragraph's later fragment gets class ``cont`` (no first-line indent) and the id
``<id>-<n>``; a fragment that stops before the paragraph's end gets class ``open`` (its
last line justified).  An element around several items (a section, a sidebar, a sidebar
entry) is closed at the column's end and opened again in the next: its later fragments
get ``cont`` and no id, its fragments before the last ``open`` (page.css.j2 drops their
borders and space at the cut).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from .flow import Slot

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
PART = "data-part"  # an item that is not an element with the item's id (a sidebar's top)


@dataclass
class Node:
    """An element of the body's HTML: its tag, attributes and children in order."""

    tag: str
    attrs: list[tuple[str, str | None]]
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self) -> list[Node]:
        out = [self]
        for c in self.children:
            if isinstance(c, Node):
                out += c.walk()
        return out


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("", [])
        self.open = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, attrs, parent=self.open)
        self.open.children.append(node)
        if tag not in VOID:
            self.open = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.children.append(Node(tag, attrs, parent=self.open))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.open
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.open = node.parent

    def handle_data(self, data: str) -> None:
        self.open.children.append(data)


def parse(html: str) -> Node:
    """The elements of an HTML fragment, under a nameless root."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def start_tag(node: Node, *, drop: Sequence[str] = (), classes: Sequence[str] = (),
              id_: str | None = None) -> str:
    """``node``'s start tag without the attributes ``drop``, with ``classes`` added and
    the id ``id_`` (if given)."""
    attrs = [(k, v) for k, v in node.attrs if k not in drop and not (k == "id" and id_)]
    if id_:
        attrs.insert(0, ("id", id_))
    if classes:
        old = next((v for k, v in attrs if k == "class"), None)
        joined = " ".join([*(old or "").split(), *classes])
        attrs = [(k, joined if k == "class" else v) for k, v in attrs] if old is not None else [
            *attrs, ("class", joined)]
    parts = [node.tag] + [k if v is None else f'{k}="{escape(v)}"' for k, v in attrs]
    return "<" + " ".join(parts) + ">"


def serialize(node: Node | str) -> str:
    if isinstance(node, str):
        return escape(node, quote=False)
    if node.tag in VOID:
        return start_tag(node)
    return start_tag(node) + "".join(serialize(c) for c in node.children) + f"</{node.tag}>"


def cut(node: Node, lo: int, hi: int) -> str:
    """The children of ``node`` whose text lies in [lo, hi) of its text content; an element
    the cut crosses is closed and opened again (it appears in both fragments)."""
    out: list[str] = []
    end = len(node.text())

    def emit(n: Node, at: int) -> int:
        for c in n.children:
            if isinstance(c, str):
                a, b = max(at, lo), min(at + len(c), hi)
                if a < b:
                    out.append(escape(c[a - at:b - at], quote=False))
                at += len(c)
                continue
            size = len(c.text())
            inside = at < hi and at + size > lo if size else (
                lo <= at < hi or at == hi == end)
            if not inside:
                at += size
                continue
            if c.tag in VOID:
                out.append(start_tag(c))
                continue
            out.append(start_tag(c))
            emit(c, at)
            out.append(f"</{c.tag}>")
            at += size
        return at

    emit(node, 0)
    return "".join(out)


class Unplaceable(ValueError):
    """The flow holds an item the body's HTML cannot give as planned."""


def column_html(body: str, pages: Sequence[Sequence[Sequence[Slot]]],
                breaks: dict[str, tuple[int, ...]]) -> list[list[str]]:
    """Per page, per column, the HTML of the items ``pages`` plans for it, taken from
    ``body`` (the items' HTML in reading order).

    An item is the element whose ``data-part`` is its key (a sidebar's top), else whose
    id is; ``<key>-foot`` closes the element ``<key>``; a ``space`` item is the space the
    element above gets (nothing of its own).  Raises :class:`Unplaceable` when an item is
    not in ``body`` or a paragraph is cut where the measure gave no line start.
    """
    root = parse(body)
    by_id: dict[str, Node] = {}
    by_part: dict[str, Node] = {}
    for n in root.walk():
        if n.get("id"):
            by_id.setdefault(n.get("id") or "", n)
        if n.get(PART):
            by_part[n.get(PART) or ""] = n

    def leaf(slot: Slot) -> tuple[Node, bool] | None:
        """The element of ``slot`` and whether its content is emitted."""
        if slot.kind == "space":
            return None
        if slot.key.endswith("-foot") and slot.key[:-5] in by_id:
            return by_id[slot.key[:-5]], False
        node = by_part.get(slot.key) if slot.kind != "box" else None
        node = node or by_id.get(slot.key)
        if node is None:
            raise Unplaceable(f"no element for the item {slot.key}")
        return node, True

    placed = [[[(s, found) for s in column if (found := leaf(s)) is not None]
               for column in page] for page in pages]
    # Where each element around items is first and last touched (page, column).
    spans: dict[int, tuple[tuple[int, int], tuple[int, int]]] = {}
    for p, page in enumerate(placed):
        for c, column in enumerate(page):
            for _slot, (node, content) in column:
                up: Node | None = node.parent if content else node
                while up is not None and up is not root:
                    first = spans.get(id(up), ((p, c), (p, c)))[0]
                    spans[id(up)] = (first, (p, c))
                    up = up.parent
    fragments: dict[str, int] = {}
    out: list[list[str]] = []
    for p, page in enumerate(placed):
        out.append([])
        for c, column in enumerate(page):
            html: list[str] = []
            stack: list[Node] = []
            for slot, (node, content) in column:
                chain: list[Node] = []
                up = node.parent if content else node
                while up is not None and up is not root:
                    chain.insert(0, up)
                    up = up.parent
                while stack and (len(stack) > len(chain) or stack[-1] is not chain[
                        len(stack) - 1]):
                    html.append(f"</{stack.pop().tag}>")
                for anc in chain[len(stack):]:
                    first, last = spans[id(anc)]
                    classes = (["cont"] if first != (p, c) else []) + (
                        ["open"] if last != (p, c) else [])
                    html.append(start_tag(anc, drop=("id", "style") if first != (p, c) else (),
                                          classes=classes))
                    stack.append(anc)
                if content:
                    html.append(_item(node, slot, breaks, fragments))
            html += [f"</{n.tag}>" for n in reversed(stack)]
            out[-1].append("".join(html))
    return out


def _raw_offsets(text: str) -> list[int]:
    """For each offset in ``text`` with its white space collapsed (a run of spaces, tabs
    and line ends counted as one space, as ``Measured.breaks`` counts), the offset in
    ``text``; one more for the end."""
    out = []
    for i, ch in enumerate(text):
        if ch in " \t\n\r\f" and i and text[i - 1] in " \t\n\r\f":
            continue
        out.append(i)
    out.append(len(text))
    return out


def whole_items(body: str, keys: Sequence[str]) -> dict[str, str]:
    """The HTML of the elements ``keys`` of ``body``, each whole (photos across columns)."""
    found = {n.get("id"): n for n in parse(body).walk() if n.get("id") in keys}
    missing = [k for k in keys if k not in found]
    if missing:
        raise Unplaceable(f"no element for the item {missing[0]}")
    return {k: serialize(found[k]) for k in keys}


def _item(node: Node, slot: Slot, breaks: dict[str, tuple[int, ...]],
          fragments: dict[str, int]) -> str:
    """One item's HTML in a column: the whole element, or its lines [first, last)."""
    if slot.whole:
        return serialize(node)
    starts = breaks.get(slot.key, ())
    if len(starts) != slot.lines - 1:
        raise Unplaceable(f"{slot.key} is cut at a line the measure did not read")
    text = node.text()
    raw = _raw_offsets(text)
    lo = raw[starts[slot.first - 1]] if slot.first else 0
    hi = raw[starts[slot.last - 1]] if slot.last < slot.lines else len(text)
    eid = node.get("id") or slot.key
    fragments[eid] = fragments.get(eid, 0) + 1
    classes = (["cont"] if slot.first else []) + (["open"] if slot.last < slot.lines else [])
    tag = start_tag(node, id_=eid if fragments[eid] == 1 else f"{eid}-{fragments[eid]}",
                    classes=classes, drop=("style",) if slot.first else ())
    return tag + cut(node, lo, hi) + f"</{node.tag}>"


def overfull(document: Document, pages: int) -> bool:
    """Whether the column boxes of a laid-out ``document`` hold more than the make-up
    planned: a column's type deeper than its box, or the body on other than ``pages``
    pages (a head group taller than measured pushes it on)."""
    if len(document.pages) != pages:
        return True
    return any(overfull_columns(page._page_box) for page in document.pages)


def overfull_columns(root: boxes.Box) -> bool:
    """Whether a column box inside the laid-out box ``root`` (a page, or a module of a
    composed page) holds type deeper than the box."""
    for found in root.descendants(placeholders=True):
        box = getattr(found, "_box", found)  # a positioned box is behind a placeholder
        element = getattr(box, "element", None)
        if not isinstance(box, boxes.BlockBox) or element is None or (
                "column" not in (element.get("class") or "").split()):
            continue
        bottom = box.content_box_y() + box.height
        if any(c.position_y + c.margin_height() > bottom + 0.5 for c in box.children):
            return True
    return False
