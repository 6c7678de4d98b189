"""`layout serve` on a save: a 6-article project lays out again only the article saved.

Measured in one process, as the preview server does it: ``Preview.rebuild()`` after one
source changed (reading the six sources and digesting their inputs included), against
``build_preview()`` of that one article alone.  Times are medians over ``--runs`` saves.

    .venv/bin/python bench/serve_rebuild.py --runs 5
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from pathlib import Path

from layout.app.serve import Preview, build_preview
from layout.cli import project_sources
from layout.config import load_config

SAMPLE = Path(__file__).resolve().parent.parent / "source" / "renmin-ribao-party-building.txt"
ARTICLES = 6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        (root / "source").mkdir()
        text = SAMPLE.read_text("utf-8")
        for i in range(ARTICLES):
            (root / "source" / f"article{i}.txt").write_text(text, "utf-8")
        (root / "layout.toml").write_text('[style]\npage = "a4"\n', "utf-8")
        preview = Preview(root, None, project_sources, {})
        start = time.perf_counter()
        preview.rebuild()
        first = time.perf_counter() - start
        settings = load_config(root, None).settings()
        saved = root / "source" / "article0.txt"
        saves, singles = [], []
        for run in range(args.runs):
            saved.write_text(text + f"\n\n补记第{run + 1}段。\n", "utf-8")
            start = time.perf_counter()
            preview.rebuild()
            saves.append(time.perf_counter() - start)
            start = time.perf_counter()
            build_preview(saved, settings, None)
            singles.append(time.perf_counter() - start)
    save, single = statistics.median(saves), statistics.median(singles)
    print(f"first preview of {ARTICLES} articles: {first:.2f} s")
    print(f"save -> new preview: {save:.2f} s (median of {args.runs})")
    print(f"one article alone:   {single:.2f} s (median of {args.runs})")
    print(f"ratio: {save / single:.2f} (goal <= 1.2)")


if __name__ == "__main__":
    main()
