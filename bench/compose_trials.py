"""How often a page of four stories composes: 40 pages of random copy (a fixed seed, so the
same pages every run), each composed without rendering (the search only), counted by
outcome.  Run: ``.venv/bin/python bench/compose_trials.py [TRIALS] [SEED]``."""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import compose_copy as copy  # noqa: E402

from layout.app.pages import compose_page  # noqa: E402
from layout.errors import LayoutError  # noqa: E402
from layout.readers import read  # noqa: E402
from layout.settings import Settings  # noqa: E402

TITLES = ("春耕备耕有序展开　粮食生产开局良好", "外贸开局平稳向好", "城市更新让老街焕发新生",
          "全民阅读活动启动")


def page(folder: Path, rng: random.Random) -> tuple[str, list[Path]]:
    """A page of four stories: a lead (a photo half the time), a second story, a 简讯
    column or a third story, a commentary; the page broadsheet or a3."""
    preset = rng.choice(("broadsheet", "a3"))
    scale = 1.0 if preset == "broadsheet" else 0.45
    n = lambda low, high: max(2, round(rng.randint(low, high) * scale))  # noqa: E731
    sources = [copy.news(folder, "lead.txt", TITLES[0], n(12, 20), photo=rng.random() < 0.5),
               copy.news(folder, "second.txt", TITLES[1], n(8, 14), byline="本报记者　李华",
                         sentences=3)]
    if rng.random() < 0.5:
        sources.append(copy.briefs(folder))
    else:
        sources.append(copy.news(folder, "third.txt", TITLES[2], n(6, 10),
                                 byline="本报记者　赵明", sentences=3))
    sources.append(copy.commentary(folder, n(6, 10)))
    return preset, sources


def outcome(exc: LayoutError) -> str:
    for words, name in (("too much copy", "too much copy"), ("too little", "too little copy"),
                        ("no arrangement", "no arrangement")):
        if words in exc.message:
            return f"{exc.code} {name}"
    return exc.code


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "-v"]
    trials = int(args[0]) if args else 40
    seed = int(args[1]) if len(args) > 1 else 13
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for trial in range(trials):
            folder = Path(tmp) / f"t{trial}"
            folder.mkdir()
            preset, sources = page(folder, rng)
            try:
                compose_page([(s, read(s)) for s in sources], Settings.default(page=preset),
                             folder / "out", render=False)
                result = "composed"
            except LayoutError as error:
                result, exc = outcome(error), error
            counts[result] += 1
            print(f"{trial:3d} {preset:10s} {result}", flush=True)
            if "-v" in sys.argv and result != "composed":
                print("    " + exc.message[:300])
    print(f"\n{counts['composed']} of {trials} composed "
          f"({time.perf_counter() - start:.0f} s); " + ", ".join(
              f"{k}: {v}" for k, v in sorted(counts.items()) if k != "composed"))


if __name__ == "__main__":
    main()
