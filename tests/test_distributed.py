"""`layout build --scheduler`: the per-article work on a Dask cluster, same outputs."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import SAMPLE, Builds, environment, layout_cli, run_layout
from .test_edition import build_edition, make_project, nav_tree

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():  # noqa: ANN201 - yields the scheduler address
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address=None) as local:
        yield local.scheduler_address


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def epub_texts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith((".xhtml", ".css"))}


@pytest.mark.heavy
def test_edition_on_a_cluster_equals_the_local_build(tmp_path: Path, cluster: str,
                                                      built: Builds) -> None:
    """The client in its own process, as a user's; the local build is test_edition's."""
    edition = built.once("edition-project", build_edition) / "build"
    assert cluster.startswith("tcp://127.0.0.1:")
    project = make_project(tmp_path / "p")
    for source in (project / "source").iterdir():  # the dates of the outputs are theirs
        shutil.copystat(edition.parent / "source" / source.name, source)
    remote = run_layout("build", "-q", "-o", "remote", "--scheduler", cluster, cwd=project)
    assert remote.returncode == 0, remote.stderr
    assert "wrote remote/edition.pdf (edition of 3 articles)" in remote.stdout
    a, b = edition, project / "remote"
    names = sorted(p.name for p in a.iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in b.iterdir() if not p.name.startswith("."))
    assert {"edition.pdf", "edition.epub", "second.pdf", "second.epub", "second.html"} <= set(
        names)
    for name in names:
        if name.endswith(".pdf"):
            assert pdf_text(a / name) == pdf_text(b / name), name
        elif name.endswith(".epub"):
            assert epub_texts(a / name) == epub_texts(b / name), name
        else:
            assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert nav_tree(a / "edition.epub") == nav_tree(b / "edition.epub")
    with distributed.Client(cluster) as client:  # the work did run on the cluster
        computed = client.run_on_scheduler(
            lambda dask_scheduler: dask_scheduler.task_prefixes["run_task"].all_durations[
                "compute"])
    assert computed > 0.5  # seconds of layout work done by the cluster's worker


def test_missing_distributed_is_a_clear_error(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    proc = layout_cli("build", str(SAMPLE), "-o", str(tmp_path), "--scheduler",
                      "tcp://127.0.0.1:9")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("D101 --scheduler needs Dask's distributed package: "
                                   "pip install 'layout[dask]'")


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    """Nothing listens on port 9: the client gives up after --scheduler-timeout seconds."""
    proc = layout_cli("build", str(SAMPLE), "-o", str(tmp_path), "--scheduler",
                      "tcp://127.0.0.1:9", "--scheduler-timeout", "0.5")
    assert proc.returncode == 2
    assert proc.stderr.startswith("D102 cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "0.5 s" in proc.stderr  # distributed's own words: the timeout given was the one used
    assert not list(tmp_path.iterdir())


def test_scheduler_timeout_is_a_number_of_seconds() -> None:
    proc = layout_cli("build", "--scheduler-timeout", "never")
    assert proc.returncode == 2
    assert "argument --scheduler-timeout: expected a number from 0.1 to 3600, not 'never'" \
        in proc.stderr


def test_workers_take_the_client_s_source_date_epoch(tmp_path: Path, cluster: str) -> None:
    """A worker has its own environment: the build date is the client's all the same."""
    import os

    from pypdf import PdfReader

    source = tmp_path / "brief.txt"
    source.write_text("春耕时节田野忙\n\n本报北京3月5日电　各地春耕备耕有序展开。\n", "utf-8")
    os.utime(source, (1_000_000_000, 1_000_000_000))
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    with environment({"SOURCE_DATE_EPOCH": None}):  # the worker's (this process's) own
        done = run_layout("build", "-q", str(source), "--format", "pdf", "-o",
                          str(tmp_path / "out"), "--scheduler", cluster, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    info = PdfReader(tmp_path / "out" / "brief.pdf").metadata
    assert info is not None and str(info["/CreationDate"]).startswith("D:20231114")
