"""`layout check`'s epub.images: a camera photo put straight into a book is found."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from layout.app.build import build as build_source
from layout.check.epub import EpubFile
from layout.check.epub_images import check_images
from layout.config import load_config


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("images")
    source = folder / "short.txt"
    source.write_text("短讯标题\n\n这是一段很短的正文。\n", "utf-8")
    result = build_source(source, load_config(folder).settings(page="a4"), folder, ("epub",))
    (path,) = result.outputs
    return path


def with_image(epub: Path, out: Path, image: bytes) -> Path:
    """``epub`` with one more image in its manifest."""
    with zipfile.ZipFile(epub) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".opf"):
                data = data.replace(b"</manifest>", b'<item href="images/camera.jpg" '
                                    b'id="camera" media-type="image/jpeg"/></manifest>')
            dst.writestr(info, data)
        opf_dir = next(n for n in src.namelist() if n.endswith(".opf")).rsplit("/", 1)[0]
        dst.writestr(f"{opf_dir}/images/camera.jpg", image)
    return out


def camera_jpeg(mode: str, size: tuple[int, int], gps: bool) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"
    if gps:
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0)}
    out = io.BytesIO()
    Image.new(mode, size).save(out, "JPEG", exif=exif)
    return out.getvalue()


def codes(path: Path) -> list[str]:
    book = EpubFile(path)
    try:
        return [f.code for f in check_images(book)]
    finally:
        book.close()


@pytest.mark.slow
def test_built_epub_passes(good: Path) -> None:
    assert codes(good) == []


@pytest.mark.slow
def test_camera_photo_is_found(good: Path, tmp_path: Path) -> None:
    bad = with_image(good, tmp_path / "bad.epub", camera_jpeg("CMYK", (3000, 2000), gps=True))
    assert codes(bad) == ["E701", "E702", "E703"]
    exif_only = with_image(good, tmp_path / "exif.epub", camera_jpeg("RGB", (100, 100), False))
    assert codes(exif_only) == ["E702"]
