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


SHORT_PORTRAIT = (
    "本报北京3月5日电　各地抓住有利天气组织农民开展春耕备耕，农业部门加大支持力度，确保粮食生产"
    "稳定。随着气温回升，各类作物进入生长关键期，技术人员深入一线开展指导服务。",
    "据统计，2023年全市新能源汽车产量达到35.6万辆，同比增长42%，出口额突破120亿元。记者在田间地"
    "头看到，新型农机具广泛应用，智慧农业让耕种更加高效便捷。会议强调，要坚持稳中求进工作总基调，"
    "推动经济实现质的有效提升和量的合理增长。",
    "各地抓住有利天气组织农民开展春耕备耕，农业部门加大支持力度，确保粮食生产稳定。当地负责人介绍，"
    "将进一步完善服务体系，帮助农户解决生产中遇到的实际困难。会议强调，要坚持稳中求进工作总基调，"
    "推动经济实现质的有效提升和量的合理增长。",
    "各地抓住有利天气组织农民开展春耕备耕，农业部门加大支持力度，确保粮食生产稳定。记者在田间地头"
    "看到，新型农机具广泛应用，智慧农业让耕种更加高效便捷。会议强调，要坚持稳中求进工作总基调，推"
    "动经济实现质的有效提升和量的合理增长。",
)


def short_portrait_story(folder: Path) -> str:
    """A short story (four paragraphs, bench/desk_stories.py's seed 16) with a portrait
    photo after its text: on the A4 page's three columns the photo's column stands 8
    lines deeper than the text's two; a module of two columns evens them, the photo's
    caption level with the text's foot.  Its photo is written into ``folder``; the
    source's text is returned."""
    folder.mkdir(parents=True, exist_ok=True)
    _photo(folder / "图①.jpg", PORTRAIT)
    lines = ["AI走进田间地头", "本报记者　王小明", ""]
    for text in SHORT_PORTRAIT:
        lines += [text, ""]
    lines += ["图①：3月5日，农民在田间管理小麦，无人机在上空巡检。新华社记者 张三摄"]
    return "\n".join(lines)


SQUARE = (800, 800)
CAPTION = "3月5日，农民在田间管理小麦，无人机在上空巡检。新华社记者 张三摄"
THREE_PHOTOS = (
    "本报北京3月5日电　会议强调，要坚持稳中求进工作总基调，推动经济实现质的有效提升和量的合理增长。"
    "今年1至10月，全省完成固定资产投资1.2万亿元，其中高技术产业投资增长18.5%。",
    "专家表示，今年的政策更加注重实效，基层干部群众干劲十足，处处呈现繁忙景象。",
    "今年1至10月，全省完成固定资产投资1.2万亿元，其中高技术产业投资增长18.5%。",
)


def three_photos_story(folder: Path) -> str:
    """Three tiny paragraphs under three photos, two square and a portrait
    (bench/desk_stories.py's seed 23): in the book, photos as tall as half the type area
    leave the last one a page of its own and a band above it; smaller ones do not.  Its
    photos are written into ``folder``; the source's text is returned."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["新能源汽车产销两旺 出口额首次突破120亿元 产业链加快向高端迈进", "——记者蹲点采访见闻",
             "本报记者　王小明", ""]
    for text in THREE_PHOTOS:
        lines += [text, ""]
    for mark, size in zip("①②③", (SQUARE, SQUARE, PORTRAIT), strict=True):
        _photo(folder / f"图{mark}.jpg", size)
        lines += [f"图{mark}：{CAPTION}", ""]
    return "\n".join(lines)


def section_band_story(folder: Path) -> str:
    """A long story with an editor's note, a section head and a portrait photo
    (bench/desk_stories.py's seed 24, tests/fixtures/desk/seed24.txt): in the book at B5
    its leading's lines left five lines above the head, which needs six.  Its photo is
    written into ``folder``; the source's text is returned."""
    folder.mkdir(parents=True, exist_ok=True)
    _photo(folder / "图①.jpg", PORTRAIT)
    return (Path(__file__).parent / "fixtures" / "desk" / "seed24.txt").read_text("utf-8")
