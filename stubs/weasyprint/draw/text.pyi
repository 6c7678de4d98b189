from typing import Any

from ..formatting_structure.boxes import TextBox

# stream is a weasyprint.pdf.stream.Stream.
def draw_text(stream: Any, textbox: TextBox, offset_x: float, text_overflow: str,
              block_ellipsis: Any) -> None: ...
# Returns the emojis to draw as images: [image, font, a, d, e, f] each.
def draw_first_line(stream: Any, textbox: TextBox, text_overflow: str, block_ellipsis: Any,
                    matrix: Any) -> list[list[Any]]: ...
