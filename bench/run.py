"""The benchmark behind ``make bench``: whole-process timings of the CLI and of the tools
it is compared with, on the sample and on long books made from it.

Every scenario is a list of commands run as child processes.  The scenarios of one round
run one after the other, and rounds repeat (``--runs``), so the two sides of each ratio
are measured side by side under the same load; a ratio is the median of the per-round
ratios.  Peak memory is the largest resident set of any process of the scenario
(``os.wait4``).  Results go to bench/results.md and to the README, between the
``<!-- bench:start -->`` and ``<!-- bench:end -->`` markers.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source" / "renmin-ribao-party-building.txt"
VENV_BIN = Path(sys.executable).parent
LAYOUT = [sys.executable, "-m", "layout.cli"]
WEASYPRINT = [str(VENV_BIN / "weasyprint")] if (VENV_BIN / "weasyprint").exists() else [
    sys.executable, "-m", "weasyprint"]
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass
class Scenario:
    name: str
    what: str
    commands: list[list[str]]
    once: bool = False  # measured in the first round only (slow, and run for its memory)
    times: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    output: str


def run(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to the end; its wall time, peak RSS and combined output."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed ({proc.returncode}):\n{text}")
    return Run(seconds, usage.ru_maxrss / 1024, text)


def pages_of(output: str) -> int:
    m = re.search(r"\.pdf \((\d+) pages?\)", output)
    if not m:
        raise SystemExit(f"bench: no page count in:\n{output}")
    return int(m.group(1))


def book(repeats: int) -> str:
    """The sample with its body (after the editor's note, up to the captions) repeated."""
    lines = SAMPLE.read_text("utf-8").split("\n")
    start = lines.index("编者") + 1
    end = next(i for i, line in enumerate(lines) if line.startswith("图①"))
    return "\n".join(lines[:start] + lines[start:end] * repeats + lines[end:])


def many_paragraphs(count: int) -> str:
    """The sample's head, then ``count`` one-sentence paragraphs of its characters."""
    lines = SAMPLE.read_text("utf-8").split("\n")
    han = "".join(ch for ch in SAMPLE.read_text("utf-8") if "\u4e00" <= ch <= "\u9fff")
    body = (han[(i * 37) % (len(han) - 40):][:30] + "。" for i in range(count))
    return "\n".join(lines[: lines.index("编者") + 1]) + "\n\n" + "\n\n".join(body) + "\n"


def make_book(work: Path, repeats: int) -> Path:
    path = work / f"book-x{repeats}.txt"
    path.write_text(book(repeats), "utf-8")
    return path


def layout_build(source: Path, out: Path, *extra: str) -> list[str]:
    return [*LAYOUT, "build", str(source), "-o", str(out), "-q", *extra]


def compose_project(folder: Path) -> Path:
    """A project whose one planned page holds 5 stories: a lead with a photo, two more, a
    简讯 column of 4 items and a commentary (the copy of the composed-page tests)."""
    sys.path.insert(0, str(ROOT))
    from tests import compose_copy as copy

    folder.mkdir(parents=True, exist_ok=True)
    copy.news(folder, "lead.txt", "春耕备耕有序展开　粮食生产开局良好", 14,
              subtitle="——各地抓住农时推进春季农业生产", photo=True)
    copy.news(folder, "second.txt", "外贸开局平稳向好", 8, byline="本报记者　李华", sentences=3)
    copy.news(folder, "third.txt", "城市更新让老街焕发新生", 6, byline="本报记者　赵明",
              sentences=3)
    copy.briefs(folder)
    copy.commentary(folder, 6)
    plan = folder / "layout.toml"
    plan.write_text('[[pages]]\nnumber = 1\nname = "要闻"\nstories = ["lead.txt", '
                    '"second.txt", "third.txt", "briefs.txt", "comment.txt"]\n', "utf-8")
    return plan


def has_flag(flag: str) -> bool:
    return flag in run([*LAYOUT, "build", "--help"]).output


def scenarios(work: Path, with_limits: bool, only: set[str] | None = None
              ) -> tuple[list[Scenario], dict[str, str]]:
    """Prepare inputs (outputs the comparisons start from) and return the scenarios;
    with ``only``, those named alone (and only their inputs prepared)."""
    def wanted(*names: str) -> bool:
        return only is None or bool(only & set(names))

    notes: dict[str, str] = {}
    force = ["--force"] if has_flag("--force") else []
    full_out, noop_out = work / "full", work / "noop"
    run(layout_build(SAMPLE, full_out, *force))
    run(layout_build(SAMPLE, noop_out))
    html = full_out / f"{SAMPLE.stem}.html"

    books = {}
    wanted_books = [t for t in (20, 80) if wanted(f"book{t}", f"weasyprint-book{t}")]
    if wanted_books:
        # Pages grow linearly with the repeats after the first (head, captions, sidebar).
        probes = {k: pages_of(run(layout_build(make_book(work, k), work / f"probe{k}",
                                               "--page", "a4", "--format", "pdf",
                                               *force)).output)
                  for k in (1, 5)}
        per_repeat = (probes[5] - probes[1]) / 4
        for target in wanted_books:
            source = make_book(work, max(1, round(1 + (target - probes[1]) / per_repeat)))
            first = run(layout_build(source, work / f"b{target}", "--page", "a4", *force))
            books[target] = (source, pages_of(first.output))
    notes["books"] = ", ".join(f"{t}: {p} pages" for t, (_, p) in books.items()) or "not run"

    out = [
        Scenario("full", "sample: PDF + EPUB + HTML", [layout_build(SAMPLE, work / "o1", *force)]),
        Scenario("pdf", "sample: `--format pdf`", [layout_build(SAMPLE, work / "o2", "--format",
                                                                "pdf", *force)]),
        Scenario("noop", "sample: rebuild with nothing changed",
                 [layout_build(SAMPLE, noop_out)]),
        Scenario("weasyprint", "sample: WeasyPrint alone on the HTML our build wrote",
                 [[*WEASYPRINT, str(html), str(work / "ws.pdf")]]),
    ]
    # The make-up measures the copy and may refit it (issue 11): its cost on a multi-page
    # preset, against WeasyPrint alone on the HTML it wrote.
    if wanted("a4", "weasyprint-a4"):
        a4_out = work / "a4"
        run(layout_build(SAMPLE, a4_out, "--page", "a4", "--format", "pdf,html", *force))
        out.append(Scenario("a4", "sample at `--page a4`: PDF + HTML",
                            [layout_build(SAMPLE, work / "o4", "--page", "a4", "--format",
                                          "pdf,html", *force)]))
        out.append(Scenario("weasyprint-a4", "sample at a4: WeasyPrint alone on our HTML",
                            [[*WEASYPRINT, str(a4_out / f"{SAMPLE.stem}.html"),
                              str(work / "ws4.pdf")]]))
    # A page of five stories composed (拼版, issue 13): measured once, searched on numbers,
    # rendered once; against WeasyPrint alone on the page HTML it wrote.
    if wanted("compose5", "weasyprint-compose5"):
        plan = compose_project(work / "compose5")
        compose = [*LAYOUT, "build", "--config", str(plan), "-q", "--format", "pdf,html"]
        run(compose)
        out.append(Scenario("compose5", "a page of 5 stories composed (拼版): PDF + HTML",
                            [[*compose, "-o", str(work / "oc5")]]))
        out.append(Scenario("weasyprint-compose5",
                            "the composed page: WeasyPrint alone on its HTML",
                            [[*WEASYPRINT, str(plan.parent / "build" / "page-01.html"),
                              str(work / "wsc5.pdf")]]))
    out.append(Scenario("check", "sample: `layout check` of the build, without EPUBCheck",
                        [[*LAYOUT, "check", str(full_out), "--source", str(SAMPLE),
                          "--no-epubcheck"]]))
    out.append(Scenario("check-epubcheck", "sample: `layout check` of the build, with EPUBCheck",
                        [[*LAYOUT, "check", str(full_out), "--source", str(SAMPLE)]]))
    if has_flag("--no-typeset"):
        out.append(Scenario("no-typeset", "sample: PDF + EPUB + HTML, `--no-typeset`",
                            [layout_build(SAMPLE, work / "o3", "--no-typeset", *force)]))
    for target, (source, pages) in books.items():
        book_html = work / f"b{target}" / f"{source.stem}.html"
        out.append(Scenario(f"book{target}", f"book, {pages} A4 pages: PDF + EPUB + HTML",
                            [layout_build(source, work / f"ob{target}", "--page", "a4",
                                          *force)]))
        out.append(Scenario(f"weasyprint-book{target}",
                            f"book, {pages} A4 pages: WeasyPrint alone on our HTML",
                            [[*WEASYPRINT, str(book_html), str(work / f"wsb{target}.pdf")]]))
    pandoc = shutil.which("pandoc") if wanted("pandoc") else None
    if pandoc:
        markdown = work / "sample.md"
        run([*LAYOUT, "import", str(SAMPLE), "-o", str(markdown), "-q"])
        out.append(Scenario("pandoc", "sample as Markdown: pandoc to PDF (WeasyPrint), EPUB, "
                            "HTML", [
                                [pandoc, str(markdown), "-o", str(work / "p.pdf"),
                                 "--pdf-engine", WEASYPRINT[0]],
                                [pandoc, str(markdown), "-o", str(work / "p.epub")],
                                [pandoc, "-s", str(markdown), "-o", str(work / "p.html")]]))
        notes["pandoc"] = run([pandoc, "--version"]).output.splitlines()[0]
    else:
        notes["pandoc"] = "not installed: scenario skipped"
    if with_limits and wanted("limits"):
        many = work / "many.txt"
        many.write_text(many_paragraphs(10_000), "utf-8")
        out.append(Scenario("limits", "10,000 paragraphs (0.8 MB): PDF + EPUB + HTML",
                            [layout_build(many, work / "om", *force)], once=True))
    return [s for s in out if wanted(s.name)], notes


def measure(items: list[Scenario], runs: int, log: Callable[[str], None]) -> None:
    for round_no in range(runs):
        for s in items:
            if s.once and round_no:
                continue
            results = [run(c, {"PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}"})
                       for c in s.commands]
            s.times.append(sum(r.seconds for r in results))
            s.peaks.append(max(r.peak_mb for r in results))
            log(f"round {round_no + 1}/{runs} {s.name}: {s.times[-1]:.2f} s, "
                f"{s.peaks[-1]:.0f} MB")


def ratio(items: dict[str, Scenario], a: str, b: str) -> float | None:
    if a not in items or b not in items:
        return None
    pairs = zip(items[a].times, items[b].times, strict=False)
    return statistics.median(x / y for x, y in pairs)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                  .splitlines() if line.startswith("MemTotal"))
    import weasyprint

    return (f"{os.cpu_count()} cores ({cpu}), {mem_kb / 1024 / 1024:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"WeasyPrint {weasyprint.__version__}")


def revision() -> str:
    """The commit measured, marked ``+changes`` when the work tree differs from it."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--untracked-files=no", "--", "src", "styles")
    return f"{commit}+changes" if changed else commit


def report(items: list[Scenario], notes: dict[str, str], runs: int) -> str:
    by_name = {s.name: s for s in items}
    rows = ["| scenario | median | range | peak memory |", "|---|---:|---:|---:|"]
    for s in items:
        spread = f"{min(s.times):.2f}–{max(s.times):.2f} s" if len(s.times) > 1 else "1 run"
        rows.append(f"| {s.what} | {statistics.median(s.times):.2f} s | {spread} | "
                    f"{max(s.peaks):.0f} MB |")
    targets = []
    full = ratio(by_name, "full", "weasyprint")
    if full is not None:
        targets.append(f"| full build ÷ WeasyPrint alone (sample) | ≤ 1.6× | {full:.2f}× |")
    a4 = ratio(by_name, "a4", "weasyprint-a4")
    if a4 is not None:
        targets.append(f"| sample at a4 (make-up, fit) ÷ WeasyPrint alone | ≤ 1.6× | {a4:.2f}× |")
    compose = ratio(by_name, "compose5", "weasyprint-compose5")
    if compose is not None:
        targets.append(f"| a composed page of 5 stories ÷ WeasyPrint alone on it | ≤ 3× | "
                       f"{compose:.2f}× |")
    if "noop" in by_name:
        noop = statistics.median(by_name["noop"].times)
        targets.append(f"| no-op rebuild | < 0.3 s | {noop:.2f} s |")
    book = ratio(by_name, "book80", "weasyprint-book80")
    if book is not None:
        targets.append(f"| 80-page book ÷ WeasyPrint alone | ≤ 1.5× | {book:.2f}× |")
    if "check" in by_name:
        check = statistics.median(by_name["check"].times)
        targets.append(f"| `layout check` of the sample's build (no EPUBCheck) | a few "
                       f"seconds | {check:.2f} s |")
    typeset = ratio(by_name, "full", "no-typeset")
    if typeset is not None:
        targets.append(f"| full build ÷ `--no-typeset` (cost of the typesetting layer) | — | "
                       f"{typeset:.2f}× |")
    pandoc = ratio(by_name, "full", "pandoc")
    if pandoc is not None:
        targets.append(f"| full build ÷ pandoc (+ WeasyPrint) | — | {pandoc:.2f}× |")
    return "\n".join([
        f"Code: layout at {revision()}. "
        f"Machine: {machine()}. Medians of {runs} rounds; ratios are medians of per-round "
        f"ratios of runs made side by side. Load average (1 min) {notes['load']}: the "
        f"machine is shared, so absolute times move with it; ratios far less. "
        f"Books: {notes['books']}. pandoc: {notes['pandoc']}.",
        "",
        *rows,
        "",
        "| target | goal | measured |",
        "|---|---|---:|",
        *targets,
    ])


def write_results(table: str, readme: bool) -> None:
    results = ROOT / "bench" / "results.md"
    results.write_text("# Benchmark results\n\nWritten by `make bench` (bench/run.py); see "
                       "bench/README.md.\n\n" + table + "\n", "utf-8")
    if not readme:
        return
    path = ROOT / "README.md"
    text = path.read_text("utf-8")
    if README_START in text and README_END in text:
        head, rest = text.split(README_START, 1)
        tail = rest.split(README_END, 1)[1]
        path.write_text(f"{head}{README_START}\n{table}\n{README_END}{tail}", "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds (default: 5)")
    parser.add_argument("--no-limits", action="store_true",
                        help="skip the slow 10,000-paragraph scenario")
    parser.add_argument("--no-readme", action="store_true",
                        help="write bench/results.md only, not the README's table")
    parser.add_argument("--only", type=lambda v: {n.strip() for n in v.split(",") if n.strip()},
                        help="these scenarios alone, comma-separated (e.g. full,weasyprint); "
                             "writes no results, prints the table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="layout-bench-") as tmp:
        work = Path(tmp)
        # The children keep their compiled bytecode, as an installed package does (an
        # environment that says not to write it would have every run compile layout's
        # modules afresh: 0.25 s); in the work folder, so both sides start cold and the
        # preparing runs warm them.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
        print("bench: preparing inputs", file=sys.stderr)
        items, notes = scenarios(work, not args.no_limits, args.only)
        if args.only and (unknown := args.only - {s.name for s in items}):
            raise SystemExit(f"bench: no scenario {', '.join(sorted(unknown))}")
        before = os.getloadavg()[0]
        measure(items, args.runs, lambda line: print(f"bench: {line}", file=sys.stderr))
        notes["load"] = f"{before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    table = report(items, notes, args.runs)
    if not args.only:  # a subset is a look, not the record
        write_results(table, not args.no_readme)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
