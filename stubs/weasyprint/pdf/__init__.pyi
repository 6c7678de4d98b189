from collections.abc import Callable
from typing import Any

# PDF variant name -> (the function that makes a document one, its default options)
VARIANTS: dict[str, tuple[Callable[..., None], dict[str, Any]]]
