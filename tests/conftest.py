"""Shared paths, the two ways of running `layout`, and the one cache of builds.

Running `layout`:
- ``layout_cli("build", ...)`` runs the CLI in this process (``layout.cli.main``) and
  returns a ``CompletedProcess`` (exit status, stdout, stderr), as ``run_layout`` does.
  Use it unless the test is about the process itself.
- ``run_layout(...)`` starts a separate process, as a user would: for exit statuses of the
  real process, signals, kills, ``serve``, peak memory, a fresh interpreter.

Builds that tests only read come from the session fixture ``built``::

    def test_something(built: Builds) -> None:
        out = built(SAMPLE, preset="a4", flags=("--embed-fonts",))
        pdf = out / f"{SAMPLE.stem}.pdf"

``built(source, preset=None, formats=FORMATS, flags=())`` builds ``source`` once per
test session (in process, with ``SOURCE_DATE_EPOCH=EPOCH``) and returns the output
folder.  Every test and every xdist worker asking for the same (source, preset, formats,
flags) gets the same folder: the first to ask builds it under a file lock, the others
wait for it.  Ask for the default formats (PDF, EPUB, HTML) unless you need another
(``kepub``), so that readers share one build.  The folder is read-only by contract: copy
a file before changing it.  A test that writes into a shared build fails the session
(each file's size and time of change are noted when built and compared when the session
ends).  A source made by a test is shared too when written with ``built.source(name,
text)``; anything else made once and read by several tests (a project and its build) with
``built.once(name, make)``.

Order: xdist (``--dist loadfile``) hands out whole files in the order collected, so the
files that take longest go first (those with a test marked ``heavy``, then by their number
of ``slow`` tests, unit files last): the long ones overlap the rest and the workers finish
together instead of one running a long file alone at the end.  On two workers, the files
in ``EPUBCHECK_FILES`` go to one worker together, as one file would: the first EPUBCheck of
a process starts its JVM (layout.check.epubcheck), ~4 s of CPU the other would spend again.
A test elsewhere that runs EPUBCheck in process fails, naming the list.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source" / "renmin-ribao-party-building.txt"
GOLDEN = Path(__file__).resolve().parent / "golden"

def _opening() -> str:
    paragraphs = SAMPLE.read_text("utf-8").split("\n\n")
    subtitle = next(i for i, p in enumerate(paragraphs) if p.startswith("党员工作生活在哪里"))
    return "\n\n".join(paragraphs[: subtitle + 2]) + "\n"


# The sample up to its first section's first paragraph: kicker, headline, byline, lead,
# the editor's note (set in Kai), a section head and its subtitle; a page of A4.  For
# tests of what the sample's parts get, not of its length (a third of its build).
OPENING = _opening()
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH of the shared builds: 2023-11-14T22:13:20Z
FORMATS = "pdf,epub,html"
# The suite runs one test process per core (xdist): a build's own children on a second core
# (layout.forked) would only crowd the cores (forks cost system time), so builds here are
# serial unless a test asks (tests/test_forked.py sets LAYOUT_JOBS where it tests them).
os.environ.setdefault("LAYOUT_JOBS", "1")


def run_layout(*args: str, cwd: Path | None = None, env: dict | None = None
               ) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "layout.cli", *args], cwd=cwd or ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )


def _set_environment(values: Mapping[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextlib.contextmanager
def environment(changes: Mapping[str, str | None]) -> Iterator[None]:
    """``os.environ`` with ``changes`` (None removes a variable), restored afterwards."""
    before = {name: os.environ.get(name) for name in changes}
    try:
        _set_environment(changes)
        yield
    finally:
        _set_environment(before)


def layout_cli(*args: str, cwd: Path | None = None, env: Mapping[str, str | None] | None = None
               ) -> subprocess.CompletedProcess[str]:
    """Run ``layout ARGS`` in this process, in ``cwd`` (default: the repository) with the
    changes ``env`` to the environment; stdout and stderr captured, usage errors give 2.

    An unexpected exception propagates (a separate process would print a traceback)."""
    out, err = io.StringIO(), io.StringIO()
    from layout.cli import main

    with contextlib.chdir(cwd or ROOT), environment(env or {}), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help, usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(["layout", *args], code, out.getvalue(), err.getvalue())


def _stamps(folder: Path) -> dict[str, list[int]]:
    """Each file's size and time of last change: what any write changes (hashing every
    shared build's files again cost each worker ~0.5 s at the session's end)."""
    return {str(p.relative_to(folder)): [(st := p.stat()).st_size, st.st_mtime_ns]
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Builds:
    """The session's builds by (source, preset, formats, flags): see the module docstring."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.used: set[Path] = set()

    def __call__(self, source: Path = SAMPLE, preset: str | None = None,
                 formats: str = FORMATS, flags: tuple[str, ...] = ()) -> Path:
        if preset == "broadsheet" and "--style" not in flags:
            preset = None  # the default style's default: one build, however it is asked for
        key = json.dumps([str(source.resolve()), preset, formats, list(flags)])
        args = ["build", str(source), "-q", "--format", formats,
                *(("--page", preset) if preset else ()), *flags]

        def build(folder: Path) -> None:
            proc = layout_cli(*args, "-o", str(folder), env={"SOURCE_DATE_EPOCH": EPOCH})
            assert proc.returncode == 0, f"layout {' '.join(args)}\n{proc.stderr}"

        return self.once(f"{source.stem}-{hashlib.sha256(key.encode()).hexdigest()[:12]}",
                         build)

    def once(self, name: str, make: Callable[[Path], object]) -> Path:
        """The folder ``name`` as ``make(folder)`` left it, made once per session (by the
        first worker to ask; the others wait).  One ``name`` is always made by one ``make``:
        name what it makes, as ``built(...)`` names builds by their arguments."""
        folder = self.root / name
        manifest = folder.with_suffix(".json")
        with (self.root / f"{name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be making it
            if not manifest.exists():
                shutil.rmtree(folder, ignore_errors=True)  # left by a make that failed
                folder.mkdir()
                make(folder)
                manifest.write_text(json.dumps(_stamps(folder)), "utf-8")
        self.used.add(folder)
        return folder

    def source(self, name: str, text: str) -> Path:
        """A source written by a test, at a path every worker shares (so that its build is
        shared too).  One ``name`` (a file name, maybe in folders) always has one ``text``."""
        path = self.root / "sources" / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.{os.getpid()}")
            partial.write_text(text, "utf-8")
            partial.replace(path)  # whole or not at all: another worker may be reading it
        assert path.read_text("utf-8") == text, f"{name} was written with another text"
        return path

    def changed(self) -> list[str]:
        """The shared builds whose files are no longer as built."""
        return [folder.name for folder in sorted(self.used)
                if _stamps(folder) != json.loads(folder.with_suffix(".json").read_text())]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files with ``heavy`` tests first, then by their number of ``slow`` tests (see the
    module docstring); the order within a file is kept."""
    files: dict[Path, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.path, []).append(item)

    def weight(tests: list[pytest.Item]) -> tuple[int, int]:
        return (-sum(1 for t in tests if t.get_closest_marker("heavy")),
                -sum(1 for t in tests if t.get_closest_marker("slow")))

    items[:] = [item for tests in sorted(files.values(), key=weight) for item in tests]


# The files whose tests run EPUBCheck in the test process (``layout check`` or ``build
# --check`` in process, EPUBCheck's runner): all run by one xdist worker, in one JVM.
EPUBCHECK_FILES = frozenset({
    "test_check_epub.py", "test_check_report.py", "test_compose_build.py", "test_config.py",
    "test_edition.py", "test_epub.py", "test_epub_fonts.py", "test_epub_images.py",
    "test_epub_kobo.py", "test_epub_pages.py", "test_epub_vertical.py", "test_script.py"})


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``--dist loadfile`` on two workers, the files of ``EPUBCHECK_FILES`` handed out as
    one.  (On more, those files, ~60 s of CPU, would be one worker's long tail: a JVM
    started by each worker costs less.)"""
    if config.getvalue("dist") != "loadfile" or len(config.option.tx or ()) > 2:
        return None
    from xdist.scheduler import LoadFileScheduling

    class OneJvm(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = super()._split_scope(nodeid)
            return "EPUBCHECK_FILES" if Path(path).name in EPUBCHECK_FILES else path

    return OneJvm(config, log)  # type: ignore[arg-type]


_EPUBCHECKS_SEEN = [0]  # EPUBCheck runs in this process when the last test ended


@pytest.fixture(autouse=True)
def _epubcheck_in_its_files(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that ran EPUBCheck in this process (its fixtures too, set up since the last
    test ended) is in one of ``EPUBCHECK_FILES``."""
    from layout.check import epubcheck

    yield
    info = epubcheck.shared.cache_info()
    runs = info.hits + info.misses
    ran, _EPUBCHECKS_SEEN[0] = runs != _EPUBCHECKS_SEEN[0], runs
    if ran and request.node.path.name not in EPUBCHECK_FILES:
        pytest.fail(f"{request.node.path.name} runs EPUBCheck in process: add it to "
                    "EPUBCHECK_FILES (tests/conftest.py)", pytrace=False)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The collector tuned for a test process, as ``layout.cli.command`` tunes it for a
    build: what is imported and collected by now (pytest, the test modules, the layout
    engine, WeasyPrint) is never garbage, so it is frozen out of every collection; and
    young objects are collected less often.  A worker holds the modules of every test and
    the memos of many builds: with the defaults, the collector took a fifth of the desk
    checks' CPU, a twelfth with these settings (the sample's: 17.4 s -> 14.4 s, at a peak
    of 570 MB instead of 470 MB)."""
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    """The one cache of builds, shared by every xdist worker of this session."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "built"
    root.mkdir(exist_ok=True)
    builds = Builds(root)
    yield builds
    assert not builds.changed(), f"a test wrote into these shared builds: {builds.changed()}"


@pytest.fixture(scope="session")
def sample_build(built: Builds) -> Path:
    """The sample built once (PDF, EPUB, HTML) at the default page preset."""
    return built(SAMPLE)
