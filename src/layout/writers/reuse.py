"""What WeasyPrint does again for every document, done once a process: CSS selectors
compiled, font subsets cut, large streams compressed.

cssselect2 compiles each selector of a stylesheet to Python source and ``eval``s it, for
every stylesheet parsed (~150 selectors in a style's CSS; the make-up parses the measuring
HTML's CSS for each plan it tries, the final layout once more): the function made from one
source is kept by that source.

WeasyPrint cuts every face of a PDF down to the glyphs the PDF uses (HarfBuzz's
subsetter: 20-70 ms for a CJK face of 65,535 glyphs and a page's 1,500 characters), then
compresses the subset at zlib's level 9 (~25 ms for the sample's body face), afresh for
every PDF.  A process that writes the same characters again gets the same bytes from here:
the preview rebuilding after an edit that left a face's characters as they were, the PDFs
of one build's several stories or editions, the test suite.

A subset's key holds everything the subset depends on: the face (its file's length, its
index in a collection, its table directory and its ``head`` and ``name`` tables: the
head's checksum covers the whole font), the glyphs kept, hinting, and whether a .notdef
outline is drawn.  Fonts are the system's or a style's (code, not copy): the key is not meant to
resist a font made to collide with another.  A large stream (a font program, a photo) is
kept by the SHA-256 of its bytes and its dictionary.
"""

from __future__ import annotations

import builtins
import functools
import hashlib
from typing import Any

import cssselect2.compiler
import pydyf
import weasyprint.pdf.fonts as fonts
from weasyprint.text.ffi import ffi, harfbuzz

from ..memo import Memo
from ..typeset.justify import InternalsChanged

SUBSETS_BYTES = 64 * 1024 * 1024  # the subsets this process keeps, in bytes
_SUBSETS: Memo[tuple[bytes, tuple[int, ...], bool, bool], bytes] = Memo(SUBSETS_BYTES)
_original_subset = fonts.Font.subset
STREAMS_BYTES = 64 * 1024 * 1024  # the compressed streams this process keeps, in bytes
LARGE = 32 * 1024  # a stream of fewer bytes is compressed afresh (page contents...)
_STREAMS: Memo[tuple[bytes, bytes], bytes] = Memo(STREAMS_BYTES)
_original_data = pydyf.Stream.data
_TABLES = (b"head", b"name")  # kept whole in the key; the others by their lengths
# The globals cssselect2 compiles every selector with (cssselect2.compiler.CompiledSelector)
_SELECTOR_GLOBALS = frozenset({"split_whitespace", "ascii_lower", "urlparse"})


@functools.lru_cache(maxsize=8192)
def _selector_test(source: str) -> Any:
    return builtins.eval(source, {name: getattr(cssselect2.compiler, name)
                                  for name in _SELECTOR_GLOBALS}, {})


def selector_eval(source: str, globals_: dict[str, Any], locals_: dict[str, Any]) -> Any:
    """``eval`` as cssselect2's compiler calls it: a selector's test function, kept by its
    source (a pure function of the element); anything else evaluated as asked."""
    if (source.startswith("lambda el: ") and set(globals_) == _SELECTOR_GLOBALS
            and not locals_ and all(globals_[name] is getattr(cssselect2.compiler, name)
                                    for name in _SELECTOR_GLOBALS)):
        return _selector_test(source)
    return builtins.eval(source, globals_, locals_)


def _table(face: Any, tag: bytes) -> bytes:
    blob = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(tag, -1))
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        return b"" if data == ffi.NULL else ffi.unpack(data, int(length[0]))
    finally:
        harfbuzz.hb_blob_destroy(blob)


def face_identity(font: Any) -> bytes:
    """A digest of what identifies ``font``'s face (a WeasyPrint ``pdf.fonts.Font``)."""
    face = font.hb_face
    digest = hashlib.sha256(f"{len(font.file_content)}:{font.index}".encode())
    count = ffi.new("unsigned int *", 100)
    tags = ffi.new("hb_tag_t[100]")
    total = harfbuzz.hb_face_get_table_tags(face, 0, count, tags)
    offset = 0
    while True:
        for i in range(count[0]):
            blob = harfbuzz.hb_face_reference_table(face, tags[i])
            digest.update(f"{tags[i]}:{harfbuzz.hb_blob_get_length(blob)};".encode())
            harfbuzz.hb_blob_destroy(blob)
        offset += count[0]
        if offset >= total or not count[0]:
            break
        count[0] = 100
        harfbuzz.hb_face_get_table_tags(face, offset, count, tags)
    for tag in _TABLES:
        digest.update(_table(face, tag))
    return digest.digest()


def subset(font: Any, to_unicode: dict[int, Any], hinting: bool) -> None:
    """``Font.subset``, its result kept by everything it depends on."""
    if not to_unicode:
        return
    key = (face_identity(font), tuple(sorted(to_unicode)), bool(hinting), bool(font.missing))
    kept = _SUBSETS.get(key)
    if kept is not None:
        font.file_content = kept
        return
    _original_subset(font, to_unicode, hinting)
    _SUBSETS.put(key, font.file_content, len(font.file_content))


def stream_data(stream: pydyf.Stream) -> bytes:
    """``pydyf.Stream.data``: a compressed stream of one large item kept by its bytes."""
    items = stream.stream
    if not (stream.compress and len(items) == 1 and isinstance(items[0], bytes)
            and len(items[0]) >= LARGE):
        return _original_data.fget(stream)
    key = (hashlib.sha256(items[0]).digest(), pydyf.Dictionary(stream.extra).data)
    kept = _STREAMS.get(key)
    if kept is None:
        kept = _original_data.fget(stream)
        _STREAMS.put(key, kept, len(kept))
    return kept


def check_internals() -> None:
    """Raise :class:`InternalsChanged` unless cssselect2, WeasyPrint and pydyf work as this
    module expects."""
    if "eval" not in cssselect2.compiler.CompiledSelector.__init__.__code__.co_names:
        raise InternalsChanged("cssselect2 no longer evals its compiled selectors")
    code = _original_subset.__code__
    if code.co_varnames[:3] != ("self", "to_unicode", "hinting"):
        raise InternalsChanged("weasyprint.pdf.fonts.Font.subset signature changed")
    if "subset" not in fonts.Font.clean.__code__.co_names:
        raise InternalsChanged("Font.clean no longer calls Font.subset")
    if "file_content" not in fonts.Font._harfbuzz_subset.__code__.co_names:
        raise InternalsChanged("Font._harfbuzz_subset no longer sets Font.file_content")
    getter = getattr(_original_data, "fget", None)
    if getter is None or "compressobj" not in getter.__code__.co_names:
        raise InternalsChanged("pydyf.Stream.data is no longer the property that compresses")


def install() -> None:
    """Keep selectors, subsets and large compressed streams from now on (idempotent)."""
    check_internals()
    cssselect2.compiler.eval = selector_eval  # found before the builtin by the module
    fonts.Font.subset = subset  # type: ignore[method-assign,assignment]
    pydyf.Stream.data = property(stream_data)
