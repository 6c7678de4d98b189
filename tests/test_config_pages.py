"""The page plan in layout.toml: [[pages]] tables read and checked, every problem at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.compose.boxes import FixedBox
from layout.config import ConfigError, load_config

PLAN = """\
[paper]
name = "测试日报"

[[pages]]
number = 1
name = "要闻"
stories = ["a.txt", "b.txt"]

[[pages]]
number = 2
stories = ["c.txt"]
boxes = [{ name = "广告", columns = 4, lines = 30, position = "bottom-left" }]
"""


def _project(tmp_path: Path, text: str) -> Path:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("标题\n\n正文。\n", "utf-8")
    (tmp_path / "layout.toml").write_text(text, "utf-8")
    return tmp_path


def test_pages_are_read_in_order_with_their_boxes(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path, PLAN))
    first, second = config.pages
    assert (first.number, first.name, [p.name for p in first.stories], first.line) == (
        1, "要闻", ["a.txt", "b.txt"], 4)
    assert (second.number, second.name, second.boxes, second.line) == (
        2, "第2版", (FixedBox("广告", 4, 30, "bottom-left"),), 9)
    jumping = load_config(_project(tmp_path, PLAN.replace('name = "要闻"',
                                                          'name = "要闻"\njump = 2')))
    assert (jumping.pages[0].jump, jumping.pages[1].jump) == (2, 0)
    placed = load_config(_project(tmp_path, PLAN.replace(
        'position = "bottom-left" }', 'column = 3, line = 4 }, { columns = 2, lines = 9, '
        'position = "top-centre" }')))
    assert placed.pages[1].boxes == (FixedBox("广告", 4, 30, column=3, line=4),
                                     FixedBox("广告", 2, 9, "top-centre"))


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('"c.txt"]', '"missing.txt"]', ":11: C108 pages[1].stories: 'missing.txt' is not a source"),
    ("number = 2", "number = 0", ":10: C107 pages[1].number: number must be a page number"),
    ("number = 2", "number = 1", ":10: C107 pages[1].number: page 1 is planned twice"),
    ("columns = 4", "columns = -4", ":12: C107 pages[1].boxes: a box needs columns and lines"),
    ('"bottom-left"', '"middle"', ":12: C107 pages[1].boxes: a box's position must be"),
    ("number = 2", 'number = 2\ncolour = "red"', ":11: C101 pages[1].colour: unknown key"),
    ('position = "bottom-left"', "column = 3", ":12: C107 pages[1].boxes: a box at a given "
     "place needs both column and line"),
    ('position = "bottom-left"', 'column = 3, line = 4, position = "top-left"',
     ":12: C107 pages[1].boxes: a box at a given place needs both column and line"),
    ('name = "要闻"', 'name = "要闻"\njump = 1', ":7: C107 pages[0].jump: jump must name a later"),
    ('name = "要闻"', 'name = "要闻"\njump = 3', ":7: C107 pages[0].jump: jump must name a later"),
    ('name = "要闻"', 'name = "要闻"\njump = "2"', ":7: C107 pages[0].jump: jump must be a page"),
])
def test_every_problem_is_reported_at_its_line(tmp_path: Path, old: str, new: str,
                                                expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(_project(tmp_path, PLAN.replace(old, new)))
    assert expected in str(info.value), str(info.value)
