"""What WeasyPrint redoes for every document, kept in the process (layout.writers.reuse):
a selector compiled once, the same face cut to the same glyphs once, a large stream
compressed once; each as without the memo."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import cssselect2
import pydyf
import pytest
from weasyprint import HTML
from weasyprint.pdf import fonts

import layout.writers.pdf  # noqa: F401  (installs the memo, as every build does)
from layout.writers import reuse

PAGE = ('<html lang="zh-Hans"><body style="font-family: \'Noto Serif CJK SC\'">'
        '<p>{text}</p><p style="font-weight: bold">{bold}</p></body></html>')


@pytest.fixture(autouse=True)
def _empty_memo() -> Iterator[None]:
    reuse._SUBSETS.clear()
    yield
    reuse._SUBSETS.clear()


@pytest.fixture
def cuts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """The subsets HarfBuzz cuts: (family, glyphs kept)."""
    made: list[tuple[str, int]] = []
    real = fonts.Font._harfbuzz_subset

    def spy(self: Any, to_unicode: dict, hinting: bool) -> None:
        made.append((self.family, len(to_unicode)))
        real(self, to_unicode, hinting)

    monkeypatch.setattr(fonts.Font, "_harfbuzz_subset", spy)
    return made


def pdf(text: str, bold: str = "标题") -> bytes:
    return HTML(string=PAGE.format(text=text, bold=bold)).write_pdf()


def test_the_same_characters_again_are_not_cut_again(cuts: list) -> None:
    first = pdf("党建引领基层治理")
    assert len(cuts) == 2  # the regular and the bold face
    again = pdf("党建引领基层治理")
    assert len(cuts) == 2 and again == first
    reuse._SUBSETS.clear()
    assert pdf("党建引领基层治理") == first  # the same bytes as cut afresh
    assert len(cuts) == 4


def test_other_characters_in_one_face_cut_that_face_only(cuts: list) -> None:
    pdf("党建引领基层治理")
    pdf("党建引领乡村振兴")  # the regular face's glyphs differ, the bold face's do not
    assert [family for family, _ in cuts[2:]] == ["Noto Serif CJK SC"]


def test_faces_of_one_collection_and_weights_are_told_apart() -> None:
    """The key's face: SC and JP are faces of one file (same length, other index), the
    bold face another file; each has an identity of its own, stable across documents."""
    seen: dict[tuple[str, int, int], set[bytes]] = {}
    real = reuse.subset

    def note(font: Any, to_unicode: dict, hinting: bool) -> None:
        key = (font.family, font.weight, font.index)
        seen.setdefault(key, set()).add(reuse.face_identity(font))
        real(font, to_unicode, hinting)

    fonts.Font.subset = note
    try:
        for family in ("Noto Serif CJK SC", "Noto Serif CJK JP"):
            HTML(string=f'<p style="font-family: \'{family}\'">字</p>'
                 '<p style="font-family: \'Noto Serif CJK SC\'; font-weight: bold">字</p>'
                 ).write_pdf()
    finally:
        fonts.Font.subset = real
    assert len(seen) == 3  # SC regular, SC bold (in both documents), JP regular
    assert all(len(identities) == 1 for identities in seen.values())
    assert len(set.union(*seen.values())) == 3


def test_the_patched_internals_are_checked() -> None:
    reuse.check_internals()
    assert fonts.Font.subset is reuse.subset


def test_a_large_stream_is_compressed_once_and_as_pydyf_compresses_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    reuse._STREAMS.clear()
    calls: list[int] = []
    real = zlib.compressobj

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(zlib, "compressobj", counting)
    program = bytes(range(256)) * 200  # 51,200 bytes: large
    first = pydyf.Stream([program], {"Length1": len(program)}, compress=True).data
    again = pydyf.Stream([program], {"Length1": len(program)}, compress=True).data
    assert again == first and len(calls) == 1
    other = pydyf.Stream([program], {"Length1": 1}, compress=True).data  # another dictionary
    assert other != first and len(calls) == 2
    reuse._STREAMS.clear()
    assert reuse._original_data.fget(
        pydyf.Stream([program], {"Length1": len(program)}, compress=True)) == first
    small = pydyf.Stream([b"BT ET"], compress=True)  # page contents: compressed each time
    assert small.data == small.data and len(calls) == 5
    reuse._STREAMS.clear()


def test_a_selector_is_compiled_once_and_matches_as_cssselect2_compiles_it() -> None:
    reuse._selector_test.cache_clear()
    first, again = (cssselect2.compile_selector_list(".a > p:first-child, #b") for _ in "12")
    assert [s.test for s in first] == [s.test for s in again]  # the same functions
    assert reuse._selector_test.cache_info().hits == 2
    root = cssselect2.ElementWrapper.from_html_root(ElementTree.fromstring(
        '<html><body><div class="a"><p id="one"/><p id="b"/></div><p/></body></html>'))
    kept = [e.id for e in root.iter_subtree() if any(s.test(e) for s in first)]
    cssselect2.compiler.eval = eval  # cssselect2 on its own
    try:
        own = cssselect2.compile_selector_list(".a > p:first-child, #b")
    finally:
        reuse.install()
    assert kept == [e.id for e in root.iter_subtree() if any(s.test(e) for s in own)]
    assert kept == ["one", "b"]
