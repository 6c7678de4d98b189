"""Build settings and styles: one validated, immutable description of a build."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .colors import Cmyk, parse_colors
from .errors import LayoutError
from .sandbox import inside

PACKAGE_DIR = Path(__file__).resolve().parent
# Styles shipped with the package: the repository's top-level styles/ folder, which
# src/layout/styles links to so that a wheel carries it as package data.
BUILTIN_STYLES = (PACKAGE_DIR / "styles").resolve()
PACKAGE_TEMPLATES = PACKAGE_DIR / "templates"


@dataclass(frozen=True)
class PagePreset:
    name: str
    width: float
    height: float
    margin: tuple[float, float, float, float]
    columns: int
    body_size: float
    leading: float
    headline_size: float
    min_headline_size: float | None = None  # headline fitting: smallest size (pt)
    gutter: float = 4.5  # mm between columns (the grid: layout.makeup.grid)
    # Copyfit limits (``--fit-pages``); unset means the size may not change that way.
    min_body_size: float | None = None
    max_body_size: float | None = None
    min_leading: float | None = None
    max_leading: float | None = None  # the make-up may loosen the leading this far

    @classmethod
    def from_table(cls, name: str, table: dict[str, Any], where: str) -> PagePreset:
        try:
            margin = tuple(float(m) for m in table["margin"])
            if len(margin) != 4:
                raise ValueError("margin needs 4 values (top, right, bottom, left)")
            return cls(
                name=name,
                width=float(table["width"]),
                height=float(table["height"]),
                margin=margin,
                columns=int(table["columns"]),
                body_size=float(table["body_size"]),
                leading=float(table["leading"]),
                headline_size=float(table["headline_size"]),
                gutter=float(table.get("gutter", 4.5)),
                min_headline_size=_optional_float(table, "min_headline_size"),
                min_body_size=_optional_float(table, "min_body_size"),
                max_body_size=_optional_float(table, "max_body_size"),
                min_leading=_optional_float(table, "min_leading"),
                max_leading=_optional_float(table, "max_leading"),
            )._checked()
        except (KeyError, TypeError, ValueError) as exc:
            raise LayoutError("S102", f"page preset {name!r} is invalid: {exc}", where,
                              exit_code=2) from None

    def _checked(self) -> PagePreset:
        if not (self.min_body_size or self.body_size) <= self.body_size <= (
                self.max_body_size or self.body_size):
            raise ValueError("body_size must lie between min_body_size and max_body_size")
        if self.min_leading is not None and self.min_leading > self.leading:
            raise ValueError("min_leading must not exceed leading")
        return self

    @property
    def type_width(self) -> float:
        return self.width - self.margin[1] - self.margin[3]


@dataclass(frozen=True)
class Style:
    name: str
    folders: tuple[Path, ...]  # most specific first: a project's override, then the base
    pages: dict[str, PagePreset]
    default_page: str
    fonts: dict[str, tuple[str, ...]]
    colors: dict[str, Cmyk] = field(default_factory=dict)  # name -> CMYK per cent
    makeup: dict[str, Any] = field(default_factory=dict)  # [makeup]: layout.makeup.style

    def find(self, relative: str) -> Path | None:
        for folder in self.folders:
            candidate = folder / relative
            if candidate.is_file():
                return candidate
        return None

    def template_dirs(self) -> list[Path]:
        return [f / "templates" for f in self.folders if (f / "templates").is_dir()]

    def preset(self, name: str | None) -> PagePreset:
        key = name or self.default_page
        if key not in self.pages:
            raise LayoutError(
                "S103", f"unknown page preset {key!r}; style {self.name!r} has: "
                + ", ".join(sorted(self.pages)), exit_code=2)
        return self.pages[key]


def style_search_path(project_dir: Path | None) -> list[Path]:
    dirs = []
    if project_dir is not None:
        dirs.append(project_dir / "styles")
    dirs.append(BUILTIN_STYLES)
    return dirs


def load_style(name: str, project_dir: Path | None = None) -> Style:
    """Load style ``name``.

    A folder of the same name earlier on the search path overrides single files; a style
    whose style.toml says ``extends = "base"`` takes every file it lacks from that base.
    """
    folders, merged = _style_tables(name, project_dir, ())
    where = str(folders[0] / "style.toml")
    pages = {k: PagePreset.from_table(k, v, where) for k, v in merged.get("pages", {}).items()}
    if not pages:
        raise LayoutError("S102", "style defines no page presets", where, exit_code=2)
    default_page = merged.get("default_page", next(iter(pages)))
    fonts = {role: tuple(v) for role, v in merged.get("fonts", {}).items()}
    colors = parse_colors(merged.get("colors", {}), where)
    return Style(name=name, folders=tuple(folders), pages=pages, default_page=default_page,
                 fonts=fonts, colors=colors, makeup=dict(merged.get("makeup", {})))


def _style_folders(name: str, project_dir: Path | None, where: str) -> list[Path]:
    """The folders of style ``name`` on the search path, most specific first.

    A style is named, never given as a path: ``extends = "/some/dir"`` or ``"../x"`` would
    add that folder to what the renderer may read.  A style folder that is a symlink
    leading out of its ``styles/`` folder is refused for the same reason (U109).
    """
    if not name or name.startswith(".") or any(c in name for c in "/\\\0"):
        raise LayoutError("U109", f"style {name!r} refused: name a built-in style or a folder "
                          "in the project's styles/", where, exit_code=2)
    folders = []
    for styles in style_search_path(project_dir):
        folder = styles / name
        if folder.is_dir():
            if not inside(folder, [styles]):
                raise LayoutError("U109", f"style folder {folder} refused: it leads outside "
                                  f"{styles}", where, exit_code=2)
            folders.append(folder)
    return folders


def _style_tables(name: str, project_dir: Path | None, seen: tuple[str, ...],
                  where: str = "") -> tuple[list[Path], dict[str, Any]]:
    """The folders of ``name`` then of its bases (most specific first), and merged settings.

    ``where`` is the style.toml that names ``name`` (empty for the style chosen to build).
    """
    if name in seen:
        raise LayoutError("S104", "styles extend each other: " + " -> ".join((*seen, name)),
                          exit_code=2)
    folders = _style_folders(name, project_dir, where)
    if not folders:
        raise LayoutError("S101", f"unknown style {name!r}", exit_code=2)
    merged: dict[str, Any] = {}
    for folder in reversed(folders):  # base first, overrides last
        toml_path = folder / "style.toml"
        if toml_path.is_file():
            try:
                data = tomllib.loads(toml_path.read_text("utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise LayoutError("S100", f"invalid TOML: {exc}", str(toml_path),
                                  exit_code=2) from None
            _deep_merge(merged, data)
    base = merged.pop("extends", None)
    if base is None:
        return folders, merged
    if not isinstance(base, str):
        raise LayoutError("S102", "extends must be a style name", str(folders[0] / "style.toml"),
                          exit_code=2)
    base_folders, inherited = _style_tables(base, project_dir, (*seen, name),
                                            str(folders[0] / "style.toml"))
    _deep_merge(inherited, merged)
    return folders + base_folders, inherited


def _optional_float(table: dict[str, Any], key: str) -> float | None:
    return float(table[key]) if key in table else None


def _deep_merge(into: dict[str, Any], new: dict[str, Any]) -> None:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _deep_merge(into[key], value)
        else:
            into[key] = value


@dataclass(frozen=True)
class Publication:
    """What is published: the paper, the issue, the page numbers, the language."""

    paper: str = "人民日报"
    publisher: str = "人民日报"  # the paper publishes its articles unless told otherwise
    language: str = "zh-Hans"  # BCP 47
    issue_date: str | None = None
    issue_number: int | None = None
    folio: int = 1  # the 版次 of the first page
    section_name: str | None = None  # the page's theme in the running head
    rights: str | None = None  # EPUB dc:rights ([paper] rights)
    certified_by: str | None = None  # who certified the EPUB's accessibility, if anyone
    script: str | None = None  # transforms.script.SCRIPTS: set in Traditional Chinese

    def __post_init__(self) -> None:
        if self.folio < 1:
            raise LayoutError("S105", f"the folio must be 1 or more, not {self.folio}",
                              exit_code=2)
        if not self.paper.strip():
            raise LayoutError("S105", "the paper's name is empty", exit_code=2)


@dataclass(frozen=True)
class Design:
    """How it looks: the style and its page preset (whose sizes copyfit may change)."""

    style: Style
    page: PagePreset


@dataclass(frozen=True)
class RunOptions:
    """How this run builds: flags of the command line, not of the publication."""

    strict: bool = False  # warnings are errors
    typeset: bool = True  # the Chinese typesetting layer (layout.typeset)
    bleed_mm: float = 0.0
    marks: tuple[str, ...] = ()
    pdf_variant: str | None = None
    icc: str | None = None  # the printer's CMYK output profile (default: ghostscript's)
    embed_fonts: bool = False  # EPUB: embed fonts subset to the characters used
    epub_image_max: int = 2048  # EPUB: the long edge of a photo, in pixels
    cover: str = "typographic"  # EPUB: "print" adds the print page after the cover
    vertical: bool = False  # EPUB: vertical text, pages turning right to left

    def __post_init__(self) -> None:
        if self.bleed_mm < 0:
            raise LayoutError("S106", f"the bleed cannot be negative ({self.bleed_mm:g} mm)",
                              exit_code=2)


@dataclass(frozen=True)
class Settings:
    """Everything a build needs besides the source, in three validated parts."""

    publication: Publication
    design: Design
    run: RunOptions = field(default_factory=RunOptions)

    @classmethod
    def default(cls, style: str = "newspaper", page: str | None = None) -> Settings:
        """A built-in style's settings with every other part at its default."""
        loaded = load_style(style)
        return cls(Publication(), Design(loaded, loaded.preset(page)))

    def with_page(self, page: PagePreset) -> Settings:
        return dataclasses.replace(self, design=dataclasses.replace(self.design, page=page))
