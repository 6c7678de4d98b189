"""`layout build --scheduler`: the per-article work on a Dask cluster, same outputs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, run_layout
from .test_edition import make_project, nav_tree

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


def test_edition_on_a_cluster_equals_the_local_build(tmp_path: Path, cluster: str) -> None:
    assert cluster.startswith("tcp://127.0.0.1:")
    project = make_project(tmp_path / "p")
    local = run_layout("build", "-q", "-o", "local", cwd=project)
    assert local.returncode == 0, local.stderr
    remote = run_layout("build", "-q", "-o", "remote", "--scheduler", cluster, cwd=project)
    assert remote.returncode == 0, remote.stderr
    assert "wrote remote/edition.pdf (edition of 3 articles)" in remote.stdout
    a, b = project / "local", project / "remote"
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


def test_missing_distributed_is_a_clear_error(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['distributed'] = None; from layout.cli import main; "
            "sys.exit(main(sys.argv[1:]))")
    source = ROOT / "source" / "renmin-ribao-party-building.txt"
    proc = subprocess.run([sys.executable, "-c", code, "build", str(source), "-o",
                           str(tmp_path), "--scheduler", "tcp://127.0.0.1:9"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("D101 --scheduler needs Dask's distributed package: "
                                   "pip install 'layout[dask]'")


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    source = ROOT / "source" / "renmin-ribao-party-building.txt"
    proc = run_layout("build", str(source), "-o", str(tmp_path), "--scheduler",
                      "tcp://127.0.0.1:9")
    assert proc.returncode == 2
    assert proc.stderr.startswith("D102 cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "Traceback" not in proc.stderr
