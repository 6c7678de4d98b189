"""Regenerate README's picture of a composed page (docs/images/composed-page.png) from the
current code: the page of five stories `make bench` composes (a lead with a photo, two
more stories, a 简讯 column of four items, a commentary), built by `layout build` and
rendered in grey at the width README shows.

Run: ``.venv/bin/python scripts/update-composed-picture.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from run import compose_project  # noqa: E402

PICTURE = ROOT / "docs" / "images" / "composed-page.png"
WIDTH = 615  # px


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plan = compose_project(Path(tmp) / "page")
        out = Path(tmp) / "out"
        subprocess.run([sys.executable, "-m", "layout.cli", "build", "--config", str(plan),
                        "-q", "--format", "pdf", "-o", str(out)], check=True)
        doc = pdfium.PdfDocument(str(out / "page-01.pdf"))
        page = doc[0]
        image = page.render(scale=WIDTH / page.get_width()).to_pil().convert("L")
        page.close()
        doc.close()
    image.save(PICTURE, optimize=True)
    print(f"wrote {PICTURE.relative_to(ROOT)} ({image.width}×{image.height})")


if __name__ == "__main__":
    main()
