"""The copy of a page's stories measured once: one measure of a measuring document
(``templates/composed-measure.html.j2``) holding every story's body at each body size the
fit may use, one column wide, and each story's head texts at every module width (its
paragraphs counted with Pango, the rest laid out by WeasyPrint: ``layout.app.pages``).
Every candidate module is then planned on these numbers; nothing else is laid out until
the chosen page is rendered."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..makeup.figures import FPO_RATIO, frame_lines, photo_ratio
from ..makeup.flow import HEAD_TEXT, Item
from ..makeup.grid import Grid
from ..model import Document, Figure
from ..settings import PagePreset
from .content import Story
from .ids import StoryIds


def body_sizes(page: PagePreset) -> tuple[float, ...]:
    """The body sizes a module may be set at (pt), the preset's first, then towards and
    at each of the style's limits: a module's copy is fitted to its rectangle without
    leaving the grid (the leading stays the grid's pitch)."""
    low = page.min_body_size or page.body_size
    high = page.max_body_size or page.body_size
    sizes = [page.body_size, round((low + page.body_size) / 2, 1), low,
             round((high + page.body_size) / 2, 1), high]
    return tuple(dict.fromkeys(sizes))


@dataclass(frozen=True)
class Measured:
    """One story's copy in grid lines: its flow items per body size, and its head texts
    (kicker, subtitle, byline, the top photo's caption) per module width in columns;
    ``breaks``: per body size, where each line of a paragraph after the first starts
    (``layout.makeup.measure.Measured.breaks``, keyed by the page's ids), so that the
    module's columns can be set as boxes cut at those lines."""

    items: dict[float, list[Item]]
    heads: dict[int, dict[str, int]]
    breaks: dict[float, dict[str, tuple[int, ...]]] = field(default_factory=dict)


def inflow_frames(story: Story, grid: Grid) -> dict[int, list[tuple[Figure, float]]]:
    """The figures set in the column flow, one column wide, by the headline line of their
    story: every figure but a news story's first (which goes across the module)."""
    out: dict[int, list[tuple[Figure, float]]] = {}
    for doc in story.docs:
        figures = doc.figures[1:] if doc is story.doc and story.kind != "briefs" else (
            doc.figures)
        for f in figures:
            if not story.keeps(f.line):
                continue
            ratio = photo_ratio(_folder(doc) / f.image) if f.image else None
            lines = frame_lines(grid, ratio or FPO_RATIO, ratio is not None)
            out.setdefault(doc.head_line, []).append((f, lines * grid.pitch))
    return out


def top_photo(story: Story) -> Figure | None:
    """A news story's first figure, across its module under the head (a jumped story's
    start keeps it: it never jumps before the photo)."""
    return story.doc.figures[0] if story.kind in ("news", "commentary") and (
        story.doc.figures) else None


def _folder(doc: Document) -> Path:
    return Path(doc.source).parent if doc.source else Path(".")


def photo_shape(story: Story) -> tuple[float, bool]:
    """Width / height of the top photo, and whether a photo was found (else an FPO)."""
    figure = top_photo(story)
    ratio = photo_ratio(_folder(story.doc) / figure.image) if figure and figure.image else None
    return ratio or FPO_RATIO, ratio is not None


def measured_key(key: str, measured: StoryIds, page: StoryIds) -> str:
    """The id in the measuring document of the page's element ``key``."""
    return measured.prefix + key.removeprefix(page.prefix)


def items(story: Story, lines: dict[str, int], measured: StoryIds, page: StoryIds,
          grid: Grid) -> list[Item]:
    """The story's body as the column flow sees it, keyed by the page's ids.  The editor's
    note and a sidebar are boxes, kept whole in a column (they have no line starts to be
    cut at)."""
    out: list[Item] = []

    def add(kind: str, key: str, margin: int = 0, opens: int = 0) -> None:
        height = lines.get(measured_key(key, measured, page), 1)
        out.append(Item(key, kind, height, margin=margin, opens=opens))

    frames = inflow_frames(story, grid)
    keeps = story.keeps
    if story.cut and not story.head:
        add("text", page.jump)  # 上接第N版
    for n, doc in enumerate(story.docs):
        if story.kind == "briefs":
            add("head", page.brief(n), margin=1 if n else 0)
        if doc.editor_note and keeps(doc.editor_note.line):
            add("box", page.editor_note)
        for b in doc.lead:
            if keeps(b.line):
                add("lead" if b.type == "lead_in" else "text", page.block(b),
                    opens=1 + HEAD_TEXT if b.run_in else 0)
        for s in doc.sections:
            if keeps(s.line):
                add("head", page.section(s), margin=1)
            for b in s.blocks:
                if keeps(b.line):
                    add("text", page.block(b), opens=1 + HEAD_TEXT if b.run_in else 0)
        for f, _ in frames.get(doc.head_line, ()):
            add("photo", page.figure(f), margin=1)
        for sb in doc.sidebars:
            if keeps(sb.line):
                add("box", page.sidebar(sb), margin=1)
    if story.head:
        add("text", page.jump)  # 下转第N版
    return out
