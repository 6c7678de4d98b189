"""Composed pages (issue 13): several stories on one page, each measured from the PDF.

Each page is composed once per session (:func:`composed`) and every measure reads it:
every story's headline and Han characters exactly once and inside its own module, no
text outside the trim box, no empty rectangle over 2% of the type area, the lead's
headline the largest, modules whole columns × whole lines tiling the type area, the same
bytes on a rebuild.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from weasyprint import HTML

from layout.app.pages import compose_page
from layout.chars import is_han
from layout.compose.boxes import FixedBox
from layout.errors import LayoutError
from layout.holes import COMPOSED_MAX_EMPTY
from layout.makeup.grid import PDF_KEY, Grid
from layout.readers import read
from layout.settings import Settings
from layout.writers import pdf

from . import compose_copy as copy

pytestmark = pytest.mark.slow  # every test here lays pages out

LEAD = "春耕备耕有序展开　粮食生产开局良好"
MODULES_KEY = "/layoutmodules"


@dataclass(frozen=True)
class Built:
    pdf: Path
    sources: list[Path]
    rebuilt: bytes
    html: str


def _compose(folder: Path, sources: list[Path], page: str,
             fixed: tuple[FixedBox, ...] = ()) -> Built:
    def once() -> tuple[bytes, str]:
        settings = Settings.default(page=page)
        settings = dataclasses.replace(settings, publication=dataclasses.replace(
            settings.publication, section_name="要闻"))
        made = compose_page([(s, read(s)) for s in sources], settings, folder / "out",
                            fixed=fixed, created="2026-03-05T00:00:00Z")
        assert not made.failed, made.diagnostics
        assert made.rendered is not None
        return pdf.pdf_bytes(made.rendered, made.settings), made.html

    out = folder / "out" / "page.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    data, html = once()
    out.write_bytes(data)
    return Built(out, sources, once()[0], html)


def _front_page(folder: Path) -> list[Path]:
    return [copy.news(folder, "lead.txt", LEAD, 18, subtitle="——各地抓住农时推进春季农业生产",
                      photo=True),
            copy.news(folder, "second.txt", "外贸开局平稳向好", 14,
                      subtitle="——前两个月进出口增长百分之五", byline="本报记者　李华",
                      sentences=3),
            copy.briefs(folder), copy.commentary(folder, 8)]


@pytest.fixture(scope="session")
def broadsheet(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """(a) 头条 with a photo, 二条, 简讯 of 4 items and a commentary on a broadsheet."""
    folder = tmp_path_factory.mktemp("compose-a")
    return _compose(folder, _front_page(folder), "broadsheet")


@pytest.fixture(scope="session")
def a3(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """(b) three stories on an a3 page."""
    folder = tmp_path_factory.mktemp("compose-b")
    sources = [copy.news(folder, "lead.txt", LEAD, 7),
               copy.news(folder, "second.txt", "外贸开局平稳向好", 8, byline="本报记者　李华"),
               copy.news(folder, "third.txt", "城市更新让老街焕发新生", 6, byline="本报记者　赵明")]
    return _compose(folder, sources, "a3")


@pytest.fixture(scope="session")
def advertised(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """(d) a broadsheet with a fixed advertisement of 4 columns × 30 lines."""
    folder = tmp_path_factory.mktemp("compose-d")
    sources = [copy.news(folder, "lead.txt", LEAD, 14, photo=True),
               copy.news(folder, "second.txt", "外贸开局平稳向好", 8, byline="本报记者　李华",
                         sentences=3),
               copy.briefs(folder), copy.commentary(folder, 8)]
    return _compose(folder, sources, "broadsheet", (FixedBox("广告", 4, 30, "bottom-right"),))


@pytest.fixture(scope="session")
def boxed(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """(d) the advertisement of 4 columns × 30 lines elsewhere (top right, a 报眼), and a
    second box at a given column and line."""
    folder = tmp_path_factory.mktemp("compose-d2")
    sources = [copy.news(folder, "lead.txt", LEAD, 14, photo=True),
               copy.news(folder, "second.txt", "外贸开局平稳向好", 8, byline="本报记者　李华",
                         sentences=3),
               copy.briefs(folder), copy.commentary(folder, 8)]
    return _compose(folder, sources, "broadsheet", (
        FixedBox("广告", 4, 30, "top-right"), FixedBox("启事", 2, 10, column=7, line=79)))


PAGES = ["broadsheet", "a3", "advertised", "boxed"]


@pytest.fixture(params=PAGES)
def built(request: pytest.FixtureRequest) -> Built:
    return request.getfixturevalue(request.param)


def _grid_and_modules(path: Path) -> tuple[Grid, dict[str, tuple[int, ...]]]:
    info = PdfReader(path).metadata
    grid = Grid.parse(str(info[PDF_KEY]))
    assert grid is not None
    modules = {}
    for part in str(info[MODULES_KEY]).split("; "):
        key, *numbers = part.split()
        modules[key if key != "box" else f"box{len(modules)}"] = tuple(int(n) for n in numbers)
    return grid, modules


def _rect(grid: Grid, m: tuple[int, ...]) -> tuple[float, float, float, float]:
    x, y, w, h = m[:4]
    step = grid.column + grid.gutter
    left, top = grid.left + x * step, grid.top + y * grid.pitch
    return left, top, left + w * grid.column + (w - 1) * grid.gutter, top + h * grid.pitch


@functools.cache
def _objects(data: bytes) -> tuple[int, dict[str, list[dict]]]:
    """The number of pages of a PDF, and the chars, images and rects of its first, read
    once per content (the shared pages are read by many tests; a broken page written over
    another is read anew)."""
    with pdfplumber.open(io.BytesIO(data)) as doc:
        page = doc.pages[0]
        return len(doc.pages), {"chars": list(page.chars), "images": list(page.images),
                                "rects": list(page.rects)}


def _chars(path: Path) -> list[dict]:
    pages, objects = _objects(path.read_bytes())
    assert pages == 1
    return objects["chars"]


def _inside(c: dict, rect: tuple[float, float, float, float]) -> bool:
    cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return rect[0] - 1 <= cx <= rect[2] + 1 and rect[1] - 1 <= cy <= rect[3] + 1


def _expected_han(source: Path) -> Counter[str]:
    """The Han characters of a source's stories (its page metadata lines excluded)."""
    doc = read(source)
    text = []
    for story in doc.stories():
        text += [story.column or "", story.kicker or "", story.title, story.subtitle or "",
                 story.dateline or ""]
        if story.byline:
            text += [story.byline.role or "", *story.byline.authors]
        text += [b.text + (b.run_in or "") for b in story.lead]
        text += [s.title + (s.subtitle or "") + "".join(b.text for b in s.blocks)
                 for s in story.sections]
        text += [f.label + f.caption + (f.credit or "") for f in story.figures]
    if doc.page and doc.page.column:
        text.append(doc.page.column)
    return Counter(ch for ch in "".join(text) if is_han(ch))


def test_every_story_is_in_its_own_module_exactly_once(built: Built) -> None:
    grid, modules = _grid_and_modules(built.pdf)
    chars = _chars(built.pdf)
    for n, source in enumerate(built.sources, start=1):
        rect = _rect(grid, modules[f"s{n}"])
        found = Counter(ch for c in chars if _inside(c, rect) for ch in c["text"] if is_han(ch))
        assert found == _expected_han(source), source.name
        title = read(source).title
        text = "".join(c["text"] for c in chars if _inside(c, rect)).replace("\u3000", "")
        assert text.count(title.replace("\u3000", "")) == 1 or "简讯" in text


def test_no_text_outside_the_trim_box(built: Built) -> None:
    grid, _ = _grid_and_modules(built.pdf)
    for c in _chars(built.pdf):
        assert 0 <= c["x0"] and c["x1"] <= grid.width and 0 <= c["top"] and (
            c["bottom"] <= grid.height), c["text"]


def test_modules_are_whole_columns_and_lines_tiling_the_type_area(built: Built) -> None:
    grid, modules = _grid_and_modules(built.pdf)
    cells: Counter[tuple[int, int]] = Counter()
    for x, y, w, h, _head in modules.values():
        assert w >= 1 and h >= 1
        cells.update((cx, cy) for cx in range(x, x + w) for cy in range(y, y + h))
    assert set(cells) == {(cx, cy) for cx in range(grid.columns) for cy in range(grid.lines)}
    assert max(cells.values()) == 1  # no overlaps


def largest_empty(filled: list[list[bool]]) -> int:
    """The largest rectangle of empty cells (columns × lines) in a grid of cells."""
    best = 0
    heights = [0] * len(filled[0])
    for row in filled:
        heights = [0 if f else h + 1 for f, h in zip(row, heights, strict=True)]
        for i in range(len(heights)):
            low = heights[i]
            for j in range(i, len(heights)):
                low = min(low, heights[j])
                if not low:
                    break
                best = max(best, low * (j - i + 1))
    return best


def _filled(path: Path) -> list[list[bool]]:
    """Per grid line, per column: does ink (text, a picture, a box) touch the cell?  The
    head group of a module counts as filled (a headline is centred in its width)."""
    grid, modules = _grid_and_modules(path)
    filled = [[False] * grid.columns for _ in range(grid.lines)]
    for x, y, w, _h, head in modules.values():
        for line in range(y, y + head):
            for col in range(x, x + w):
                filled[line][col] = True
    step = grid.column + grid.gutter
    _, page = _objects(path.read_bytes())
    things = [*page["chars"], *page["images"], *(r for r in page["rects"] if r["height"] > 2)]
    for t in things:
        for line in range(grid.lines):
            top = grid.top + line * grid.pitch
            if t["bottom"] <= top + 1 or t["top"] >= top + grid.pitch - 1:
                continue
            for col in range(grid.columns):
                left = grid.left + col * step
                if t["x1"] > left + 1 and t["x0"] < left + grid.column - 1:
                    filled[line][col] = True
    return filled


def test_no_empty_rectangle_over_two_percent_of_the_type_area(built: Built) -> None:
    grid, _ = _grid_and_modules(built.pdf)
    assert largest_empty(_filled(built.pdf)) <= 0.02 * grid.columns * grid.lines


def test_the_lead_headline_is_the_largest(built: Built) -> None:
    grid, modules = _grid_and_modules(built.pdf)
    chars = _chars(built.pdf)
    sizes = {key: max(c["size"] for c in chars if _inside(c, _rect(grid, m)))
             for key, m in modules.items() if key.startswith("s")}
    assert sizes["s1"] > max(v for k, v in sizes.items() if k != "s1")


def test_nothing_but_its_label_inside_a_fixed_box(built: Built) -> None:
    """Modules never overlap a box: no story's character or picture inside one."""
    grid, modules = _grid_and_modules(built.pdf)
    _, page = _objects(built.pdf.read_bytes())
    chars, images = page["chars"], page["images"]
    for key, m in modules.items():
        if not key.startswith("box"):
            continue
        x0, top, x1, bottom = _rect(grid, m)
        text = "".join(c["text"] for c in chars if _inside(c, (x0, top, x1, bottom)))
        assert text in ("广告", "启事"), text
        assert not [i for i in images if i["x1"] > x0 + 1 and i["x0"] < x1 - 1
                    and i["bottom"] > top + 1 and i["top"] < bottom - 1]


def test_same_bytes_on_a_rebuild(built: Built) -> None:
    assert built.pdf.read_bytes() == built.rebuilt


def test_largest_empty_finds_a_hole() -> None:
    full = [[True] * 4 for _ in range(10)]
    assert largest_empty(full) == 0
    full[3][1] = full[4][1] = full[3][2] = full[4][2] = False
    assert largest_empty(full) == 4


def _broken(built: Built, tmp_path: Path, old: str, new: str) -> Built:
    """The composed page with one thing broken, rendered to a PDF as the build would."""
    assert old in built.html
    path = tmp_path / "broken.pdf"
    HTML(string=built.html.replace(old, new, 1), base_url=f"{built.pdf.parent}/").write_pdf(
        path, custom_metadata=True)
    return Built(path, built.sources, b"", "")


def test_the_measures_fail_on_broken_pages(broadsheet: Built, tmp_path: Path) -> None:
    """Each measure above, on a page broken in the way it looks for."""
    # a paragraph lost
    lost = _broken(broadsheet, tmp_path, '<p id="s2-l', '<p hidden id="s2-l')
    with pytest.raises(AssertionError):
        test_every_story_is_in_its_own_module_exactly_once(lost)
    # a story's body shifted off its module (and a hole where it was)
    moved = _broken(broadsheet, tmp_path, 'id="s4-body" style="', 'id="s4-body" style="'
                    'margin-top: 400pt; ')
    with pytest.raises(AssertionError):
        test_every_story_is_in_its_own_module_exactly_once(moved)
    with pytest.raises(AssertionError):
        test_no_empty_rectangle_over_two_percent_of_the_type_area(moved)
    # the second headline larger than the lead's
    loud = _broken(broadsheet, tmp_path, 'id="s2-headline" style="font-size: ',
                   'id="s2-headline" style="font-size: 90pt; x: ')
    with pytest.raises(AssertionError):
        test_the_lead_headline_is_the_largest(loud)
    # two modules overlapping
    overlap = _broken(broadsheet, tmp_path, 'content="s1 ', 'content="s9 0 0 1 1 0; s1 ')
    with pytest.raises(AssertionError):
        test_modules_are_whole_columns_and_lines_tiling_the_type_area(overlap)
    # a box recorded over a module
    boxed = _broken(broadsheet, tmp_path, 'content="s1 ', 'content="box 0 10 2 10 0; s1 ')
    with pytest.raises(AssertionError):
        test_nothing_but_its_label_inside_a_fixed_box(boxed)


@pytest.mark.parametrize(("boxes", "message"), [
    ((FixedBox("广告", 4, 30, column=6, line=1),), "does not fit the type area"),
    ((FixedBox("广告", 4, 30), FixedBox("启事", 2, 10, column=4, line=70)), "overlap"),
])
def test_boxes_off_the_type_area_or_overlapping_are_refused(
        tmp_path: Path, boxes: tuple[FixedBox, ...], message: str) -> None:
    sources = [copy.news(tmp_path, "lead.txt", LEAD, 8)]
    with pytest.raises(LayoutError) as info:
        compose_page([(s, read(s)) for s in sources], Settings.default(page="broadsheet"),
                     tmp_path / "out", fixed=boxes)
    assert info.value.code == "L214" and message in info.value.message


def test_a_story_too_long_for_the_page_is_named(tmp_path: Path) -> None:
    """(c) a story that cannot fit the page even alone: L210 naming it."""
    sources = [copy.news(tmp_path, "lead.txt", LEAD, 60),
               copy.news(tmp_path, "second.txt", "外贸开局平稳向好", 4)]
    with pytest.raises(LayoutError) as info:
        compose_page([(s, read(s)) for s in sources], Settings.default(page="a3"),
                     tmp_path / "out")
    assert info.value.code == "L210"
    assert LEAD in info.value.message and "lead.txt" in info.value.message


def test_a_story_too_short_for_any_module_is_named_as_such(tmp_path: Path) -> None:
    """A story of two short paragraphs fits no module of its own on an A4 page: every
    width leaves a column empty or its feet uneven.  Before, L210 named it too long."""
    from .newsroom_copy import ARCHIVE_THREE

    source = tmp_path / "archive.txt"
    source.write_text(ARCHIVE_THREE, "utf-8")
    with pytest.raises(LayoutError) as info:
        compose_page([(source, read(source))], Settings.default(page="a4"), tmp_path / "out")
    assert info.value.code == "L211", info.value.message
    assert "春耕备耕有序展开" in info.value.message and "archive.txt:5" in info.value.message
    assert "too little copy for a module of its own" in info.value.message
    assert "too long" not in info.value.message


def test_layout_check_passes_the_composed_page(built: Built) -> None:
    """`layout check`'s PDF, fidelity (each story in its own module, read from the sources
    the page records), layout and typography families; the photo of the tests is a small
    synthetic one (its resolution is not checked).  The layout family reads each module
    at its own body size: its column feet within a line (L104), no head in a column's
    last three lines (L105)."""
    from layout.check import Options, run

    report = run([built.pdf], Options(skip=("preflight.images",)))
    assert not report.failed, [(f.code, f.message) for f in report.findings]
    assert {r.check for r in report.results if r.status == "pass"} >= {
        "fidelity.characters", "fidelity.blocks", "layout.column-feet",
        "layout.stranded-heads"}


def test_every_module_s_column_feet_are_flush(built: Built) -> None:
    """Each story's module read on its own (the modules the page records), at its own body
    size: every module with text measured, its column feet within one line."""
    from layout.check.layout import measure

    grid, modules = _grid_and_modules(built.pdf)
    page = measure(built.pdf).pages[0]
    stories = [m for key, m in modules.items() if key.startswith("s")]
    assert len(page.modules) == len(stories)
    for module in page.modules:
        runs = {r.column for r in module}
        assert any(runs == set(range(m[0], m[0] + m[2])) for m in stories), runs
    assert max(page.foot_spreads()) <= 1.05, page.foot_spreads()
    assert not page.stranded, [p.text for p in page.stranded]


def test_column_feet_fail_on_a_broken_module(broadsheet: Built, tmp_path: Path) -> None:
    """One column box of the second story's module set three lines higher (its foot too:
    the module stands on the type area's foot, where a lower column would be cut off):
    L104, naming the module's columns."""
    from layout.check import Options, run

    grid, modules = _grid_and_modules(broadsheet.pdf)
    x, _, width = modules["s2"][:3]
    body = broadsheet.html.index('id="s2-body"')
    column = broadsheet.html.index('<div class="column" style="left: ', body)
    column = broadsheet.html.index('<div class="column" style="left: ', column + 1)
    old = broadsheet.html[column:broadsheet.html.index(">", column)]
    raised = re.sub(r"top: ([\d.]+)pt", lambda m: f"top: {float(m[1]) - 3 * grid.pitch:.3f}pt",
                    old)
    broken = _broken(broadsheet, tmp_path, old, raised)
    report = run([broken.pdf], Options(skip=("preflight", "fidelity", "typography",
                                              "layout.jumps")))
    feet = [f.message for f in report.findings if f.code == "L104"]
    assert feet == [f"column feet of the text in columns {x + 1}–{x + width} differ by 3.0 "
                    "lines (limit 1)"], [(f.code, f.message) for f in report.findings]


def _checked(built: Built, html: str) -> list[tuple[str, str]]:
    """The fidelity findings of ``html`` rendered as the build renders a page (next to
    the page: the sources it records are relative to its folder)."""
    from layout.check import Options, run

    rendered = pdf.render(html, built.pdf.parent, allowed=[built.pdf.parent.parent])
    path = built.pdf.with_name("broken.pdf")
    path.write_bytes(pdf.pdf_bytes(rendered, Settings.default(page="broadsheet")))
    report = run([path], Options(skip=("pdf", "preflight", "typography", "layout")))
    return [(f.code, f.message) for f in report.findings]


def test_composed_fidelity_fails_on_broken_pages(broadsheet: Built) -> None:
    """A paragraph lost, a story's body pushed into another's module, two paragraphs read
    out of order: each found, naming the story."""
    html = broadsheet.html
    lost = _checked(broadsheet, html.replace('<p id="s2-l', '<p hidden id="s2-l', 1))
    assert {c for c, _ in lost} == {"F101", "F103"}
    assert all("外贸开局平稳向好" in m and "second.txt" in m for _, m in lost)
    moved = _checked(broadsheet, html.replace(
        'id="s4-body" style="', 'id="s4-body" style="margin-top: 400pt; ', 1))
    assert ("F101" in {c for c, _ in moved} and "F102" in {c for c, _ in moved})
    assert any(c == "F101" and "让创新活力充分涌流" in m for c, m in moved)
    first, second = re.findall(r'<p id="s2-l\d+"[^>]*>.*?</p>', html, re.S)[:2]
    swapped = _checked(broadsheet, html.replace(first, "@@").replace(
        second, first).replace("@@", second))
    assert [c for c, _ in swapped] == ["F103"] and "外贸开局平稳向好" in swapped[0][1]


def test_the_module_record_reads_back() -> None:
    from layout.compose import record

    placed = [record.Placed("s1", 0, 0, 8, 40, 12), record.Placed("box", 4, 70, 4, 30, 0)]
    assert record.parse_modules(record.describe_modules(placed)) == placed
    assert record.parse_modules("s1 0 0 8 40") is None and record.parse_modules("") is None
    refs = record.describe_sources([("a%20b.txt", 0, 0), ("p1/c.txt", 57, 0),
                                    ("../p1/d.txt", 0, 40)])
    assert refs == "a%20b.txt p1/c.txt#head=57 ../p1/d.txt#tail=40"
    assert record.parse_sources(refs) == [record.SourceRef("a b.txt"),
                                          record.SourceRef("p1/c.txt", head=57),
                                          record.SourceRef("../p1/d.txt", tail=40)]
    assert record.parse_sources("a.txt#cut=4") is None
    assert record.parse_sources("a.txt#head=x") is None


def test_the_free_area_around_boxes_is_cut_along_their_edges() -> None:
    from layout.compose.boxes import free_regions

    assert free_regions((0, 0, 8, 88), []) == [[(0, 0, 8, 88)]]
    # a box at the bottom right: the area above and the rest of its band, or the columns
    # beside it and the rest above it
    assert free_regions((0, 0, 8, 88), [(4, 58, 4, 30)]) == [
        [(0, 0, 8, 58), (0, 58, 4, 30)], [(0, 0, 4, 88), (4, 0, 4, 58)]]
    for cutting in free_regions((0, 0, 8, 88), [(4, 0, 4, 30), (6, 78, 2, 10)]):
        cells = [(x, y) for rx, ry, w, h in cutting for x in range(rx, rx + w)
                 for y in range(ry, ry + h)]
        assert len(cells) == len(set(cells)) == 8 * 88 - 4 * 30 - 2 * 10
    # four boxes in a pinwheel: no straight cut frees the middle
    pinwheel = [(0, 0, 6, 2), (6, 0, 2, 6), (2, 6, 6, 2), (0, 2, 2, 6)]
    assert free_regions((0, 0, 8, 8), pinwheel) == []


def three_stories_and_a_commentary(folder: Path, lead: int, second: int, third: int,
                                   comment: int) -> list[Path]:
    """A lead, a second and a third story and a commentary of so many paragraphs each."""
    return [copy.news(folder, "lead.txt", LEAD, lead),
            copy.news(folder, "second.txt", "外贸开局平稳向好", second, byline="本报记者　李华",
                      sentences=3),
            copy.news(folder, "third.txt", "城市更新让老街焕发新生", third,
                      byline="本报记者　赵明", sentences=3),
            copy.commentary(folder, comment)]


def test_a_commentary_takes_two_of_five_columns(tmp_path: Path) -> None:
    """On a page of five columns a commentary's headline does not fit one column: its
    module may take two (before, L210 named it too long for the page)."""
    sources = three_stories_and_a_commentary(tmp_path, 10, 5, 4, 4)
    page = compose_page([(s, read(s)) for s in sources], Settings.default(page="a3"),
                        tmp_path / "out", render=False)
    assert page.layout is not None
    widths = {m.fit.story.kind: m.fit.width for m in page.layout.modules}
    assert widths["commentary"] == 2


def test_a_headline_may_be_set_in_more_lines_to_fill_a_module(tmp_path: Path) -> None:
    """The head groups a module may have: the fitted headline, then the same set in more
    lines (a taller head, the same hierarchy: within the story's range of sizes)."""
    from layout.compose.content import stories_of
    from layout.compose.fit import Fitter
    from layout.compose.measure import Measured
    from layout.makeup.grid import page_grid
    from layout.makeup.style import makeup_style

    settings = Settings.default(page="broadsheet")
    source = copy.news(tmp_path, "lead.txt", LEAD, 3)
    story = stories_of([(source, read(source))])[0]
    heads: dict[int, dict[str, int]] = {w: {} for w in range(1, 9)}
    fitter = Fitter([story], {story: Measured({}, heads)}, page_grid(settings.design.page),
                    settings.design.page, makeup_style(settings.design.style.makeup, ""),
                    (10.2,))
    found = fitter.heads(story, 8)
    assert len(found) >= 2 and found[0] == fitter.head(story, 8)
    lines = [len(h.headline.lines) for h in found if h.headline]
    assert len(lines) == len(found) and lines == sorted(set(lines)) and lines[0] == 1
    high, low = fitter.headline_range(story)
    assert all(h.headline and low - 1 < h.headline.size <= high for h in found), (
        [h.headline for h in found], low, high)  # whole points, rounded down
    assert [h.lines for h in found] == sorted({h.lines for h in found})


def test_a_running_head_as_wide_as_a_column_is_no_frame(broadsheet: Built,
                                                         tmp_path: Path) -> None:
    """A page without a page name has the lead's headline as its running head's theme,
    whose rule is drawn as a box as wide as the text: above the type area it is no frame
    (L107 judged it one on every such composed page)."""
    from layout.check import Options, run

    theme = _broken(broadsheet, tmp_path, '@top-center { content: "要闻"; }',
                    f'@top-center {{ content: "{LEAD}"; }}')
    report = run([theme.pdf], Options(skip=("preflight", "fidelity", "typography",
                                            "layout.jumps")))
    assert not report.failed, [(f.code, f.message) for f in report.findings]


def test_a_module_set_deeper_than_its_column_boxes_is_found(broadsheet: Built) -> None:
    """What makes the build give a story a line more and render again: a column box of
    its module holding type deeper than the box (here a box made shorter)."""
    from layout.app.pages import overflowing

    keys = ["s1", "s2", "s3", "s4"]
    base = broadsheet.pdf.parent
    assert overflowing(pdf.render(broadsheet.html, base, allowed=[base.parent]), keys) == set()
    body = broadsheet.html.index('id="s2-body"')
    column = broadsheet.html.index('<div class="column" style="left: ', body)
    old = broadsheet.html[column:broadsheet.html.index(">", column)]
    short = re.sub(r"height: [\d.]+pt", "height: 100.000pt", old)
    html = broadsheet.html.replace(old, short, 1)
    assert overflowing(pdf.render(html, base, allowed=[base.parent]), keys) == {"s2"}


def test_too_little_copy_says_how_much_of_the_page_is_empty(tmp_path: Path) -> None:
    """L211 for a page its stories cannot fill: how much of it they leave empty, as a
    share and in column-lines."""
    sources = [copy.news(tmp_path, "lead.txt", LEAD, 3),
               copy.news(tmp_path, "second.txt", "外贸开局平稳向好", 2)]
    with pytest.raises(LayoutError) as info:
        compose_page([(s, read(s)) for s in sources], Settings.default(page="broadsheet"),
                     tmp_path / "out", render=False)
    found = re.search(r"too little copy: set as large as they may be, they leave "
                      r"(\d+\.\d)% of the page empty \((\d+) column-lines, (\d+) lines across "
                      r"the page\)", info.value.message)
    assert info.value.code == "L211" and found, info.value.message
    share, cells, lines = float(found[1]), int(found[2]), int(found[3])
    assert 0 < cells < 8 * 88 and abs(share / 100 * 8 * 88 - cells) < 8 * 88 / 1000 + 0.5
    assert lines == round(cells / 8)


def test_a_short_lead_is_not_filled_by_a_headline_broken_beside_a_hole(tmp_path: Path) -> None:
    """A lead whose copy leaves its module short: its headline may be set in two lines
    to fill the module only where the space beside the lines is no hole.  Broken into
    two short centred lines across the page, it left 3.6% of the type area white beside
    them (L102) on a page the composer made.  (That page, 7, 6, 3 and 3 paragraphs, is
    refused at the composed page's 2%; this one is made.)"""
    from layout.check import Options, run

    sources = three_stories_and_a_commentary(tmp_path, 9, 5, 5, 4)
    made = compose_page([(s, read(s)) for s in sources], Settings.default(page="a3"),
                        tmp_path / "out")
    assert made.layout is not None and made.rendered is not None
    path = tmp_path / "out" / "page.pdf"  # beside the page's sources as the build writes it
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(pdf.pdf_bytes(made.rendered, made.settings))
    report = run([path], Options(skip=("preflight", "typography")))
    assert not report.failed, [(f.code, f.message) for f in report.findings]


def test_a_head_leaving_a_hole_beside_its_headline_is_not_set(tmp_path: Path) -> None:
    """The lead's headline broken into two lines across a broadsheet (to fill a short
    module) leaves more than the limit beside its lines: the module may not have that
    head.  Across five columns the headline must break (one line does not fit even at the
    lead's smallest size): its two lines fill the width, and the head is kept."""
    from layout.check.layout import LayoutLimits, Page
    from layout.compose.content import stories_of
    from layout.compose.fit import Fitter
    from layout.compose.measure import Measured
    from layout.makeup.grid import page_grid
    from layout.makeup.style import makeup_style

    settings = Settings.default(page="broadsheet")
    grid = page_grid(settings.design.page)
    # the check's limit on a composed page is the composer's
    checked = Page(1, grid, composed=True).hole_limit(LayoutLimits().max_empty)
    assert checked == COMPOSED_MAX_EMPTY
    source = copy.news(tmp_path, "lead.txt", LEAD, 3)
    story = stories_of([(source, read(source))])[0]
    heads: dict[int, dict[str, int]] = {w: {"byline": 1} for w in range(1, 9)}
    fitter = Fitter([story], {story: Measured({}, heads)}, grid, settings.design.page,
                    makeup_style(settings.design.style.makeup, ""), (10.2,))
    assert fitter.side_limit == pytest.approx(
        checked * grid.type_width * grid.lines / (grid.column + grid.gutter))
    wide = fitter.heads(story, 8)
    assert [len(h.headline.lines) for h in wide if h.headline] == [1, 2]
    assert wide[1].side > fitter.side_limit  # two 8-em lines at 64pt across 350 mm
    assert fitter.kept_heads(story, 8) == [(0, wide[0])]
    (taller, five), = fitter.kept_heads(story, 5)
    assert taller == 0 and five.headline and len(five.headline.lines) == 2
    assert five.side < fitter.limit


def test_the_composer_measures_its_page_s_hole_as_the_check_does(tmp_path: Path) -> None:
    """The largest empty rectangle the search measured on the page it planned is the one
    `layout check` measures on the rendered page (L102), or larger, never smaller: the
    composer cannot make a page the check rejects.  Before, the search estimated holes
    per module in column-lines.  The page has a head group over the first columns of its
    module, the copy running up beside it."""
    from layout.check.layout import measure

    sources = three_stories_and_a_commentary(tmp_path, 10, 5, 4, 4)
    made = compose_page([(s, read(s)) for s in sources], Settings.default(page="a3"),
                        tmp_path / "out")
    assert made.rendered is not None
    path = tmp_path / "out" / "page.pdf"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(pdf.pdf_bytes(made.rendered, made.settings))
    checked = measure(path).pages[0].empty_share
    assert checked - 0.0005 <= made.empty <= checked + 0.003, (made.empty, checked)
    assert made.empty <= COMPOSED_MAX_EMPTY
    assert made.layout is not None and any(m.fit.span for m in made.layout.modules)


def test_the_largest_empty_rectangle_is_within_the_composed_page_s_limit(built: Built
                                                                         ) -> None:
    """Issue 13's limit, as `layout check` measures it (L102): no empty rectangle over 2%
    of the type area.  The a3 page of three stories, each across the page under a short
    centred headline, left 2.99% beside the headlines before the composer measured the
    space beside a head group and could set it over the first columns."""
    from layout.check.layout import measure

    assert COMPOSED_MAX_EMPTY == 0.02
    assert measure(built.pdf).pages[0].empty_share <= COMPOSED_MAX_EMPTY


def test_a_composed_page_is_held_to_the_composer_s_limit() -> None:
    """`layout check` holds a page recording its modules to COMPOSED_MAX_EMPTY even when
    asked for a looser limit; other pages to the limit asked for."""
    from layout.check.layout import Page
    from layout.makeup.grid import page_grid

    grid = page_grid(Settings.default(page="a3").design.page)
    assert Page(1, grid, composed=True).hole_limit(0.05) == COMPOSED_MAX_EMPTY
    assert Page(1, grid, composed=True).hole_limit(0.01) == 0.01
    assert Page(1, grid).hole_limit(0.05) == 0.05
