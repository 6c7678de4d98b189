"""The bounded memo (layout.memo): kept by key, least recently used dropped by weight."""

from __future__ import annotations

from layout.memo import Hashed, Memo


def test_a_memo_returns_what_was_kept_and_nothing_else() -> None:
    memo: Memo[str, int] = Memo(10)
    memo.put("a", 1, 1)
    assert memo.get("a") == 1
    assert memo.get("b") is None


def test_the_least_recently_used_go_once_the_weights_pass_the_budget() -> None:
    memo: Memo[str, int] = Memo(10)
    memo.put("a", 1, 4)
    memo.put("b", 2, 4)
    assert memo.get("a") == 1  # "a" used last: "b" goes first
    memo.put("c", 3, 4)
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (1, None, 3)
    assert memo.weight == 8 and len(memo) == 2


def test_a_key_kept_again_counts_its_weight_once() -> None:
    memo: Memo[str, int] = Memo(10)
    memo.put("a", 1, 6)
    memo.put("a", 2, 6)
    assert memo.get("a") == 2 and memo.weight == 6


def test_a_value_heavier_than_the_budget_is_not_kept() -> None:
    memo: Memo[str, int] = Memo(10)
    memo.put("a", 1, 5)
    memo.put("big", 2, 11)
    assert memo.get("big") is None and memo.get("a") == 1


class Counted:
    """A value that counts how often it is hashed."""

    hashed = 0

    def __hash__(self) -> int:
        Counted.hashed += 1
        return 7


def test_a_hashed_key_is_hashed_once_and_equal_by_its_value() -> None:
    memo: Memo[Hashed[tuple[Counted, int]], int] = Memo(10)
    value = Counted()
    key = Hashed((value, 1))
    memo.put(key, 1, 1)
    assert memo.get(key) == 1 and memo.get(Hashed((value, 1))) == 1
    assert Counted.hashed == 2  # once per Hashed made, not at each look-up
    assert memo.get(Hashed((value, 2))) is None  # same hash, another value
    assert Hashed((value, 1)) != (value, 1)


def test_a_cleared_memo_keeps_nothing() -> None:
    memo: Memo[str, int] = Memo(10)
    memo.put("a", 1, 4)
    memo.clear()
    assert memo.get("a") is None and memo.weight == 0 and len(memo) == 0
