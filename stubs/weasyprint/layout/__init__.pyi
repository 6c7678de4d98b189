from collections.abc import Iterator
from typing import Any

from ..formatting_structure.boxes import BlockBox, PageBox

def layout_document(html: Any, root_box: BlockBox, context: Any,
                    max_loops: int = 8) -> Iterator[PageBox]: ...
