"""Fonts of the EPUB: one face per typographic role, optionally embedded as a subset.

A role (body, heading, note) is a set of CSS selectors and the style's font families for
it.  The stylesheet sets ``font-family`` only through these roles, so the text each role
styles can be found by matching the same selectors against the finished documents (the
cascade for one inherited property: the most specific, then the last, matching rule of
the nearest element that has one wins).  ``--embed-fonts`` subsets the first installed
family of each role to exactly those characters with HarfBuzz's subsetter (uharfbuzz).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import cssselect2
import uharfbuzz as hb
from lxml import etree
from markupsafe import Markup

from .. import fontfiles
from ..errors import LayoutError
from ..glyphs import FontconfigMissing
from ..model import Diagnostic
from ..settings import Style
from ..transforms.script import script_families
from .templating import css_string

GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
# OpenType features kept for CJK text: locale forms, half-width punctuation (used by
# text-spacing-trim) and vertical forms.
CJK_FEATURES = ["locl", "halt", "palt", "chws", "vhal", "vpal", "vert", "vrt2"]


# The selectors the stylesheet (templates/epub/style.css.j2) sets bold, and the elements
# browsers set bold by default; tests/test_epub_fonts.py keeps the two in step.
BOLD_SELECTORS = (".column-label", ".kicker", "h1", "h2", "h3", ".section-subtitle",
                  ".run-in", ".dateline", ".label", "strong", "b")


@dataclass(frozen=True)
class Role:
    """A typographic role: which elements it styles and the families to use."""

    name: str
    style_key: str  # the style.toml [fonts] entry
    weight: str  # "normal" or "bold": the role's main weight (the cover draws it so)
    selectors: tuple[str, ...]
    reader_fallbacks: tuple[str, ...]  # families e-readers commonly have
    generic: str


# In cascade order: for equally specific selectors the later role wins, as in the CSS.
ROLES = (
    Role("body", "body", "normal", ("body",),
         ("Source Han Serif SC", "Songti SC", "STSong", "SimSun"), "serif"),
    Role("note", "note", "normal",
         (".byline", ".subtitle", ".section-subtitle", ".editor-note", ".caption", "figcaption",
          ".sidebar", ".credit"),
         ("Kaiti SC", "STKaiti", "KaiTi"), "serif"),
    Role("heading", "heading", "bold",
         (".column-label", ".kicker", "h1", "h2", "h3", ".run-in", ".dateline", ".label",
          "nav"),
         ("Source Han Sans SC", "PingFang SC", "Heiti SC", "Microsoft YaHei"), "sans-serif"),
)


@dataclass(frozen=True)
class Face:
    """An embedded subset font."""

    role: str
    family: str  # the @font-face family name
    source_family: str  # the installed family it was cut from
    file_name: str  # inside the EPUB, relative to the stylesheet
    media_type: str
    data: bytes
    weight: str
    characters: str  # what it was subset to

    @property
    def css_format(self) -> str:
        return "opentype" if self.media_type == "font/otf" else "truetype"


def families(role: Role, style: Style, script: str | None = None) -> list[str]:
    """The role's families: the style's first choice, the faces e-readers commonly have
    for the role (those for ``script``'s text), then the style's other choices (the
    generic family is added last)."""
    chosen = [f for f in style.fonts.get(role.style_key, ()) if f not in GENERIC]
    return list(dict.fromkeys([*chosen[:1], *script_families(role.reader_fallbacks, script),
                               *chosen[1:]]))


def family_css(names: Iterable[str], generic: str) -> Markup:
    return Markup(", ".join([css_string(n) for n in names] + [generic]))


def role_texts(documents: Iterable[etree._Element]) -> dict[tuple[str, str], str]:
    """The characters each role styles in ``documents`` (XHTML roots), by weight, sorted:
    ``{(role, "normal"|"bold"): characters}``."""
    matcher = cssselect2.Matcher()
    for order, role in enumerate(ROLES):
        for selector in cssselect2.compile_selector_list(", ".join(role.selectors)):
            matcher.add_selector(selector, (order, role.name))
    bold = cssselect2.Matcher()
    for selector in cssselect2.compile_selector_list(", ".join(BOLD_SELECTORS)):
        bold.add_selector(selector, True)
    found: dict[tuple[str, str], set[str]] = {}

    def visit(element: cssselect2.ElementWrapper, inherited: str, heavy: bool) -> None:
        matches = matcher.match(element)
        role = max(((m[0], m[1], m[3]) for m in matches), default=None)
        own = role[2][1] if role else inherited
        heavy = heavy or bool(bold.match(element))
        chars = found.setdefault((own, "bold" if heavy else "normal"), set())
        chars.update(element.etree_element.text or "")
        for child in element.iter_children():
            visit(child, own, heavy)
            chars.update(child.etree_element.tail or "")

    for root in documents:
        body = root.find("{http://www.w3.org/1999/xhtml}body")
        wrapper = cssselect2.ElementWrapper.from_xml_root(root)
        for element in wrapper.iter_subtree():
            if element.etree_element is body:
                visit(element, ROLES[0].name, False)
                break
    texts = {key: "".join(sorted(ch for ch in chars if ch.isprintable()))
             for key, chars in found.items()}
    return {key: chars for key, chars in sorted(texts.items()) if chars.strip()}


def embed(style: Style, texts: dict[tuple[str, str], str], script: str | None = None
          ) -> tuple[list[Face], list[Diagnostic]]:
    """Subset the first installed family of each role, in each weight it is used in, to
    the characters it styles.  A family without a real bold face gets none: readers
    embolden the regular face, as they would an installed font."""
    faces: list[Face] = []
    diagnostics: list[Diagnostic] = []
    for role in ROLES:
        used = {w: texts.get((role.name, w), "") for w in ("normal", "bold")}
        if not any(used.values()):
            continue
        names = families(role, style, script)
        located = {w: next(filter(None, (locate(n, w) for n in names)), None)
                   for w in ("normal", "bold")}
        if located["normal"] is None or located["bold"] is None:
            raise LayoutError("B311", f"--embed-fonts: none of the {role.name} fonts "
                              f"({', '.join(names)}) is installed", exit_code=3)
        if located["bold"][1:] == located["normal"][1:] or located["bold"][0] != (
                located["normal"][0]):
            used = {"normal": "".join(sorted(set(used["normal"] + used["bold"]))), "bold": ""}
        for weight, chars in used.items():
            if not chars:
                continue
            family, path, index = located[weight]  # type: ignore[misc]
            face, missing = _subset(role, weight, family, path, index, chars)
            if missing:
                diagnostics.append(Diagnostic(
                    "B312", 1, f"font {family!r} ({weight}) has no glyph for {missing!r}; "
                    "readers will take these characters from another font", "warning"))
            faces.append(face)
    return faces, diagnostics


def locate(family: str, weight: str) -> tuple[str, str, int] | None:
    """(family, file, index in a collection) of an installed font, via fontconfig."""
    try:
        return fontfiles.locate(family, weight)
    except FontconfigMissing as exc:
        raise LayoutError("B311", f"--embed-fonts needs fontconfig's {exc}",
                          exit_code=3) from None


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("ascii"), "big")


def _subset(role: Role, weight: str, family: str, path: str, index: int, chars: str
            ) -> tuple[Face, str]:
    """The face subset with HarfBuzz's subsetter (a CJK face in ~0.1 s; fontTools took
    ~1 s), keeping the layout features CJK text uses and every name (copyright, license)."""
    try:
        face = hb.Face(hb.Blob.from_file_path(path), index)
    except (OSError, hb.HarfBuzzError) as exc:
        raise LayoutError("B311", f"cannot read font: {exc}", path, exit_code=3) from None
    if not face.glyph_count:
        raise LayoutError("B311", "cannot read font: no OpenType glyphs in it", path,
                          exit_code=3)
    os2 = face.reference_table("OS/2").data
    if len(os2) >= 10 and int.from_bytes(os2[8:10], "big") & 0x000F == 0x0002:
        raise LayoutError("B313", f"the license of {family!r} does not allow embedding "
                          "(OS/2 fsType: restricted)", path, exit_code=3)
    mapped = face.unicodes
    present = "".join(ch for ch in chars if ord(ch) in mapped)
    missing = "".join(ch for ch in chars if ord(ch) not in mapped)
    keep = hb.SubsetInput()
    keep.sets(hb.SubsetInputSets.UNICODE).update(ord(ch) for ch in present)
    keep.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG).update(_tag(f) for f in CJK_FEATURES)
    keep.sets(hb.SubsetInputSets.NAME_ID).invert()  # every name: copyright and license
    keep.sets(hb.SubsetInputSets.NAME_LANG_ID).invert()
    keep.sets(hb.SubsetInputSets.DROP_TABLE_TAG).add(_tag("FFTM"))  # FontForge's build time
    keep.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    cut = hb.subset(face, keep)
    if cut is None:
        raise LayoutError("B311", f"HarfBuzz could not subset {family!r}", path, exit_code=3)
    data = cut.blob.data
    cff = bool({"CFF ", "CFF2"} & set(cut.table_tags))
    face_out = Face(role=role.name, family=f"{family} Subset", source_family=family,
                    file_name=f"fonts/{role.name}-{weight}.{'otf' if cff else 'ttf'}",
                    media_type="font/otf" if cff else "font/ttf", data=data,
                    weight=weight, characters=present)
    return face_out, missing
