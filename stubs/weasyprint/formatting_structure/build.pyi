from typing import Any
from xml.etree.ElementTree import Element

from .boxes import BlockBox

def build_formatting_structure(element_tree: Element, style_for: Any, get_image_from_uri: Any,
                               base_url: str | None, target_collector: Any,
                               counter_style: Any, footnotes: list[Any]) -> BlockBox: ...
