"""`--script traditional`: every output of the sample in Traditional Chinese, nothing lost."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from layout.app.build import build as build_source
from layout.chars import han_chars
from layout.check import Options, run
from layout.config import load_config
from layout.readers import read
from layout.transforms.script import convert_document, convert_text

from .conftest import OPENING, SAMPLE, Builds, layout_cli
from .epub_support import NS, Epub


@pytest.fixture(scope="module")
def simplified(built: Builds) -> Path:
    return built(SAMPLE, preset="a4")


@pytest.fixture(scope="module")
def traditional(built: Builds) -> Path:
    return built(SAMPLE, preset="a4", flags=("--script", "traditional"))


@pytest.mark.slow
def test_traditional_epub(traditional: Path, simplified: Path) -> None:
    book = Epub(traditional / f"{SAMPLE.stem}.epub")
    text = book.body_text()
    assert "發展" in text and "黨" in text
    assert "发展" not in text and "党" not in text
    assert [e.text for e in book.dc("language")] == ["zh-Hant"]
    assert book.nav.find(f".//{{{NS['x']}}}title").text == "目錄"  # its own words too
    assert "圖片說明" in text and "图片说明" not in text
    (summary,) = book.meta("schema:accessibilitySummary")
    assert "無閃爍" in summary
    assert book.dc("title")[0].text == "增強黨建凝聚力 共畫發展同心圓"
    plain = Epub(simplified / f"{SAMPLE.stem}.epub").body_text()
    assert len(han_chars(text)) == len(han_chars(plain))


@pytest.mark.slow
def test_traditional_pdf_and_html(traditional: Path) -> None:
    pdf = PdfReader(traditional / f"{SAMPLE.stem}.pdf")
    assert pdf.trailer["/Root"]["/Lang"] == "zh-Hant"
    assert "發展" in "".join(p.extract_text() for p in pdf.pages)
    html = (traditional / f"{SAMPLE.stem}.html").read_text("utf-8")
    assert 'lang="zh-Hant"' in html and "發展" in html and "发展" not in html
    assert "人民日報" in html and "人民日报" not in html  # the running heads too


@pytest.mark.slow
def test_fidelity_is_counted_through_the_conversion(traditional: Path) -> None:
    report = run([traditional / f"{SAMPLE.stem}.pdf", traditional / f"{SAMPLE.stem}.epub"],
                 Options(source=SAMPLE, skip=("epub.epubcheck", "typography")))
    fidelity = [r for r in report.results if r.check.startswith("fidelity")]
    assert fidelity and all(r.status == "pass" for r in fidelity), [
        f.format() for r in fidelity for f in r.findings]


def pdf_faces(pdf: Path) -> set[str]:
    """The base names of the fonts a PDF embeds (pdffonts, subset prefixes dropped)."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True,
                         timeout=60).stdout.splitlines()[2:]
    return {line.split()[0].split("+")[-1] for line in out}


@pytest.mark.slow
@pytest.mark.epubcheck
def test_traditional_is_set_in_traditional_faces(traditional: Path) -> None:
    """Taiwan faces (Traditional glyph forms, centred punctuation) in the PDF and the EPUB's
    stylesheet; the build passes `layout check` whole, EPUBCheck included."""
    faces = pdf_faces(traditional / f"{SAMPLE.stem}.pdf")
    assert {"Noto-Serif-CJK-TC", "Noto-Sans-CJK-TC-Bold", "AR-PL-UKai-TW"} <= faces
    assert not [f for f in faces if "SC" in f or "UKai-CN" in f], faces
    css = Epub(traditional / f"{SAMPLE.stem}.epub").read("EPUB/style.css").decode()
    assert 'body { font-family: "Noto Serif CJK TC"' in css and "CJK SC" not in css
    assert '{ font-family: "AR PL UKai TW", "Kaiti TC", "DFKai-SB", "LXGW WenKai"' in css
    assert '"PingFang TC"' in css
    report = run([traditional / f"{SAMPLE.stem}.pdf", traditional / f"{SAMPLE.stem}.epub"],
                 Options(source=SAMPLE))
    assert not report.failed, [f.format() for r in report.results for f in r.findings]


@pytest.mark.slow
def test_hong_kong_faces(tmp_path: Path) -> None:
    """On the sample's opening: its heads, body and editor's note (the three faces)."""
    source = tmp_path / SAMPLE.name
    source.write_text(OPENING, "utf-8")
    settings = load_config(tmp_path).settings(page="a4", script="traditional-hk")
    assert not build_source(source, settings, tmp_path / "out", ("pdf",)).failed
    faces = pdf_faces(tmp_path / "out" / f"{SAMPLE.stem}.pdf")
    assert {"Noto-Serif-CJK-HK", "Noto-Sans-CJK-HK-Bold", "AR-PL-UKai-HK"} <= faces


def test_every_text_of_the_model_is_converted() -> None:
    doc = read(SAMPLE)
    converted = convert_document(doc, "traditional-tw")
    assert converted.title == "增強黨建凝聚力 共畫發展同心圓"
    pairs = list(zip(doc.texts(), converted.texts(), strict=True))
    assert all(len(han_chars(a)) == len(han_chars(b)) for (_, a), (_, b) in pairs)
    assert all(la == lb for (la, _), (lb, _) in pairs)
    changed = sum(a != b for (_, a), (_, b) in pairs)
    assert changed > 0.8 * len(pairs)
    assert [f.image for f in converted.figures] == [f.image for f in doc.figures]
    assert doc.title == "增强党建凝聚力 共画发展同心圆"  # the original is left as it was


@pytest.mark.parametrize(("script", "expected"), [
    ("traditional", "頭髮裏的幹部 爲了"), ("traditional-tw", "頭髮裡的幹部 為了"),
    ("traditional-hk", "頭髮裏的幹部 為了")])
def test_variants(script: str, expected: str) -> None:
    assert convert_text("头发里的干部 为了", script) == expected


@pytest.mark.slow
def test_script_from_layout_toml_and_the_flag_overrides_it(tmp_path: Path) -> None:
    (tmp_path / "layout.toml").write_text('[paper]\nscript = "traditional-tw"\n', "utf-8")
    proc = layout_cli("build", str(SAMPLE), "-o", "tw", "--format", "html", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "tw" / f"{SAMPLE.stem}.html").read_text("utf-8")
    assert 'lang="zh-Hant-TW"' in html and "發展" in html
    proc = layout_cli("build", str(SAMPLE), "-o", "hk", "--format", "html", "-q",
                      "--script", "traditional-hk", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert 'lang="zh-Hant-HK"' in (tmp_path / "hk" / f"{SAMPLE.stem}.html").read_text("utf-8")
