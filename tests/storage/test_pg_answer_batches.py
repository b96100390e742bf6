"""Answers batched on PostgreSQL: one transaction and one order lock a batch, exact roll-ups.

On PostgreSQL several workers answer one order at once, at read-committed
isolation: a batch must hold its orders' roll-up locks before it reads their rows
(storage/answer_repo.py `_read`), or a batch reading while another worker's batch
commits would write stale counts over it. These tests run on PostgreSQL only; the
tests of tests/storage/test_answer_batches.py run on both engines.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import timedelta
from typing import Any

import pytest

from cascade.clock import FakeClock
from cascade.errors import Refused
from cascade.order_service import OrderService
from cascade.orders import OrderKind
from storage import processed
from storage.db import Database
from storage.importer import import_units
from storage.pg import PgConnection
from tests.storage.test_answer_batches import (
    BOTTOM,
    CODES,
    OUTSIDER,
    TARGETS,
    Presenter,
    chat,
    check_counters,
    commander,
    tower,
)
from tests.support.pgserver import PgServer


@pytest.fixture
async def url(pg_server: PgServer) -> AsyncIterator[str]:
    """A fresh PostgreSQL database holding the test tower."""
    target = await pg_server.create_database()
    try:
        async with Database(target) as db:
            await import_units(db, tower())
        yield target
    finally:
        await pg_server.drop_database(target)


def service(db: Database, clock: FakeClock) -> OrderService:
    return OrderService(
        db.transaction,
        clock,
        Presenter(),
        batch_answers=True,
        batch_uow=db.answer_batch,
        updates=processed.CARRIER,
    )


async def counters(db: Database, order_id: int) -> list[tuple[Any, ...]]:
    rows = await db.conn.execute_fetchall(
        "SELECT unit_code, is_root, is_bottom, acked_at, value, items, subtotal, done_at, "
        "children_done, sub_done, answered_at FROM order_units WHERE order_id = ?",
        (order_id,),
    )
    return [tuple(r) for r in rows]


async def test_a_batch_is_one_transaction_with_one_order_lock(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seven answers and a refusal among them: one BEGIN, one lock, one COMMIT, no
    statement an answer; the refused answer leaves nothing, the others roll up exactly."""
    async with Database(url) as db:
        orders = service(db, FakeClock())
        order = await orders.issue(
            chat("hq"), commander("hq"), OrderKind.COUNT, "统计", timedelta(hours=1)
        )
        sent: list[str] = []
        run, many = PgConnection._run, PgConnection.executemany

        async def traced_run(self: PgConnection, sql: str, params: Sequence[Any]) -> Any:
            sent.append(sql)
            return await run(self, sql, params)

        async def traced_many(
            self: PgConnection, sql: str, params: Iterable[Sequence[Any]]
        ) -> None:
            sent.append(sql)
            await many(self, sql, params)

        monkeypatch.setattr(PgConnection, "_run", traced_run)
        monkeypatch.setattr(PgConnection, "executemany", traced_many)

        async def delivered(update_id: int, code: str, who: int, value: str) -> str:
            with processed.handling(1, update_id, f"msg:{chat(code)}:{update_id}:0"):
                try:
                    await orders.report(order.id, chat(code), who, value, None)
                except Refused as refusal:
                    return refusal.key
                return "ok"

        answering = ["a1", "a2", "a3", "b2", "b11", "b12"]
        outcomes = await asyncio.gather(
            *(delivered(300 + i, c, commander(c), str(i + 1)) for i, c in enumerate(answering)),
            delivered(399, "b2", OUTSIDER, "9"),
            orders.acknowledge(order.id, chat("b1"), commander("b1")),
        )
        monkeypatch.undo()
        assert outcomes[:7] == ["ok"] * 6 + ["not-unit-commander"]
        assert orders.batcher is not None and orders.batcher.batches == 1
        assert sent.count("BEGIN IMMEDIATE") == 1
        assert sent.count("COMMIT") == 1
        assert sum("pg_advisory_xact_lock" in s for s in sent) == 1
        # Not a statement an answer: each at most twice (b1 done folds the notices
        # queued for its group: the writes kept so far go out before that read).
        assert max(sent.count(s) for s in sent) <= 2, sent
        rows = await db.conn.execute_fetchall(
            "SELECT update_id FROM processed_updates ORDER BY update_id"
        )
        assert [r[0] for r in rows] == [300, 301, 302, 303, 304, 305]
        check = {r[0]: r for r in await counters(db, order.id)}
        assert check["hq"][6] == sum(range(1, 7))  # subtotal
        assert check["b2"][4] == 4  # b2's own value, not the outsider's 9
        check_counters(list(check.values()), OrderKind.COUNT)


@pytest.mark.parametrize("split", [2, 5])
async def test_two_workers_batches_on_one_order_roll_up_exactly(url: str, split: int) -> None:
    """Two workers (two handles, as two processes) batch the answers to one order at
    the same time, several rounds: every count is a recount of the rows."""
    clock = FakeClock()
    async with Database(url) as first, Database(url) as second:
        orders = [service(first, clock), service(second, clock)]
        order = await orders[0].issue(
            chat("hq"), commander("hq"), OrderKind.COUNT, "统计", timedelta(hours=1)
        )
        bottoms = sorted(BOTTOM)
        others = [c for c in TARGETS if c not in BOTTOM]

        def by(worker: int, code: str) -> Any:
            if code in BOTTOM:
                value = str(CODES.index(code))
                return orders[worker].report(order.id, chat(code), commander(code), value, None)
            return orders[worker].acknowledge(order.id, chat(code), commander(code))

        # The bottoms' values split between the workers, then the others' 收到 likewise.
        for part in (bottoms, others):
            await asyncio.gather(
                *(by(0, c) for c in part[:split]), *(by(1, c) for c in part[split:])
            )
        assert all(o.batcher is not None and o.batcher.batches >= 1 for o in orders)
        rows = await counters(first, order.id)
        check_counters(rows, OrderKind.COUNT)
        hq = next(r for r in rows if r[0] == "hq")
        assert hq[6] == sum(CODES.index(c) for c in BOTTOM)
        assert hq[7] is not None and hq[9] == len(TARGETS)
        levels = await first.conn.execute_fetchall(
            "SELECT level, done, total FROM order_levels WHERE order_id = ? ORDER BY level",
            (order.id,),
        )
        assert [tuple(r) for r in levels] == [(1, 2, 2), (2, 5, 5), (3, 2, 2)]
        head = await first.conn.execute_fetchall(
            "SELECT done_targets FROM orders WHERE id = ?", (order.id,)
        )
        assert head[0][0] == len(TARGETS)
