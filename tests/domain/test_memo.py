"""`Memo`: what it keeps it gives back, and it never holds more than its size."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cascade.memo import Memo


def test_a_kept_value_is_given_back_and_returned_by_keep() -> None:
    memo: Memo[str, int] = Memo(4)
    assert memo.keep("a", 1) == 1
    assert memo.get("a") == 1
    assert memo.get("b") is None


def test_a_full_memo_is_emptied_before_the_next_value() -> None:
    memo: Memo[int, int] = Memo(2)
    memo.keep(1, 10)
    memo.keep(2, 20)
    memo.keep(3, 30)
    assert dict(memo) == {3: 30}


@given(st.lists(st.integers(0, 50)), st.integers(1, 8))
def test_never_more_than_its_size_and_never_a_wrong_value(keys: list[int], size: int) -> None:
    memo: Memo[int, int] = Memo(size)
    for key in keys:
        value = memo.get(key)
        if value is None:
            value = memo.keep(key, key * 7)
        assert value == key * 7
        assert len(memo) <= size
