"""How often a page of four stories composes: 40 pages of random copy (a fixed seed, so the
same pages every run), each composed without rendering (the search only), counted by
outcome.  With ``--check`` each page composed is also rendered and checked as
`layout build --check` checks a page (fidelity, layout: column feet, heads, holes), and
counted by the codes of its findings.
Run: ``.venv/bin/python bench/compose_trials.py [TRIALS] [SEED] [-v] [--check]``."""

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

from layout.app.pages import ComposedPage, compose_page  # noqa: E402
from layout.errors import LayoutError  # noqa: E402
from layout.readers import read  # noqa: E402
from layout.settings import Settings  # noqa: E402
from layout.writers import pdf  # noqa: E402

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


def checked(made: ComposedPage, out: Path) -> tuple[str, str]:
    """The codes of what `layout check` finds on the rendered page ("checked": none), and
    the findings."""
    from layout.check import Options, run

    assert made.rendered is not None
    out.mkdir(parents=True, exist_ok=True)
    path = out / "page.pdf"
    path.write_bytes(pdf.pdf_bytes(made.rendered, made.settings))
    report = run([path], Options(skip=("preflight.images", "typography")))
    codes = sorted({f.code for f in report.findings})
    return ("checked" if not codes else "composed, " + " ".join(codes),
            "; ".join(f"{f.code} {f.message}" for f in report.findings))


def main() -> None:
    check = "--check" in sys.argv
    args = [a for a in sys.argv[1:] if a not in ("-v", "--check")]
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
                made = compose_page([(s, read(s)) for s in sources],
                                    Settings.default(page=preset), folder / "out",
                                    render=check)
                result, detail = checked(made, folder / "out") if check else ("composed", "")
            except LayoutError as error:
                result, detail = outcome(error), error.message
            counts[result] += 1
            print(f"{trial:3d} {preset:10s} {result}", flush=True)
            if "-v" in sys.argv and detail:
                print("    " + detail[:300])
    made = sum(v for k, v in counts.items() if k.startswith(("composed", "checked")))
    print(f"\n{made} of {trials} composed"
          + (f", {counts['checked']} of them without a finding" if check else "")
          + f" ({time.perf_counter() - start:.0f} s); " + ", ".join(
              f"{k}: {v}" for k, v in sorted(counts.items())
              if k not in ("composed", "checked")))


if __name__ == "__main__":
    main()
