"""The Jinja2 environment shared by the writers: sandboxed, autoescaped, style templates first.

A style (or a project's copy of it) overrides any template by placing a file of the
same name in its ``templates/`` folder; the packaged original stays reachable as
``base/<name>`` so an override can extend it and replace a single block.

Every template, built-in or from a project, runs in Jinja's ``SandboxedEnvironment``:
a template can format the values it is given but not reach Python's internals
(``cycler.__init__.__globals__.os.popen(…)``); trying is a U108 error naming the
template and line, not a traceback.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from types import TracebackType
from typing import NoReturn

import jinja2
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.bccache import Bucket
from jinja2.debug import rewrite_traceback_stack
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from .. import diskcache
from ..errors import LayoutError
from ..settings import PACKAGE_TEMPLATES, Style


class Sandbox(SandboxedEnvironment):
    """The sandboxed environment; an unsafe operation becomes a located LayoutError."""

    def handle_exception(self, source: str | None = None) -> NoReturn:
        exc = rewrite_traceback_stack(source=source)
        if isinstance(exc, SecurityError):
            path, line = _template_frame(exc.__traceback__)
            message = str(exc).rstrip(".")
            raise LayoutError("U108", f"template refused by the sandbox: {message}", path,
                              line) from None
        raise exc


def _template_frame(tb: TracebackType | None) -> tuple[str, int | None]:
    """The innermost frame of the traceback that runs a template file: its path and line."""
    found: tuple[str, int | None] = ("", None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") and Path(filename).is_file():
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def css_string(value: object) -> Markup:
    """Quote ``value`` as a CSS string that cannot end the string or the <style> element."""
    out = []
    for ch in str(value):
        if ch.isalnum() or ch in " -_.,:;/()":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return Markup('"' + "".join(out) + '"')


def environment(style: Style) -> Sandbox:
    """The environment of ``style``'s templates, kept in the process (:func:`template_key`):
    a template compiles once, and again only when its file changes (Jinja checks)."""
    return _environment(*template_key(style))


def template_key(style: Style) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What an environment is kept by: where templates are looked for (the style's
    folders, then the package's) and the templates the style's folders hold (one added
    there takes the place of the package's)."""
    search = (*(str(p) for p in style.template_dirs()), str(PACKAGE_TEMPLATES))
    overrides = sorted(os.path.join(root, name) for folder in search[:-1]
                       for root, _, names in os.walk(folder) for name in names)
    return search, tuple(overrides)


@functools.lru_cache(maxsize=16)
def _environment(search: tuple[str, ...], overrides: tuple[str, ...]) -> Sandbox:
    return new_environment(search)


def new_environment(search: tuple[str, ...]) -> Sandbox:
    """An environment of its own (for one that sets filters of its own)."""
    loader = ChoiceLoader([
        FileSystemLoader(list(search)),
        PrefixLoader({"base": FileSystemLoader(str(PACKAGE_TEMPLATES))}),
    ])
    env = Sandbox(
        loader=loader,
        autoescape=select_autoescape(
            enabled_extensions=("html", "xhtml", "xml", "j2", "opf", "ncx"),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        bytecode_cache=_compiled(),
    )
    env.filters["css_string"] = css_string
    # Body text goes through `zh`: plain escaping here; the print writer replaces it with
    # the typesetting layer's markup (layout.typeset.markup).
    env.filters["zh"] = escape
    env.filters["zh_headline"] = escape
    return env


class _Compiled(FileSystemBytecodeCache):
    """Compiled templates kept on disk (:mod:`layout.diskcache`'s folder), by template
    name and file, the environment's filters and tests, and this module's code (which
    sets the environment's options); Jinja takes one only if its source is unchanged."""

    def get_bucket(self, environment: Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        setting = "\0".join([_code(), type(environment).__qualname__,
                              *sorted(environment.filters), "", *sorted(environment.tests)])
        return super().get_bucket(environment, f"{name}\0{setting}", filename, source)


def _compiled() -> _Compiled | None:
    root = diskcache.folder()
    if root is None:
        return None
    folder = root / "jinja" / jinja2.__version__
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return _Compiled(str(folder))


@functools.cache
def _code() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
