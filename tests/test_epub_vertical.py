"""`--vertical`: the EPUB set top to bottom, columns and pages from right to left."""

from __future__ import annotations

import re

import pytest

from layout.app.build import build as build_source
from layout.config import load_config
from layout.settings import RunOptions

from .conftest import SAMPLE
from .epub_support import NS, Epub, assert_valid

X = f"{{{NS['x']}}}"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Epub:
    out = tmp_path_factory.mktemp("vertical")
    settings = load_config(out).settings(page="a4", run=RunOptions(vertical=True))
    result = build_source(SAMPLE, settings, out, ("epub",))
    assert not result.failed
    return Epub(out / f"{SAMPLE.stem}.epub")


@pytest.mark.slow
@pytest.mark.epubcheck
def test_vertical_epub_is_valid(book: Epub) -> None:
    assert_valid(book.path)


@pytest.mark.slow
def test_pages_turn_right_to_left(book: Epub) -> None:
    assert book.opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    assert book.opf.get("dir") is None  # the text itself still runs left to right
    meta = book.opf.find("opf:metadata/opf:meta[@name='primary-writing-mode']", NS)
    assert meta.get("content") == "vertical-rl"
    css = book.read(book.member("style.css")).decode("utf-8")
    for declaration in ("-epub-writing-mode: vertical-rl", "writing-mode: vertical-rl",
                        "text-combine-upright: all", "-epub-text-combine: horizontal"):
        assert declaration in css


@pytest.mark.slow
def test_short_numbers_stand_upright(book: Epub) -> None:
    upright = [s.text for _, body in book.reading_bodies for s in body.iter(f"{X}span")
               if s.get("class") == "tcy"]
    assert upright and all(t.isdigit() and len(t) <= 2 for t in upright)
    assert "24" in upright  # “这里24 小时开放”
    assert re.search(r"[0-9]{3,}", book.body_text())  # longer numbers lie rotated


def test_horizontal_by_default(tmp_path) -> None:
    from layout.writers.epub import stylesheet
    from layout.writers.templating import environment

    settings = load_config(tmp_path).settings()
    css = stylesheet(environment(settings.design.style), settings, [])
    assert "writing-mode" not in css
