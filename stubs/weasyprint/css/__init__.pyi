from typing import BinaryIO

class ColorProfile:
    def __init__(self, file_object: BinaryIO, src: str, rendering_intent: str,
                 components: list[str]) -> None: ...
