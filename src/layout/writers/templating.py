"""The Jinja2 environment shared by the writers: autoescaped, style templates first.

A style (or a project's copy of it) overrides any template by placing a file of the
same name in its ``templates/`` folder; the packaged original stays reachable as
``base/<name>`` so an override can extend it and replace a single block.
"""

from __future__ import annotations

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup, escape

from ..settings import PACKAGE_TEMPLATES, Style


def css_string(value: object) -> Markup:
    """Quote ``value`` as a CSS string that cannot end the string or the <style> element."""
    out = []
    for ch in str(value):
        if ch.isalnum() or ch in " -_.,:;/()":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return Markup('"' + "".join(out) + '"')


def environment(style: Style) -> Environment:
    search = [str(p) for p in style.template_dirs()] + [str(PACKAGE_TEMPLATES)]
    loader = ChoiceLoader([
        FileSystemLoader(search),
        PrefixLoader({"base": FileSystemLoader(str(PACKAGE_TEMPLATES))}),
    ])
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(
            enabled_extensions=("html", "xhtml", "xml", "j2", "opf", "ncx"),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["css_string"] = css_string
    # Body text goes through `zh`: plain escaping here; the print writer replaces it with
    # the typesetting layer's markup (layout.typeset.markup).
    env.filters["zh"] = escape
    env.filters["zh_headline"] = escape
    return env
