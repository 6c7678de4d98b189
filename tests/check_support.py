"""Outputs for the `layout check` tests: good and deliberately broken PDFs and EPUBs.

The builds of the sample come from the session's shared builds (``built`` in conftest);
the synthetic PDFs are cached by their folder, so the test modules that share a pytest
base folder share one of each per worker.
"""

from __future__ import annotations

import functools
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from markupsafe import escape
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from weasyprint import HTML

from .conftest import SAMPLE, Builds

NAME = SAMPLE.stem
# A body paragraph of the sample (source line 17), deleted for the fidelity tests.
CUT_LINE = 17
HAN = "党建引领发展同心共画新时代征程伟业凝聚力量创新活力方向覆盖万千员工作生活在哪里组织就到"


def cut_paragraph_build(built: Builds) -> tuple[Path, int, str]:
    """The sample built from a source without the paragraph at CUT_LINE.

    Returns (output folder, the cut line, its text).
    """
    lines = SAMPLE.read_text("utf-8").splitlines(keepends=True)
    cut = lines[CUT_LINE - 1]
    assert len(cut.strip()) > 40, "CUT_LINE must name a body paragraph of the sample"
    source = built.source(f"cut/{SAMPLE.name}", "".join(lines[:CUT_LINE - 1] + lines[CUT_LINE:]))
    return built(source), CUT_LINE, cut.strip()


def no_typeset_pdf(built: Builds) -> Path:
    """The sample built with the typesetting layer switched off (``--no-typeset``)."""
    return built(SAMPLE, flags=("--no-typeset",)) / f"{NAME}.pdf"


@functools.cache
def ragged_sample_pdf(base: Path) -> Path:
    """The sample's paragraphs set justified in five ruled columns by WeasyPrint alone,
    without layout's typesetting layer (its wrappers act only inside
    ``layout.typeset.justify.justification()``, which this is not).  WeasyPrint stretches
    only spaces, so the Chinese lines stay ragged."""
    from layout.readers import read

    doc = read(SAMPLE)
    paragraphs = [b.text for b in doc.lead] + [b.text for s in doc.sections for b in s.blocks]
    body = "".join(f"<p>{escape(t)}</p>" for t in paragraphs)
    out = base / "ragged" / f"{NAME}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=(
        "<html lang='zh-Hans'><head><meta charset='utf-8'><title>ragged</title><style>"
        "@page { size: 297mm 420mm; margin: 20mm 16mm; }"
        "html { font: 9.5pt/1.55 'Noto Serif CJK SC'; }"
        ".body { columns: 5; column-gap: 4.5mm; column-rule: 0.4pt solid #666; }"
        "p { margin: 0; text-indent: 2em; text-align: justify; }"
        f"</style></head><body><div class='body'>{body}</div></body></html>")).write_pdf(out)
    return out


def han(k: int, start: int = 0) -> str:
    return "".join(HAN[(start + i) % len(HAN)] for i in range(k))


def column_page(paragraphs: list[list[str]], n: int = 12, extra_css: str = "") -> str:
    """HTML of explicit lines (``<br>``) in three ruled columns exactly ``n`` em wide."""
    body = "".join("<p>" + "<br>".join(lines) + "</p>" for lines in paragraphs)
    css = f"""
    @page {{ size: {3 * n * 10 + 80}pt 420pt; margin: 20pt; }}
    html {{ font-family: 'Noto Serif CJK SC'; font-size: 10pt; line-height: 1.5; }}
    h1 {{ font-size: 20pt; font-family: 'Noto Sans CJK SC'; }}
    .body {{ columns: 3; column-gap: 20pt; column-rule: 0.4pt solid #666;
             width: {3 * n * 10 + 40}pt; }}
    p {{ margin: 0; text-indent: 2em; white-space: nowrap; }}
    .squeeze {{ font-feature-settings: 'halt'; }}
    .latin {{ font-feature-settings: 'hwid'; }}
    {extra_css}"""
    return (f"<html lang='zh-Hans'><head><title>排版测试</title><style>{css}</style></head>"
            f"<body><h1>排版测试</h1><div class='body'>{body}</div></body></html>")


def typeset_lines(squeezed: bool, n: int = 12) -> list[list[str]]:
    """Paragraphs whose non-final lines are exactly ``n`` em when ``squeezed``.

    Each paragraph: an indented first line, a line with two punctuation pairs (first mark
    half-width: 1.5 em a pair), a line with Latin digits spaced a quarter em from the Han
    characters (5 half-width digits, 2.5 em + 2 × 0.25 em), a short last line.  Unsqueezed,
    the same text is set plainly: pairs take 2 em, digits touch the Han characters.
    """
    pair = '<span class="squeeze">。</span>“' if squeezed else "。“"
    latin = ('<span class="latin" style="margin: 0 0.25em">20231</span>' if squeezed
             else '<span class="latin">20231</span>')
    out = []
    for p in range(9):
        out.append([han(n - 2, p), han(6, p + 3) + pair + han(1, p) + pair + han(2, p),
                    han(5, p + 5) + latin + han(4, p), han(5, p + 7)])
    return out


@functools.cache
def synthetic_pdf(base: Path, kind: str) -> Path:
    """``flush``: every non-final line exactly fills its column, pairs squeezed, Han–Latin
    spaced.  ``plain``: the same text unsqueezed.  ``defects``: flush, plus one of each
    defect the line rules forbid."""
    out = base / "synthetic" / f"{kind}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "defects":
        paragraphs = typeset_lines(True)
        paragraphs.append([han(10), "，" + han(11), han(11) + "“", "绩。"])
        paragraphs.append([han(10), han(5) + " " + han(6), han(3)])
    else:
        paragraphs = typeset_lines(kind == "flush")
    HTML(string=column_page(paragraphs)).write_pdf(out)
    return out


@functools.cache
def missing_glyph_pdf(base: Path) -> Path:
    """A tidy PDF (title, language, outline) that shows two characters no font has:
    U+30000 (CJK Extension G) and U+F0000 (private use)."""
    out = base / "glyphs" / "missing-glyph.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    HTML(string="<html lang='zh-Hans'><head><title>缺字</title></head><body>"
         "<h1 style=\"font-family: 'Noto Sans CJK SC'\">缺字</h1>"
         "<p style=\"font-family: 'Noto Serif CJK SC'\">党建\U00030000工作\U000f0000好</p>"
         "</body></html>").write_pdf(out)
    return out


def append_to_text(src: Path, out: Path, char: str, suffix: str) -> Path:
    """Rewrite ``src`` so that every ``char`` it shows extracts as ``char + suffix``
    (its ToUnicode entries changed), as if the producer had inserted ``suffix``."""
    writer = PdfWriter(clone_from=PdfReader(src))
    old = f"<{ord(char):04x}>".encode()
    new = f"<{ord(char):04x}{''.join(f'{ord(c):04x}' for c in suffix)}>".encode()
    for page in writer.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if "/ToUnicode" in font:
                cmap = font["/ToUnicode"].get_object()
                cmap.set_data(cmap.get_data().replace(old, new))
    with out.open("wb") as f:
        writer.write(f)
    return out


def drop_font_programs(src: Path, out: Path, keep: int | None = None) -> Path:
    """Rewrite ``src`` with every embedded font program removed (fonts no longer embedded),
    or with only its first ``keep`` bytes (a damaged program)."""
    writer = PdfWriter(clone_from=PdfReader(src))
    for page in writer.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for f in fonts:
                descriptor = f["/FontDescriptor"].get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor and keep is None:
                        del descriptor[NameObject(key)]
                    elif key in descriptor:
                        program = descriptor[key].get_object()
                        program.set_data(program.get_data()[:keep])
    with out.open("wb") as f:
        writer.write(f)
    return out


def helvetica_pdf(out: Path) -> Path:
    """A PDF whose text uses the standard-14 Helvetica, referenced and not embedded."""
    from pypdf.generic import DecodedStreamObject, DictionaryObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 100)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 20 50 Td (Hello) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata({"/Title": "Hello"})
    with out.open("wb") as f:
        writer.write(f)
    return out


def rewrite_epub(src: Path, out: Path, edit: Callable[[dict[str, bytes]], None]) -> Path:
    """Unzip ``src``, let ``edit`` change the members, zip again (mimetype first, stored)."""
    with zipfile.ZipFile(src) as z:
        members = {name: z.read(name) for name in z.namelist()}
    edit(members)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), members.pop("mimetype"),
                   compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            z.writestr(name, data)
    return out


def opf_name(members: dict[str, bytes]) -> str:
    return re.search(rb'full-path="([^"]+)"', members["META-INF/container.xml"]).group(
        1).decode()


def nav_name(members: dict[str, bytes]) -> str:
    opf = members[opf_name(members)].decode()
    item = next(m for m in re.findall(r"<item [^>]*>", opf) if 'properties="nav"' in m)
    href = re.search(r'href="([^"]+)"', item).group(1)
    return f"{Path(opf_name(members)).parent.as_posix()}/{href}".lstrip("./")


def copy_as(src: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(src, folder / (name or src.name)))
