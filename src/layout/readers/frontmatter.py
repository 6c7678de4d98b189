"""YAML front matter parsed as untrusted input: no aliases, bounded nesting.

PyYAML's safe loader still expands aliases (a 1 KB "billion laughs" document becomes
gigabytes once walked) and composes nested collections by recursion (a 20,000-deep
``[[[…]]]`` ends in RecursionError, and its scanner is quadratic in the depth).  The
composer here refuses the first alias (M401) and the first collection nested deeper
than ``MAX_DEPTH`` (M402).  It pulls events lazily, so either is refused as soon as the
parser reaches it, before the rest of the front matter is scanned.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent

from ..errors import LayoutError

MAX_DEPTH = 32  # the model's deepest front matter (sidebars -> entries -> paragraphs) is 4
FIRST_LINE = 2  # the front matter starts on line 2, below the opening ---


class Refused(yaml.YAMLError):
    def __init__(self, code: str, message: str, line: int) -> None:
        super().__init__(message)
        self.code, self.message, self.line = code, message, line


class _Loader(yaml.SafeLoader):
    """SafeLoader whose composer refuses aliases and deep nesting."""

    depth = 0

    # index: what PyYAML passes on (None or the key node; its stubs say int)
    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        line = event.start_mark.line + FIRST_LINE
        if isinstance(event, AliasEvent):
            raise Refused("M401", f"YAML alias *{event.anchor} refused: front matter may not "
                          "repeat content by reference (write it out)", line)
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        if self.depth >= MAX_DEPTH:
            raise Refused("M402", f"front matter nested more than {MAX_DEPTH} levels deep",
                          line)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def compose(yaml_text: str, path: str) -> yaml.Node | None:
    """The front matter's node tree; bad or hostile YAML is a LayoutError (exit 3)."""
    loader = _Loader(yaml_text)
    try:
        return loader.get_single_node()
    except Refused as exc:
        raise LayoutError(exc.code, exc.message, path, exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + FIRST_LINE if mark else 1
        raise LayoutError("M101", f"invalid YAML front matter: {exc.problem or exc}", path,
                          line) from None
    except yaml.YAMLError as exc:
        raise LayoutError("M101", f"invalid YAML front matter: {exc}", path, 1) from None
    finally:
        loader.dispose()
