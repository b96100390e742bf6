"""Two workers finishing one half-written order at the same moment write it once.

An order's targets, its copies and its first progress boards are written step by
step after `/order` returns (cascade/order_service.py, bot/first_boards.py); a
worker that starts while another is still writing, or two workers that start
together after a crash, both find the order unfinished (`resume_writing`) and
both carry on writing it. Each step must be taken by one of them: every target
once, every copy once, every first board once. On PostgreSQL the two are two
connections at read-committed isolation, the case that matters; on SQLite they
are two connections to one file, serialised by its write lock.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from cascade.clock import FakeClock
from cascade.order_service import OrderService
from cascade.orders import OrderKind
from cascade.tower import Unit
from storage.db import Database
from storage.importer import import_units
from tests.storage.test_orders_storage import (
    HQ_CHAT,
    HQ_COMMANDER,
    PlainPresenter,
    PowerCut,
)

STEP_ROWS = 20  # Tashan's 237 targets in 12 steps: many turns for the two to meet


@pytest.fixture
async def second(db: Database, tashan: list[Unit]) -> AsyncIterator[Database]:
    """The tower loaded, and a second worker's own connection to the same database."""
    await import_units(db, tashan)
    other = Database(db.path)
    await other.open()
    try:
        yield other
    finally:
        await other.close()


def worker(db: Database) -> OrderService:
    return OrderService(db.transaction, FakeClock(), PlainPresenter(), step_rows=STEP_ROWS)


async def written(db: Database, order_id: int) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """(targets written per unit, outbox rows per (purpose, unit)) of the order."""
    async with db.transaction() as tx:
        states = await tx.orders.targets(order_id)
        rows = await tx.outbox.read(await tx.outbox.due(now=10**12, limit=10_000))
    targets = Counter(s.unit_code for s in states)
    messages = Counter(
        (r.message.ref.purpose, r.message.ref.unit_code)
        for r in rows
        if r.message.ref is not None and r.message.ref.order_id == order_id
    )
    return targets, messages


async def check_written_once(db: Database, order_id: int) -> None:
    targets, messages = await written(db, order_id)
    assert len(targets) == 237 and set(targets.values()) == {1}, "every target once"
    copies = {unit: n for (purpose, unit), n in messages.items() if purpose == "order_copy"}
    assert len(copies) == 236 and set(copies.values()) == {1}, "every copy once"
    boards = {unit: n for (purpose, unit), n in messages.items() if purpose == "progress"}
    assert len(boards) == 13 and set(boards.values()) == {1}, "every first board once"
    assert sum(n for (purpose, _), n in messages.items() if purpose == "order_issued") == 1
    async with db.transaction() as tx:
        assert await tx.orders.being_written() == []
        assert await tx.outbox.drafts_of() == []


async def test_two_workers_resuming_an_order_cut_off_mid_targets_write_it_once(
    db: Database, second: Database
) -> None:
    """A crash three steps into the targets; both workers start at once."""
    cut = OrderService(PowerCut(db, 3), FakeClock(), PlainPresenter(), step_rows=STEP_ROWS)
    with pytest.raises(RuntimeError, match="power cut"):
        await cut.issue(HQ_CHAT, HQ_COMMANDER, OrderKind.COUNT, "统计", timedelta(minutes=15))
    async with db.transaction() as tx:
        (order_id,) = await tx.orders.being_written()

    done = await asyncio.gather(worker(db).resume_writing(), worker(second).resume_writing())

    assert [order_id] in done  # at least one of them saw it unfinished; both may have
    await check_written_once(db, order_id)


async def test_the_background_boards_writer_and_a_starting_worker_write_each_board_once(
    db: Database, second: Database
) -> None:
    """Worker A issued an order and its background writer is writing the first boards
    (one a step, so they take many turns) when worker B starts and finds the order's
    boards unfinished."""
    handed: list[int] = []
    issuing = OrderService(
        db.transaction, FakeClock(), PlainPresenter(), step_rows=STEP_ROWS, on_boards=handed.append
    )
    order = await issuing.issue(
        HQ_CHAT, HQ_COMMANDER, OrderKind.COUNT, "统计", timedelta(minutes=15)
    )
    assert handed == [order.id]

    _, starting = await asyncio.gather(
        issuing.write_boards(order.id, per_step=1), worker(second).resume_writing()
    )

    assert starting in ([order.id], [])  # B may come when A has finished
    await check_written_once(db, order.id)


async def test_two_starting_workers_finish_the_first_boards_once(
    db: Database, second: Database
) -> None:
    """The order's targets and copies are whole; its first boards were cut off (the
    process died after `/order` returned); two workers start together."""
    dying = OrderService(db.transaction, FakeClock(), PlainPresenter(), on_boards=lambda _: None)
    order = await dying.issue(HQ_CHAT, HQ_COMMANDER, OrderKind.COUNT, "统计", timedelta(minutes=15))
    a, b = worker(db), worker(second)

    await asyncio.gather(
        a.write_boards(order.id, per_step=1),
        b.write_boards(order.id, per_step=1),
        a.resume_writing(),
        b.resume_writing(),
    )

    await check_written_once(db, order.id)
