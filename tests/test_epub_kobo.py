"""`--format kepub`: the EPUB for Kobo readers, every sentence in a numbered koboSpan."""

from __future__ import annotations

import pytest
from lxml import etree

from layout.app.build import build as build_source
from layout.config import load_config
from layout.fidelity import han_difference
from layout.readers import read
from layout.writers.epub import decorations
from layout.writers.epub_text import kobo_spans, sentences

from .conftest import SAMPLE
from .epub_support import NS, Epub, assert_valid

X = f"{{{NS['x']}}}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Epub, Epub]:
    out = tmp_path_factory.mktemp("kepub")
    result = build_source(SAMPLE, load_config(out).settings(page="a4"), out, ("epub", "kepub"))
    assert [p.name for p in result.outputs] == [f"{SAMPLE.stem}.epub",
                                                f"{SAMPLE.stem}.kepub.epub"]
    return Epub(out / f"{SAMPLE.stem}.epub"), Epub(out / f"{SAMPLE.stem}.kepub.epub")


@pytest.mark.slow
@pytest.mark.epubcheck
def test_kepub_passes_epubcheck(built: tuple[Epub, Epub]) -> None:
    assert_valid(built[1].path)


@pytest.mark.slow
def test_every_sentence_in_a_kobo_span(built: tuple[Epub, Epub]) -> None:
    plain, kobo = built
    spans = 0
    for href, body in kobo.reading_bodies:
        ids = [s.get("id") for s in body.iter(f"{X}span") if s.get("class") == "koboSpan"]
        assert len(ids) == len(set(ids)), href
        spans += len(ids)
        for p in body.iter(f"{X}p"):  # no text of a paragraph outside a koboSpan
            loose = [t for t in p.xpath(".//text()[not(ancestor::*[@class='koboSpan'])]")
                     if t.strip()]
            assert not loose, (href, loose)
    assert spans > 111  # more than the sample has sentence ends (111): headings, captions
    assert kobo.body_text() == plain.body_text()  # the same text, only spans added
    assert [m.get("aria-label") for _, m in kobo.markers()] == [
        m.get("aria-label") for _, m in plain.markers()]
    doc = read(SAMPLE)
    missing, extra = han_difference(SAMPLE.read_text("utf-8"), kobo.body_text(),
                                    decorations(doc))
    assert not missing and not extra


def test_sentences_keep_their_closing_marks() -> None:
    assert sentences("他说：“好。”然后走了！还有吗？没有") == [
        "他说：“好。”", "然后走了！", "还有吗？", "没有"]
    assert "".join(sentences("一……二。")) == "一……二。"


def test_spans_are_numbered_per_block() -> None:
    body = etree.fromstring(f'<body xmlns="{NS["x"]}"><h2>标题</h2><p><strong>引子。</strong>'
                            "第一句。第二句！</p></body>")
    kobo_spans(body)
    ids = [(s.get("id"), s.text) for s in body.iter(f"{X}span")]
    assert ids == [("kobo.1.1", "标题"), ("kobo.2.1", "引子。"), ("kobo.2.2", "第一句。"),
                   ("kobo.2.3", "第二句！")]
