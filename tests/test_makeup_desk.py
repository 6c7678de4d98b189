"""What a layout desk would sign off, by `layout check` (as `layout check --no-epubcheck`):
every page preset and both styles, on the sample, the test article and the newsroom's
shapes (tests/newsroom_copy.py), each built once in the session and checked in process.

Only the combinations that pass are here; why the others do not yet is said below PASSING
(a desk would reject them too: they are the make-up's open work).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.check.gate import Options, run

from .conftest import ROOT, SAMPLE, Builds
from .newsroom_copy import FIXTURES

pytestmark = pytest.mark.slow

ARTICLE = ROOT / "tests" / "fixtures" / "ai-farming.txt"
NEWSPAPER = ("broadsheet", "tabloid", "a3", "a4")
# (source, style, preset) that pass every check but EPUBCheck.
PASSING = [
    *((name, "newspaper", preset) for name in ("sample", "ai-farming") for preset in NEWSPAPER),
    ("sample", "book", "a5"), ("sample", "book", "a4"),
    *(("commentary", "newspaper", preset) for preset in NEWSPAPER),
    ("commentary", "book", "a5"),
    ("interview", "newspaper", "a4"),
    ("two-line-dash", "newspaper", "broadsheet"),
    ("wire", "book", "a5"), ("wire", "book", "a4"),
    ("two-line-plain", "book", "a5"),
]
# What still fails, by cause (issue 11; see the README's Page make-up):
# - a short story's compact module is set across all the page's columns a few lines deep
#   (wire, briefs, archive, three-line-head on broadsheet/tabloid/A3): its bold dateline
#   run-ins are read as heads at a column's foot (L105) and the photo-news frame leaves
#   the rest of its row empty (L102); a desk would set a narrower module;
# - the archive page lines (第4版(要闻), 专栏:) and a three-line head's 通讯员 credit are
#   not printed (F101, the reader's);
# - lines ending short before a speaker's or a brief's next paragraph (T101, typography);
# - the test article in the book style: a photo that does not fit leaves the foot of the
#   page empty (L102).


def source(built: Builds, name: str) -> Path:
    if name == "sample":
        return SAMPLE
    if name == "ai-farming":
        return ARTICLE
    return built.source(f"newsroom/{name}.txt", FIXTURES[name])


@pytest.mark.parametrize(("name", "style", "preset"), PASSING,
                         ids=[f"{n}-{s}-{p}" for n, s, p in PASSING])
def test_a_desk_would_sign_it_off(built: Builds, name: str, style: str, preset: str) -> None:
    flags = ("--style", style) if style != "newspaper" else ()
    folder = built(source(built, name), preset=preset, flags=flags)
    report = run([folder], Options(skip=("epub.epubcheck",)))
    assert not report.failed, [f"{f.page}: {f.code} {f.message}" for f in report.findings]
