from typing import Any
from xml.etree.ElementTree import Element

from ..text.line_break import Layout

class Box:
    element_tag: str | None
    element: Element | None
    style: dict[str, Any]  # a ComputedStyle: property name -> computed value
    children: list[Box]
    position_x: float
    position_y: float
    width: float
    height: float
    margin_left: float
    margin_right: float
    def is_in_normal_flow(self) -> bool: ...
    def translate(self, dx: float = 0, dy: float = 0, ignore_floats: bool = False) -> None: ...

class ParentBox(Box): ...
class BlockLevelBox(Box): ...
class BlockContainerBox(ParentBox): ...
class LineBox(ParentBox): ...
class InlineLevelBox(Box): ...
class InlineBox(InlineLevelBox, ParentBox): ...

class TextBox(InlineLevelBox):
    text: str
    pango_layout: Layout

class ReplacedBox(Box): ...

class PageBox(ParentBox): ...

class MarginBox(BlockContainerBox):
    at_keyword: str
