from typing import Any

from ..formatting_structure.boxes import LineBox

# The context is a layout.LayoutContext; returns the line's horizontal offset.
def text_align(context: Any, line: LineBox, available_width: float, last: bool) -> float: ...

# Only looked at (typeset.justify.check_internals), never called.
def get_next_linebox(context: Any, linebox: LineBox, position_y: float, bottom_space: float,
                     skip_stack: Any, containing_block: Any, absolute_boxes: Any,
                     fixed_boxes: Any, first_letter_style: Any, first_line_style: Any) -> Any: ...
