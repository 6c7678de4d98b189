"""A bounded memo of a pure function's results, in this process.

The key must hold everything the result depends on; the values kept must never be
changed by whoever reads them.  Entries have a weight (about the memory a result takes);
the least recently used go once the weights pass the budget.  Safe across threads (the
preview server builds in request threads).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T", bound=Hashable)


class Hashed(Generic[T]):
    """A key hashed once: a memo hashes its key at each look-up and store, and a long
    tuple of dataclasses (the make-up's items) hashes slowly, each item in Python."""

    __slots__ = ("value", "_hash")

    def __init__(self, value: T) -> None:
        self.value = value
        self._hash = hash(value)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Hashed) and self._hash == other._hash
                and self.value == other.value)


class Memo(Generic[K, V]):
    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.weight = 0
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.weight = 0

    def get(self, key: K) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def keys(self) -> frozenset[K]:
        with self._lock:
            return frozenset(self._entries)

    def added(self, before: frozenset[K]) -> list[tuple[K, V, int]]:
        """The entries held now that were not in ``before`` (what a forked child found,
        sent back for its parent to keep: layout.forked), each with its weight."""
        with self._lock:
            return [(key, value, weight) for key, (value, weight) in self._entries.items()
                    if key not in before]

    def put(self, key: K, value: V, weight: int) -> None:
        """Keep ``value``; a value heavier than the whole budget is not kept."""
        if weight > self.budget:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.weight -= old[1]
            self._entries[key] = (value, weight)
            self.weight += weight
            while self.weight > self.budget:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.weight -= dropped
