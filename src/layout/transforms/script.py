"""Script conversion: the whole document model from Simplified to Traditional Chinese.

One model -> model transform, applied once before the writers, so the PDF, the EPUB and
the HTML are set from the same converted text and no writer knows about scripts.
OpenCC converts phrase by phrase (发展 -> 發展, 头发 -> 頭髮, 干部 -> 幹部), in the
common Traditional standard or the Taiwan or Hong Kong variant forms.  Its conversions
map one character to one character, so every Han character of the source keeps a
counterpart: the fidelity checks count characters through the same conversion.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import TYPE_CHECKING, Any

from ..model import Diagnostic, Document
from ..settings import Settings

# --script value -> (OpenCC configuration, BCP 47 language tag of the output)
SCRIPTS = {
    "traditional": ("s2t", "zh-Hant"),
    "traditional-tw": ("s2tw", "zh-Hant-TW"),
    "traditional-hk": ("s2hk", "zh-Hant-HK"),
}
# Fields that hold no running text: file names, kinds, source paths.
NOT_TEXT = {"image", "type", "source", "code", "severity"}


if TYPE_CHECKING:
    import opencc


@cache
def converter(script: str) -> opencc.OpenCC:
    import opencc  # 45 ms: only when a build or check converts

    return opencc.OpenCC(f"{SCRIPTS[script][0]}.json")


def language(script: str) -> str:
    return SCRIPTS[script][1]


def script_of(language_tag: str | None) -> str | None:
    """The --script a build used, from its output's language tag (None: Simplified)."""
    return next((s for s, (_, tag) in SCRIPTS.items() if tag == language_tag), None)


def convert_text(text: str, script: str) -> str:
    return converter(script).convert(text)


def in_script(text: str, script: str | None) -> str:
    """``text`` (the program's own Simplified words) in ``script``; None leaves it."""
    return convert_text(text, script) if script else text


def convert_page_texts(settings: Settings) -> Settings:
    """``settings`` with the texts the page prints besides the article's (the paper's
    name, the date, the section in the running heads) in its script."""
    publication = settings.publication
    if not publication.script:
        return settings
    convert = converter(publication.script).convert
    return dataclasses.replace(settings, publication=dataclasses.replace(
        publication, paper=convert(publication.paper),
        issue_date=convert(publication.issue_date) if publication.issue_date else None,
        section_name=convert(publication.section_name) if publication.section_name else None))


def convert_document(doc: Document, script: str) -> Document:
    """A copy of ``doc`` with every text converted; diagnostics and file names kept."""
    convert = converter(script).convert

    def walk(value: Any, field: str = "") -> Any:
        if isinstance(value, str):
            return value if field in NOT_TEXT else convert(value)
        if isinstance(value, Diagnostic):
            return value
        if isinstance(value, list):
            return [walk(v, field) for v in value]
        if isinstance(value, tuple):
            return tuple(walk(v, field) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(value, **{
                f.name: walk(getattr(value, f.name), f.name)
                for f in dataclasses.fields(value) if f.init})
        return value

    return walk(doc)
