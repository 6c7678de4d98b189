from typing import Any

from ..formatting_structure.boxes import LineBox

# The context is a layout.LayoutContext; returns the line's horizontal offset.
def text_align(context: Any, line: LineBox, available_width: float, last: bool) -> float: ...
def get_next_linebox(*args: Any) -> Any: ...
