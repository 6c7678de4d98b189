"""Script conversion: the whole document model from Simplified to Traditional Chinese.

One model -> model transform, applied once before the writers, so the PDF, the EPUB and
the HTML are set from the same converted text and no writer knows about scripts.
OpenCC converts phrase by phrase (发展 -> 發展, 头发 -> 頭髮, 干部 -> 幹部), in the
common Traditional standard or the Taiwan or Hong Kong variant forms.  Its conversions
map one character to one character, so every Han character of the source keeps a
counterpart: the fidelity checks count characters through the same conversion.  The
fonts follow the script: Traditional text is set in the Taiwan or Hong Kong faces.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
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
# Simplified-Chinese font families -> (Taiwan, Hong Kong) ones: the same design with the
# Traditional glyph forms and centred punctuation of those regions.  LXGW WenKai draws
# mainland forms; AR PL UKai TW/HK are the Traditional Kai (Debian fonts-arphic-ukai).
TRADITIONAL_FAMILIES = {
    "Noto Serif CJK SC": ("Noto Serif CJK TC", "Noto Serif CJK HK"),
    "Noto Sans CJK SC": ("Noto Sans CJK TC", "Noto Sans CJK HK"),
    "Source Han Serif SC": ("Source Han Serif TC", "Source Han Serif HK"),
    "Source Han Sans SC": ("Source Han Sans TC", "Source Han Sans HK"),
    "LXGW WenKai": ("AR PL UKai TW", "AR PL UKai HK"),
    "AR PL UKai CN": ("AR PL UKai TW", "AR PL UKai HK"),
    # e-readers' own (Apple, Windows)
    "Songti SC": ("Songti TC", "Songti TC"),
    "STSong": ("Songti TC", "Songti TC"),
    "SimSun": ("PMingLiU", "MingLiU_HKSCS"),
    "PingFang SC": ("PingFang TC", "PingFang HK"),
    "Heiti SC": ("Heiti TC", "Heiti TC"),
    "Microsoft YaHei": ("Microsoft JhengHei", "Microsoft JhengHei"),
    "Kaiti SC": ("Kaiti TC", "Kaiti TC"),
    "STKaiti": ("Kaiti TC", "Kaiti TC"),
    "KaiTi": ("DFKai-SB", "DFKai-SB"),
}
# Kept after their counterpart: a Kai that has the characters the regional Kai lack
# (OpenCC's 爲 in UKai TW, 説 in UKai HK), so that they are not set in the Song.
FALLBACK_AFTER = {"LXGW WenKai"}
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


def script_families(names: Iterable[str], script: str | None) -> list[str]:
    """Font families for text in ``script``: each Simplified-Chinese family named by its
    Taiwan or Hong Kong counterpart (None leaves them)."""
    if not script:
        return list(names)
    region = 1 if script == "traditional-hk" else 0
    out: list[str] = []
    for name in names:
        counterpart = TRADITIONAL_FAMILIES.get(name)
        if counterpart:
            out.append(counterpart[region])
        if not counterpart or name in FALLBACK_AFTER:
            out.append(name)
    return list(dict.fromkeys(out))


def convert_settings(settings: Settings) -> Settings:
    """``settings`` for a build in their script: the texts the page prints besides the
    article's (the paper's name, the date, the section in the running heads) converted,
    and the style's fonts those of the script, which the glyph check (G101), the print
    and the EPUB all use."""
    publication, style = settings.publication, settings.design.style
    if not publication.script:
        return settings
    convert = converter(publication.script).convert
    fonts = {role: tuple(script_families(names, publication.script))
             for role, names in style.fonts.items()}
    return dataclasses.replace(
        settings,
        publication=dataclasses.replace(
            publication, paper=convert(publication.paper),
            issue_date=convert(publication.issue_date) if publication.issue_date else None,
            section_name=convert(publication.section_name) if publication.section_name
            else None),
        design=dataclasses.replace(settings.design,
                                   style=dataclasses.replace(style, fonts=fonts)))


def for_script(doc: Document, settings: Settings) -> tuple[Document, Settings]:
    """The document and settings a build or preview in ``settings``' script sets: every
    text, the page's own texts and the fonts converted (unchanged for Simplified)."""
    if not settings.publication.script:
        return doc, settings
    return convert_document(doc, settings.publication.script), convert_settings(settings)


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
