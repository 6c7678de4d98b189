from typing import NamedTuple

class Dimension(NamedTuple):
    value: float
    unit: str | None
