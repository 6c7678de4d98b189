"""`layout build` in a project with a page plan ([[pages]]): each page's PDF, the edition
of all pages (PDF and EPUB, the stories grouped under their page), clear errors."""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from . import compose_copy as copy
from .conftest import EPOCH, layout_cli, run_layout
from .test_compose import LEAD

pytestmark = pytest.mark.slow  # builds pages

PLAN = """\
[paper]
name = "人民日报"

[[pages]]
number = 1
name = "要闻"
stories = ["p1/lead.txt", "p1/second.txt", "p1/briefs.txt", "p1/comment.txt"]

[[pages]]
number = 2
name = "经济"
stories = ["p2/lead.txt", "p2/second.txt", "p2/briefs.txt", "p2/comment.txt"]
boxes = [{ name = "广告", columns = 4, lines = 30, position = "bottom-right" }]
"""


def _write_project(root: Path) -> None:
    p1, p2 = root / "p1", root / "p2"
    p1.mkdir(parents=True)
    p2.mkdir()
    copy.news(p1, "lead.txt", LEAD, 18, subtitle="——各地抓住农时推进春季农业生产", photo=True)
    copy.news(p1, "second.txt", "外贸开局平稳向好", 14, subtitle="——前两个月进出口增长百分之五",
              byline="本报记者　李华", sentences=3)
    copy.briefs(p1)
    copy.commentary(p1, 8)
    copy.news(p2, "lead.txt", LEAD, 14, photo=True)
    copy.news(p2, "second.txt", "外贸开局平稳向好", 8, byline="本报记者　李华", sentences=3)
    copy.briefs(p2)
    copy.commentary(p2, 8)
    (root / "layout.toml").write_text(PLAN, "utf-8")


@pytest.fixture(scope="module")
def built_plan(tmp_path_factory: pytest.TempPathFactory
               ) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The project built with --check (its synthetic photos are too small for print)."""
    root = tmp_path_factory.mktemp("plan")
    _write_project(root)
    return root, layout_cli("build", "-q", "--check", cwd=root,
                            env={"SOURCE_DATE_EPOCH": EPOCH})


@pytest.fixture(scope="module")
def project(built_plan: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    root, proc = built_plan
    assert "wrote build/pages.epub" in proc.stdout, proc.stderr
    return root


def test_build_check_checks_every_page_and_the_edition(
        built_plan: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """`layout build --check`: each page's PDF (fidelity and column feet per module), the
    edition's PDF and EPUB; the only findings are the soft synthetic photos (P212), so the
    build fails."""
    _, proc = built_plan
    assert proc.returncode == 1, proc.stdout + proc.stderr
    findings = [line for line in proc.stdout.splitlines() if ": P" in line or ": F" in line
                or ": L" in line or ": T" in line or ": E" in line]
    assert findings and all(" P212 " in line for line in findings), findings
    assert "layout check: 2 files" in proc.stdout  # the pages, then the edition


def test_each_page_and_the_edition_are_written(project: Path) -> None:
    out = project / "build"
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "page-01.html", "page-01.pdf", "page-02.html", "page-02.pdf", "pages.epub",
        "pages.pdf"]
    assert len(PdfReader(out / "page-01.pdf").pages) == 1
    edition = PdfReader(out / "pages.pdf")
    assert len(edition.pages) == 2
    assert "第2版" in edition.pages[1].extract_text() and "经济" in edition.pages[1].extract_text()


def test_the_epub_groups_each_page_s_stories_under_it(project: Path) -> None:
    with zipfile.ZipFile(project / "build" / "pages.epub") as z:
        nav = z.read("EPUB/nav.xhtml").decode("utf-8")
        names = z.namelist()
    assert [n for n in names if n.endswith("cover.xhtml")] == ["EPUB/a1/cover.xhtml"]
    first, second = nav.index("第1版　要闻"), nav.index("第2版　经济")
    assert first < nav.index("外贸开局平稳向好") < nav.index("让创新活力充分涌流") < second
    assert nav.count("春季招聘会今起举行") == 2  # a chapter per brief, on each page


def test_a_story_too_long_for_its_page_is_named_at_the_plan(tmp_path: Path) -> None:
    copy.news(tmp_path, "lead.txt", LEAD, 80)
    copy.news(tmp_path, "second.txt", "外贸开局平稳向好", 4)
    (tmp_path / "layout.toml").write_text(
        '[[pages]]\nnumber = 3\nstories = ["lead.txt", "second.txt"]\n', "utf-8")
    proc = layout_cli("build", cwd=tmp_path)
    assert proc.returncode == 3
    assert "layout.toml:1: L210 too long for the page" in proc.stderr
    assert LEAD in proc.stderr and "lead.txt" in proc.stderr
    assert not (tmp_path / "build").exists()


def test_inspect_plan_shows_the_modules_the_build_placed(project: Path) -> None:
    proc = layout_cli("inspect", "--plan", cwd=project)
    assert proc.returncode == 0, proc.stderr
    pages = proc.stdout.split("\n\n")
    assert pages[0].startswith("第1版 要闻 (broadsheet: 8 columns") and "第2版 经济" in pages[1]
    for text, name in zip(pages, ("page-01.pdf", "page-02.pdf"), strict=True):
        rows = [line.split() for line in text.splitlines()[2:]]
        table = sorted(tuple(int(v) for v in row[-7:-3]) if row[-5] != "box" else
                       tuple(int(v) for v in row[-4:]) for row in rows)
        meta = str(PdfReader(project / "build" / name).metadata["/layoutmodules"])
        placed = sorted((x + 1, y + 1, w, h) for x, y, w, h, _ in (
            tuple(int(v) for v in part.split()[1:]) for part in meta.split("; ")))
        assert table == placed
    assert "春耕备耕有序展开" in pages[0] and "64pt" in pages[0]


def test_compose_sets_an_archive_page_s_stories_on_one_page(tmp_path: Path) -> None:
    parts = ["2001年3月5日某某日报 第4版", ""]
    for title, paragraphs, column in ((LEAD, 7, ""), ("外贸开局平稳向好", 8, "经济观察"),
                                      ("城市更新让老街焕发新生", 6, "")):
        parts += ["第4版(要闻)", f"专栏:{column}", title,
                  *(copy.paragraph(4, k) for k in range(paragraphs)), ""]
    (tmp_path / "archive.txt").write_text("\n".join(parts), "utf-8")
    proc = layout_cli("build", "--compose", "--check", "--page", "a3", "archive.txt", "-o",
                      "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "layout check: 1 file" in proc.stdout and " 0 failed" in proc.stdout
    reader = PdfReader(tmp_path / "out" / "archive.pdf")
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace("\n", "")
    assert all(t in text for t in ("外贸开局平稳向好", "城市更新让老街焕发新生", "经济观察",
                                   "第4版", "要闻"))
    assert (tmp_path / "out" / "archive.epub").is_file()


def test_serve_previews_each_planned_page(project: Path) -> None:
    from layout.app.serve import Preview, index_page

    preview = Preview(project, None, lambda config: [], {})
    snap = preview.rebuild()
    assert list(snap.articles) == ["page-01", "page-02"]
    for page in snap.articles.values():
        assert not page.messages or all("L213" in m for m in page.messages), page.messages
        assert len(page.pages) == 1 and page.pages[0].startswith(b"\x89PNG")
        assert 'name="layout-modules"' in page.html
    assert "第2版 经济" in index_page(snap)
    assert preview.rebuild().articles["page-01"] is snap.articles["page-01"]  # unchanged


JUMP_PLAN = """\
[style]
page = "a3"

[[pages]]
number = 1
name = "要闻"
stories = ["p1/lead.txt", "p1/second.txt"]

[[pages]]
number = 2
name = "经济"
stories = ["p2/lead.txt", "p2/second.txt"]
"""
CITY, READING = "城市更新让老街焕发新生", "全民阅读活动启动"


@pytest.fixture(scope="module")
def jumped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """(c) a lead too long for page 1, built with --jump: the rest goes to page 2."""
    root = tmp_path_factory.mktemp("jump")
    p1, p2 = root / "p1", root / "p2"
    p1.mkdir()
    p2.mkdir()
    copy.news(p1, "lead.txt", LEAD, 34)
    copy.news(p1, "second.txt", "外贸开局平稳向好", 8, byline="本报记者　李华")
    copy.news(p2, "lead.txt", CITY, 6, byline="本报记者　赵明")
    copy.news(p2, "second.txt", READING, 4, byline="本报记者　钱进")
    (root / "layout.toml").write_text(JUMP_PLAN, "utf-8")
    return root


def test_without_jump_the_story_too_long_is_named(jumped: Path) -> None:
    proc = layout_cli("build", "-o", "plain", cwd=jumped)
    assert proc.returncode == 3
    first = next(line for line in proc.stderr.splitlines() if "layout.toml:4:" in line)
    assert "L210 too long for the page" in first and LEAD in first and "p1/lead.txt" in first
    assert "(--jump)" in first
    assert not (jumped / "plain").exists()


def test_with_jump_the_rest_continues_on_the_next_page(jumped: Path) -> None:
    """下转第2版 at the end of page 1's part, 上接第1版 at the start of page 2's, under a
    short 续 headline (the story's own, smaller than page 2's lead); every other headline
    once across the two pages; `layout check` passes both pages (fidelity read per
    module: each part's characters in its own module, the cut recorded; column feet and
    heads per module) and the edition; layout.jumps on the edition only: it looks for the
    page a jump line names in the same PDF, and each page is a PDF of its own.  The same
    bytes on a rebuild by a fresh interpreter."""
    from layout.check import Options, run

    proc = layout_cli("build", "--jump", "-o", "out", cwd=jumped,
                      env={"SOURCE_DATE_EPOCH": EPOCH})
    assert proc.returncode == 0, proc.stderr
    out = jumped / "out"
    first, second = (re.sub(r"\s", "", PdfReader(out / f"page-0{n}.pdf").pages[0]
                            .extract_text()) for n in (1, 2))
    assert "（下转第2版）" in first and "（上接第1版）" in second
    assert "下转" not in second and "上接" not in first
    for title in ("外贸开局平稳向好", CITY, READING):
        assert (first + second).count(re.sub(r"\s", "", title)) == 1
    lead = re.sub(r"\s", "", LEAD)
    assert first.count(lead) == second.count(lead) == 1
    with pdfplumber.open(out / "page-02.pdf") as doc:
        chars = doc.pages[0].chars
    size = {t: max(c["size"] for c in chars if c["text"] == t[0]) for t in (LEAD, CITY)}
    assert size[LEAD] < size[CITY]  # the 续 headline under page 2's own lead
    assert second.index(lead) < second.index("（上接第1版）")
    pages = [out / "page-01.pdf", out / "page-02.pdf"]
    report = run(pages, Options(skip=("preflight.images", "layout.jumps")))
    assert not report.failed, [(f.code, f.message) for f in report.findings]
    assert sum(r.status == "pass" for r in report.results
               if r.check.startswith("fidelity")) == 4
    assert [r.status for r in report.results if r.check in (
        "layout.column-feet", "layout.stranded-heads")] == ["pass"] * 4
    edition = run([out / "pages.pdf"], Options(skip=("preflight.images", "layout.column-feet")))
    assert not edition.failed, [(f.code, f.message) for f in edition.findings]
    assert [r.status for r in edition.results if r.check == "layout.jumps"] == ["pass"]
    again = run_layout("build", "--jump", "-o", "again", cwd=jumped,
                       env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert again.returncode == 0, again.stderr
    for name in ("page-01.pdf", "page-02.pdf", "pages.pdf", "pages.epub"):
        assert (out / name).read_bytes() == (jumped / "again" / name).read_bytes(), name


def test_serve_with_jump_previews_the_pages_as_build_jump_makes_them(jumped: Path) -> None:
    """Without --jump the preview names the story too long for page 1 (its banner) and
    shows page 2 without it; with --jump page 1 ends in 下转第2版 and page 2 holds the
    rest under its 续 headline, as `layout build --jump` builds them."""
    from layout.app.serve import Preview

    def jump_lines(html: str) -> list[str]:
        return [re.sub(r"<[^>]+>", "", line) for line in
                re.findall(r'<p class="jump-line"[^>]*>(.*?)</p>', html)]

    plain = Preview(jumped, None, lambda config: [], {}).rebuild()
    assert any("L21" in m for m in plain.articles["page-01"].messages)
    assert jump_lines(plain.articles["page-02"].html) == []
    preview = Preview(jumped, None, lambda config: [], {"jump": "yes"})
    snap = preview.rebuild()
    first, second = snap.articles["page-01"], snap.articles["page-02"]
    assert not first.messages and not second.messages, (first.messages, second.messages)
    assert jump_lines(first.html) == ["（下转第2版）"]
    assert jump_lines(second.html) == ["（上接第1版）"]
    assert len(first.pages) == len(second.pages) == 1
    assert preview.rebuild().articles["page-02"] is second  # unchanged


def test_inspect_plan_with_jump_shows_the_continuation(jumped: Path) -> None:
    proc = layout_cli("inspect", "--plan", "--jump", cwd=jumped)
    assert proc.returncode == 0, proc.stderr
    first, second = proc.stdout.split("\n\n")
    assert "continuation" not in first and LEAD[:8] in first
    assert [line.split()[-8] for line in second.splitlines()[2:]] == [
        "news", "news", "continuation"]
