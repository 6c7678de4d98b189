"""Make the README's pictures of the sample at every preset again, and print the page
make-up's figures per preset and the typography's (the README's two tables), from fresh
builds.

    .venv/bin/python scripts/update-makeup-pictures.py

Builds the sample (and the test article, and the sample in the book style) into a
temporary folder, renders page 1 (A4: pages 1 and 2 side by side) with pdftoppm at the
pictures' widths into docs/images/, and prints one Markdown row per build: pages, the
largest empty rectangle, the worst column-foot spread, body lines off the grid,
characters outside the trim, frames off column edges, L-family findings. Then one row per
build of TYPOGRAPHY: `layout check`'s typography measures (check/typography.py).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source" / "renmin-ribao-party-building.txt"
ARTICLE = ROOT / "tests" / "fixtures" / "ai-farming.txt"
IMAGES = ROOT / "docs" / "images"
WIDTHS = {"broadsheet": 691, "tabloid": 662, "a3": 702, "a4": 422}  # a4: each of two pages
BUILDS = [(SAMPLE, "newspaper", p) for p in WIDTHS] + [
    (ARTICLE, "newspaper", "tabloid"), (ARTICLE, "newspaper", "a3"),
    (SAMPLE, "book", "a5"), (SAMPLE, "book", "a4")]
TYPOGRAPHY = [(SAMPLE, p, ()) for p in ("broadsheet", "a3", "a4")] + [
    (ARTICLE, p, ()) for p in ("broadsheet", "a3", "a4")] + [(SAMPLE, "a3", ("--no-typeset",))]


def build(source: Path, style: str, preset: str, out: Path, *flags: str) -> Path:
    from layout.cli import main

    args = ["build", str(source), "-q", "--format", "pdf", "--page", preset, "--style", style,
            "-o", str(out), *flags]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(args)
    if code:
        sys.exit(f"layout {' '.join(args)} failed ({code})")
    return out / f"{source.stem}.pdf"


def picture(pdf: Path, preset: str, work: Path) -> None:
    pages = 2 if preset == "a4" else 1
    subprocess.run(["pdftoppm", "-png", "-f", "1", "-l", str(pages), "-scale-to-x",
                    str(WIDTHS[preset]), "-scale-to-y", "-1", str(pdf), str(work / preset)],
                   check=True)
    shots = [Image.open(p) for p in sorted(work.glob(f"{preset}-*.png"))]
    sheet = Image.new("RGB", (sum(s.width for s in shots), max(s.height for s in shots)),
                      "white")
    x = 0
    for shot in shots:
        sheet.paste(shot, (x, 0))
        x += shot.width
    sheet.save(IMAGES / f"sample-{preset}.png", optimize=True)


def row(source: Path, style: str, preset: str, pdf: Path) -> str:
    from layout.check.layout import LayoutLimits, layout_findings, measure

    report = measure(pdf)
    s = report.summary()
    spread = max((v for p in report.pages for v in p.foot_spreads()), default=0.0)
    findings = sorted(f.code for fs in layout_findings(report, LayoutLimits()).values()
                      for f in fs)
    name = "sample" if source == SAMPLE else "test article"
    return (f"| {name}, {style} {preset} | {len(report.pages)} | "
            f"{s['largest_empty_share']:.1%} | {round(spread)} | "
            f"{s['body_lines'] - round(s['on_grid_share'] * s['body_lines'])} | "
            f"{s['outside_trim']} | {s['frames_off_grid']} | {', '.join(findings) or 'none'} |")


def typography_row(source: Path, preset: str, flags: tuple[str, ...], pdf: Path) -> str:
    from layout.check.typography import measure

    s = measure(pdf, source.read_text("utf-8")).summary()
    name = "sample" if source == SAMPLE else "test article"
    flag = "".join(f", `{f}`" for f in flags)

    def em(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f} em"

    return (f"| {name}, {preset}{flag} | {s['ragged_lines']} of {s['non_final_lines']} | "
            f"{s['bad_line_starts']} / {s['bad_line_ends']} | "
            f"{em(s['pair_advance_median'])} ({s['punctuation_pairs']} pairs) | "
            f"{em(s['han_latin_gap_median'])} ({s['han_latin_gaps']}) | "
            f"{s['single_character_last_lines']} | {s['spaces_between_han']} |")


def main() -> None:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("| source, style and preset | pages | largest empty rectangle | column-foot "
              "spread (lines, worst module) | body lines off the grid | characters outside "
              "the trim | frames off column edges | L findings |")
        print("|---|---|---|---|---|---|---|---|")
        built: dict[tuple[Path, str, tuple[str, ...]], Path] = {}  # newspaper builds, reused
        for k, (source, style, preset) in enumerate(BUILDS):
            pdf = build(source, style, preset, work / f"b{k}")
            if style == "newspaper":
                built[source, preset, ()] = pdf
            if source == SAMPLE and style == "newspaper":
                picture(pdf, preset, work)
            print(row(source, style, preset, pdf), flush=True)
        print("\n| source, preset | non-final lines short by > 0.1 em | bad line starts / ends "
              "| pair advance (median) | Han–Latin gap (median) | one-character last lines | "
              "spaces between Han in copied text |")
        print("|---|---|---|---|---|---|---|")
        for k, (source, preset, flags) in enumerate(TYPOGRAPHY):
            pdf = built.get((source, preset, flags)) or build(
                source, "newspaper", preset, work / f"t{k}", *flags)
            print(typography_row(source, preset, flags, pdf), flush=True)


if __name__ == "__main__":
    main()
