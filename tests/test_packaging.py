"""A normal (non-editable) install carries the built-in styles and the sample."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from layout.app.project import SAMPLE
from layout.check.epubcheck import EpubCheck
from layout.settings import BUILTIN_STYLES, PACKAGE_DIR

ROOT = Path(__file__).resolve().parent.parent


def test_styles_and_sample_are_reached_through_the_package() -> None:
    assert (PACKAGE_DIR / "styles").is_symlink() and (PACKAGE_DIR / "sample").is_symlink()
    assert BUILTIN_STYLES == (ROOT / "styles").resolve()
    assert SAMPLE == (ROOT / "source" / "renmin-ribao-party-building.txt").resolve()


def test_package_data_covers_every_style_file_the_sample_and_the_epubcheck_loop() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))[
        "tool"]["setuptools"]["package-data"]["layout"]
    files = [p for p in (ROOT / "styles").rglob("*") if p.is_file()]
    files += [SAMPLE]
    for path in files:
        packaged = ("styles/" + path.relative_to(ROOT / "styles").as_posix()
                    if path.is_relative_to(ROOT / "styles") else "sample/" + path.name)
        assert any(fnmatch.fnmatch(packaged, p) for p in patterns), packaged
    # and the source of `layout check`'s EPUBCheck JVM
    loop = EpubCheck.LOOP.relative_to(PACKAGE_DIR).as_posix()
    assert any(fnmatch.fnmatch(loop, p) for p in patterns), loop
