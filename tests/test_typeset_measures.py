"""Issue 4's measures, taken from the PDF alone, on the sample and the test article."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.check.typography import measure

from .conftest import ROOT, SAMPLE, Builds

pytestmark = pytest.mark.slow  # every test here builds or runs a subprocess

ARTICLES = [SAMPLE, ROOT / "tests" / "fixtures" / "ai-farming.txt"]


@pytest.mark.parametrize("page", ["broadsheet", "a3", "a4"])
@pytest.mark.parametrize("source", ARTICLES, ids=lambda p: p.stem)
def test_professional_chinese_typesetting(built: Builds, source: Path, page: str) -> None:
    pdf = built(source, preset=page) / f"{source.stem}.pdf"
    r = measure(pdf, source.read_text("utf-8")).summary()
    assert r["non_final_lines"] > 10
    assert r["ragged_share"] <= 0.01
    assert r["bad_line_starts"] == 0 and r["bad_line_ends"] == 0
    assert r["pair_advance_median"] <= 0.6
    assert 0.15 <= r["han_latin_gap_median"] <= 0.35
    assert r["single_character_last_lines"] == 0
    assert r["invisible_characters"] == 0 and r["spaces_between_han"] == 0


def test_without_the_layer_the_measures_fail(built: Builds) -> None:
    """On the broadsheet build without the layer that other tests read too (the shares
    at A3 and A4 are alike: 0.21, 0.23, 0.23)."""
    pdf = built(SAMPLE, flags=("--no-typeset",)) / f"{SAMPLE.stem}.pdf"
    r = measure(pdf, SAMPLE.read_text("utf-8")).summary()
    # Columns of whole characters leave most unjustified lines flush; the rest are ragged.
    assert r["ragged_share"] > 0.1
    assert r["pair_advance_median"] == pytest.approx(1.0, abs=0.01)
