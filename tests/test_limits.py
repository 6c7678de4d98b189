"""Limits: huge sources build or fail with a clear message, within bounded memory.

Peak memory is the CLI process's maximum resident set size from ``os.wait4``.  Measured here
(2 cores): a 10 MB source is refused up front (layout would need ~10 min and ~9 GB);
read anyway it takes ~4 s and ~370 MB; the 100,000-character paragraph builds in ~18 s
and ~270 MB on broadsheet pages, in a third of the time in the book style (tested).  The
10,000-paragraph source is read and set as HTML here; its full build (39 broadsheet pages,
~54 s, ~0.8 GB) is the ``limits`` scenario of ``make bench``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from layout.chars import han_chars

from .conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

MB = 1024 * 1024
HEAD = "新时代新征程新伟业\n\n增强党建凝聚力 共画发展同心圆\n\n本报记者 杜海涛\n\n"
HAN = han_chars(SAMPLE.read_text("utf-8"))


# The CLI is started by a small Python process that reports the CLI's peak memory: the
# kernel counts in a child's maximum RSS the memory of the process it was spawned from
# (the pytest process here, hundreds of MB), so the child must come from a small one.
PROBE = """
import os, sys
pid = os.posix_spawn(sys.executable, [sys.executable, "-m", "layout.cli", *sys.argv[2:]],
                     os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def run(*args: str) -> tuple[int, float, list[str]]:
    """Run the CLI; return its exit code, peak memory in MB and its stderr lines."""
    with tempfile.NamedTemporaryFile("r") as result:
        proc = subprocess.run([sys.executable, "-c", PROBE, result.name, *args], cwd=ROOT,
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        code, peak_kb = result.read().split()
    return int(code), int(peak_kb) / 1024, proc.stderr.splitlines()


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10 MB source: the sample's paragraphs over and over."""
    paragraphs = [p for p in SAMPLE.read_text("utf-8").split("\n\n")[3:]
                  if p.strip() and not p.startswith("图")]
    body = "\n\n".join(paragraphs)
    path = tmp_path_factory.mktemp("big") / "big.txt"
    data = (HEAD + "\n\n".join([body] * (10 * MB // len(body.encode()) + 1))).encode()
    path.write_bytes(data[: 10 * MB].rsplit(b"\n", 1)[0] + b"\n")
    return path


def test_10mb_source_is_refused_up_front(big: Path, tmp_path: Path) -> None:
    code, peak, lines = run("build", str(big), "-o", str(tmp_path / "out"))
    assert code == 3
    assert lines == [f"{big}: U104 source is 10.0 MB, over the limit of 2 MB (laying out 1 MB "
                     "takes about a minute and 1 GB of memory); split it, or raise the limit "
                     "with --max-source-mb"]
    assert peak < 250
    assert not (tmp_path / "out").exists()


def test_10mb_source_reads_in_bounded_memory_when_allowed(big: Path) -> None:
    code, peak, lines = run("inspect", str(big), "--max-source-mb", "12",
                            "--max-paragraphs", "200000")
    assert code == 0, lines[-3:]
    assert peak < 1000


def test_limit_is_configurable(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(SAMPLE.read_bytes())
    code, _, lines = run("build", str(source), "-o", str(tmp_path / "out"), "--format", "html",
                         "--max-source-mb", "0.01")
    assert code == 3 and " U104 source is 0.0 MB, over the limit of 0.01 MB" in lines[-1]
    code, _, lines = run("inspect", str(source), "--max-source-mb", "lots")
    assert (code, lines) == (2, ["layout inspect: error: argument --max-source-mb: expected a "
                                 "number from 0.001 to 1024, not 'lots' (see layout inspect "
                                 "--help)"])


@pytest.mark.heavy
def test_100000_character_paragraph_builds_and_keeps_every_character(tmp_path: Path) -> None:
    """Set in the book style's one wide column: WeasyPrint's line breaking costs each line
    the rest of the paragraph, so lines of 30 characters instead of a broadsheet column's
    11 take a third of the time; the paragraph and the pipeline are the same."""
    paragraph = (HAN * (100_000 // len(HAN) + 1))[:99_999] + "。"
    source = tmp_path / "long.txt"
    source.write_text(HEAD + paragraph + "\n", "utf-8")
    out = tmp_path / "out"
    code, peak, lines = run("build", str(source), "-o", str(out), "-q", "--style", "book")
    assert code == 0, lines
    assert peak < 1000
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out / "long.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    # Running heads repeat the paper's name and the kicker on every page after the first.
    assert Counter(han_chars(text)) >= Counter(han_chars(paragraph))
    assert (out / "long.epub").stat().st_size > 100_000


def test_10000_paragraphs_read_and_set_in_bounded_memory(tmp_path: Path) -> None:
    paragraphs = [HAN[(i * 37) % (len(HAN) - 40):][:30] + "。" for i in range(10_000)]
    source = tmp_path / "many.txt"
    source.write_text(HEAD + "\n\n".join(paragraphs) + "\n", "utf-8")
    out = tmp_path / "out"
    code, peak, lines = run("build", str(source), "-o", str(out), "--format", "html", "-q")
    assert code == 0, lines
    assert peak < 500
    html = (out / "many.html").read_text("utf-8")
    assert html.count('<p id="l') >= 10_000
