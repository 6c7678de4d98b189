"""An article with real photos: the images are copied into the EPUB, described and valid."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from layout.app.build import BuildResult
from layout.app.build import build as build_source
from layout.config import load_config
from layout.fidelity import han_difference
from layout.readers import read
from layout.writers.epub import decorations
from layout.writers.epub_images import prepare

from .conftest import SAMPLE, layout_cli
from .epub_support import NS, Epub, assert_valid, build, check_page_starts, model

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

X = f"{{{NS['x']}}}"


def photo(path: Path, size: tuple[int, int], colour: str, fmt: str) -> None:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill="white")
    image.save(path, fmt)


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("photos")
    source = folder / "photo-article.txt"
    shutil.copy(SAMPLE, source)
    photo(folder / "图①.jpg", (600, 400), "darkred", "JPEG")
    photo(folder / "图②.png", (480, 320), "navy", "PNG")
    return source


@pytest.fixture(scope="module")
def built(article: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Epub, Path]:
    out = tmp_path_factory.mktemp("photos-out")
    return Epub(build(article, out, "--page", "a4", "--format", "pdf,epub")), out


@pytest.mark.epubcheck
def test_valid(built: tuple[Epub, Path]) -> None:
    assert_valid(built[0].path)


def test_photos_copied_with_captions(built: tuple[Epub, Path], article: Path) -> None:
    book = built[0]
    doc = model(article)
    body = book.documents["figures.xhtml"].find(f"{X}body")
    assert "".join(body.find(f".//{X}h2").itertext()) == "图片"
    figures = body.findall(f".//{X}figure")
    assert len(figures) == 2
    for figure, name, media_type in zip(figures, ("图①.jpg", "图②.png"),
                                        ("image/jpeg", "image/png"), strict=True):
        img = figure.find(f"{X}img")
        src = img.get("src")
        assert src.isascii()
        assert book.read(book.member(src)) == (article.parent / name).read_bytes()
        (item,) = [i for i in book.manifest.values() if i.get("href") == src]
        assert item.get("media-type") == media_type
        caption = "".join(figure.find(f"{X}figcaption").itertext())
        figure_model = next(f for f in doc.figures if name.startswith(f.label))
        assert caption == f"{figure_model.label}：{figure_model.caption}{figure_model.credit}"
        assert img.get("alt") == figure_model.caption
    # the figures without photos keep their captions, and no empty frames
    assert len(body.findall(f".//{X}p[@class='caption']")) == len(doc.figures) - 2


def test_accessibility_metadata_declares_the_images(built: tuple[Epub, Path]) -> None:
    book = built[0]
    assert book.meta("schema:accessMode") == ["textual", "visual"]
    assert book.meta("schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert "alternativeText" in book.meta("schema:accessibilityFeature")


def test_every_han_character(built: tuple[Epub, Path], article: Path) -> None:
    missing, extra = han_difference(article.read_text("utf-8"), built[0].body_text(),
                                    decorations(model(article)))
    assert not missing and not extra


def test_page_starts_with_images(built: tuple[Epub, Path], article: Path) -> None:
    book, out = built
    check_page_starts(book, out / f"{article.stem}.pdf", model(article))


def test_unusable_image_is_reported_with_its_line(tmp_path: Path) -> None:
    source = tmp_path / "broken.txt"
    shutil.copy(SAMPLE, source)
    (tmp_path / "图③.jpg").write_text("not a photo", "utf-8")
    proc = layout_cli("build", str(source), "-o", str(tmp_path / "out"), "-q",
                      "--format", "epub")
    assert proc.returncode == 3
    line = next(f.line for f in read(source).figures if f.label == "图③")
    assert f"{source}:{line}: B301" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "broken.epub").exists()


# --- camera photos: prepared for e-readers ------------------------------------------------

def camera_photo(path: Path, size: tuple[int, int], mode: str = "RGB", *,
                 gps: bool = False, orientation: int = 1) -> None:
    """A JPEG as cameras write them: large, with EXIF (GPS position, orientation)."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    ImageDraw.Draw(image).ellipse((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2),
                                  fill="red")
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 28.0)}
    image.convert(mode).save(path, "JPEG", quality=90, exif=exif)


def test_large_photo_is_scaled_and_loses_its_location(tmp_path: Path) -> None:
    camera_photo(tmp_path / "p.jpg", (6000, 4000), gps=True)
    photo, changes = prepare((tmp_path / "p.jpg").read_bytes(), 2048)
    with Image.open(io.BytesIO(photo.data)) as image:
        assert image.size == (2048, 1365) and image.mode == "RGB"
        assert not image.getexif() and "exif" not in image.info
        assert image.info.get("progressive")
    assert any("GPS" in c for c in changes) and any("6000×4000" in c for c in changes)


def test_cmyk_photo_becomes_rgb_with_its_colours(tmp_path: Path) -> None:
    camera_photo(tmp_path / "p.jpg", (800, 600), "CMYK")
    photo, changes = prepare((tmp_path / "p.jpg").read_bytes(), 2048)
    with Image.open(io.BytesIO(photo.data)) as image:
        assert image.mode == "RGB"
        red = image.getpixel((300, 225))
    assert red[0] > 200 and red[1] < 60 and red[2] < 60  # red stays red, not inverted
    assert any("CMYK" in c for c in changes)


def test_orientation_is_applied_then_dropped(tmp_path: Path) -> None:
    camera_photo(tmp_path / "p.jpg", (600, 400), orientation=6)  # rotated 90° clockwise
    photo, changes = prepare((tmp_path / "p.jpg").read_bytes(), 2048)
    assert photo.size == (400, 600)
    with Image.open(io.BytesIO(photo.data)) as image:
        assert image.size == (400, 600) and not image.getexif()
    assert any("orientation 6" in c for c in changes)


def test_a_photo_within_limits_goes_in_unchanged(tmp_path: Path) -> None:
    photo(tmp_path / "p.png", (480, 320), "navy", "PNG")
    data = (tmp_path / "p.png").read_bytes()
    prepared, changes = prepare(data, 2048)
    assert prepared.data == data and changes == []
    smaller, changes = prepare(data, 100)  # the limit is configurable
    assert smaller.size == (100, 67) and changes


@pytest.fixture(scope="module")
def camera_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    folder = tmp_path_factory.mktemp("camera")
    source = folder / "camera.txt"
    shutil.copy(SAMPLE, source)
    camera_photo(folder / "图①.jpg", (6000, 4000), gps=True)
    camera_photo(folder / "图②.jpg", (3000, 2000), "CMYK")
    settings = load_config(folder).settings(page="a4")
    result = build_source(source, settings, folder / "out", ("epub",))
    return source, result


@pytest.mark.slow
def test_camera_photos_in_the_epub(camera_build: tuple[Path, BuildResult]) -> None:
    source, result = camera_build
    (path,) = result.outputs
    assert path.stat().st_size <= 2 * 1024 * 1024
    book = Epub(path)
    images = [i.get("href") for i in book.manifest.values() if i.get("href").startswith(
        "images/figure")]
    assert len(images) == 2
    for href in images:
        with Image.open(io.BytesIO(book.read(book.member(href)))) as image:
            assert max(image.size) <= 2048 and image.mode == "RGB"
            assert not image.getexif().get_ifd(0x8825) and not image.getexif()
    warnings = [d for d in result.diagnostics if d.code == "B331"]
    lines = {f.label: f.line for f in read(source).figures}
    assert [(d.line, d.severity) for d in warnings] == [(lines["图①"], "warning"),
                                                         (lines["图②"], "warning")]


ADOBE_RGB = Path("/usr/share/color/icc/ghostscript/a98.icc")  # Debian's ghostscript


@pytest.mark.skipif(not ADOBE_RGB.is_file(), reason="no Adobe RGB profile (ghostscript)")
def test_adobe_rgb_photo_is_converted_to_srgb(tmp_path: Path) -> None:
    Image.new("RGB", (64, 64), (40, 160, 60)).save(
        tmp_path / "p.jpg", "JPEG", quality=95, icc_profile=ADOBE_RGB.read_bytes())
    photo, changes = prepare((tmp_path / "p.jpg").read_bytes(), 2048)
    assert any("colour profile" in c for c in changes)
    with Image.open(io.BytesIO(photo.data)) as image:
        assert "icc_profile" not in image.info
        red, _, _ = image.getpixel((32, 32))
    assert red < 20  # (40, 160, 60) in Adobe RGB is (0, 161, 47) in sRGB; unconverted: 40
