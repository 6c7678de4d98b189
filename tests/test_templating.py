"""The template environments kept in a process (layout.writers.templating): a template
compiles once, yet a change to a style's templates shows in the next render."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import TemplateAssertionError

from layout.readers import read
from layout.settings import PACKAGE_TEMPLATES, Design, Publication, Settings, load_style
from layout.writers.html import _print_environment, print_environment, render_html
from layout.writers.templating import new_environment

MINI = "一篇短文的标题\n\n本报记者 张三\n\n第一段正文。\n"


def settings(project: Path) -> Settings:
    style = load_style("newspaper", project)
    return Settings(Publication(), Design(style, style.preset(None)))


def test_the_environment_is_kept_while_the_templates_are_the_same(tmp_path: Path) -> None:
    (tmp_path / "styles" / "newspaper" / "templates").mkdir(parents=True)
    assert print_environment(settings(tmp_path)) is print_environment(settings(tmp_path))


def test_a_template_added_or_changed_in_a_style_is_used_at_once(tmp_path: Path) -> None:
    templates = tmp_path / "styles" / "newspaper" / "templates"
    templates.mkdir(parents=True)
    (tmp_path / "a.txt").write_text(MINI, "utf-8")
    doc = read(tmp_path / "a.txt")
    assert "第一段" in render_html(doc, settings(tmp_path))
    block = templates / "block.html.j2"
    block.write_text("<p>override one</p>\n", "utf-8")  # takes the package's place
    assert "override one" in render_html(doc, settings(tmp_path))
    block.write_text("<p>override two, a longer text</p>\n", "utf-8")  # changed
    assert "override two" in render_html(doc, settings(tmp_path))
    block.unlink()  # gone: the package's again
    assert "第一段" in render_html(doc, settings(tmp_path))


def test_compiled_templates_are_kept_on_disk_per_environment_setting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new process loads the compiled template (no compiling); an environment without
    a filter the template uses still refuses it, though another compiled it."""
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / "cache"))
    search = (str(PACKAGE_TEMPLATES),)
    fresh = _print_environment.__wrapped__  # not the process's kept one
    fresh(search, (), True).get_template("article.html.j2")
    assert list((tmp_path / "cache" / "jinja").rglob("*.cache"))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    again = fresh(search, (), True)
    monkeypatch.setattr(again, "compile", refuse)
    again.get_template("article.html.j2")  # from the disk
    with pytest.raises(TemplateAssertionError, match="kai"):
        new_environment(search).get_template("article.html.j2")
