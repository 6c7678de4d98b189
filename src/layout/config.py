"""The project file ``layout.toml``: read once, validated in one place, immutable.

Every problem is collected and reported together, one line each, as
``layout.toml:LINE: CODE key: message``.  tomllib gives no positions, so a key's line is
found by scanning the file text for its table and assignment (good enough for the flat
files ``layout init`` writes).  Command-line flags override what the file says.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import LayoutError
from .readers import source_suffixes
from .settings import Design, Publication, RunOptions, Settings, load_style
from .transforms.script import SCRIPTS
from .transforms.script import language as script_language

CONFIG_NAME = "layout.toml"
FORMATS = ("pdf", "epub", "html", "kepub")  # the outputs a build can write
DEFAULT_FORMATS = ("pdf", "epub", "html")  # what it writes unless told (kepub: by name)
FONT_ROLES = ("body", "heading", "note")


@dataclass(frozen=True)
class Edition:
    """Several articles set as one publication, in the order given."""

    name: str
    title: str | None
    articles: tuple[Path, ...]  # the project folder joined with each path in the file


@dataclass(frozen=True)
class Config:
    root: Path  # the project folder; relative paths in the file are relative to it
    path: Path | None = None  # None: no layout.toml, built-in defaults
    paper: str = "人民日报"
    publisher: str = "人民日报"  # the paper publishes its articles unless [paper] says otherwise
    rights: str | None = None
    certified_by: str | None = None
    language: str = "zh-Hans"
    script: str | None = None  # Traditional Chinese for every output, as --script
    issue_date: str | None = None
    issue_number: int | None = None
    style: str = "newspaper"
    page: str | None = None
    fonts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    formats: tuple[str, ...] = DEFAULT_FORMATS
    output: Path = Path("build")
    edition: Edition | None = None

    def settings(self, *, style: str | None = None, page: str | None = None,
                 paper: str | None = None, issue_date: str | None = None,
                 publisher: str | None = None, folio: int = 1, script: str | None = None,
                 run: RunOptions | None = None) -> Settings:
        """Settings from this configuration; a non-None argument (a flag) overrides it."""
        script = script or self.script
        loaded = load_style(style or self.style, self.root)
        if self.fonts:
            loaded = dataclasses.replace(loaded, fonts={**loaded.fonts, **self.fonts})
        publication = Publication(
            paper=paper or self.paper, publisher=publisher or self.publisher,
            language=script_language(script) if script else self.language,
            issue_date=issue_date or self.issue_date, issue_number=self.issue_number,
            folio=folio, rights=self.rights, certified_by=self.certified_by, script=script)
        return Settings(publication, Design(loaded, loaded.preset(page or self.page)),
                        run or RunOptions())


class ConfigError(LayoutError):
    """All problems of one configuration file; ``str()`` gives one line per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("C100", f"{len(lines)} problem(s) in the configuration", exit_code=2)
        self.lines = lines

    def __str__(self) -> str:
        return "\n".join(self.lines)


# --- the schema: table -> key -> (check, expected) --------------------------------------

Check = Callable[[Any], bool]


def _is_str(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_str_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(_is_str(x) for x in v)


def _is_script(v: Any) -> bool:
    return isinstance(v, str) and v in SCRIPTS


def _is_date(v: Any) -> bool:
    return _is_str(v) or (isinstance(v, dt.date) and not isinstance(v, dt.datetime))


SCHEMA: dict[str, dict[str, tuple[Check, str]]] = {
    "paper": {"name": (_is_str, "a string"), "publisher": (_is_str, "a string"),
              "language": (_is_str, "a language tag such as zh-Hans"),
              "script": (_is_script, "one of " + ", ".join(SCRIPTS)),
              "rights": (_is_str, "a string"), "certified_by": (_is_str, "a string")},
    "issue": {"date": (_is_date, "a date (2023-03-05) or a string"),
              "number": (_is_int, "an integer")},
    "style": {"name": (_is_str, "a style name"), "page": (_is_str, "a page preset name")},
    "fonts": {role: (_is_str_list, "a list of font family names") for role in FONT_ROLES},
    "output": {"formats": (_is_str_list, "a list of formats"), "dir": (_is_str, "a folder")},
    "edition": {"name": (_is_str, "a file name without suffix"), "title": (_is_str, "a string"),
                "articles": (_is_str_list, "a list of source files")},
}


class _Problems:
    """Problems found so far, each tied to a key of the file."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text
        self.found: list[tuple[int, str]] = []

    def add(self, key: tuple[str, ...], code: str, message: str, value: str | None = None
            ) -> None:
        line = key_line(self.text, key, value)
        self.found.append((line, f"{self.path}:{line}: {code} {'.'.join(key)}: {message}"))

    def raise_if_any(self) -> None:
        if self.found:
            raise ConfigError([m for _, m in sorted(self.found, key=lambda f: f[0])])


def load_config(root: Path, path: Path | None = None) -> Config:
    """Read ``path`` (default ``root/layout.toml``); no file gives the built-in defaults.

    Paths in the file are relative to its folder, which is the project's root.
    """
    if path is not None:
        if not path.is_file():
            raise LayoutError("C100", "configuration not found", str(path), exit_code=2)
        root = path.parent
    path = path or root / CONFIG_NAME
    if not path.is_file():
        return Config(root=root)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LayoutError("C100", f"cannot read the configuration: {exc}", str(path),
                          exit_code=2) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        raise LayoutError("C100", f"invalid TOML: {str(exc).split(' (at line')[0]}", str(path),
                          int(m.group(1)) if m else None, exit_code=2) from None
    problems = _Problems(path, text)
    tables = _check_shape(data, problems)
    config = _make_config(root, path, tables, problems)
    problems.raise_if_any()
    return config


def _check_shape(data: dict[str, Any], problems: _Problems) -> dict[str, dict[str, Any]]:
    """Unknown tables and keys, wrong types; returns the well-typed values only."""
    tables: dict[str, dict[str, Any]] = {}
    for name, table in data.items():
        if name not in SCHEMA:
            problems.add((name,), "C101", "unknown key; known tables: " + ", ".join(SCHEMA))
            continue
        if not isinstance(table, dict):
            problems.add((name,), "C102", f"must be a table ([{name}])")
            continue
        good = tables.setdefault(name, {})
        for key, value in table.items():
            spec = SCHEMA[name].get(key)
            if spec is None:
                problems.add((name, key), "C101",
                             "unknown key; known keys: " + ", ".join(SCHEMA[name]))
            elif not spec[0](value):
                problems.add((name, key), "C102", f"must be {spec[1]}, not {value!r}")
            else:
                good[key] = value
    return tables


def _make_config(root: Path, path: Path, t: dict[str, dict[str, Any]],
                 problems: _Problems) -> Config:
    paper, issue, style_t = t.get("paper", {}), t.get("issue", {}), t.get("style", {})
    language = paper.get("language", "zh-Hans")
    date = issue.get("date")
    if isinstance(date, dt.date):
        date = f"{date.year}年{date.month}月{date.day}日" if language.startswith("zh") else (
            date.isoformat())
    formats = tuple(t.get("output", {}).get("formats", DEFAULT_FORMATS))
    for bad in (f for f in formats if f not in FORMATS):
        problems.add(("output", "formats"), "C105",
                     f"unknown format {bad!r}; choose from {', '.join(FORMATS)}", bad)
    style_name = style_t.get("name", "newspaper")
    page = style_t.get("page")
    try:
        style = load_style(style_name, root)
    except LayoutError as exc:
        problems.add(("style", "name"), "C103", exc.message)
    else:
        if page is not None and page not in style.pages:
            problems.add(("style", "page"), "C104",
                         f"unknown page preset {page!r}; style {style_name!r} has: "
                         + ", ".join(sorted(style.pages)))
    return Config(
        root=root, path=path, paper=paper.get("name", "人民日报"),
        publisher=paper.get("publisher", paper.get("name", "人民日报")), language=language,
        script=paper.get("script"),
        rights=paper.get("rights"), certified_by=paper.get("certified_by"),
        issue_date=date, issue_number=issue.get("number"), style=style_name, page=page,
        fonts={role: tuple(v) for role, v in t.get("fonts", {}).items()},
        formats=formats, output=Path(t.get("output", {}).get("dir", "build")),
        edition=_make_edition(root, t.get("edition"), problems),
    )


def _make_edition(root: Path, table: dict[str, Any] | None, problems: _Problems
                  ) -> Edition | None:
    if not table:
        return None
    if "articles" not in table:
        problems.add(("edition",), "C105", "an edition needs articles = [...]")
        return None
    articles = []
    for name in table["articles"]:
        source = root / name
        if source.suffix.lower() not in source_suffixes():
            problems.add(("edition", "articles"), "C106",
                         f"{name!r} is not a source ({', '.join(source_suffixes())})", name)
        elif not source.is_file():
            problems.add(("edition", "articles"), "C106", f"{name!r} does not exist", name)
        articles.append(source)
    if len(set(articles)) != len(articles):
        problems.add(("edition", "articles"), "C105", "an article is listed twice")
    return Edition(name=table.get("name", "edition"), title=table.get("title"),
                   articles=tuple(articles))


_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_.\-\"' ]+?)\s*=")


def key_line(text: str, key: tuple[str, ...], value: str | None = None) -> int:
    """The 1-based line of ``key`` (table, name) in TOML ``text``; for a list, of ``value``."""
    table, name = key[0], key[1] if len(key) > 1 else None
    current = ""
    table_line = found = None
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0]
        m = _TABLE.match(line)
        if m:
            current = m.group(1).replace(" ", "")
            if current == table and table_line is None:
                table_line = number
            continue
        m = _ASSIGN.match(line)
        if not m:
            continue
        dotted = m.group(1).replace(" ", "").replace('"', "").replace("'", "")
        full = f"{current}.{dotted}" if current else dotted
        if full == ".".join(key) or (name is None and full.split(".")[0] == table
                                     and table_line is None):
            found = number
            break
    found = found or table_line
    if found is None:
        return 1
    if value is not None:  # the list item, possibly on a later line of a multi-line array
        for number in range(found, min(found + 50, len(lines)) + 1):
            if f'"{value}"' in lines[number - 1] or f"'{value}'" in lines[number - 1]:
                return number
    return found
