"""Building many articles: in this process, a local process pool or a Dask cluster.

All three are a :class:`concurrent.futures.Executor`, so the build takes one code path:
read every source here (cheap), skip those whose inputs are unchanged
(:mod:`layout.app.incremental`), submit the rest to the executor, collect results as they
finish.  The layout engine is imported only where an article is built, so that a build
with nothing to do is over in a moment.  Workers of a Dask cluster must see the project
and output folders at the same paths (a shared file system), as with any Dask deployment
reading local files.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LayoutError
from ..limits import DEFAULT_LIMITS, SourceLimits
from ..model import Document
from ..readers import read
from ..settings import Settings
from .incremental import Manifest, article_digest, settings_digest

if TYPE_CHECKING:
    from .build import BuildResult


EPOCH = "SOURCE_DATE_EPOCH"


@dataclass(frozen=True)
class Task:
    """One article's work, self-contained so that it can be sent to another process."""

    source: Path
    doc: Document
    settings: Settings
    out_dir: Path
    formats: tuple[str, ...]
    fit_pages: int | None = None
    # The client's SOURCE_DATE_EPOCH: a worker of a Dask cluster has its own environment.
    epoch: str | None = field(default_factory=lambda: os.environ.get(EPOCH))


@dataclass
class Outcome:
    source: Path
    result: BuildResult | None = None
    error: LayoutError | None = None
    skipped: bool = False  # up to date: nothing was rebuilt
    fit: str | None = None  # what copyfit changed
    seconds: float = 0.0
    doc: Document | None = field(default=None, repr=False)

    @property
    def failed(self) -> bool:
        return self.error is not None or (self.result is not None and self.result.failed)


def run_task(task: Task) -> Outcome:
    """The per-article work: copyfit if asked, then every output.  Runs in a worker."""
    from .build import build_document  # the layout engine: imported where work is done

    start = time.perf_counter()
    outcome = Outcome(task.source)
    try:
        with _epoch(task.epoch):
            outcome.result = build_document(task.doc, task.source, task.settings,
                                            task.out_dir, task.formats, task.fit_pages)
        outcome.fit = outcome.result.fit
    except LayoutError as exc:
        outcome.error = exc
    outcome.seconds = time.perf_counter() - start
    return outcome


@contextlib.contextmanager
def _epoch(value: str | None) -> Iterator[None]:
    """The environment's SOURCE_DATE_EPOCH as the client had it, for one task (a worker
    builds the same bytes as this process would)."""
    old = os.environ.get(EPOCH)
    if old == value:
        yield
        return
    _set(value)
    try:
        yield
    finally:
        _set(old)


def _set(value: str | None) -> None:
    if value is None:
        os.environ.pop(EPOCH, None)
    else:
        os.environ[EPOCH] = value


class SerialExecutor(Executor):
    """Runs each call at once in this process: ``-j 1`` without a pool's start-up cost."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future
            future.set_exception(exc)
        return future


# How long to wait for a Dask scheduler to answer (`layout build --scheduler-timeout`).
SCHEDULER_TIMEOUT = 10.0


@contextlib.contextmanager
def open_executor(jobs: int = 1, scheduler: str | None = None,
                  timeout: float = SCHEDULER_TIMEOUT) -> Iterator[Executor]:
    """This process (jobs 1), a process pool (jobs > 1) or a Dask scheduler's workers
    (waiting up to ``timeout`` seconds for the scheduler to answer)."""
    if scheduler:
        with dask_executor(scheduler, timeout) as executor:
            yield executor
    elif jobs > 1:
        # spawn, not fork: the parent may run threads (progress display) holding locks.
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield pool
    else:
        yield SerialExecutor()


@contextlib.contextmanager
def dask_executor(address: str, timeout: float = SCHEDULER_TIMEOUT) -> Iterator[Executor]:
    try:
        from distributed import Client
    except ImportError:
        raise LayoutError("D101", "--scheduler needs Dask's distributed package: "
                          "pip install 'layout[dask]'", exit_code=2) from None
    try:
        client = Client(address, timeout=f"{timeout}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise LayoutError("D102", f"cannot reach the Dask scheduler at {address}: {exc}",
                          exit_code=2) from None
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()


def build_all(sources: Sequence[Path], settings: Settings, out_dir: Path,
              formats: tuple[str, ...], executor: Executor, *, force: bool = False,
              fit: int | None = None, on_outcome: Callable[[Outcome], None] = lambda o: None,
              limits: SourceLimits = DEFAULT_LIMITS) -> list[Outcome]:
    """Build ``sources`` (in their order in the result); unchanged ones are skipped."""
    out_dir = out_dir.resolve()
    manifest = Manifest(out_dir)
    settings_hex = settings_digest(settings)
    outcomes: dict[Path, Outcome] = {}
    pending: dict[Future, tuple[Path, str, Document]] = {}
    for source in sources:  # reported as given; sent to workers as absolute paths
        try:
            doc = read(source, limits)
        except LayoutError as exc:
            outcomes[source] = Outcome(source, error=exc)
            on_outcome(outcomes[source])
            continue
        digest = article_digest(source, doc, settings_hex, formats, fit)
        if not force and manifest.fresh(source.stem, digest):
            outcomes[source] = Outcome(source, skipped=True, doc=doc)
            on_outcome(outcomes[source])
            continue
        task = Task(source.resolve(), doc, settings, out_dir, formats, fit)
        pending[executor.submit(run_task, task)] = (source, digest, doc)
    for future in as_completed(pending):
        source, digest, doc = pending[future]
        outcome = future.result()
        outcome.source, outcome.doc = source, doc
        if outcome.failed or outcome.result is None:
            manifest.forget(source.stem)
        else:
            manifest.record(source.stem, digest, outcome.result.outputs)
        outcomes[source] = outcome
        on_outcome(outcome)
    manifest.save()
    return [outcomes[s] for s in sources]
