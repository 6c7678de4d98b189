"""layout.toml, `layout init`, styles that extend and override each other."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from layout.config import ConfigError, key_line, load_config
from layout.errors import LayoutError
from layout.settings import BUILTIN_STYLES, load_style

from .conftest import ROOT, layout_cli

GOOD = """\
[paper]
name = "测试日报"
publisher = "测试出版社"
language = "zh-Hans"

[issue]
date = 2024-03-05
number = 12

[style]
name = "newspaper"
page = "a4"

[fonts]
body = ["Noto Serif CJK SC", "serif"]

[output]
formats = ["html"]
dir = "out"
"""


def write(folder: Path, text: str) -> Path:
    (folder / "layout.toml").write_text(text, "utf-8")
    return folder


def test_valid_config_gives_settings(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert (config.paper, config.publisher, config.issue_number) == ("测试日报", "测试出版社", 12)
    assert config.issue_date == "2024年3月5日"
    assert config.formats == ("html",) and config.output == Path("out")
    settings = config.settings()
    assert settings.design.page.name == "a4" and settings.publication.paper == "测试日报"
    assert settings.design.style.fonts["body"] == ("Noto Serif CJK SC", "serif")
    assert settings.design.style.fonts["heading"]  # roles not set come from the style
    # flags override the file
    overridden = config.settings(page="tabloid", paper="晚报", issue_date="周日")
    publication = overridden.publication
    assert (overridden.design.page.name, publication.paper, publication.issue_date) == (
        "tabloid", "晚报", "周日")


def test_script_from_the_file_and_the_flag_overrides_it(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[paper]\nname = "测试日报"\nscript = "traditional-tw"\n'))
    publication = config.settings().publication
    assert (publication.script, publication.language) == ("traditional-tw", "zh-Hant-TW")
    publication = config.settings(script="traditional-hk").publication
    assert (publication.script, publication.language) == ("traditional-hk", "zh-Hant-HK")
    assert load_config(write(tmp_path, GOOD)).settings().publication.script is None


def test_unknown_script_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, '[paper]\nname = "测试日报"\nscript = "traditional-cn"\n'))
    assert str(info.value) == (
        f"{tmp_path / 'layout.toml'}:3: C102 paper.script: must be one of traditional, "
        "traditional-tw, traditional-hk, not 'traditional-cn'")


def test_no_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.path is None and config.style == "newspaper" and config.edition is None


def test_every_problem_is_reported_with_its_key_and_line(tmp_path: Path) -> None:
    text = """\
[paper]
name = 12
colour = "red"

[issue]
number = "twelve"

[style]
name = "nonesuch"

[output]
formats = ["pdf", "docx"]

[edition]
articles = [
    "source/missing.txt",
    "notes.doc",
]

[extras]
x = 1
"""
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    lines = str(info.value).splitlines()
    where = tmp_path / "layout.toml"
    expected = [
        (2, "C102 paper.name: must be a string"),
        (3, "C101 paper.colour: unknown key"),
        (6, "C102 issue.number: must be an integer"),
        (9, "C103 style.name: unknown style 'nonesuch'"),
        (12, "C105 output.formats: unknown format 'docx'"),
        (16, "C106 edition.articles: 'source/missing.txt' does not exist"),
        (17, "C106 edition.articles: 'notes.doc' is not a source"),
        (20, "C101 extras: unknown key"),
    ]
    assert len(lines) == len(expected), lines
    for line, (number, start) in zip(lines, expected, strict=True):
        assert line.startswith(f"{where}:{number}: {start}"), line
    assert info.value.exit_code == 2


def test_unknown_page_preset_of_the_style(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, '[style]\nname = "newspaper"\npage = "legal"\n'))
    assert str(info.value).startswith(f"{tmp_path / 'layout.toml'}:3: C104 style.page: ")


def test_toml_syntax_error_has_its_line(tmp_path: Path) -> None:
    with pytest.raises(LayoutError) as info:
        load_config(write(tmp_path, '[paper]\nname = "x"\nlanguage = \n'))
    assert str(info.value).startswith(f"{tmp_path / 'layout.toml'}:3: C100 invalid TOML")


def test_key_line_finds_dotted_and_table_keys() -> None:
    text = '[a]\nx = 1\n\n[b]\n# y = 0\ny = 2\nlist = [\n  "one",\n  "two",\n]\n'
    assert key_line(text, ("a", "x")) == 2
    assert key_line(text, ("b", "y")) == 6
    assert key_line(text, ("b",)) == 4
    assert key_line(text, ("b", "list"), "two") == 9
    assert key_line("c.d = 1\n", ("c", "d")) == 1


@pytest.mark.slow
def test_cli_reports_config_errors_together(tmp_path: Path) -> None:
    write(tmp_path, '[paper]\nname = 1\n[style]\npage = "legal"\n')
    proc = layout_cli("build", cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert [ln.split(": ")[1] for ln in lines] == ["C102 paper.name", "C104 style.page"]
    assert "Traceback" not in proc.stderr


# --- styles -------------------------------------------------------------------------------

def test_project_file_overrides_one_file_of_the_style(tmp_path: Path) -> None:
    folder = tmp_path / "styles" / "newspaper"
    folder.mkdir(parents=True)
    (folder / "style.css").write_text("/* house */", "utf-8")
    (folder / "style.toml").write_text("[pages.a4]\ncolumns = 2\n", "utf-8")
    style = load_style("newspaper", tmp_path)
    assert style.find("style.css") == folder / "style.css"
    assert style.pages["a4"].columns == 2
    assert style.pages["a4"].body_size == load_style("newspaper").pages["a4"].body_size
    assert style.folders[-1] == BUILTIN_STYLES / "newspaper"


def test_style_extends_a_base(tmp_path: Path) -> None:
    folder = tmp_path / "styles" / "house"
    folder.mkdir(parents=True)
    (folder / "style.toml").write_text('extends = "book"\n[pages.a5]\nbody_size = 11\n'
                                       "max_body_size = 12\n", "utf-8")
    style = load_style("house", tmp_path)
    assert style.name == "house"
    assert style.find("style.css") == BUILTIN_STYLES / "book" / "style.css"
    assert style.pages["a5"].body_size == 11 and style.pages["a5"].columns == 1
    assert style.default_page == "a5"


def test_styles_extending_each_other_are_refused(tmp_path: Path) -> None:
    for name, base in (("one", "two"), ("two", "one")):
        (tmp_path / "styles" / name).mkdir(parents=True)
        (tmp_path / "styles" / name / "style.toml").write_text(f'extends = "{base}"\n')
    with pytest.raises(LayoutError) as info:
        load_style("one", tmp_path)
    assert info.value.code == "S104" and "one -> two -> one" in info.value.message


@pytest.mark.parametrize("name", ["newspaper", "book"])
def test_builtin_styles_load(name: str) -> None:
    style = load_style(name)
    assert style.find("style.css") and style.pages
    for preset in style.pages.values():
        assert preset.min_body_size and preset.max_body_size and preset.min_leading


# --- layout init --------------------------------------------------------------------------

@pytest.mark.heavy
@pytest.mark.slow
@pytest.mark.epubcheck
def test_init_build_check_passes_our_own_output(tmp_path: Path) -> None:
    """`layout init P && cd P && layout build && layout check`: exit 0, no finding."""
    project = tmp_path / "p"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run([sys.executable, "-m", "layout.cli", "init", str(project)],
                          cwd=elsewhere, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    for name in ("layout.toml", "README.md", "styles/newspaper/README.md",
                 "source/renmin-ribao-party-building.txt"):
        assert (project / name).is_file(), name
    assert not [p for p in (project / "styles" / "newspaper").iterdir() if p.suffix != ".md"]
    config = load_config(project)
    assert config.fonts["body"][0] == "Noto Serif CJK SC" and config.edition is not None
    assert layout_cli("init", str(project)).returncode == 2  # not empty: refused

    proc = layout_cli("build", "-q", "--page", "a4", cwd=project)
    assert proc.returncode == 0, proc.stderr
    out = project / "build"
    for suffix in ("pdf", "epub", "html"):
        assert (out / f"renmin-ribao-party-building.{suffix}").stat().st_size > 0
    assert (out / "edition.pdf").is_file() and (out / "edition.epub").is_file()

    proc = layout_cli("check", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 findings" in proc.stdout and " 0 failed" in proc.stdout, proc.stdout


def test_init_uses_the_repository_sample() -> None:
    from layout.app.project import SAMPLE

    assert SAMPLE == ROOT / "source" / "renmin-ribao-party-building.txt"


@pytest.mark.slow
def test_config_elsewhere_is_relative_to_its_folder(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "source").mkdir(parents=True)
    (project / "source" / "a.md").write_text("---\ntitle: 标题\n---\n\n正文。\n", "utf-8")
    (project / "layout.toml").write_text('[output]\nformats = ["html"]\ndir = "out"\n', "utf-8")
    proc = layout_cli("build", "-q", "--config", str(project / "layout.toml"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (project / "out" / "a.html").is_file()
    missing = layout_cli("build", "--config", str(tmp_path / "nope.toml"), cwd=tmp_path)
    assert missing.returncode == 2 and "C100 configuration not found" in missing.stderr
