"""Decoding a newsroom export: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import LayoutError
from ..limits import DEFAULT_LIMITS, SourceLimits, check_source_lines, check_source_size
from ..sandbox import NotRegular, inside, read_regular

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never appear in text (tab, LF, CR and form feed excepted).
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f"}


def decode(data: bytes, path: str = "") -> str:
    """Return the text of ``data`` with LF line endings, or raise :class:`LayoutError`."""
    if not data.strip():
        raise LayoutError("R301", "source is empty", path, exit_code=3)
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise LayoutError(
                    "R303", f"cannot decode source as {encoding}: byte {exc.start}", path
                ) from None
            break
    if text is None:
        if b"\x00" in data:
            raise LayoutError("R302", "source is a binary file, not text", path)
        for encoding in ("utf-8", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise LayoutError(
                "R303", "cannot decode source: not UTF-8, UTF-16 (with BOM) or GB18030", path
            )
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if ch in _CONTROL)
    if controls > max(2, len(text) // 1000):
        raise LayoutError("R302", "source is a binary file, not text", path)
    if not text.strip():
        raise LayoutError("R301", "source is empty", path)
    return text


def read_source_text(path: Path, limits: SourceLimits = DEFAULT_LIMITS) -> str:
    """The decoded text of a source: a regular file that stays inside its own folder.

    A source that is a symlink leading out of its folder is refused (U106), as a photo
    is: otherwise ``source/a.txt -> /etc/passwd`` would be built into a PDF.  Anything but
    a regular file (a FIFO would block forever, a device never ends) is refused at once
    (U107).  The limits on size and lines are checked here (see layout.limits).
    """
    if path.is_symlink() and not inside(path, [path.parent]):
        raise LayoutError("U106", "the source is a symlink leading outside its folder: "
                          "refused", str(path))
    check_source_size(path, limits)
    try:
        data = read_regular(path)
    except NotRegular as exc:
        raise LayoutError("U107", f"the source is {exc.strerror}: refused", str(path)) from None
    except FileNotFoundError:
        raise LayoutError("R300", "source not found", str(path)) from None
    except OSError as exc:
        raise LayoutError("R300", f"cannot read source: {exc.strerror}", str(path)) from None
    text = decode(data, str(path))
    check_source_lines(text, str(path), limits)
    return text
