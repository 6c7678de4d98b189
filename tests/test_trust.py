"""The trust boundary: hostile sources and projects can neither read, run nor exhaust.

Attacks that could hang or eat the machine before their fix run in a child process with
hard limits: ``RLIMIT_CPU`` (seconds of CPU from the moment the attack starts, so a busy
machine does not make the bound flaky) and ``RLIMIT_AS`` (address space above what the
child already uses): going over either kills the child or raises MemoryError, and the
test fails.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from layout.errors import LayoutError
from layout.readers import read

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
