"""Varied newsroom stories for exploring the make-up (issue 11): a seed per story.

    .venv/bin/python bench/desk_stories.py OUT [--stories N] [--first SEED] [--jobs J]

writes OUT/sNNN/story.txt (with its photos), builds each at every preset of both styles
(SOURCE_DATE_EPOCH=1700000000) and runs ``layout check --no-epubcheck`` on each PDF; the
findings go to OUT/findings.tsv (seed, style, preset, code, message) and a tally by code
to stdout. Not a test: the copy is invented, and what a desk would reject is for a person
to judge from the tally and the pages (``pdftoppm -r 50``).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import compose_copy as copy  # noqa: E402

LAYOUT = str(ROOT / ".venv" / "bin" / "layout")
PRESETS = (*(("newspaper", p) for p in ("broadsheet", "tabloid", "a3", "a4")),
           *(("book", p) for p in ("a5", "b5", "a4")))
SENTENCES = (
    *copy.SENTENCES,  # the composed-page tests' five
    "据统计，2023年全市新能源汽车产量达到35.6万辆，同比增长42%，出口额突破120亿元。",
    "这套系统基于AI视觉和5G网络，能在3秒内识别200多种病虫害，准确率超过98%。",
    "今年1至10月，全省完成固定资产投资1.2万亿元，其中高技术产业投资增长18.5%。",
    "“过去一个人管50亩地，现在借助GPS导航拖拉机，一个人能管500亩。”农场负责人说。",
    "会议强调，要坚持稳中求进工作总基调，推动经济实现质的有效提升和量的合理增长。",
)
HEADLINES = (
    "春耕备耕有序展开", "铁路新线开通运营", "我国成功发射新一代气象卫星",
    "稳住农业基本盘 夯实发展压舱石", "让创新活力充分涌流",
    "数字乡村建设提速，农村宽带接入用户超过一亿户",
    "城市更新让老街焕发新生", "前十个月全省固定资产投资增长6.5%",
    "推动绿色发展迈上新台阶：生态优先、产业转型两手抓",
    "外贸开局平稳向好、进出口增长百分之五", "AI走进田间地头",
    "新能源汽车产销两旺 出口额首次突破120亿元 产业链加快向高端迈进",
    "各地积极推进老旧小区改造惠及千家万户居民住得更舒心",
    "一场雪后的返乡路",
)
KICKERS = ("聚焦春耕生产", "新时代新征程新伟业", "科技前沿", "经济观察")
SUBTITLES = ("——各地多措并举保障粮食丰收", "——访某省省长周某某", "——前两个月进出口增长百分之五",
             "——记者蹲点采访见闻")
SECTIONS = (("技术落地——", "从实验室到田野"),
            ("覆盖万千党员——", "党员工作生活在哪里，党组织就覆盖到哪里"),
            ("激发创新活力——", "让人才各展其能"), ("引领发展方向——", "把方向、管大局、保落实"))
SHAPES = {"portrait": (600, 900), "landscape": (900, 600), "panorama": (1200, 400),
          "square": (800, 800)}
MARKS = "①②③"


def paragraph(rng: random.Random) -> str:
    return "".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 5)))


def story(seed: int, folder: Path) -> dict[str, object]:
    """Write a story for ``seed`` into ``folder``; return what it is made of."""
    rng = random.Random(seed)
    size = rng.choice(("brief", "brief", "short", "medium", "long", "long3"))
    paragraphs = {"brief": 2, "short": rng.randint(3, 5), "medium": rng.randint(6, 12),
                  "long": rng.randint(14, 24), "long3": rng.randint(26, 40)}[size]
    sections = 0 if size in ("brief", "short") else rng.randint(0, 3)
    photos = rng.randint(0, 3) if size != "brief" else rng.choice((0, 0, 1))
    note = size not in ("brief",) and rng.random() < 0.3
    sidebar = size in ("medium", "long", "long3") and rng.random() < 0.3
    lines: list[str] = []
    if rng.random() < 0.3:
        lines.append(rng.choice(KICKERS))
    lines.append(rng.choice(HEADLINES))
    if rng.random() < 0.3:
        lines.append(rng.choice(SUBTITLES))
    lines += ["本报记者　" + rng.choice(("王小明", "李明　王芳", "赵明、钱亮")), ""]
    if note:
        lines += ["编者按：" + paragraph(rng), ""]
    body = [paragraph(rng) for _ in range(paragraphs)]
    body[0] = "本报北京3月5日电　" + body[0]
    cuts = sorted(rng.sample(range(1, paragraphs), sections)) if sections else []
    shapes = []
    for k, text in enumerate(body):
        if k in cuts:
            title, sub = SECTIONS[cuts.index(k)]
            lines += [title, "", sub, ""]
        lines += [text, ""]
    for i in range(photos):
        shape = rng.choice(tuple(SHAPES))
        real = rng.random() < 0.7
        shapes.append(shape if real else f"FPO {shape}")
        caption = "3月5日，农民在田间管理小麦，无人机在上空巡检。新华社记者 张三摄"
        lines += [f"图{MARKS[i]}：{caption}", ""]
        if real:
            Image.new("RGB", SHAPES[shape], (120, 140, 90)).save(folder / f"图{MARKS[i]}.jpg")
    if sidebar:
        lines += ["记者手记", "", paragraph(rng), "", "——经济社会部 欧阳洁", ""]
    (folder / "story.txt").write_text("\n".join(lines), "utf-8")
    return {"size": size, "paragraphs": paragraphs, "sections": sections, "photos": shapes,
            "note": note, "sidebar": sidebar}


def build(folder: Path, style: str, preset: str) -> list[tuple[str, str]]:
    out = folder / f"{style}-{preset}"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    flags = ["--style", "book"] if style == "book" else []
    made = subprocess.run([LAYOUT, "build", str(folder / "story.txt"), "-q", "--page", preset,
                           *flags, "-o", str(out), "--format", "pdf"],
                          capture_output=True, text=True, env=env)
    found = [("build", line) for line in made.stderr.splitlines()
             if re.search(r": [A-Z]\d{3} ", line) and " B101 " not in line]
    if made.returncode != 0:
        return [*found, ("exit", str(made.returncode))]
    checked = subprocess.run([LAYOUT, "check", str(out), "--no-epubcheck"],
                             capture_output=True, text=True)
    return found + [("check", line) for line in checked.stdout.splitlines()
                    if re.search(r": [A-Z]\d{3} ", line)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--stories", type=int, default=30)
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    jobs = []
    for seed in range(args.first, args.first + args.stories):
        folder = args.out / f"s{seed:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        print(seed, story(seed, folder), flush=True)
        jobs += [(seed, folder, style, preset) for style, preset in PRESETS]
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda j: (j, build(*j[1:])), jobs))
    tally: collections.Counter[str] = collections.Counter()
    with open(args.out / "findings.tsv", "w", encoding="utf-8") as tsv:
        for (seed, _, style, preset), found in results:
            for kind, line in found:
                code = m.group(1) if (m := re.search(r": ([A-Z]\d{3}) ", line)) else kind
                code = f"build {code}" if kind == "build" else code
                tally[code] += 1
                tsv.write(f"{seed}\t{style}\t{preset}\t{code}\t{line}\n")
    failing = sum(1 for _, found in results if found)
    print(f"{len(results)} builds, {failing} with findings")
    for code, count in tally.most_common():
        print(f"{code}\t{count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
