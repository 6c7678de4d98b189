"""Reader for Markdown sources with YAML front matter (docs/source-formats.md).

The front matter holds what is not running text, with the keys of the JSON model:
kicker, title, subtitle, byline, dateline, editor_note, figures, sidebars.  The body
holds the running text: paragraphs, ``## `` section heads (an italic paragraph right
below one is its subtitle), ``**bold**`` paragraphs as lead-ins and a ``**bold**``
sentence opening a paragraph as a run-in lead-in.

A file may hold several stories: each story after the first opens with its own front
matter (a ``---`` line after a blank line); the page metadata (``page:``) goes in the first.
Interview paragraphs open with a bold speaker label ending in "：" (``**问：**``).

Raw HTML is never passed through: markdown-it runs with HTML off, so ``<script>`` stays
text.  Constructs the model has no place for (lists, quotes, code, images) are errors;
inline styles it cannot keep (italics inside a paragraph, links) are warnings and their
text is kept.  Every block keeps the line it starts on in the ``.md`` file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..model import (
    Block,
    Byline,
    Credit,
    Diagnostic,
    Document,
    Figure,
    PageInfo,
    Section,
    Sidebar,
    SignedText,
)
from . import frontmatter
from .pieces import QUESTIONERS, SPEAKER_MAX

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)
# A bold sentence opening a paragraph, matched on the source: CommonMark's flanking rules
# do not see "**标题。**正文" as bold, since no space separates the closing ** from Han text.
_RUN_IN = re.compile(r"\A\*\*(?P<bold>(?:[^*\\]|\\.)+?)\*\*(?P<rest>.*)\Z", re.S)
_LATIN = re.compile(r"[A-Za-z0-9]")


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


@dataclass
class _State:
    path: str
    offset: int  # lines before the body (the front matter)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(code, line, message, "error"))

    def warn(self, code: str, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(code, line, message, "warning"))


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(YAML text or None, body, number of lines before the body)."""
    m = _FRONT.match(text)
    if not m:
        return None, text, 0
    return m.group(1), text[m.end():], m.group(0).count("\n")


def split_stories(text: str) -> list[tuple[int, str]]:
    """The stories of a file: (lines before the story, its text).

    A story after the first starts with a front matter block: a ``---`` line after a
    blank line, closed by a ``---`` (or ``...``) line.
    """
    lines = text.split("\n")
    starts = [0]
    last_close = max((i for i, line in enumerate(lines) if line.rstrip() in ("---", "...")),
                     default=-1)
    first = _FRONT.match(text)
    front_end = first.group(0).count("\n") if first else 0
    for i, line in enumerate(lines):
        if front_end < i < last_close and line.rstrip() == "---" and not lines[i - 1].strip():
            starts.append(i)
    out = []
    for a, b in zip(starts, [*starts[1:], len(lines)], strict=True):
        out.append((a, "\n".join(lines[a:b]) + ("\n" if b < len(lines) else "")))
    return out


def read_markdown(text: str, path: str = "") -> Document:
    """The stories of a Markdown source: the first, with the others in ``following``."""
    stories = [_read_story(part, path, before) for before, part in split_stories(text)]
    first = stories[0]
    for n, story in enumerate(stories):
        if n and story.page is not None:
            first.warnings.append(Diagnostic(
                "M106", story.head_line, "page: belongs in the first story's front matter",
                "error"))
        story.page = first.page
        if n:
            first.warnings += story.warnings
            story.warnings = []
    first.following = stories[1:]
    return first


def _read_story(text: str, path: str, before: int) -> Document:
    """One story whose text starts after ``before`` lines of the file."""
    yaml_text, body, offset = split_front_matter(text)
    state = _State(path, offset + before)
    doc = Document(title="", source=path, head_line=before + 1)
    if yaml_text is not None:
        _read_front_matter(_compose("\n" * before + yaml_text, path), doc, state)
    _read_body(body, doc, state)
    if not doc.title:
        state.error("M104", before + 1, "no title: set title: in the front matter")
    doc.warnings += state.diagnostics
    return doc


# Front matter keys that repeat or describe the article rather than hold its text.
METADATA_KEYS = ("page", "dateline_authors")
# Values that are no text of the article: a photo's file name (e.g. photos/图①.jpg).
REFERENCE_KEYS = ("image",)


def fidelity_text(text: str, doc: Document | None = None) -> str:
    """The source text the model must keep every Han character of: YAML values, not comments
    and not page metadata (METADATA_KEYS) or file references (REFERENCE_KEYS)."""
    values: list[str] = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.ScalarNode):
            values.append(node.value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value in METADATA_KEYS + REFERENCE_KEYS:
                    continue
                walk(key)
                walk(value)

    for _, part in split_stories(text):
        yaml_text, body, _ = split_front_matter(part)
        node = _compose(yaml_text, "") if yaml_text is not None else None
        if node is not None:
            walk(node)
        values.append(body)
    return "\n".join(values)


def _compose(yaml_text: str, path: str) -> yaml.Node | None:
    return frontmatter.compose(yaml_text, path)


# --- front matter ------------------------------------------------------------------------

def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 2


def _text(node: yaml.Node, key: str, state: _State) -> str | None:
    """A scalar as written (``2024`` stays the text "2024"); ``null`` or empty is None."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":null"):
            return None
        return node.value.strip() or None
    state.error("M103", _line(node), f"{key} must be text")
    return None


def _texts(node: yaml.Node, key: str, state: _State) -> list[tuple[str, int]]:
    """A list of texts, or one text, with their lines."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    out = []
    for item in items:
        value = _text(item, key, state)
        if value is not None:
            out.append((value, _line(item)))
    return out


def _fields(node: yaml.Node, where: str, known: tuple[str, ...], state: _State
            ) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        state.error("M103", _line(node), f"{where} must be a mapping of {', '.join(known)}")
        return {}
    out = {}
    for key_node, value in node.value:
        key = str(key_node.value)
        if key in known:
            out[key] = value
        else:
            state.error("M102", _line(key_node),
                        f"unknown key {key!r} in {where}; known: {', '.join(known)}")
    return out


def _items(node: yaml.Node, where: str, state: _State) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    state.error("M103", _line(node), f"{where} must be a list")
    return []


def _page(node: yaml.Node, line: int, state: _State) -> PageInfo:
    p = _fields(node, "page", PAGE_KEYS, state)
    values = {k: _text(v, f"page.{k}", state) for k, v in p.items()}
    page = PageInfo(line=line, name=values.get("name"), column=values.get("column"),
                    paper=values.get("paper"))
    if values.get("date"):
        try:
            page.date = dt.date.fromisoformat(values["date"] or "").isoformat()
        except ValueError:
            state.error("M103", _line(p["date"]), "page.date must be a date: 2001-03-05")
    if values.get("number"):
        if (values["number"] or "").isdigit():
            page.number = int(values["number"] or "")
        else:
            state.error("M103", _line(p["number"]), "page.number must be a number (版次)")
    return page


def _byline(node: yaml.Node, line: int, state: _State) -> Byline:
    """``role`` and ``authors``, or ``credits`` (a list of them) when it names several roles."""
    b = _fields(node, "byline", ("role", "authors", "credits"), state)
    credits = [_credit(b, "byline", state)] if "credits" not in b else [
        _credit(_fields(item, "a byline credit", ("role", "authors"), state),
                "a byline credit", state)
        for item in _items(b["credits"], "byline.credits", state)]
    if not credits:
        return Byline(role=None, authors=[], line=line)
    return Byline(role=credits[0].role, authors=[a for c in credits for a in c.authors],
                  line=line, credits=credits if len(credits) > 1 else [])


def _credit(fields: dict[str, yaml.Node], where: str, state: _State) -> Credit:
    authors = _texts(fields["authors"], f"{where} authors", state) if "authors" in fields else []
    role = _text(fields["role"], f"{where} role", state) if "role" in fields else None
    return Credit(role=role, authors=[a for a, _ in authors])


def _signed(node: yaml.Node, where: str, state: _State) -> SignedText | None:
    f = _fields(node, where, ("paragraphs", "signature"), state)
    paragraphs = _texts(f["paragraphs"], f"{where}.paragraphs", state) if (
        "paragraphs" in f) else []
    if not paragraphs:
        state.error("M104", _line(node), f"{where} needs paragraphs")
        return None
    signature = _text(f["signature"], f"{where}.signature", state) if "signature" in f else None
    return SignedText(paragraphs=[p for p, _ in paragraphs], line=paragraphs[0][1],
                      signature=signature, lines=[ln for _, ln in paragraphs])


TOP_KEYS = ("page", "column", "kicker", "title", "subtitle", "byline", "dateline",
            "dateline_authors", "editor_note", "figures", "sidebars")
PAGE_KEYS = ("date", "number", "name", "column", "paper")


def _read_front_matter(node: yaml.Node | None, doc: Document, state: _State) -> None:
    if node is None:
        return
    f = _fields(node, "the front matter", TOP_KEYS, state)
    for key in ("column", "kicker", "title", "subtitle", "dateline"):
        if key in f:
            setattr(doc, key, _text(f[key], key, state) or ("" if key == "title" else None))
    if "dateline_authors" in f:
        doc.dateline_authors = [a for a, _ in _texts(f["dateline_authors"], "dateline_authors",
                                                     state)]
    key_lines = {str(k.value): _line(k) for k, _ in node.value}
    if "page" in f:
        doc.page = _page(f["page"], key_lines["page"], state)
    if "byline" in f:
        doc.byline = _byline(f["byline"], key_lines["byline"], state)
    if "editor_note" in f:
        doc.editor_note = _signed(f["editor_note"], "editor_note", state)
    for item in _items(f["figures"], "figures", state) if "figures" in f else []:
        g = _fields(item, "a figure", ("label", "caption", "credit", "image"), state)
        values = {k: _text(v, f"figure {k}", state) for k, v in g.items()}
        caption = values.get("caption")
        if not caption:
            state.error("M104", _line(item), "a figure needs a caption")
            continue
        doc.figures.append(Figure(label=values.get("label") or "", caption=caption,
                                  line=_line(item), credit=values.get("credit"),
                                  image=values.get("image")))
    for item in _items(f["sidebars"], "sidebars", state) if "sidebars" in f else []:
        s = _fields(item, "a sidebar", ("title", "entries"), state)
        title = _text(s["title"], "sidebar title", state) if "title" in s else None
        if not title:
            state.error("M104", _line(item), "a sidebar needs a title")
            continue
        sidebar = Sidebar(title=title, line=_line(item))
        for entry in _items(s["entries"], "sidebar entries", state) if "entries" in s else []:
            signed = _signed(entry, "a sidebar entry", state)
            if signed:
                sidebar.entries.append(signed)
        doc.sidebars.append(sidebar)


# --- body --------------------------------------------------------------------------------

_UNSUPPORTED = {
    "bullet_list_open": "a list", "ordered_list_open": "a list", "blockquote_open": "a quote",
    "code_block": "an indented code block", "fence": "a code block", "hr": "a rule",
}


def _read_body(body: str, doc: Document, state: _State) -> None:
    md = parser()
    tokens = md.parse(body)
    blocks = doc.lead
    previous = ""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        line = (tok.map[0] if tok.map else 0) + 1 + state.offset
        if tok.type == "heading_open":
            text = _inline_text(md, tokens[i + 1].content, line, state)
            if tok.tag == "h2":
                section = Section(title=text, subtitle=None, line=line)
                doc.sections.append(section)
                blocks = section.blocks
            elif tok.tag == "h1" and not doc.title and not doc.sections and not doc.lead:
                doc.title = text
            elif tok.tag == "h1":
                state.error("M203", line, "a second title: the title is set once, in the "
                            "front matter (title:) or as a first '# ' heading")
            else:
                state.error("M204", line, f"{tok.markup} heading: '## ' starts a section; its "
                            "subtitle is an italic paragraph right below it")
            previous = tok.tag
            i += 3
        elif tok.type == "paragraph_open":
            inline = tokens[i + 1]
            if previous == "h2" and _is_emphasis_only(inline):
                doc.sections[-1].subtitle = _inline_text(md, inline.content[1:-1], line, state)
            else:
                blocks.append(_block(md, inline.content, line, state))
            previous = "p"
            i += 3
        else:
            what = _UNSUPPORTED.get(tok.type, tok.type)
            state.error("M205", line, f"{what} has no place in an article; write paragraphs "
                        "(figures and sidebars go in the front matter)")
            i = _skip(tokens, i)
            previous = ""


def _skip(tokens: list[Token], i: int) -> int:
    """The index after the block opened at ``i`` (its closing token included)."""
    depth = 0
    while True:
        depth += tokens[i].nesting
        i += 1
        if depth <= 0:
            return i


def _is_emphasis_only(inline: Token) -> bool:
    children = inline.children or []
    return (len(children) >= 3 and children[0].type == "em_open"
            and children[-1].type == "em_close"
            and sum(c.type == "em_open" for c in children) == 1)


def _block(md: MarkdownIt, content: str, line: int, state: _State) -> Block:
    m = _RUN_IN.match(content)
    if m is None:
        return Block("paragraph", _inline_text(md, content, line, state), line)
    bold = _inline_text(md, m.group("bold"), line, state)
    rest = _inline_text(md, m.group("rest").strip(), line, state)
    if not rest:
        return Block("lead_in", bold, line)
    speaker = bold.removesuffix("：")
    if speaker != bold and 0 < len(speaker) <= SPEAKER_MAX:
        if speaker in QUESTIONERS:
            return Block("question", rest, line, speaker=speaker)
        return Block("answer", rest, line, speaker=speaker)
    return Block("paragraph", rest, line, run_in=bold)


def _inline_text(md: MarkdownIt, source: str, line: int, state: _State) -> str:
    """Plain text of inline Markdown; styles the model cannot keep are reported."""
    parts: list[str] = []
    dropped: set[str] = set()
    tokens = md.parseInline(source)[0].children or [] if source else []
    handlers: dict[str, Callable[[Token], None]] = {
        "text": lambda t: parts.append(t.content),
        "code_inline": lambda t: parts.append(t.content),
        "softbreak": lambda t: parts.append("\n"),
        "hardbreak": lambda t: parts.append("\n"),
    }
    for tok in tokens:
        if tok.type in handlers:
            handlers[tok.type](tok)
        elif tok.type == "image":
            state.error("M205", line, "an image in the text: photos are figures in the "
                        "front matter (figures: - label, caption, image)")
        elif tok.type.endswith("_open"):
            dropped.add({"em_open": "italics", "strong_open": "bold",
                         "link_open": "a link target"}.get(tok.type, tok.type))
    for what in sorted(dropped):
        state.warn("M301", line, f"{what} dropped: the article model keeps plain text only")
    return _join_lines("".join(parts))


def _join_lines(text: str) -> str:
    """Join wrapped lines: a space between Latin letters or digits, nothing in Chinese."""
    pieces = text.split("\n")
    out = pieces[0]
    for piece in pieces[1:]:
        if out and piece and _LATIN.match(out[-1]) and _LATIN.match(piece[0]):
            out += " "
        out += piece
    return out.strip()
