"""Copy for the desk combinations of shapes the sample and the newsroom's copy lack
(tests/test_makeup_desk.py): written as sources with their photos (made by Pillow) beside
them, at paths every test worker shares."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

from .compose_copy import paragraph

PORTRAIT = (600, 900)  # a photo twice as tall at the book's measure as half its page


def _photo(path: Path, size: tuple[int, int]) -> None:
    """A plain photo, written whole or not at all (another worker may be reading it)."""
    if not path.exists():
        partial = path.with_name(f".{path.stem}.{os.getpid()}{path.suffix}")
        Image.new("RGB", size, (120, 140, 90)).save(partial)
        partial.replace(path)


def portrait_story(folder: Path) -> str:
    """A story of ten paragraphs with a portrait photo after the third: at the book's
    measure its frame alone is taller than an A5 page's type area.  Its photo is written
    into ``folder``; the source's text is returned."""
    folder.mkdir(parents=True, exist_ok=True)
    _photo(folder / "图①.jpg", PORTRAIT)
    lines = ["春耕备耕有序展开", "本报记者　李明　王芳", ""]
    for k in range(10):
        lines += [("本报北京3月5日电　" if k == 0 else "") + paragraph(3 + k % 3, k), ""]
        if k == 2:
            lines += ["图①：3月5日，农民在田间管理小麦，无人机在上空巡检。新华社记者 张三摄", ""]
    return "\n".join(lines)
