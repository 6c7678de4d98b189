"""Font subsets kept in the process (layout.writers.pdf_memo): the same face cut to
the same glyphs is cut once, and the PDF is the same bytes as without the memo."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import pydyf
import pytest
from weasyprint import HTML
from weasyprint.pdf import fonts

import layout.writers.pdf  # noqa: F401  (installs the memo, as every build does)
from layout.writers import pdf_memo

PAGE = ('<html lang="zh-Hans"><body style="font-family: \'Noto Serif CJK SC\'">'
        '<p>{text}</p><p style="font-weight: bold">{bold}</p></body></html>')


@pytest.fixture(autouse=True)
def _empty_memo() -> Iterator[None]:
    pdf_memo._SUBSETS.clear()
    yield
    pdf_memo._SUBSETS.clear()


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
    pdf_memo._SUBSETS.clear()
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
    real = pdf_memo.subset

    def note(font: Any, to_unicode: dict, hinting: bool) -> None:
        key = (font.family, font.weight, font.index)
        seen.setdefault(key, set()).add(pdf_memo.face_identity(font))
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
    pdf_memo.check_internals()
    assert fonts.Font.subset is pdf_memo.subset


def test_a_large_stream_is_compressed_once_and_as_pydyf_compresses_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    pdf_memo._STREAMS.clear()
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
    pdf_memo._STREAMS.clear()
    assert pdf_memo._original_data.fget(
        pydyf.Stream([program], {"Length1": len(program)}, compress=True)) == first
    small = pydyf.Stream([b"BT ET"], compress=True)  # page contents: compressed each time
    assert small.data == small.data and len(calls) == 5
    pdf_memo._STREAMS.clear()
