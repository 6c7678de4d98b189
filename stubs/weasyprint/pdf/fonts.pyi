from typing import Any

# WeasyPrint's font of a PDF (layout.writers.font_subsets keeps its subsets).
class Font:
    hb_face: Any
    file_content: bytes
    index: int
    missing: dict[int, int]
    def subset(self, to_unicode: dict[int, Any], hinting: bool) -> None: ...
    def clean(self, to_unicode: dict[int, Any], hinting: bool) -> None: ...
    def _harfbuzz_subset(self, to_unicode: dict[int, Any], hinting: bool) -> None: ...
