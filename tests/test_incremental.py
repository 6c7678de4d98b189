"""Fast rebuilds: unchanged articles are not rebuilt; -j builds in parallel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layout.app.incremental import MANIFEST, Digest, Manifest

from .conftest import layout_cli

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

ARTICLE = """\
---
title: {title}
byline:
  role: 本报记者
  authors: [张三]
---

{title}的第一段正文，讲述事情的经过。

## 第一节

第一节的正文。
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "source").mkdir()
    for name, title in (("a", "甲文章"), ("b", "乙文章")):
        (tmp_path / "source" / f"{name}.md").write_text(ARTICLE.format(title=title), "utf-8")
    (tmp_path / "layout.toml").write_text(
        '[style]\npage = "a4"\n[output]\nformats = ["pdf", "html"]\n', "utf-8")
    return tmp_path


def stats(out: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_ino)
            for p in sorted(out.iterdir()) if p.name != MANIFEST}


def build(project: Path, *args: str) -> str:
    proc = layout_cli("build", "-q", *args, cwd=project)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_unchanged_sources_are_not_rebuilt(project: Path) -> None:
    out = project / "build"
    first = build(project)
    assert "wrote build/a.pdf" in first and "wrote build/b.pdf" in first
    before = stats(out)
    assert set(before) == {"a.pdf", "a.html", "b.pdf", "b.html"}

    again = build(project)
    assert "up to date: 2 source(s) unchanged" in again and "wrote" not in again
    assert stats(out) == before  # not one output rewritten

    # one source changed: only its outputs are made again
    (project / "source" / "a.md").write_text(ARTICLE.format(title="甲文章改"), "utf-8")
    third = build(project)
    assert "wrote build/a.pdf" in third and "source/b.md: up to date" in third
    after = stats(out)
    assert after["b.pdf"] == before["b.pdf"] and after["b.html"] == before["b.html"]
    assert after["a.pdf"] != before["a.pdf"] and after["a.html"] != before["a.html"]

    # a deleted output is made again
    (out / "b.html").unlink()
    assert "wrote build/b.html" in build(project)

    # --force rebuilds everything
    forced = build(project, "--force")
    assert "wrote build/a.pdf" in forced and "wrote build/b.pdf" in forced


def test_style_and_settings_changes_rebuild(project: Path) -> None:
    build(project)
    override = project / "styles" / "newspaper"
    override.mkdir(parents=True)
    (override / "style.css").write_text(".headline { color: #900; }\n", "utf-8")
    changed = build(project)
    assert "wrote build/a.pdf" in changed and "wrote build/b.pdf" in changed
    assert "up to date: 2" in build(project)
    flag = build(project, "--paper", "晚报")  # a flag is a setting too
    assert "wrote build/a.pdf" in flag


def test_parallel_build_gives_the_same_outputs(project: Path, tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build(project, "-j", "1", "-o", str(serial), "--format", "html")
    out = build(project, "-j", "2", "-o", str(parallel), "--format", "html")
    assert out.count("wrote") == 2
    for name in ("a.html", "b.html"):
        assert (serial / name).read_bytes() == (parallel / name).read_bytes()


def test_manifest_is_plain_json_and_tolerates_damage(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    manifest = Manifest(tmp_path)
    manifest.record("x", "abc", [tmp_path / "x.pdf"])
    manifest.save()
    data = json.loads((tmp_path / MANIFEST).read_text("utf-8"))
    assert data["entries"] == {"x": {"digest": "abc", "outputs": ["x.pdf"]}}
    assert Manifest(tmp_path).fresh("x", "abc")
    assert not Manifest(tmp_path).fresh("x", "abd")
    (tmp_path / "x.pdf").unlink()
    assert not Manifest(tmp_path).fresh("x", "abc")
    (tmp_path / MANIFEST).write_text("{not json", "utf-8")
    assert Manifest(tmp_path).entries == {}


def test_digest_parts_do_not_run_together() -> None:
    assert Digest().add("a", "bc").hexdigest() != Digest().add("ab", "c").hexdigest()
    assert Digest().add("a", "b").add("c", "").hexdigest() != (
        Digest().add("a", "").add("bc", "").hexdigest())
