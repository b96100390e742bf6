"""The writers' lock: one holder at a time, urgent waiters first, nothing lost to a
cancelled wait; and on real databases, the poller's inbox batch is written before the
transactions that were waiting when it came.

Why it matters (storage/writers_lock.py): while the batch waits its turn the poller
fetches nothing, and the presses it would bring wait at the server unanswered.
"""

from __future__ import annotations

import asyncio

from hypothesis import given, settings
from hypothesis import strategies as st

from storage.db import Database
from storage.inbox import Inbox
from storage.writers_lock import WritersLock


async def _queue(lock: WritersLock, names: list[tuple[str, bool]], order: list[str]) -> None:
    """Hold the lock, queue `names` (name, urgent) in that order, then let them run."""

    async def take(name: str, urgent: bool) -> None:
        async with lock.hold(urgent):
            order.append(name)
            await asyncio.sleep(0)

    async with lock.hold():
        tasks = [asyncio.create_task(take(n, u)) for n, u in names]
        await asyncio.sleep(0)  # every task is waiting now
    await asyncio.gather(*tasks)


async def test_urgent_waiters_go_first_each_lane_in_its_order() -> None:
    lock, order = WritersLock(), []
    queued = [("a", False), ("b", False), ("U1", True), ("c", False), ("U2", True)]
    await _queue(lock, queued, order)
    assert order == ["U1", "U2", "a", "b", "c"]
    assert not lock.locked()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=12))
def test_one_holder_at_a_time_and_every_waiter_served(plan: list[tuple[bool, bool]]) -> None:
    """Waiters (urgent?, cancelled while waiting?): the others all get the lock, alone,
    urgent ones first; a cancelled wait neither takes nor keeps it."""

    async def run() -> None:
        lock, holders, order = WritersLock(), [0], []

        async def take(i: int, urgent: bool) -> None:
            async with lock.hold(urgent):
                holders[0] += 1
                assert holders[0] == 1
                order.append(i)
                await asyncio.sleep(0)
                holders[0] -= 1

        async with lock.hold():
            tasks = [asyncio.create_task(take(i, u)) for i, (u, _) in enumerate(plan)]
            await asyncio.sleep(0)
            for task, (_, cancel) in zip(tasks, plan, strict=True):
                if cancel:
                    task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        served = [i for i, (_, cancel) in enumerate(plan) if not cancel]
        urgent = [i for i in served if plan[i][0]]
        assert order == urgent + [i for i in served if not plan[i][0]]
        assert not lock.locked()

    asyncio.run(run())


async def test_a_waiter_cancelled_after_it_was_handed_the_lock_passes_it_on() -> None:
    lock, order = WritersLock(), []

    async def take(name: str) -> None:
        async with lock.hold():
            order.append(name)

    async with lock.hold():
        first = asyncio.create_task(take("first"))
        second = asyncio.create_task(take("second"))
        await asyncio.sleep(0)
    first.cancel()  # released above: `first` was handed the lock but has not run yet
    await asyncio.gather(first, second, return_exceptions=True)
    assert order == ["second"]
    assert not lock.locked()


async def test_the_inbox_batch_is_written_before_the_waiting_transactions(db: Database) -> None:
    """On PostgreSQL the batch is handed the writers' lock ahead of the answers queued
    for it; on SQLite the inbox has a file and a lock of its own (storage/inbox_file.py)
    and the batch is written while an answer still holds the database's."""
    inbox, order = Inbox(db, 1), []
    await db.inbox()  # opened before the answers queue (on SQLite: its file)

    async def answer(i: int) -> None:
        async with db.transaction():
            order.append(f"answer {i}")

    async def batch() -> None:
        await inbox.keep([(7, "{}")])
        order.append("batch")

    async with db.transaction():  # an answer being written: the others queue
        tasks = [asyncio.create_task(answer(i)) for i in range(3)]
        await asyncio.sleep(0)
        tasks.append(asyncio.create_task(batch()))
        await asyncio.sleep(0)
        if not db.is_postgres:
            await tasks[-1]
            assert order == ["batch"]
    await asyncio.gather(*tasks)
    assert order == ["batch", "answer 0", "answer 1", "answer 2"]
    assert await inbox.waiting() == [(7, "{}")]
