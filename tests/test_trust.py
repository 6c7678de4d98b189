"""The trust boundary: hostile sources and projects can neither read, run nor exhaust.

Attacks that could hang or eat the machine before their fix run in a child process with
hard limits: ``RLIMIT_CPU`` (seconds of CPU from the moment the attack starts, so a busy
machine does not make the bound flaky) and ``RLIMIT_AS`` (address space above what the
child already uses): going over either kills the child or raises MemoryError, and the
test fails.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from layout.errors import LayoutError
from layout.readers import read
from layout.transforms.images import refusal

from .conftest import SAMPLE

# argv: CPU seconds, megabytes, then the code to run under those limits.
BOUNDED = r"""
import resource, sys
import layout.cli, layout.readers
used = resource.getrusage(resource.RUSAGE_SELF)
cpu = int(used.ru_utime + used.ru_stime) + 1 + int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
with open("/proc/self/statm") as f:
    size = int(f.read().split()[0]) * resource.getpagesize()
limit = size + int(sys.argv[2]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
exec(sys.argv[3])
"""


def bounded(code: str, cpu_seconds: int, megabytes: int, cwd: Path
            ) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child that may use ``cpu_seconds`` of CPU and ``megabytes`` more."""
    return subprocess.run([sys.executable, "-c", BOUNDED, str(cpu_seconds), str(megabytes),
                           textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


# --- YAML front matter -----------------------------------------------------------------

LAUGHS = "\n".join(
    ['title: 标题', 'a0: &a0 ["哈哈哈哈哈哈哈哈"]']
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
)


def markdown(front: str) -> str:
    return f"---\n{front}\n---\n\n正文。\n"


def test_yaml_alias_bomb_is_refused_in_bounded_time_and_memory(tmp_path: Path) -> None:
    assert len(LAUGHS) < 1024  # 9 ** 9 copies of the string once expanded
    source = tmp_path / "bomb.md"
    source.write_text(markdown(LAUGHS), "utf-8")
    proc = bounded("""
        from layout.errors import LayoutError
        try:
            layout.readers.read(layout.readers.Path("bomb.md"))
        except LayoutError as exc:
            print(exc)
    """, cpu_seconds=2, megabytes=200, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout == "bomb.md:4: M401 YAML alias *a0 refused: front matter may not " \
                          "repeat content by reference (write it out)\n"


def test_yaml_deep_nesting_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "deep.md"
    source.write_text(markdown("title: 标题\nk: " + "[" * 20_000 + "]" * 20_000), "utf-8")
    with pytest.raises(LayoutError) as caught:
        read(source)
    assert str(caught.value) == f"{source}:3: M402 front matter nested more than 32 levels deep"
    assert caught.value.exit_code == 3


def test_yaml_anchors_without_aliases_and_ordinary_nesting_still_read(tmp_path: Path) -> None:
    source = tmp_path / "ok.md"
    source.write_text(markdown("title: &t 标题\nsidebars:\n  - title: 侧栏\n    entries:\n"
                               "      - paragraphs: [第一段。]\n"), "utf-8")
    doc = read(source)
    assert doc.title == "标题" and doc.sidebars[0].entries[0].paragraphs == ["第一段。"]


# --- sources and photos ----------------------------------------------------------------

def test_symlinked_source_leading_outside_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密标题\n\n机密的正文。\n", "utf-8")
    project = tmp_path / "project"
    (project / "source").mkdir(parents=True)
    (project / "source" / "passwd.txt").symlink_to(secret)
    (project / "source" / "inside.txt").symlink_to("../shared.txt")
    (project / "shared.txt").write_text("标题\n\n正文。\n", "utf-8")
    with pytest.raises(LayoutError) as caught:
        read(project / "source" / "passwd.txt")
    assert str(caught.value) == f"{project / 'source' / 'passwd.txt'}: U106 the source is a " \
                                "symlink leading outside its folder: refused"
    (project / "source" / "inside.txt").unlink()
    (project / "source" / "inside.txt").symlink_to("../source/../source/real.txt")
    (project / "source" / "real.txt").write_text("标题\n\n正文。\n", "utf-8")
    assert read(project / "source" / "inside.txt").title == "标题"


def test_fifo_source_is_refused_within_2_seconds(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)  # opened for reading, it would wait for a writer
    errors: list[LayoutError] = []

    def attempt() -> None:
        try:
            read(fifo)
        except LayoutError as exc:
            errors.append(exc)

    reader = threading.Thread(target=attempt, daemon=True)
    reader.start()
    reader.join(timeout=2)
    if reader.is_alive():  # release the blocked reader before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO as the source blocked")
    assert [str(e) for e in errors] == [f"{fifo}: U107 the source is a FIFO, not a regular "
                                        "file: refused"]


@pytest.mark.parametrize("path", ["/dev/zero", "."])
def test_device_or_folder_as_source_is_refused(path: str) -> None:
    with pytest.raises(LayoutError) as caught:
        read(Path(path))
    assert caught.value.code == "U107" and caught.value.exit_code == 3


def test_fifo_named_as_a_photo_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "photo.jpg")
    assert refusal("photo.jpg", tmp_path) == "is not a regular file (a FIFO, a device or a " \
                                             "folder)"
    (tmp_path / "photos").mkdir()
    assert refusal("photos", tmp_path) is not None


# --- projects: templates and styles -----------------------------------------------------

MINI = "一篇短文的标题\n\n本报记者 张三\n\n第一段正文。\n"
POPEN = "{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}"


@pytest.mark.parametrize("template", ["article.html.j2", "block.html.j2"])
def test_project_template_cannot_run_commands(tmp_path: Path, template: str) -> None:
    from layout.settings import Design, Publication, Settings, load_style
    from layout.writers.html import render_html

    marker = tmp_path / "executed"
    override = tmp_path / "styles" / "newspaper" / "templates" / template
    override.parent.mkdir(parents=True)
    override.write_text("<p>\n" + POPEN.format(marker=marker) + "\n</p>\n", "utf-8")
    (tmp_path / "a.txt").write_text(MINI, "utf-8")
    style = load_style("newspaper", tmp_path)
    with pytest.raises(LayoutError) as caught:
        render_html(read(tmp_path / "a.txt"),
                    Settings(Publication(), Design(style, style.preset(None))))
    assert not marker.exists()
    assert str(caught.value) == (f"{override}:2: U108 template refused by the sandbox: "
                                 "access to attribute '__init__' of 'type' object is unsafe")


def test_builtin_templates_render_in_the_sandbox(tmp_path: Path) -> None:
    from jinja2.sandbox import SandboxedEnvironment

    from layout.settings import load_style
    from layout.writers.templating import environment

    assert isinstance(environment(load_style("newspaper")), SandboxedEnvironment)


@pytest.mark.parametrize("base", ["/etc", "../../outside", "..", ".hidden", "a\\\\b"])
def test_style_extending_a_path_is_refused(tmp_path: Path, base: str) -> None:
    from layout.settings import load_style

    style = tmp_path / "project" / "styles" / "mine"
    style.mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (style / "style.toml").write_text(f'extends = "{base}"\n', "utf-8")
    with pytest.raises(LayoutError) as caught:
        load_style("mine", tmp_path / "project")
    assert caught.value.code == "U109" and caught.value.exit_code == 2
    assert caught.value.path == str(style / "style.toml")


def test_style_folder_symlinked_out_of_the_project_is_refused(tmp_path: Path) -> None:
    from layout.settings import load_style

    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "style.toml").write_text('extends = "newspaper"\n', "utf-8")
    (tmp_path / "project" / "styles").mkdir(parents=True)
    (tmp_path / "project" / "styles" / "mine").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(LayoutError) as caught:
        load_style("mine", tmp_path / "project")
    assert caught.value.code == "U109"


def test_style_extending_a_project_or_builtin_style_loads(tmp_path: Path) -> None:
    from layout.settings import BUILTIN_STYLES, load_style

    styles = tmp_path / "styles"
    (styles / "base").mkdir(parents=True)
    (styles / "base" / "style.toml").write_text('extends = "book"\n', "utf-8")
    (styles / "mine").mkdir()
    (styles / "mine" / "style.toml").write_text('extends = "base"\n', "utf-8")
    style = load_style("mine", tmp_path)
    assert style.folders == (styles / "mine", styles / "base", BUILTIN_STYLES / "book")


# --- options ----------------------------------------------------------------------------

BAD_OPTIONS = [
    ("build", "--format", "docx"), ("build", "--format", ","),
    ("build", "--max-source-mb", "-1"), ("build", "--max-source-mb", "nan"),
    ("build", "--max-source-mb", "lots"), ("build", "--folio", "0"),
    ("build", "--folio", "1e9"), ("build", "-j", "0"), ("build", "-j", "100000"),
    ("build", "--fit-pages", "0"), ("build", "--scheduler", "127.0.0.1"),
    ("build", "--style", "/etc"), ("build", "--style", "../styles/newspaper"),
    ("build", "--page", "legal"), ("build", "--no-such-option"),
    ("serve", "--port", "80000"), ("serve", "--port", "-1"), ("serve", "--port", "http"),
    ("serve", "--style", "/etc"),
    ("check", "--dpi", "0"), ("check", "--dpi", "100000"), ("check", "--dpi", "5"),
    ("check", "--visual-tolerance", "2"), ("check", "--max-ragged", "nan"),
    ("check", "--ragged-tolerance", "x"), ("check", "--max-pair-advance", "inf"),
    ("check", "--han-latin-gap", "3,1"), ("check", "--skip", "nope"),
    ("check", "--format", "xml"), ("check", "--folio", "-3"),
    ("import",), ("import", "a.txt", "--force", "--bogus"),
    ("inspect",), ("inspect", "a.txt", "--json=yes"),
    ("init",), ("frobnicate",),
]


@pytest.mark.parametrize("argv", BAD_OPTIONS, ids=" ".join)
def test_bad_option_values_exit_2_in_one_line(argv: tuple[str, ...], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Each subcommand with a bad value: exit 2 and one line on stderr, no traceback."""
    from layout.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(MINI, "utf-8")
    sources = ["a.txt"] if argv[0] in ("build", "serve") else []
    try:
        code = main([*argv[:1], *sources, *argv[1:]])
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    assert code == 2, out
    assert len(out.err.splitlines()) == 1 and "Traceback" not in out.err, out.err
    assert out.out == ""


def test_bad_option_is_one_line_from_the_command_line(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "layout.cli", "serve", "--port", "80000"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr == ("layout serve: error: argument --port: expected a whole number "
                           "from 0 to 65535, not '80000' (see layout serve --help)\n")


# --- cost -------------------------------------------------------------------------------

def test_50000_line_source_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    """1 MB of 50,000 short lines: 6 minutes and 3.9 GB of layout; refused at once (U111)."""
    han = "一二三四五六七八九十百千万党建发展同心圆凝聚力"
    lines = [han[i % 17: i % 17 + 5] + "。" for i in range(50_000)]
    source = tmp_path / "lines.txt"
    source.write_text("眉题\n\n标题\n\n本报记者 张三\n\n" + "\n".join(lines) + "\n", "utf-8")
    assert 0.9 < source.stat().st_size / 1024 / 1024 < 2  # under the size limit
    proc = bounded("""
        code = layout.cli.main(["build", "lines.txt", "-o", "out"])
        print("exit", code)
    """, cpu_seconds=5, megabytes=1500, cwd=tmp_path)
    assert proc.stdout == "exit 3\n", proc.stderr[-500:]
    assert proc.stderr == ("lines.txt: U111 source has 50,006 lines, over the limit of 48,000 "
                           "(4 per paragraph of --max-paragraphs 12,000); split it, or raise "
                           "--max-paragraphs\n")
    assert not (tmp_path / "out").exists()


def test_paragraph_limit_is_checked_before_layout(tmp_path: Path) -> None:
    from layout.limits import SourceLimits

    source = tmp_path / "a.txt"
    source.write_bytes(SAMPLE.read_bytes())  # 144 lines, 70 texts as read (68 once rejoined)
    assert read(source, SourceLimits(max_paragraphs=70)).title
    with pytest.raises(LayoutError) as caught:
        read(source, SourceLimits(max_paragraphs=40))
    assert str(caught.value).startswith(f"{source}: U110 source has 70 paragraphs, over the "
                                        "limit of 40 (")
    with pytest.raises(LayoutError) as caught:
        read(source, SourceLimits(max_paragraphs=35))
    assert caught.value.code == "U111"  # 144 lines > 4 × 35


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("size", "shown"), [(100 * 1024, True), (2 * 1024, False)])
def test_a_long_single_file_build_shows_progress_on_a_terminal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, shown: bool) -> None:
    from layout.cli import progress_display

    source = tmp_path / "long.txt"
    source.write_bytes(b"x" * size)
    monkeypatch.setattr(sys, "stderr", Terminal())
    with progress_display([source]):
        pass
    assert ("building long.txt (100 KB; about a minute per MB)" in sys.stderr.getvalue()
            ) is shown


def test_output_piped_into_a_reader_that_stops_is_no_traceback(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(MINI + "\n".join(f"第{i}段。" for i in range(3000)) + "\n", "utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "layout.cli", "inspect", str(source)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"title")  # `| head -1`
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 1
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
