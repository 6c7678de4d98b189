"""The ``layout`` command's process (layout.cli.command): the collector tuned for a build,
then the same main as in-process callers run."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

CHILD = """
import gc, sys
import layout.cli as cli
cli.main = lambda: print(gc.get_threshold(), len(sys.argv)) or 0
sys.exit(cli.command())
"""


def test_the_installed_command_is_the_tuned_entry() -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "layout"]
    assert script.value == "layout.cli:command"


def test_the_command_collects_less_often_then_runs_main() -> None:
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["(2000,", "10,", "10)", "1"]
