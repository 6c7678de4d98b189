"""Copy for the composed-page tests: stories of a chosen length, written as sources."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

SENTENCES = (
    "各地抓住有利天气组织农民开展春耕备耕，农业部门加大支持力度，确保粮食生产稳定。",
    "专家表示，今年的政策更加注重实效，基层干部群众干劲十足，处处呈现繁忙景象。",
    "记者在田间地头看到，新型农机具广泛应用，智慧农业让耕种更加高效便捷。",
    "当地负责人介绍，将进一步完善服务体系，帮助农户解决生产中遇到的实际困难。",
    "随着气温回升，各类作物进入生长关键期，技术人员深入一线开展指导服务。",
)
BRIEF_TITLES = ("春季招聘会今起举行", "铁路新线开通运营", "全民阅读活动启动", "新能源汽车销量增长")


def paragraph(sentences: int, start: int) -> str:
    return "".join(SENTENCES[(start + i) % len(SENTENCES)] for i in range(sentences))


def news(folder: Path, name: str, title: str, paragraphs: int, *, subtitle: str | None = None,
         byline: str = "本报记者　王小明", photo: bool = False, sentences: int = 4) -> Path:
    """A news story of ``paragraphs`` paragraphs of ``sentences`` sentences (a photo after
    the first, 图①.jpg beside it, when ``photo``)."""
    lines = [title, *([subtitle] if subtitle else []), byline, ""]
    for k in range(paragraphs):
        lines.append("　　" + paragraph(sentences, k))
        if photo and k == 0:
            lines.append("图①：3月5日，农民在田间管理小麦。（新华社记者 张三摄）")
    if photo:
        Image.new("RGB", (900, 600), (120, 140, 90)).save(folder / "图①.jpg")
    source = folder / name
    source.write_text("\n".join(lines) + "\n", "utf-8")
    return source


def briefs(folder: Path, name: str = "briefs.txt") -> Path:
    """A 简讯 column of four items."""
    text = "简讯\n" + "".join(f"{t}\n本报北京3月5日电　（记者张伟）　{paragraph(1, i)}\n"
                            for i, t in enumerate(BRIEF_TITLES))
    source = folder / name
    source.write_text(text, "utf-8")
    return source


def commentary(folder: Path, paragraphs: int, name: str = "comment.txt") -> Path:
    body = "\n\n".join(paragraph(2, k) for k in range(paragraphs))
    source = folder / name
    source.write_text(f"让创新活力充分涌流\n\n本报评论员\n\n{body}\n", "utf-8")
    return source
