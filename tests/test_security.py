"""Untrusted text stays text, and rendering reads nothing outside the project.

How "no file outside the project was opened" is proven: the build runs in a child
process with a Python audit hook (``sys.addaudithook``) that logs every ``open``
event and every ``socket.*``/``urllib.Request`` event to a file.  The modules are
imported before the hook is installed, so the log holds what the build itself does,
not interpreter start-up.  Audit hooks see every open made from Python (our code,
Jinja's loader, WeasyPrint's URL fetching, ebooklib), which is where a name taken
from a document could turn into a file or URL; the C libraries below WeasyPrint
(fontconfig, cairo, Pango) only open fonts and caches that fontconfig chooses, never
a name from the document.  A control run shows the hook does catch an unsandboxed
WeasyPrint reading ``/etc/passwd`` and connecting to a local port.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html
from pypdf import PdfReader

from layout import diskcache
from layout.readers import read
from layout.sandbox import inside, local_path
from layout.transforms.images import attach_images, refusal
from layout.writers.fetcher import SandboxedFetcher, refusal_diagnostics

from .conftest import OPENING, ROOT, SAMPLE, layout_cli

XHTML = "{http://www.w3.org/1999/xhtml}"
DC = "{http://purl.org/dc/elements/1.1/}"

KICKER = "眉题<script>alert(1)</script>"
TITLE = "标题<style>body{display:none}</style>与{{ 7*7 }}"
SECTION = "小标题<b>粗体</b>{{ 7*7 }}"
PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src="file:///etc/passwd">',
    '<a href="http://127.0.0.1:9/">本地地址</a>',
    "<style>body{display:none}</style>",
    "{{ 7*7 }}",
    '{% include "/etc/passwd" %}',
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
    '<iframe src="file:///etc/passwd"></iframe>',
    "&lt;b&gt;&amp;",
]
FILLER = "填充的正文用来把文章排到第二页，检查页眉中的眉题仍然是原样的文字。" * 6

HOSTILE = "\n\n".join([
    KICKER,
    TITLE,
    "本报记者 张三",
    f"正文{PAYLOADS[0]}与图片{PAYLOADS[1]}，还有链接{PAYLOADS[2]}。",
    f"样式{PAYLOADS[3]}与模板{PAYLOADS[4]}，还有{PAYLOADS[5]}。",
    f"{SECTION}——",
    f"正文继续，{PAYLOADS[6]}和{PAYLOADS[7]}，实体{PAYLOADS[8]}。",
    *[FILLER] * 14,
    '图①：说明<img src="http://127.0.0.1:9/x.png">。李四摄',
]) + "\n"

# The child process: modules imported first, then every open and connection logged.
AUDITED = r"""
import mimetypes, os, sys
log = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
import layout.cli, weasyprint
mimetypes.init()

def hook(event, args):
    if event == "open" and not isinstance(args[0], int):
        line = "open\t" + os.path.abspath(os.fsdecode(args[0]))
    elif event.startswith("socket.") or event == "urllib.Request":
        line = event + "\t" + repr(args)
    else:
        return
    os.write(log, (line + "\n").encode("utf-8", "surrogateescape"))

sys.addaudithook(hook)
if sys.argv[2] == "--unsandboxed-control":
    weasyprint.HTML(string=sys.argv[3]).render()
    sys.exit(0)
sys.exit(layout.cli.main(sys.argv[2:]))
"""


def audited(log: Path, *args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str],
                                                         list[str], list[str]]:
    """Run the audited child; return it, the paths it opened and its network events."""
    proc = subprocess.run([sys.executable, "-c", AUDITED, str(log), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    opened, network = [], []
    for line in log.read_text("utf-8", "surrogateescape").splitlines():
        event, _, detail = line.partition("\t")
        (opened if event == "open" else network).append(detail)
    return proc, opened, network


def outside(paths: list[str], project: Path) -> list[str]:
    """The paths not inside the project, the package, the styles, Python, the fonts, the
    CMYK output profile (ghostscript's, for the screen colours and PDF/X) or layout's own
    cache (layout.diskcache: fonts' metrics and compiled templates, by fixed keys that no
    source names)."""
    allowed = [project, ROOT / "src", ROOT / "styles", Path(sys.prefix), Path(sys.base_prefix),
               Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
               Path("/var/cache/fontconfig"), Path("/usr/share/color/icc"),
               *filter(None, [diskcache.folder()])]
    return sorted({p for p in paths if p != "/dev/null" and not inside(Path(p), allowed)})


def no_payload_attributes(root: etree._Element) -> bool:
    """No attribute anywhere names a URL or file that came from the source."""
    values = [v for el in root.iter() if isinstance(el.tag, str) for v in el.attrib.values()]
    return not any("127.0.0.1" in v or "passwd" in v or v.startswith("file:") for v in values)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory
                  ) -> tuple[Path, subprocess.CompletedProcess[str], list[str], list[str]]:
    project = tmp_path_factory.mktemp("hostile")
    (project / "hostile.txt").write_text(HOSTILE, "utf-8")
    proc, opened, network = audited(project.parent / f"{project.name}-audit.log", "build",
                                    "hostile.txt", "-o", "build", "--page", "a4", "-q",
                                    cwd=project)
    assert proc.returncode == 0, proc.stderr
    return project, proc, opened, network


@pytest.mark.slow
def test_build_opened_nothing_outside_and_connected_nowhere(hostile_build) -> None:
    project, _, opened, network = hostile_build
    assert str(project / "hostile.txt") in opened  # the log is live
    assert outside(opened, project) == []
    assert not any(p.startswith("/etc/") for p in opened)
    assert network == []


@pytest.mark.slow
def test_audit_hook_catches_an_unsandboxed_renderer(tmp_path: Path) -> None:
    """The control: plain WeasyPrint fetches what a document names, and the log shows it."""
    document = '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
    _, opened, network = audited(tmp_path / "audit.log", "--unsandboxed-control", document,
                                 cwd=tmp_path)
    assert "/etc/passwd" in outside(opened, tmp_path)
    assert any(e.startswith("('127.0.0.1', 9)") or "127.0.0.1" in e for e in network)


def test_html_shows_markup_and_template_syntax_literally(hostile_build) -> None:
    project = hostile_build[0]
    tree = html.fromstring((project / "build" / "hostile.html").read_bytes())
    for tag in ("script", "img", "a", "iframe", "link", "b"):
        assert tree.findall(f".//{tag}") == [], tag
    assert no_payload_attributes(tree)
    assert len(tree.findall(".//style")) == 1  # ours, holding the page CSS
    assert tree.findtext(".//title") == TITLE
    assert tree.get_element_by_id("kicker").text_content() == KICKER
    assert tree.get_element_by_id("headline").text_content() == TITLE
    body = tree.find(".//body").text_content()
    for payload in PAYLOADS + [SECTION]:
        assert payload in body, payload
    assert "49" not in body


def test_running_head_css_string_holds_the_kicker_literally(hostile_build) -> None:
    """The kicker reaches page CSS as a quoted string: it must end neither string nor rule."""
    import tinycss2

    project = hostile_build[0]
    tree = html.fromstring((project / "build" / "hostile.html").read_bytes())
    css = tree.findtext(".//style")
    assert "</" not in css  # nothing can close the <style> element
    m = re.search(r"@top-center \{ content: (.*?); \}", css)
    assert m, "running head rule not found"
    tokens = [t for t in tinycss2.parse_component_value_list(m.group(1))
              if t.type != "whitespace"]
    assert [(t.type, t.value) for t in tokens] == [("string", KICKER)]


def test_epub_shows_markup_literally_in_text_and_metadata(hostile_build) -> None:
    project = hostile_build[0]
    texts = []
    with zipfile.ZipFile(project / "build" / "hostile.epub") as z:
        for name in z.namelist():
            if name.endswith(".xhtml"):
                root = etree.fromstring(z.read(name))  # well-formed XML or this raises
                assert root.findall(f".//{XHTML}script") == []
                assert no_payload_attributes(root), name
                body = root.find(f"{XHTML}body")
                for tag in ("iframe", "link", "style", "b"):
                    assert body.findall(f".//{XHTML}{tag}") == [], (name, tag)
                texts.append("".join(body.itertext()))
            if name.endswith(".opf"):
                opf = etree.fromstring(z.read(name))
                assert opf.findtext(f".//{DC}title") == TITLE
                assert opf.findtext(f".//{DC}creator") == "张三"
    body = "".join(texts)
    for payload in PAYLOADS + [KICKER, TITLE, SECTION]:
        assert payload in body, payload


def test_pdf_shows_markup_literally_in_text_and_metadata(hostile_build) -> None:
    project = hostile_build[0]
    pdf = project / "build" / "hostile.pdf"
    # -raw keeps WeasyPrint's drawing order (document order) rather than column guesses.
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = squeeze(text)
    for payload in PAYLOADS + [KICKER, TITLE, SECTION]:
        assert squeeze(payload) in flat, payload
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    assert squeeze(KICKER) in squeeze(pages[1])  # the running head, set from page CSS
    meta = PdfReader(pdf).metadata
    assert meta.title == TITLE
    assert meta.author == "张三"
    assert SECTION in meta["/Keywords"]


# --- the sandbox itself -------------------------------------------------------------

@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "photos").mkdir(parents=True)
    (project / "photos" / "ok.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "secret.txt").write_text("secret")
    (project / "out.png").symlink_to(tmp_path / "secret.txt")
    (project / "loop.png").symlink_to(project / "loop.png")
    return project


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/x.png",
    "https://example.invalid/x.png",
    "ftp://127.0.0.1:9/x.png",
    "file://127.0.0.1{p}/photos/ok.png",  # urllib would make this an FTP connection
    "file://{p}/../secret.txt",
    "file://{p}/photos/%2e%2e/%2e%2e/secret.txt",
    "file://{p}/out.png",  # a symlink pointing out of the folder
    "file://{p}/loop.png",
    "file://{p}/photos/ok.png%00.txt",
    "javascript:alert(1)",
])
def test_fetcher_refuses_and_records(folder: Path, url: str) -> None:
    fetcher = SandboxedFetcher([folder])
    url = url.format(p=folder)
    with pytest.raises(PermissionError, match="refused by the layout sandbox"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_reads_what_is_inside(folder: Path) -> None:
    fetcher = SandboxedFetcher([folder])
    response = fetcher.fetch((folder / "photos" / "ok.png").as_uri())
    assert response.read() == b"\x89PNG fake"
    assert response.content_type == "image/png"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    assert fetcher.refused == []


def test_local_path_only_for_local_file_urls() -> None:
    assert local_path("file:///a/b%20c.png") == Path("/a/b c.png")
    assert local_path("file://localhost/a") == Path("/a")
    assert local_path("file://server/share/a") is None
    assert local_path("http://127.0.0.1/a") is None


@pytest.mark.parametrize("name", [
    "../../etc/passwd", "/etc/passwd", "file:///etc/passwd", "http://127.0.0.1:9/x.png",
    "//127.0.0.1/x.png", "photos/../../secret.txt", "..%2F..%2Fetc%2Fpasswd",
    "%2Fetc%2Fpasswd", "out.png", "loop.png", "photos\\..\\..\\secret.txt",
])
def test_image_reference_outside_the_folder_is_refused(folder: Path, name: str) -> None:
    assert refusal(name, folder) is not None


def test_image_reference_inside_the_folder_is_kept(folder: Path) -> None:
    assert refusal("photos/ok.png", folder) is None
    assert refusal("photos/../photos/ok.png", folder) is None


def test_refused_figure_image_is_a_located_error(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(SAMPLE.read_bytes())
    doc = read(source)
    doc.figures[1].image = "../../etc/passwd"
    attach_images(doc, source)
    refused = [w for w in doc.warnings if w.code == "U101"]
    assert [(w.line, w.severity) for w in refused] == [(doc.figures[1].line, "error")]
    assert "'../../etc/passwd'" in refused[0].format(str(source))
    assert doc.figures[1].image is None


@pytest.mark.slow
def test_symlinked_photo_pointing_out_fails_the_build(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(SAMPLE.read_bytes())
    (tmp_path / "图①.jpg").symlink_to("/etc/passwd")
    proc = layout_cli("build", str(source), "-o", str(tmp_path / "out"), "--format", "pdf")
    assert proc.returncode == 3
    assert f"{source}:103: U101 image '图①.jpg' for 图① refused" in proc.stderr
    assert not (tmp_path / "out" / "a.pdf").exists()


@pytest.mark.slow
def test_refused_fetch_from_a_style_is_a_build_error(tmp_path: Path) -> None:
    """A project's style naming an outside file or URL: reported, not a silent log line."""
    style = tmp_path / "styles" / "newspaper"
    style.mkdir(parents=True)
    (style / "style.css").write_text(
        ".kicker { background: url(file:///etc/passwd); }\n"
        ".headline { background: url(http://127.0.0.1:9/bg.png); }\n")
    (tmp_path / "a.txt").write_text(OPENING, "utf-8")  # its kicker and headline
    proc = layout_cli("build", "a.txt", "-o", "out", "--format", "pdf", "-q", cwd=tmp_path)
    assert proc.returncode == 3
    lines = [ln for ln in proc.stderr.splitlines() if " U102 " in ln]
    assert len(lines) == 2
    assert all(ln.startswith("a.txt:1: U102 the style's CSS") for ln in lines)
    assert not (tmp_path / "out" / "a.pdf").exists()


def test_refusal_diagnostic_points_at_the_figure(tmp_path: Path) -> None:
    doc = read(SAMPLE)
    doc.figures[0].image = "fig1.jpg"
    [d] = refusal_diagnostics(["file:///somewhere/fig1.jpg"] * 2, doc)
    assert (d.code, d.line, d.severity) == ("U102", doc.figures[0].line, "error")


MARKDOWN = """---
title: 标题<script>alert(1)</script>
byline:
  role: 本报记者
  authors: [张三]
figures:
  - label: 图①
    caption: 说明
    image: {image}
---

正文<script>alert(1)</script>与<img src="file:///etc/passwd">，还有{{{{ 7*7 }}}}。
"""


@pytest.mark.slow
def test_markdown_raw_html_stays_text(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes((ROOT / "docs" / "images" /
                                          "sample-broadsheet.png").read_bytes())
    source = tmp_path / "a.md"
    source.write_text(MARKDOWN.format(image="photo.png"), "utf-8")
    proc = layout_cli("build", str(source), "-o", str(tmp_path / "out"), "--format", "html")
    assert proc.returncode == 0, proc.stderr
    tree = html.fromstring((tmp_path / "out" / "a.html").read_bytes())
    assert tree.findall(".//script") == []
    assert [img.get("src") for img in tree.findall(".//img")] == ["../photo.png"]
    body = tree.find(".//body").text_content()
    for payload in ("<script>alert(1)</script>", '<img src="file:///etc/passwd">', "{{ 7*7 }}"):
        assert payload in body


@pytest.mark.parametrize("image", ["../../etc/passwd", "/etc/passwd", "file:///etc/passwd",
                                   "http://127.0.0.1:9/x.png"])
@pytest.mark.slow
def test_markdown_front_matter_image_outside_is_refused(tmp_path: Path, image: str) -> None:
    source = tmp_path / "a.md"
    source.write_text(MARKDOWN.format(image=f'"{image}"'), "utf-8")
    proc = layout_cli("build", str(source), "-o", str(tmp_path / "out"))
    assert proc.returncode == 3
    refused = [ln for ln in proc.stderr.splitlines() if " U101 " in ln]
    assert len(refused) == 1 and refused[0].startswith(f"{source}:7: U101 image reference")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_epub_writer_refuses_an_image_outside_even_if_attached(tmp_path: Path) -> None:
    """Defence in depth: the EPUB writer checks again what it reads."""
    from layout.errors import LayoutError
    from layout.writers.epub_images import figure_images

    source = tmp_path / "a.txt"
    source.write_bytes(SAMPLE.read_bytes())
    (tmp_path / "photo.png").symlink_to(ROOT / "docs" / "images" / "sample-broadsheet.png")
    doc = read(source)
    doc.figures[0].image = "photo.png"
    with pytest.raises(LayoutError) as caught:
        figure_images(doc, source, 2048)
    assert str(caught.value).startswith(f"{source}:103: U101 image 'photo.png' of 图① refused")
