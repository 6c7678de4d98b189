"""Rewrite the golden files the tests compare against, from what the code makes now.

    .venv/bin/python scripts/update-golden.py      # then review `git diff tests/golden`

The comparing tests never write goldens; this script is the one way to accept a change,
and it refuses to run under CI (``CI`` set), where a golden must only be compared.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import GOLDEN, SAMPLE  # noqa: E402
from tests.epub_support import GOLDEN_MEMBERS, Epub, build  # noqa: E402


def update_epub() -> None:
    with tempfile.TemporaryDirectory() as out:
        book = Epub(build(SAMPLE, Path(out), "--format", "epub"))
        for member in GOLDEN_MEMBERS:
            target = GOLDEN / "epub" / member
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(book.read(book.member(member)).decode("utf-8"), "utf-8")


def update_model() -> None:
    from layout.readers import read

    text = json.dumps(read(SAMPLE).to_json(), ensure_ascii=False, indent=2) + "\n"
    (GOLDEN / "sample-model.json").write_text(text, "utf-8")


def main() -> int:
    if os.environ.get("CI"):
        print("update-golden: refused under CI: goldens are only compared there",
              file=sys.stderr)
        return 2
    update_epub()
    update_model()
    print("updated tests/golden: review the change with `git diff tests/golden`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
