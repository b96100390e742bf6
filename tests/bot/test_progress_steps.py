"""Progress boards are flushed a few a transaction, each once, none lost on a failure.

A flush of hundreds of dirty boards in one transaction held the writers' lock for
a quarter of a second during a Yiwu storm; the flush now takes its boards off the
dirty list step by step, each step committing the edits it queued.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.tgfake import Harness, tower_units

ORDER = 1


def parents() -> list[str]:
    return sorted({u.parent for u in tower_units("tashan") if u.parent is not None})


async def boarded(h: Harness, codes: list[str]) -> set[str]:
    """The units among these whose group is bound: the ones that have a board."""
    async with h.app.db.transaction() as tx:
        refs = await tx.tower.refs(codes)
    return {code for code, ref in refs.items() if ref.chat_id is not None}


async def still_dirty(h: Harness) -> set[str]:
    async with h.app.db.conn.execute(
        "SELECT unit_code FROM progress_dirty WHERE order_id = ?", (ORDER,)
    ) as cur:
        return {row[0] for row in await cur.fetchall()}


async def queued_edits(h: Harness) -> set[str]:
    async with h.app.db.conn.execute(
        "SELECT dedupe_key FROM outbox WHERE dedupe_key LIKE ?", (f"progress:{ORDER}:%",)
    ) as cur:
        return {row[0].rsplit(":", 1)[1] for row in await cur.fetchall()}


class Drawn:
    """Records which boards the presenter draws; fails once at the `fail_at`-th."""

    def __init__(self, h: Harness, fail_at: int | None = None) -> None:
        self.codes: list[str] = []
        self.fail_at = fail_at
        self._draw = h.app.progress.presenter.progress

    def __call__(self, order: Any, unit: Any, *args: Any) -> Any:
        if self.fail_at is not None and len(self.codes) + 1 == self.fail_at:
            self.fail_at = None
            raise RuntimeError("drawing failed")
        self.codes.append(unit.code)
        return self._draw(order, unit, *args)


class Steps:
    """Counts the transactions the flush opens."""

    def __init__(self, h: Harness) -> None:
        self.count = 0
        self._uow = h.app.progress.uow

    def __call__(self) -> Any:
        self.count += 1
        return self._uow()


@pytest.fixture
async def dirty(issued: Harness) -> set[str]:
    """Every internal unit's board of the issued order marked dirty; returns the units
    among them that have a board (their group is bound)."""
    codes = parents()
    async with issued.app.db.transaction() as tx:
        await tx.timers.mark_dirty(ORDER, codes)
    return await boarded(issued, codes)


async def test_each_dirty_board_is_queued_once_a_few_a_transaction(
    issued: Harness, dirty: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    h, codes, expected = issued, parents(), dirty
    assert len(expected) > 6
    drawn, steps = Drawn(h), Steps(h)
    monkeypatch.setattr(h.app.progress.presenter, "progress", drawn)
    monkeypatch.setattr(h.app.progress, "uow", steps)

    queued = await h.app.progress.flush(per_step=3)

    assert queued == len(expected)
    assert sorted(drawn.codes) == sorted(expected)  # each board drawn once
    assert steps.count >= len(codes) // 3  # a few boards a transaction, not all in one
    assert await still_dirty(h) == set()
    assert await queued_edits(h) == expected


async def test_a_flush_stops_at_its_limit_and_leaves_the_rest_dirty(
    issued: Harness, dirty: set[str]
) -> None:
    h, codes = issued, parents()
    await h.app.progress.flush(limit=4, per_step=3)

    assert len(await still_dirty(h)) == len(codes) - 4


async def test_a_failed_step_loses_no_board_and_queues_none_twice(
    issued: Harness, dirty: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    h, expected = issued, dirty
    drawn = Drawn(h, fail_at=5)  # in the second step of three boards
    monkeypatch.setattr(h.app.progress.presenter, "progress", drawn)

    with pytest.raises(RuntimeError):
        await h.app.progress.flush(per_step=3)
    committed = await queued_edits(h)
    assert committed and committed < expected  # the first step committed, the second not
    assert await still_dirty(h) >= expected - committed  # the rest is still to be drawn
    first_flush = len(drawn.codes)

    await h.app.progress.flush(per_step=3)

    again = drawn.codes[first_flush:]
    assert sorted(again) == sorted(expected - committed)  # each left board once, none twice
    assert await still_dirty(h) == set()
    assert await queued_edits(h) == expected
