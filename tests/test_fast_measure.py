"""The fast measure (paragraphs counted with Pango, layout.makeup.linebreak) against the
reference (the whole measuring HTML laid out by WeasyPrint): equal line counts, heads and
line starts for every block, and a wrong prediction caught by the build."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from layout.app import article
from layout.app.article import layout_article, measurer
from layout.makeup import fastmeasure, linebreak
from layout.makeup.makeup import make_up
from layout.makeup.measure import Measured
from layout.makeup.plan import Plan
from layout.readers import read
from layout.settings import Design, Publication, Settings, load_style
from tests.newsroom_copy import FIXTURES

pytestmark = pytest.mark.slow  # WeasyPrint lays out every measure compared

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source" / "renmin-ribao-party-building.txt"
FIXTURE_FILES = sorted((ROOT / "tests" / "fixtures").glob("*.txt"))


def _settings(style: str, preset: str | None) -> Settings:
    loaded = load_style(style)
    return Settings(Publication(), Design(loaded, loaded.preset(preset)))


def _compare(source: Path, settings: Settings, out: Path) -> int:
    """Make ``source`` up with a measure that takes both measures and asserts they agree;
    the number of measures compared."""
    doc = read(source)
    allowed = [source.parent, *settings.design.style.folders]
    fast = measurer(doc, source, out, allowed, fast=True)
    reference = measurer(doc, source, out, allowed, fast=False)
    compared = []

    def both(plan: Plan, trial: Settings) -> Measured:
        quick, slow = fast(plan, trial), reference(plan, trial)
        assert quick.lines == slow.lines
        assert quick.head == slow.head
        assert quick.breaks == slow.breaks
        compared.append(quick)
        return slow

    make_up(doc, settings, both, autofit=True)
    return len(compared)


@pytest.mark.parametrize("preset", ["broadsheet", "tabloid", "a3", "a4"])
def test_fast_measure_equals_weasyprint_on_the_sample(preset: str, tmp_path: Path) -> None:
    assert _compare(SAMPLE, _settings("newspaper", preset), tmp_path)


def test_fast_measure_equals_weasyprint_in_the_book_style(tmp_path: Path) -> None:
    assert _compare(SAMPLE, _settings("book", None), tmp_path)


@pytest.mark.parametrize("name", [p.name for p in FIXTURE_FILES] + sorted(FIXTURES))
def test_fast_measure_equals_weasyprint_on_the_fixtures(name: str, tmp_path: Path) -> None:
    source = tmp_path / name
    if name in FIXTURES:
        source = tmp_path / f"{name}.txt"
        source.write_text(FIXTURES[name], "utf-8")
    else:
        source.write_bytes((ROOT / "tests" / "fixtures" / name).read_bytes())
    for preset in ("broadsheet", "a4"):
        assert _compare(source, _settings("newspaper", preset), tmp_path)


def test_the_fast_measure_leaves_most_blocks_out_of_the_layout(tmp_path: Path) -> None:
    """What makes it fast: the body's paragraphs are measured with Pango, not laid out."""
    doc = read(SAMPLE)
    seen: list[dict[str, linebreak.Lines]] = []
    fast = measurer(doc, SAMPLE, tmp_path, [SAMPLE.parent], fast=True, predicted=seen)
    make_up(doc, _settings("newspaper", "broadsheet"), fast, autofit=False)
    body = [f"l{n}" for n in (15, 17, 19, 21, 27, 29, 31, 33, 35, 37, 39, 43, 45, 47)]
    assert set(body) <= set(seen[0])


def test_a_wrong_prediction_falls_back_to_the_weasyprint_measure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
        ) -> None:
    settings = _settings("newspaper", "broadsheet")
    monkeypatch.setattr(article, "FAST_MEASURE", False)
    reference = layout_article(read(SAMPLE), SAMPLE, settings, tmp_path)
    monkeypatch.setattr(article, "FAST_MEASURE", True)
    real_fill = linebreak.fill

    def one_line_short(chars: list, width: float, indent: float) -> tuple[int, tuple[int, ...]]:
        count, starts = real_fill(chars, width, indent)
        return (count - 1, starts[:-1]) if count > 2 else (count, starts)

    monkeypatch.setattr(linebreak, "fill", one_line_short)
    with caplog.at_level(logging.DEBUG, logger="layout.app.article"):
        laid = layout_article(read(SAMPLE), SAMPLE, settings, tmp_path)
    assert "the fast measure miscounted the lines of" in caplog.text
    assert laid.html == reference.html  # the page made up from the reference measure
    assert not laid.failed


def test_a_right_prediction_does_not_fall_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
        ) -> None:
    calls = []
    real = fastmeasure.mispredicted

    def spy(document: object, predicted: list) -> list[str]:
        calls.append(len(predicted))
        return real(document, predicted)  # type: ignore[arg-type]

    monkeypatch.setattr(article, "mispredicted", spy)
    with caplog.at_level(logging.DEBUG, logger="layout.app.article"):
        laid = layout_article(read(SAMPLE), SAMPLE, _settings("newspaper", "broadsheet"),
                              tmp_path)
    assert calls and calls[0] > 0 and not laid.failed
    assert "miscounted" not in caplog.text


def test_the_comparison_fails_on_a_model_without_hanging_white_space(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: without the rule for white space Pango hangs (U+3000 after
    a dateline), the briefs' line starts differ from WeasyPrint's."""
    source = tmp_path / "briefs.txt"
    source.write_text(FIXTURES["briefs"], "utf-8")
    monkeypatch.setattr(linebreak, "_hanging", lambda chars, i, start: None)
    with pytest.raises(AssertionError):
        _compare(source, _settings("newspaper", "broadsheet"), tmp_path)
