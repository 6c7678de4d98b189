"""Copyfit: --fit-pages N finds the largest body type that fits, or says it cannot."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pypdf import PdfReader

from layout.app.article import layout_article
from layout.app.copyfit import fit_pages, leading_for
from layout.errors import LayoutError
from layout.readers import read
from layout.settings import RunOptions, Settings

from .conftest import SAMPLE, layout_cli


def a4() -> Settings:
    return Settings.default(page="a4")


def fake_layout(chars: float):
    """Pages of a text of ``chars`` characters: proportional to size squared and leading."""
    calls: list[float] = []

    def count(settings: Settings) -> int:
        page = settings.design.page
        calls.append(page.body_size)
        per_page = 2000 * (9.5 / page.body_size) ** 2 * (1.6 / page.leading)
        return int(-(-chars // per_page))

    return count, calls


def test_shrinks_to_fit_with_few_layouts() -> None:
    count, calls = fake_layout(5000)  # 3 pages at the preset size
    fit = fit_pages(a4(), 2, str(SAMPLE), count)
    page = fit.settings.design.page
    assert fit.pages <= 2 and page.body_size < 9.5 and page.leading < 1.6
    assert count(fit.settings.with_page(dataclasses.replace(
        page, body_size=round(page.body_size + 0.1, 1),
        leading=leading_for(a4().design.page, round(page.body_size + 0.1, 1))))) > 2  # largest
    assert len(calls) <= 7
    assert fit.describe().startswith(f"fit to 2 page(s) (2 used): body 9.5pt -> "
                                     f"{page.body_size:g}pt, leading 1.6 -> {page.leading:g}")


def test_grows_to_the_largest_size_that_still_fits() -> None:
    count, _ = fake_layout(3000)
    fit = fit_pages(a4(), 2, str(SAMPLE), count)
    assert 9.5 < fit.settings.design.page.body_size <= 10.5 and fit.pages == 2
    assert fit.settings.design.page.leading == 1.6  # leading never exceeds the preset's


def test_cannot_fit_is_an_error() -> None:
    count, _ = fake_layout(20000)
    with pytest.raises(LayoutError) as info:
        fit_pages(a4(), 1, str(SAMPLE), count)
    assert info.value.code == "L302" and info.value.exit_code == 3
    assert "body 8pt, leading 1.4" in info.value.message


def test_preset_without_limits_is_refused() -> None:
    settings = a4()
    bare = dataclasses.replace(settings.design.page, min_body_size=None, max_body_size=None)
    with pytest.raises(LayoutError) as info:
        fit_pages(settings.with_page(bare), 2, str(SAMPLE), lambda s: 1)
    assert info.value.code == "L301"


def test_leading_narrows_with_the_size() -> None:
    page = a4().design.page
    assert leading_for(page, 9.5) == 1.6 and leading_for(page, 10.5) == 1.6
    assert leading_for(page, 8.0) == 1.4
    assert 1.4 < leading_for(page, 8.75) < 1.6


def part_of_the_sample(folder: Path) -> Path:
    """The sample's first 33 paragraphs (4 pages in the book style at A5, where the whole
    sample takes 12): the search is the same, each layout it tries a third of the work."""
    source = folder / "part.txt"
    source.write_text("\n\n".join(SAMPLE.read_text("utf-8").split("\n\n")[:33]) + "\n",
                      "utf-8")
    return source


@pytest.mark.slow
def test_sample_fits_one_page_fewer_in_a_book(tmp_path: Path) -> None:
    # (The newspaper's make-up already fits the sample to as few pages as its limits allow.)
    source = part_of_the_sample(tmp_path)
    book = ("--style", "book", "--page", "a5")
    natural = layout_cli("build", str(source), "-o", str(tmp_path / "n"), *book,
                         "--format", "pdf", "-q")
    assert natural.returncode == 0, natural.stderr
    pages = len(PdfReader(tmp_path / "n" / "part.pdf").pages)
    assert pages > 2
    target = pages - 1
    proc = layout_cli("build", str(source), "-o", str(tmp_path / "f"), *book,
                      "--format", "pdf", "-q", "--fit-pages", str(target))
    assert proc.returncode == 0, proc.stderr
    assert f"fit to {target} page(s)" in proc.stdout and "body 10.5pt -> " in proc.stdout
    assert len(PdfReader(tmp_path / "f" / "part.pdf").pages) <= target


@pytest.mark.slow
def test_sample_cannot_fit_one_a4_page(tmp_path: Path) -> None:
    proc = layout_cli("build", str(SAMPLE), "-o", str(tmp_path), "--page", "a4",
                      "--format", "pdf", "-q", "--fit-pages", "1")
    assert proc.returncode == 3
    assert f"{SAMPLE}: L302 cannot fit 1 page(s)" in proc.stderr
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.slow
def test_fit_without_typesetting_measures_the_layout_it_builds(tmp_path: Path) -> None:
    """Copyfit measures each candidate exactly as the build lays it out (here: unjustified)."""
    settings = dataclasses.replace(Settings.default("book", "a5"), run=RunOptions(typeset=False))
    source = part_of_the_sample(tmp_path)
    natural = layout_article(read(source), source, settings, tmp_path)
    target = natural.rendered.pages - 1
    assert target >= 2
    laid = layout_article(read(source), source, settings, tmp_path, fit_to=target)
    assert not laid.failed and laid.fit is not None
    assert laid.fit.pages == laid.rendered.pages <= target
    assert laid.settings.run.typeset is False and laid.settings.design.page.body_size < 10.5
