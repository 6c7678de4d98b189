"""Faults: a build interrupted or refused mid-way leaves the previous outputs intact.

Faults are injected from the test side only: the CLI runs in a child process whose
``Staged.write`` (the write of an output's bytes), ``zipfile.ZipFile.writestr`` (EPUB
packaging) or ``os.write`` is wrapped to kill the process, raise Ctrl-C or send SIGTERM
at that point; a full disk (ENOSPC, an error and no signal) is injected the same way in
this process.  The product carries no test hooks.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from layout.app import build as build_module
from layout.atomic import Staged, transaction, write_bytes_atomic
from layout.errors import LayoutError
from layout.settings import Settings
from layout.writers import epub as epub_module

from .conftest import ROOT, Builds, layout_cli

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

MINI = """眉题

一篇短文的标题

本报记者 张三

第一段正文，讲述事情的经过。

第二段正文，说明事情的结果。
"""

OUTPUTS = {"mini.html", "mini.pdf", "mini.epub"}

# argv: MODE WHERE then the CLI's arguments.  WHERE is "pdf", "epub" or "zip".
FAULTY = r"""
import errno, os, signal, sys, time, zipfile
import layout.atomic, layout.cli

mode, where, args = sys.argv[1], sys.argv[2], sys.argv[3:]

def fault():
    if mode == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif mode == "term":
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(10)  # the SIGTERM handler raises here
    elif mode == "interrupt":
        raise KeyboardInterrupt
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

if where == "zip":
    real_writestr, calls = zipfile.ZipFile.writestr, []
    def writestr(self, *a, **k):
        calls.append(1)
        if len(calls) == 3:
            fault()
        return real_writestr(self, *a, **k)
    zipfile.ZipFile.writestr = writestr
else:
    real_write = layout.atomic.Staged.write
    def write(self, data):
        if self.path.suffix == "." + where:
            real_write(self, data[: len(data) // 2])
            fault()
        return real_write(self, data)
    layout.atomic.Staged.write = write
sys.exit(layout.cli.main(args))
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def assert_intact(out: Path, before: dict[str, bytes]) -> None:
    """The outputs byte-identical and no other file beside them (the build's manifest of
    inputs, ``.layout-manifest.json``, may forget an entry: that only forces a rebuild)."""
    after = snapshot(out)
    assert set(after) == set(before)
    assert {n: after[n] for n in OUTPUTS} == {n: before[n] for n in OUTPUTS}


def build_mini(folder: Path) -> None:
    """MINI built (in this process: the build before the fault is not about the process)."""
    source = folder / "mini.txt"
    source.write_text(MINI, "utf-8")
    proc = layout_cli("build", str(source), "-o", str(folder / "out"))
    assert proc.returncode == 0, proc.stderr


@pytest.fixture()
def previous(built: Builds, tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A source built (once per session, copied here), then edited so that a finished
    rebuild would differ."""
    shutil.copytree(built.once("faults-mini", build_mini), tmp_path, dirs_exist_ok=True)
    source, out = tmp_path / "mini.txt", tmp_path / "out"
    before = snapshot(out)
    assert OUTPUTS <= set(before)
    source.write_text(MINI + "\n第三段正文，是后来加上的。\n", "utf-8")
    return source, out, before


def faulty(mode: str, where: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", FAULTY, mode, where, *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(("mode", "code"), [("kill", -9), ("interrupt", 130), ("term", 130)])
@pytest.mark.parametrize("where", ["pdf", "zip"])
def test_interrupted_build_leaves_previous_outputs(previous, mode: str, code: int,
                                                   where: str) -> None:
    """Killed, Ctrl-C'd or terminated while writing the PDF or packaging the EPUB."""
    source, out, before = previous
    proc = faulty(mode, where, "build", str(source), "-o", str(out))
    assert proc.returncode == code, proc.stderr
    if code == 130:
        lines = proc.stderr.strip().splitlines()
        assert lines[0] == "layout: interrupted; previous outputs left as they were"
        # ebooklib leaves its ZipFile open when interrupted; its __del__ then complains.
        assert len(lines) == 1 or where == "zip", lines
    assert_intact(out, before)


def test_the_same_build_without_a_fault_changes_the_outputs(previous) -> None:
    """The control: the edited source does give new outputs, so the test above can fail."""
    source, out, before = previous
    proc = layout_cli("build", str(source), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    after = snapshot(out)
    assert set(after) == set(before)
    assert all(after[name] != before[name] for name in OUTPUTS)


def test_full_disk_is_one_error_and_exit_4(previous, monkeypatch) -> None:
    """ENOSPC after half the PDF is written, in this process (an error, not a signal:
    the exit status is what the CLI returns), the write wrapped as in FAULTY."""
    source, out, before = previous
    real_write = Staged.write

    def write(self: Staged, data: bytes) -> None:
        if self.path.suffix == ".pdf":
            real_write(self, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(self, data)

    monkeypatch.setattr(Staged, "write", write)
    proc = layout_cli("build", str(source), "-o", str(out))
    assert proc.returncode == 4
    assert proc.stderr.splitlines() == [
        f"{out / 'mini.pdf'}: O102 cannot write output: No space left on device"]
    assert_intact(out, before)


def test_full_disk_when_flushing_is_one_error(tmp_path: Path, monkeypatch) -> None:
    """Many file systems report ENOSPC only when the data is flushed (fsync)."""
    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    (tmp_path / "a.pdf").write_bytes(b"old")
    monkeypatch.setattr("layout.atomic.os.fsync", full)
    with pytest.raises(LayoutError) as caught:
        write_bytes_atomic(tmp_path / "a.pdf", b"new")
    assert (caught.value.code, caught.value.exit_code) == ("O102", 4)
    assert str(caught.value) == f"{tmp_path / 'a.pdf'}: O102 cannot write output: " \
                                "No space left on device"
    assert snapshot(tmp_path) == {"a.pdf": b"old"}


@pytest.mark.parametrize("make", ["parent-is-file", "output-is-file"])
def test_unwritable_output_folder_is_one_error_and_exit_4(tmp_path: Path, make: str) -> None:
    """Tests run as root, which ignores permission bits: use folders that cannot exist."""
    source = tmp_path / "mini.txt"
    source.write_text(MINI, "utf-8")
    blocker = tmp_path / "blocker"
    blocker.write_text("a regular file")
    out = blocker / "out" if make == "parent-is-file" else blocker
    proc = layout_cli("build", str(source), "-o", str(out))
    assert proc.returncode == 4
    [line] = proc.stderr.splitlines()
    assert line.startswith(f"{out / 'mini.html'}: O101 cannot write output: ")
    assert line.endswith(("Not a directory", "File exists"))
    assert blocker.read_text() == "a regular file"


def test_writer_exception_leaves_previous_outputs(previous, monkeypatch) -> None:
    """An unexpected error in the EPUB writer, after the HTML and PDF were made (in the
    child that makes the EPUB when the build forks: raised here as it was there)."""
    source, out, before = previous

    def broken(*args: object, **options: object) -> None:
        raise RuntimeError("writer bug")

    monkeypatch.setattr(epub_module, "build_epub", broken)
    settings = Settings.default()
    with pytest.raises(RuntimeError, match="writer bug"):
        build_module.build(source, settings, out)
    assert_intact(out, before)


def test_transaction_renames_all_or_nothing(tmp_path: Path) -> None:
    with transaction():
        write_bytes_atomic(tmp_path / "a", b"1")
        write_bytes_atomic(tmp_path / "b", b"2")
        assert list(tmp_path.iterdir()) == []  # staged, unnamed until the end
    assert snapshot(tmp_path) == {"a": b"1", "b": b"2"}
    with pytest.raises(KeyboardInterrupt), transaction():
        write_bytes_atomic(tmp_path / "a", b"3")
        raise KeyboardInterrupt
    with transaction() as tx:
        write_bytes_atomic(tmp_path / "b", b"4")
        tx.rollback()
    assert snapshot(tmp_path) == {"a": b"1", "b": b"2"}


def test_stale_temporary_file_of_a_dead_process_is_removed(tmp_path: Path) -> None:
    """Where no unnamed temporary files exist, a SIGKILL can leave a named one behind."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".a.pdf.{dead}.0badcafe.tmp"
    stale.write_bytes(b"partial")
    write_bytes_atomic(tmp_path / "a.pdf", b"whole")
    assert snapshot(tmp_path) == {"a.pdf": b"whole"}
