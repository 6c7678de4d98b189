from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source" / "renmin-ribao-party-building.txt"
GOLDEN = Path(__file__).resolve().parent / "golden"


def run_layout(*args: str, cwd: Path | None = None, env: dict | None = None
               ) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "layout.cli", *args], cwd=cwd or ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built once (PDF, EPUB, HTML) at the default page preset."""
    out = tmp_path_factory.mktemp("sample-build")
    proc = run_layout("build", str(SAMPLE), "-o", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    return out
