"""An article with real photos: the images are copied into the EPUB, described and valid."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from layout.fidelity import han_difference
from layout.readers import read
from layout.writers.epub import decorations

from .conftest import SAMPLE, run_layout
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
    proc = run_layout("build", str(source), "-o", str(tmp_path / "out"), "-q",
                      "--format", "epub")
    assert proc.returncode == 3
    line = next(f.line for f in read(source).figures if f.label == "图③")
    assert f"{source}:{line}: B301" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "broken.epub").exists()
