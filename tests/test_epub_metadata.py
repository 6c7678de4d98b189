"""The EPUB's metadata states what is true: the issue's date, the printed folios, who
publishes it, and an accessibility summary of what this book holds."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from layout.app.build import build as build_source
from layout.config import load_config
from layout.readers import read
from layout.settings import Settings
from layout.writers.epub_metadata import (
    Contents,
    accessibility,
    accessibility_summary,
    issue_date,
)

from .conftest import SAMPLE
from .epub_support import EPUB_TYPE, NS, Epub

X = f"{{{NS['x']}}}"
PROJECT = """\
[paper]
name = "人民日报"
publisher = "人民日报社"
rights = "版权所有 © 人民日报社"
"""


def settings(folder: Path, **publication: object) -> Settings:
    """The project's settings with ``publication`` fields replaced."""
    (folder / "layout.toml").write_text(PROJECT, "utf-8")
    made = load_config(folder).settings(page="a4")
    return dataclasses.replace(made, publication=dataclasses.replace(made.publication,
                                                                     **publication))


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Epub:
    folder = tmp_path_factory.mktemp("metadata")
    result = build_source(SAMPLE, settings(folder, folio=6, issue_date="2023年3月5日"),
                          folder, ("epub",))
    assert not result.failed
    return Epub(folder / f"{SAMPLE.stem}.epub")


@pytest.mark.slow
def test_page_list_says_the_printed_folios(book: Epub) -> None:
    labels = ["".join(a.itertext()) for a in book.nav_list("page-list").iter(f"{X}a")]
    assert labels[0] == "6" and labels == [str(6 + n) for n in range(len(labels))]
    assert [m.get("aria-label") for _, m in book.markers()] == labels
    ncx = etree.fromstring(book.read(book.member("toc.ncx")))
    values = [t.get("value") for t in ncx.iterfind(".//ncx:pageTarget", NS)]
    assert values == labels
    assert ncx.find("ncx:head/ncx:meta[@name='dtb:maxPageNumber']", NS).get(
        "content") == labels[-1]
    (source,) = book.meta("pageBreakSource")
    assert source == f"人民日报 2023年3月5日 印刷版第6—{labels[-1]}版（a4 版式）"


@pytest.mark.slow
def test_dublin_core_from_the_project(book: Epub) -> None:
    doc = read(SAMPLE)
    assert [e.text for e in book.dc("date")] == ["2023-03-05"]
    assert [e.text for e in book.dc("publisher")] == ["人民日报社"]
    assert [e.text for e in book.dc("rights")] == ["版权所有 © 人民日报社"]
    assert [e.text for e in book.dc("subject")] == [doc.kicker, *(s.title for s in doc.sections)]


@pytest.mark.slow
def test_no_self_certification_and_a_true_summary(book: Epub) -> None:
    assert not book.meta("a11y:certifiedBy")
    (summary,) = book.meta("schema:accessibilitySummary")
    doc = read(SAMPLE)
    assert f"分为 {len(doc.sections)} 个部分" in summary
    assert f"{len(doc.figures)} 幅印刷版图片未收入" in summary  # the sample has no photos
    assert "替代文本" not in summary


@pytest.mark.slow
def test_hidden_navigation_is_hidden_by_css_too(book: Epub) -> None:
    css = book.read(book.member("style.css")).decode("utf-8")
    assert "nav[hidden], [hidden] { display: none; }" in css
    hidden = [n.get(EPUB_TYPE) for n in book.nav.iter(f"{X}nav") if n.get("hidden")]
    assert hidden == ["landmarks", "page-list"]


def test_certification_only_when_configured(tmp_path: Path) -> None:
    contents = Contents(sections=0, photos=2, captions=0, sidebars=0, folios=(1,))
    plain = settings(tmp_path)

    assert "a11y:certifiedBy" not in dict(accessibility(contents, plain))
    certified = settings(tmp_path, certified_by="某无障碍评估机构")
    assert dict(accessibility(contents, certified))["a11y:certifiedBy"] == "某无障碍评估机构"
    summary = accessibility_summary(contents, plain)
    assert "2 幅图片均有替代文本" in summary and "部分" not in summary


def test_issue_dates(tmp_path: Path) -> None:
    built = datetime(2024, 1, 2, tzinfo=UTC)
    for text, expected in (("2023-03-05", "2023-03-05"), ("2023年3月5日", "2023-03-05"),
                           ("2023年3月5日 星期日", "2023-03-05")):
        assert issue_date(settings(tmp_path, issue_date=text), built) == (expected, [])
    date, diagnostics = issue_date(settings(tmp_path, issue_date="三月五日"), built)
    assert date == "2024-01-02" and [d.code for d in diagnostics] == ["B333"]
    assert issue_date(settings(tmp_path), built) == ("2024-01-02", [])
