"""Press-ready PDF/X: CMYK only, K-only black overprinting, photos converted and preflighted.

The sample is built with an RGB photo (图①) and a low-resolution one (图②, 160×107 px)
as PDF/X-4 and PDF/X-1a; everything is verified from the files.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageCms
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ContentStream, DecodedStreamObject, NameObject

from layout.app.build import BuildResult, build
from layout.app.incremental import settings_digest
from layout.check import Options, run
from layout.check.pdf_content import Scan, scan_pdf
from layout.errors import LayoutError
from layout.settings import Design, Publication, RunOptions, Settings, load_style
from layout.writers import press
from layout.writers.press_options import bleed_mm

from .conftest import OPENING, SAMPLE, layout_cli

pytestmark = pytest.mark.slow
ARTICLE = Path(__file__).parent / "fixtures" / "ai-farming.txt"


def settings(variant: str | None, page: str | None = None, style: str = "newspaper",
             project: Path | None = None, **options: object) -> Settings:
    loaded = load_style(style, project)
    return Settings(Publication(), Design(loaded, loaded.preset(page)),
                    RunOptions(pdf_variant=variant, **options))  # type: ignore[arg-type]


def photos(folder: Path) -> None:
    """图①: an RGB gradient at 1800×1200 px; 图②: a flat RGB photo at 160×107 px (under
    150 ppi in a frame a column wide, about 40 mm on a broadsheet)."""
    gradient = Image.linear_gradient("L").resize((1800, 1200))
    Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.ROTATE_90).resize(
        (1800, 1200)), Image.new("L", (1800, 1200), 120))).save(folder / "图①.jpg")
    Image.new("RGB", (160, 107), (30, 90, 160)).save(folder / "图②.png")


@dataclasses.dataclass
class Built:
    result: BuildResult
    pdf: Path

    @property
    def reader(self) -> PdfReader:
        return PdfReader(self.pdf)

    @property
    def scan(self) -> Scan:
        return scan_pdf(self.reader)


@pytest.fixture(scope="module")
def sample_with_photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("press-source")
    source = folder / SAMPLE.name
    shutil.copy(SAMPLE, source)
    photos(folder)
    return source


@pytest.fixture(scope="module", params=["pdf/x-4", "pdf/x-1a"])
def pdfx(request: pytest.FixtureRequest, sample_with_photos: Path,
         tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("pdfx")
    result = build(sample_with_photos, settings(request.param, bleed_mm=3.0,
                                                marks=("crop", "registration", "colorbar")),
                   out, ("pdf",))
    assert not result.failed, [d.format("") for d in result.diagnostics]
    return Built(result, out / f"{SAMPLE.stem}.pdf")


def objects(reader: PdfReader) -> list[object]:
    """Every indirect object of the file."""
    out = []
    for _generation, numbers in reader.xref.items():
        for number in numbers:
            out.append(reader.get_object(number).get_object())
    return out


def content_streams(reader: PdfReader) -> list[tuple[object, object]]:
    """Each page's content and each Form XObject, with its resources."""
    out = [(page.get_contents(), page["/Resources"]) for page in reader.pages]
    out += [(o, o.get("/Resources")) for o in objects(reader)
            if hasattr(o, "get_data") and o.get("/Subtype") == "/Form"]
    return out


def test_output_intent_embeds_a_cmyk_output_profile(pdfx: Built) -> None:
    intents = pdfx.reader.trailer["/Root"]["/OutputIntents"]
    assert len(intents) == 1
    intent = intents[0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    icc = intent["/DestOutputProfile"].get_object()
    data = icc.get_data()
    assert icc["/N"] == 4 and data[16:20] == b"CMYK" and data[12:16] == b"prtr"
    profile = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    assert profile.profile_description == intent["/OutputConditionIdentifier"]


def test_no_rgb_anywhere(pdfx: Built) -> None:
    """No RGB colour operator in any content stream or form, no RGB space in any object."""
    for obj in objects(pdfx.reader):
        text = repr(obj)
        assert "/DeviceRGB" not in text and "/CalRGB" not in text
        if isinstance(obj, list) and obj and obj[0] == "/ICCBased":
            assert obj[1].get_object()["/N"] == 4
    for stream, _ in content_streams(pdfx.reader):
        operators = Counter(op for _, op in ContentStream(stream, pdfx.reader).operations)
        assert operators[b"rg"] == operators[b"RG"] == 0
    images = [o for o in objects(pdfx.reader) if o.get("/Subtype") == "/Image"]
    assert len(images) == 2 and {str(i["/ColorSpace"]) for i in images} == {"/DeviceCMYK"}
    assert pdfx.scan.rgb == {}


def test_black_text_is_k_only_and_overprints(pdfx: Built) -> None:
    with pdfplumber.open(pdfx.pdf) as pdf:
        colours = Counter(tuple(c["non_stroking_color"] or ()) for p in pdf.pages
                          for c in p.chars)
    total = sum(colours.values())
    assert colours[(0, 0, 0, 1)] / total >= 0.95, colours.most_common(5)
    scan = pdfx.scan
    assert scan.black_glyphs / scan.glyphs >= 0.95
    assert scan.black_overprinted == scan.black_glyphs
    assert scan.rich_black == {}


def test_trim_bleed_and_marks_in_registration_colour(pdfx: Built) -> None:
    page = pdfx.reader.pages[0]
    three_mm = 3 * 72 / 25.4
    assert float(page.trimbox.left) - float(page.bleedbox.left) == pytest.approx(three_mm, 0.01)
    assert float(page.mediabox.width) > float(page.bleedbox.width) + 2 * three_mm
    spaces = page["/Resources"]["/ColorSpace"]
    registration = [v for v in spaces.values() if v.get_object()[0] == "/Separation"]
    assert [str(v.get_object()[1]) for v in registration] == ["/All"]
    assert pdfx.scan.registration_inside == set()


def test_x1a_is_pdf_14_without_transparency(pdfx: Built) -> None:
    if pdfx.scan.pdfx == "PDF/X-4":
        pytest.skip("PDF/X-4 may keep live transparency")
    assert pdfx.scan.pdfx == "PDF/X-1a:2003"
    assert pdfx.pdf.read_bytes().startswith(b"%PDF-1.4")
    assert pdfx.scan.transparency == {}
    for obj in objects(pdfx.reader):
        if isinstance(obj, dict):
            assert "/SMask" not in obj or str(obj["/SMask"]) == "/None"
            assert float(obj.get("/ca", 1)) == 1 and float(obj.get("/CA", 1)) == 1
            group = obj.get("/Group")
            assert group is None or group.get_object().get("/S") != "/Transparency"


def test_low_resolution_photo_reported_with_its_ppi(pdfx: Built) -> None:
    lines = [d.format("s") for d in pdfx.result.diagnostics if d.code.startswith("P21")]
    figure = next(b for b in _figure_lines() if b[0] == "图②")
    ppis = sorted(round(i.ppi) for i in pdfx.scan.images)
    assert ppis[0] < 150 and ppis[1] > 300  # the frame, measured from the PDF
    assert lines == [f"s:{figure[1]}: P212 photo of 图② (图②.png, 160×107 px) is {ppis[0]} ppi "
                     "in its frame: visibly soft (under 150 ppi)"]


def _figure_lines() -> list[tuple[str, int]]:
    from layout.readers import read

    return [(f.label, f.line) for f in read(SAMPLE).figures]


def test_photo_converted_through_the_profile(pdfx: Built) -> None:
    """The flat blue photo keeps its colour: cyan and magenta, hardly any yellow."""
    image = next(i for i in objects(pdfx.reader) if i.get("/Subtype") == "/Image"
                 and i["/Width"] == 160)
    c, m, y, k = Image.open(io.BytesIO(image._data)).getpixel((80, 53))
    assert c > 200 and 100 < m < 220 and y < 60 and k < 60


def test_reproducible(pdfx: Built, sample_with_photos: Path, tmp_path: Path) -> None:
    variant = pdfx.scan.pdfx
    assert variant is not None
    name = "pdf/x-4" if variant == "PDF/X-4" else "pdf/x-1a"
    marks = ("crop", "registration", "colorbar")
    build(sample_with_photos, settings(name, bleed_mm=3.0, marks=marks), tmp_path, ("pdf",))
    assert (tmp_path / pdfx.pdf.name).read_bytes() == pdfx.pdf.read_bytes()


@pytest.mark.skipif(shutil.which("gs") is None, reason="ghostscript is not installed")
def test_inkcov_text_pages_use_black_ink_only(tmp_path: Path) -> None:
    """Ghostscript's inkcov device, independently: at A4 the pages after the first (no
    kicker band, no photos: FPO frames are K tints) carry no C, M or Y ink."""
    result = build(SAMPLE, settings("pdf/x-4", page="a4"), tmp_path, ("pdf",))
    assert not result.failed
    proc = subprocess.run(["gs", "-q", "-o", "-", "-sDEVICE=inkcov",
                           str(tmp_path / f"{SAMPLE.stem}.pdf")],
                          capture_output=True, text=True, check=True, timeout=120)
    pages = [[float(v) for v in line.split()[:4]] for line in proc.stdout.splitlines()
             if line.strip().endswith("CMYK OK")]
    assert len(pages) == result.pages >= 3
    c, m, y, k = pages[0]
    assert m > 0.001 and y > 0.001 and k > 0.01  # the kicker band: magenta and yellow
    for c, m, y, k in pages[1:]:
        assert (c, m, y) == (0, 0, 0) and k > 0.01


# --- what breaks a variant, or is reported -------------------------------------------------
def project_style(folder: Path, css: str = "", colors: str = "", fonts: str = "") -> Path:
    """A project whose `newspaper` style adds ``css`` (and overrides colours, fonts)."""
    style = folder / "styles" / "newspaper"
    style.mkdir(parents=True)
    base = (load_style("newspaper").find("style.css") or Path()).read_text("utf-8")
    (style / "style.css").write_text(base + css, "utf-8")
    toml = (f"[colors]\n{colors}\n" if colors else "") + (f"[fonts]\n{fonts}\n" if fonts else "")
    (style / "style.toml").write_text(toml, "utf-8")
    return folder


# Whether the Kai role's bold is fake (P225) depends on the Kai font the style names first;
# test_fake_bold_is_reported tests it on its own.
FONT_DEPENDENT = ("P225",)


def codes_of(result: BuildResult) -> dict[str, str]:
    return {d.code: d.severity for d in result.diagnostics
            if d.code.startswith("P2") and d.code not in FONT_DEPENDENT}


@pytest.mark.parametrize(("variant", "css", "code"), [
    ("pdf/x-1a", ".headline { opacity: 0.5; }", "P221"),
    ("pdf/x-4", ".byline { color: #c00; }", "P214"),
])
def test_unmet_variant_is_an_error_and_writes_nothing(tmp_path: Path, variant: str, css: str,
                                                      code: str) -> None:
    project = project_style(tmp_path / "project", css)
    out = tmp_path / "out"
    result = build(ARTICLE, settings(variant, "a4", project=project), out, ("pdf",))
    assert codes_of(result).get(code) == "error"
    assert result.failed and not (out / f"{ARTICLE.stem}.pdf").exists()


def test_print_warnings_rich_black_hairline_small_process_text(tmp_path: Path) -> None:
    project = project_style(
        tmp_path / "project",
        ".body { column-rule: 0.2pt solid var(--ink); } "
        ".column-rule { border-left: 0.2pt solid var(--ink); } .byline { font-size: 4pt; "
        "color: var(--accent); }",
        colors="ink = [60, 40, 40, 100]")
    result = build(ARTICLE, settings("pdf/x-4", "a4", project=project), tmp_path / "out",
                   ("pdf",))
    assert codes_of(result) == {"P217": "warning", "P223": "warning", "P224": "warning"}
    assert not result.failed


def test_black_without_overprint_is_reported(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(press, "overprint_black", lambda stream: None)
    result = build(ARTICLE, settings("pdf/x-4", "a4"), tmp_path, ("pdf",))
    assert codes_of(result) == {"P218": "warning"}


def check_codes(path: Path, **options: object) -> dict[str, list[str]]:
    """`layout check`'s preflight codes (the other families, which these tests do not
    read, are not run)."""
    report = run([path], Options(skip=("pdf", "typography", "fidelity", "layout"), **options))
    return {r.check: [f.code for f in r.findings if f.code not in FONT_DEPENDENT]
            for r in report.results if r.check.startswith("preflight.")}


@pytest.mark.parametrize(("note", "fake"), [('["AR PL UKai CN"]', True),
                                            ('["Noto Serif CJK SC"]', False)])
def test_fake_bold_is_reported(tmp_path: Path, note: str, fake: bool) -> None:
    """AR PL UKai has no bold face: a style that sets Kai text bold (here the section
    subtitles) gets a name, not a weight.  Set on the sample's opening (a page: the
    finding does not depend on the length)."""
    project = project_style(tmp_path / "project", fonts=f"note = {note}",
                            css=".section-subtitle { font-weight: bold; }")
    source = tmp_path / SAMPLE.name
    source.write_text(OPENING, "utf-8")
    result = build(source, settings("pdf/x-4", "a4", project=project), tmp_path / "out",
                   ("pdf",))
    fake_bold = [d.format("s") for d in result.diagnostics if d.code == "P225"]
    assert bool(fake_bold) == fake, fake_bold
    if fake:
        assert "AR-PL-UKai-CN-Bold is named bold" in fake_bold[0]


def test_layout_check_preflight(tmp_path: Path, pdfx: Built) -> None:
    """`layout check` reports the same codes, and what a damaged PDF/X file lacks."""
    found = check_codes(pdfx.pdf)
    assert found == {"preflight.images": ["P212"], "preflight.colour": [],
                     "preflight.pdfx": [], "preflight.lines": []}
    assert check_codes(pdfx.pdf, ink_limit=200)["preflight.images"] == ["P213", "P212"]
    writer = PdfWriter(clone_from=pdfx.pdf)
    del writer.root_object[NameObject("/OutputIntents")]
    del writer.pages[0][NameObject("/TrimBox")]
    writer.pdf_header = "%PDF-1.6"
    damaged = tmp_path / "damaged.pdf"
    writer.write(damaged)
    expected = ["P219", "P220"] + (["P222"] if pdfx.scan.pdfx != "PDF/X-4" else [])
    assert check_codes(damaged)["preflight.pdfx"] == expected
    # An ICC version 4 output profile: PDF 1.4 (X-1a, X-3) cannot hold it.
    writer = PdfWriter(clone_from=pdfx.pdf)
    intent = writer.root_object["/OutputIntents"][0].get_object()
    icc = intent["/DestOutputProfile"].get_object()
    data = bytearray(icc.get_data())
    data[8] = 4
    icc.set_data(bytes(data))
    writer.write(damaged)
    expected = ["P226"] if pdfx.scan.pdfx != "PDF/X-4" else []
    assert check_codes(damaged)["preflight.pdfx"] == expected


def test_spot_and_registration_colour_in_the_page(tmp_path: Path, pdfx: Built) -> None:
    """A spot colour and a registration-colour box inside the bleed (as a careless insert
    would add them) are found; the marks outside the bleed are not."""
    writer = PdfWriter(clone_from=pdfx.pdf)
    page = writer.pages[0]
    spaces = page["/Resources"]["/ColorSpace"].get_object()
    spot = ArrayObject([NameObject("/Separation"), NameObject("/PANTONE#20185#20C"),
                        NameObject("/DeviceCMYK"), spaces[NameObject("/layout-registration")]
                        .get_object()[3]])
    spaces[NameObject("/spot")] = spot
    content = DecodedStreamObject()
    content.set_data(page.get_contents().get_data()
                     + b"\nq /layout-registration cs 1 scn 100 100 40 40 re f "
                     b"/spot cs 1 scn 200 200 40 40 re f Q")
    page[NameObject("/Contents")] = writer._add_object(content)
    changed = tmp_path / "inserted.pdf"
    writer.write(changed)
    assert check_codes(pdfx.pdf)["preflight.colour"] == []
    assert sorted(check_codes(changed)["preflight.colour"]) == ["P215", "P216"]


# --- options ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "mm"), [("3", 3.0), ("3mm", 3.0), ("0.125in", 3.175),
                                           ("9pt", 3.175), ("0.3cm", 3.0), ("0", 0.0)])
def test_bleed_units(value: str, mm: float) -> None:
    assert bleed_mm(value) == pytest.approx(mm)


@pytest.mark.parametrize("args", [
    ("--pdf-variant", "pdf/x-9"), ("--pdf-variant", "pdf/x-5g"), ("--bleed", "-3mm"),
    ("--bleed", "3furlongs"), ("--marks", "crop,stars"),
])
def test_bad_press_options_are_usage_errors(args: tuple[str, str], tmp_path: Path) -> None:
    proc = layout_cli("build", str(ARTICLE), "-o", str(tmp_path), *args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    if args[1] == "pdf/x-9":
        assert "B401" in proc.stderr and "pdf/x-1a, pdf/x-3, pdf/x-4" in proc.stderr
    assert not list(tmp_path.iterdir())


def test_unusable_icc_profile(tmp_path: Path) -> None:
    rgb = tmp_path / "srgb.icc"
    rgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    junk = tmp_path / "junk.icc"
    junk.write_bytes(b"not a profile")
    for profile, words in ((rgb, "not a CMYK output profile"), (junk, "not an ICC profile"),
                           (tmp_path / "none.icc", "cannot be read")):
        proc = layout_cli("build", str(ARTICLE), "-o", str(tmp_path / "out"), "--format",
                          "pdf", "--pdf-variant", "pdf/x-4", "--icc", str(profile))
        assert proc.returncode == 3 and "B402" in proc.stderr and words in proc.stderr, (
            proc.stderr)
        assert "Traceback" not in proc.stderr


def test_printers_profile_is_the_output_intent(tmp_path: Path) -> None:
    """--icc: the given file is embedded as the OutputIntent."""
    printer = tmp_path / "printer.icc"
    printer.write_bytes(press.load_profile(None).data)
    result = build(ARTICLE, settings("pdf/x-4", "a4", icc=str(printer)), tmp_path, ("pdf",))
    assert not result.failed
    reader = PdfReader(tmp_path / f"{ARTICLE.stem}.pdf")
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/DestOutputProfile"].get_object().get_data() == printer.read_bytes()
    printer.write_bytes(b"")
    with pytest.raises(LayoutError, match="not an ICC profile") as error:
        build(ARTICLE, settings("pdf/x-4", "a4", icc=str(printer)), tmp_path, ("pdf",))
    assert error.value.code == "B402"


def test_version_4_profile_refused_for_pdf_14_variants(tmp_path: Path) -> None:
    v4 = tmp_path / "v4.icc"
    data = bytearray(press.load_profile(None).data)
    data[8] = 4
    v4.write_bytes(bytes(data))
    assert press.press_profile("pdf/x-4", str(v4)) is not None
    for variant in ("pdf/x-1a", "pdf/x-3"):
        with pytest.raises(LayoutError) as error:
            press.press_profile(variant, str(v4))
        assert error.value.code == "B403" and error.value.exit_code == 2


def test_screen_colours_derived_from_the_cmyk_definitions(tmp_path: Path) -> None:
    """The HTML preview has no device-cmyk(): its colours are the inks under the profile."""
    build(ARTICLE, settings(None, "a4"), tmp_path, ("html",))
    html = (tmp_path / f"{ARTICLE.stem}.html").read_text("utf-8")
    assert "device-cmyk" not in html
    assert "--ink: #" in html and "--accent: #" in html and "color: var(--ink)" in html


def test_soft_photo_fails_a_strict_pdfx_build(tmp_path: Path) -> None:
    source = tmp_path / ARTICLE.name
    shutil.copy(ARTICLE, source)
    # A4 columns are about 54 mm (2.1 in) wide, and a photo is set a column wide.
    Image.new("RGB", (240, 160), "red").save(tmp_path / "fig1.jpg")  # ~113 ppi
    Image.new("RGB", (380, 253), "blue").save(tmp_path / "fig2.jpg")  # ~178 ppi
    out = tmp_path / "out"
    result = build(source, settings("pdf/x-4", "a4", strict=True), out, ("pdf",))
    assert codes_of(result) == {"P212": "error", "P211": "warning"}
    assert result.failed and not (out / f"{ARTICLE.stem}.pdf").exists()
    # Not for press: the soft photo is a warning.
    result = build(source, settings(None, "a4", strict=True), out, ("pdf",))
    assert codes_of(result) == {"P212": "warning", "P211": "warning"} and not result.failed


def test_replacing_the_printers_profile_rebuilds(tmp_path: Path) -> None:
    profile = tmp_path / "printer.icc"
    profile.write_bytes(b"one")
    before = settings_digest(settings("pdf/x-4", icc=str(profile)))
    profile.write_bytes(b"two")
    assert settings_digest(settings("pdf/x-4", icc=str(profile))) != before


@pytest.mark.parametrize("table", ['ink = [0, 0, 0, 120]', 'ink = "black"', 'Ink = [0, 0, 0, 100]',
                                   'ink = [0, 0, 100]', 'ink = [0, 0, 0, true]'])
def test_bad_colour_definitions_are_usage_errors(tmp_path: Path, table: str) -> None:
    project = project_style(tmp_path / "project", colors=table)
    with pytest.raises(LayoutError) as error:
        load_style("newspaper", project)
    assert error.value.code == "B411" and error.value.exit_code == 2
    assert error.value.path.endswith("style.toml")
