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

from .compose.boxes import POSITIONS, FixedBox
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
class PagePlan:
    """One page of the edition (``[[pages]]``): its stories composed on it (拼版)."""

    number: int  # 版次
    name: str  # the page's name in its running head, "要闻"
    stories: tuple[Path, ...]  # in priority order: the first is the lead (头条)
    boxes: tuple[FixedBox, ...] = ()  # fixed boxes (advertisements)
    line: int = 1  # the line of its [[pages]] header in layout.toml
    where: str = ""  # layout.toml's path: messages about the page as a whole go there
    jump: int = 0  # --jump: the page a story too long for this one continues on (0: next)


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
    pages: tuple[PagePlan, ...] = ()

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
    if "pages" in data:
        config = dataclasses.replace(config, pages=_make_pages(root, data["pages"], problems))
    problems.raise_if_any()
    return config


def _check_shape(data: dict[str, Any], problems: _Problems) -> dict[str, dict[str, Any]]:
    """Unknown tables and keys, wrong types; returns the well-typed values only."""
    tables: dict[str, dict[str, Any]] = {}
    for name, table in data.items():
        if name == "pages":
            continue  # an array of tables: _make_pages
        if name not in SCHEMA:
            problems.add((name,), "C101", "unknown key; known tables: "
                         + ", ".join([*SCHEMA, "pages"]))
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


PAGE_KEYS = ("number", "name", "stories", "boxes", "jump")
BOX_KEYS = ("name", "columns", "lines", "position", "column", "line")


def _make_pages(root: Path, pages: Any, problems: _Problems) -> tuple[PagePlan, ...]:
    """The page plan: ``[[pages]]`` tables, each checked, every problem at its line."""
    if not isinstance(pages, list) or not all(isinstance(t, dict) for t in pages):
        problems.add(("pages",), "C107", "must be tables: [[pages]]")
        return ()
    out: list[PagePlan] = []
    indices: list[int] = []
    for index, table in enumerate(pages):
        page = _make_page(root, index, table, problems)
        if page is not None:
            if any(p.number == page.number for p in out):
                _page_problem(problems, index, f"page {page.number} is planned twice",
                              "number")
            out.append(page)
            indices.append(index)
    for index, page in zip(indices, out, strict=True):
        if page.jump and page.jump not in {p.number for p in out if p.number > page.number}:
            _page_problem(problems, index, f"jump must name a later page of the plan, not "
                          f"{page.jump}", "jump")
    return tuple(out)


def _page_problem(problems: _Problems, index: int, message: str, key: str | None = None,
                  value: str | None = None, code: str = "C107") -> None:
    where = page_line(problems.text, index, key, value)
    problems.found.append((where, f"{problems.path}:{where}: {code} pages[{index}]"
                           f"{'.' + key if key else ''}: {message}"))


def _make_page(root: Path, index: int, table: dict[str, Any], problems: _Problems
               ) -> PagePlan | None:
    def add(message: str, key: str | None = None, value: str | None = None,
            code: str = "C107") -> None:
        _page_problem(problems, index, message, key, value, code)

    for key in table:
        if key not in PAGE_KEYS:
            add("unknown key; known keys: " + ", ".join(PAGE_KEYS), key, code="C101")
    number: Any = table.get("number")
    name: Any = table.get("name")
    stories: Any = table.get("stories")
    if not _is_int(number) or number < 1:
        add(f"number must be a page number (1 or more), not {number!r}", "number")
        return None
    if name is not None and not _is_str(name):
        add(f"name must be a string, not {name!r}", "name")
    if not _is_str_list(stories):
        add("stories must be a list of source files, the lead story first", "stories")
        return None
    paths = []
    for story in stories:
        source = root / story
        if source.suffix.lower() not in source_suffixes() or not source.is_file():
            add(f"{story!r} is not a source file ({', '.join(source_suffixes())})",
                "stories", story, code="C108")
        paths.append(source)
    boxes = _make_boxes(table.get("boxes", []), add)
    jump: Any = table.get("jump", 0)
    if not _is_int(jump) or jump < 0:
        add(f"jump must be a page number, not {jump!r}", "jump")
        jump = 0
    return PagePlan(number, name or f"第{number}版", tuple(paths), boxes,
                    page_line(problems.text, index), str(problems.path), jump)


def _make_boxes(boxes: Any, add: Callable[..., None]) -> tuple[FixedBox, ...]:
    if not isinstance(boxes, list) or not all(isinstance(b, dict) for b in boxes):
        add("boxes must be tables: boxes = [{ columns = 4, lines = 30, ... }]", "boxes")
        return ()
    out = []
    for box in boxes:
        unknown = [k for k in box if k not in BOX_KEYS]
        columns, lines = box.get("columns"), box.get("lines")
        position = box.get("position", "bottom-right")
        column, line = box.get("column", 0), box.get("line", 0)
        if unknown:
            add(f"unknown key {unknown[0]!r} in a box; known keys: {', '.join(BOX_KEYS)}",
                "boxes")
        elif not (_is_int(columns) and columns >= 1 and _is_int(lines) and lines >= 1):
            add("a box needs columns and lines, whole numbers of 1 or more", "boxes")
        elif position not in POSITIONS:
            add(f"a box's position must be one of {', '.join(POSITIONS)}, not {position!r}",
                "boxes")
        elif not (_is_int(column) and _is_int(line) and column >= 0 and line >= 0) or (
                bool(column) != bool(line)) or (column and "position" in box):
            add("a box at a given place needs both column and line (1 or more), and no "
                "position", "boxes")
        else:
            out.append(FixedBox(str(box.get("name", "广告")), columns, lines, position,
                                column, line))
    return tuple(out)


def page_line(text: str, index: int, key: str | None = None, value: str | None = None) -> int:
    """The line of the ``index``-th ``[[pages]]`` table (or of its ``key``, or of ``value``
    in its list) in TOML ``text``."""
    lines = text.splitlines()
    headers = [n for n, raw in enumerate(lines, start=1)
               if re.match(r"^\s*\[\[\s*pages\s*\]\]", raw)]
    if index >= len(headers):
        return headers[-1] if headers else 1
    start = headers[index]
    end = next((n for n in range(start + 1, len(lines) + 1)
                if re.match(r"^\s*\[(?!\[\s*pages\.)", lines[n - 1])
                and not lines[n - 1].strip().startswith("[[pages.")), len(lines) + 1)
    if key is None:
        return start
    for n in range(start + 1, end):
        if re.match(rf"^\s*{re.escape(key)}\s*=", lines[n - 1]):
            if value is None:
                return n
            for m in range(n, min(end, n + 50)):
                if f'"{value}"' in lines[m - 1] or f"'{value}'" in lines[m - 1]:
                    return m
            return n
    return start


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
