"""What a build imports: not the modules only other commands need (each costs every
build its import time)."""

from __future__ import annotations

import subprocess
import sys

# (module: what needs it)
OTHER_COMMANDS = {
    "yaml": "Markdown sources and `layout import`",
    "layout.writers.markdown": "`layout import`",
    "pypdfium2": "`--cover print`",
}


def test_a_build_imports_only_what_it_needs() -> None:
    code = ("import sys, layout.cli, layout.app.build; "
            f"print(sorted(m for m in {sorted(OTHER_COMMANDS)!r} if m in sys.modules))")
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True).stdout.strip()
    assert imported == "[]"
