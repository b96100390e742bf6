"""The bot process's collector settings (bot/heap.py): what exists at start is frozen
and young collections are spaced out, while cyclic garbage is still collected."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot import heap


@pytest.fixture
def restored() -> Iterator[None]:
    """The test process keeps Python's own settings afterwards."""
    before = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_settle_freezes_the_start_and_spaces_out_young_collections(restored: None) -> None:
    heap.settle()
    assert gc.get_freeze_count() > 0  # what existed at start is out of the collector's sight
    assert gc.get_threshold()[0] == heap.YOUNG

    class Cycle:
        pass

    cycle = Cycle()
    cycle.me = cycle  # type: ignore[attr-defined]
    del cycle
    assert gc.collect() >= 1  # garbage made after the freeze is still collected
