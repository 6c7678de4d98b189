from typing import Any

class Layout:
    layout: Any  # a PangoLayout * (cffi)
    text: str
    def reactivate(self, style: dict[str, Any]) -> None: ...
    # (the first PangoLayoutLine * (cffi), the index where the second line starts)
    def get_first_line(self) -> tuple[Any, int | None]: ...
