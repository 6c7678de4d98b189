"""`layout check` on EPUBs: a good one from the build, broken ones made by editing it."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from layout.check import Options, epubcheck, run

from . import check_support as support
from .conftest import SAMPLE, Builds

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

OFFLINE = ("epub.epubcheck", "typography")  # EPUBCheck's JVM runs in two tests only


def epub_codes(path: Path, **options: object) -> dict[str, list[str]]:
    options.setdefault("skip", OFFLINE)
    report = run([path], Options(**options))
    out: dict[str, list[str]] = {}
    for r in report.results:
        if r.path == str(path):
            out.setdefault(r.check, []).extend(f.code for f in r.findings)
    return out


@pytest.fixture(scope="session")
def sample_epub(sample_build: Path) -> Path:
    return sample_build / f"{support.NAME}.epub"


def edited(sample_epub: Path, tmp_path: Path, edit) -> Path:  # noqa: ANN001
    return support.rewrite_epub(sample_epub, tmp_path / "edited" / sample_epub.name, edit)


def test_sample_epub_passes_epubcheck_and_every_epub_check(sample_epub: Path) -> None:
    """(The sample's PDF passes in test_check_report.test_sample_passes_in_all_three_formats.)"""
    report = run([sample_epub], Options(source=SAMPLE, skip=("typography",)))
    assert not report.failed, [f.format() for f in report.findings]
    epub = {r.check: r.status for r in report.results if r.path.endswith(".epub")}
    assert epub["epub.epubcheck"] == "pass"
    assert epub["fidelity.characters"] == epub["fidelity.blocks"] == "pass"
    assert epub["epub.page-list"] == "pass"  # against the PDF beside it


def drop_container_rootfile_target(members: dict[str, bytes]) -> None:
    """An EPUB edit that EPUBCheck reports as an error: a manifest item with no file."""
    opf = support.opf_name(members)
    members[opf] = members[opf].replace(b"</manifest>",
                                        b'<item id="ghost" href="ghost.xhtml" '
                                        b'media-type="application/xhtml+xml"/></manifest>')


def test_epubcheck_errors_are_e201(sample_epub: Path, tmp_path: Path) -> None:
    broken = edited(sample_epub, tmp_path, drop_container_rootfile_target)
    found = epub_codes(broken, skip=("typography",))
    assert "E201" in found["epub.epubcheck"]


def test_java_missing_is_e203_unless_no_epubcheck(sample_epub: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no java here
    assert epub_codes(sample_epub, skip=("typography",))["epub.epubcheck"] == ["E203"]
    report = run([sample_epub], Options(skip=OFFLINE))
    assert next(r for r in report.results if r.check == "epub.epubcheck").status == "skip"


def test_epub_without_nav_is_e301(sample_epub: Path, tmp_path: Path) -> None:
    def drop_nav(members: dict[str, bytes]) -> None:
        nav = support.nav_name(members)
        del members[nav]
        opf = support.opf_name(members)
        text = members[opf].decode()
        text = re.sub(r"<item [^>]*properties=\"nav\"[^>]*/>", "", text)
        text = re.sub(r"<itemref idref=\"nav\"[^>]*/>", "", text)
        members[opf] = text.encode()

    assert epub_codes(edited(sample_epub, tmp_path, drop_nav))["epub.nav"] == ["E301"]


def test_heading_missing_from_nav_is_e302(sample_epub: Path, tmp_path: Path) -> None:
    def drop_entry(members: dict[str, bytes]) -> None:
        nav = support.nav_name(members)
        text = members[nav].decode()
        members[nav] = re.sub(r"<li>\s*<a href=\"[^\"]*section2[^\"]*\">[^<]*</a>", "<li>",
                              text, count=1).encode()

    found = epub_codes(edited(sample_epub, tmp_path, drop_entry))
    assert found["epub.nav"] == ["E302"]


@pytest.mark.parametrize(("tag", "code"), [("en", "E403"), ("zh_Hans", "E402")])
def test_wrong_language_tag(sample_epub: Path, tmp_path: Path, tag: str, code: str) -> None:
    def relabel(members: dict[str, bytes]) -> None:
        opf = support.opf_name(members)
        members[opf] = re.sub(rb"<dc:language>[^<]*</dc:language>",
                              f"<dc:language>{tag}</dc:language>".encode(), members[opf])

    found = epub_codes(edited(sample_epub, tmp_path, relabel))["epub.language"]
    assert code in found and set(found) <= {"E402", "E403"}


def test_missing_accessibility_metadata_is_e501(sample_epub: Path, tmp_path: Path) -> None:
    def strip(members: dict[str, bytes]) -> None:
        opf = support.opf_name(members)
        members[opf] = re.sub(rb"<meta property=\"schema:accessibilityHazard\"[^>]*>[^<]*"
                              rb"</meta>", b"", members[opf])

    found = epub_codes(edited(sample_epub, tmp_path, strip))["epub.accessibility"]
    assert found == ["E501"]


def test_container_rules(sample_epub: Path, tmp_path: Path) -> None:
    out = tmp_path / "bad-zip.epub"
    with zipfile.ZipFile(sample_epub) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        for name in [n for n in names if n != "mimetype"] + ["mimetype"]:  # mimetype last
            dst.writestr(name, src.read(name), compress_type=zipfile.ZIP_DEFLATED)
        dst.writestr("图片.txt", b"x")
    assert epub_codes(out)["epub.container"] == ["E101", "E102", "E105"]


def test_page_list_against_the_pdf_of_the_same_build(sample_build: Path, tmp_path: Path
                                                     ) -> None:
    """A page-list with one entry per PDF page passes; one entry more is E601."""
    pdf = support.copy_as(sample_build / f"{support.NAME}.pdf", tmp_path / "pages")
    pages = len(PdfReader(pdf).pages)

    def page_list(entries: int):  # noqa: ANN202
        def edit(members: dict[str, bytes]) -> None:
            nav = support.nav_name(members)
            text = re.sub(r"<nav [^>]*page-list.*?</nav>", "", members[nav].decode(),
                          flags=re.S)
            items = "".join(f'<li><a href="#p{n}">{n}</a></li>' for n in range(1, entries + 1))
            members[nav] = text.replace(
                "</body>", f'<nav epub:type="page-list" hidden="hidden"><ol>{items}</ol></nav>'
                "</body>").encode()
        return edit

    good = support.rewrite_epub(sample_build / f"{support.NAME}.epub",
                                tmp_path / "pages" / f"{support.NAME}.epub", page_list(pages))
    assert epub_codes(good)["epub.page-list"] == []
    support.rewrite_epub(sample_build / f"{support.NAME}.epub", good, page_list(pages + 1))
    assert epub_codes(good)["epub.page-list"] == ["E601"]


def test_epub_without_a_paragraph_fails_fidelity(base_cut: tuple[Path, int, str]) -> None:
    folder, line, _ = base_cut
    epub = folder / f"{support.NAME}.epub"
    report = run([epub], Options(source=SAMPLE, skip=OFFLINE))
    found = {f.code: f for f in report.findings}
    assert set(found) == {"F101", "F103"}
    assert f"{SAMPLE}:{line} " in found["F103"].message


@pytest.fixture(scope="session")
def base_cut(built: Builds) -> tuple[Path, int, str]:
    return support.cut_paragraph_build(built)


def test_one_jvm_checks_every_epub_of_the_process(sample_epub: Path, tmp_path: Path) -> None:
    """`layout check` keeps one EPUBCheck JVM per process: a second EPUB (a broken one,
    whose errors it still reports) reuses it (tests/test_epubcheck.py: the runner)."""
    checker = epubcheck.shared(shutil.which("java") or "java")
    online = ("typography",)
    assert epub_codes(sample_epub, skip=online)["epub.epubcheck"] == []
    first = checker.pid
    assert first is not None and checker.fallback is None
    broken = edited(sample_epub, tmp_path, drop_container_rootfile_target)
    assert "E201" in epub_codes(broken, skip=online)["epub.epubcheck"]
    assert checker.pid == first
