"""Answers decided in shared transactions (cascade/answer_batch.py) land exactly as alone.

Group commit must not change a single number: whatever the order of the answers
and wherever the batches begin and end, every row of the order, every counter
and every queued message is what one transaction per answer gives; a refusal
fails only its own answer; an update delivered twice still takes effect once.
Each test runs on both engines (PostgreSQL's own: tests/storage/test_pg_answer_batches.py).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import tempfile
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade.clock import FakeClock
from cascade.errors import Refused
from cascade.order_service import OrderService
from cascade.orders import OrderKind
from cascade.outgoing import Rendered
from cascade.ports import AnswerWrites
from cascade.tower import Person, Unit, UnitRef
from storage import processed
from storage.answer_repo import SqliteAnswerRepository
from storage.db import Database
from storage.importer import import_units
from storage.tower_repo import SqliteTowerRepository
from tests.support.pgserver import PgServer
from tests.support.plain_words import PlainWords

# hq → a, b; a → a1, a2, a3; b → b1, b2; b1 → b11, b12 (bottoms at levels 2 and 3)
PARENTS = {
    "hq": None,
    "a": "hq",
    "b": "hq",
    "a1": "a",
    "a2": "a",
    "a3": "a",
    "b1": "b",
    "b2": "b",
    "b11": "b1",
    "b12": "b1",
}
CODES = list(PARENTS)
TARGETS = CODES[1:]
BOTTOM = {c for c in CODES if c not in PARENTS.values()}
OUTSIDER = 7_000_000_999


def sqlite_only(db: Database) -> None:
    if db.is_postgres:
        pytest.skip("aiosqlite's hand-offs to its thread (PostgreSQL: tests below)")


def chat(code: str) -> int:
    return -1_003_000_000_000 - CODES.index(code)


def commander(code: str) -> int:
    return 7_000_000_000 + CODES.index(code)


def level(code: str) -> int:
    parent = PARENTS[code]
    return 0 if parent is None else 1 + level(parent)


def tower() -> list[Unit]:
    return [
        Unit(
            code=code,
            name=f"单位{code}",
            level=level(code),
            parent=PARENTS[code],
            commander=Person(name=f"指挥{code}", telegram_id=commander(code)),
            chat_id=chat(code),
        )
        for code in CODES
    ]


class Presenter(PlainWords):
    def merged_list(self, *args: object) -> tuple[Rendered, str | None]:
        return Rendered(text="merged_list"), None


# An answer: (unit, what is said, who says it); "ack" presses 收到.
Answer = tuple[str, str, int]


def answers() -> st.SearchStrategy[Answer]:
    said = st.one_of(st.integers(0, 99).map(str), st.sampled_from(["ack", "七八", "十几", "abc"]))
    who = st.sampled_from(["commander", "commander", "commander", "outsider"])
    return st.tuples(st.sampled_from(TARGETS), said, who).map(
        lambda a: (a[0], a[1], OUTSIDER if a[2] == "outsider" else commander(a[0]))
    )


async def answer(orders: OrderService, order_id: int, item: Answer) -> Any:
    code, said, who = item
    if said == "ack" or code not in BOTTOM:
        return await orders.acknowledge(order_id, chat(code), who)
    return await orders.report(order_id, chat(code), who, said, None)


async def run(
    path: Path | str, kind: OrderKind, items: list[Answer], cuts: list[int], batch: bool
) -> dict[str, Any]:
    """Issue an order on a fresh file (or PostgreSQL database) and answer it, in batches
    cut at `cuts` (each batch's answers are in flight together); returns everything the
    answers wrote."""
    db = await Database(path).open()
    try:
        await import_units(db, tower())
        clock = FakeClock()
        orders = OrderService(
            db.transaction, clock, Presenter(), batch_answers=batch, batch_uow=db.answer_batch
        )
        order = await orders.issue(chat("hq"), commander("hq"), kind, "统计", timedelta(hours=1))
        outcomes: list[str] = []
        bounds = [0, *sorted(set(cuts)), len(items)]
        for start, end in itertools.pairwise(bounds):
            clock.advance(seconds=7)
            results = await asyncio.gather(
                *(answer(orders, order.id, item) for item in items[start:end]),
                return_exceptions=True,
            )
            for result in results:
                if isinstance(result, Refused):
                    outcomes.append(f"refused {result.key}")
                elif isinstance(result, BaseException):
                    raise result
                else:
                    outcomes.append("ok")
        rows = await db.conn.execute_fetchall(
            "SELECT * FROM order_units WHERE order_id = ? ORDER BY unit_code", (order.id,)
        )
        counters = await db.conn.execute_fetchall(
            "SELECT unit_code, is_root, is_bottom, acked_at, value, items, subtotal, done_at, "
            "children_done, sub_done, answered_at FROM order_units WHERE order_id = ?",
            (order.id,),
        )
        levels = await db.conn.execute_fetchall(
            "SELECT level, done, total FROM order_levels WHERE order_id = ? ORDER BY level",
            (order.id,),
        )
        head = await db.conn.execute_fetchall(
            "SELECT status, finished_at, done_targets FROM orders WHERE id = ?", (order.id,)
        )
        outbox = await db.conn.execute_fetchall(
            "SELECT chat_id, payload, status, dedupe_key FROM outbox ORDER BY id"
        )
        dirty = await db.conn.execute_fetchall(
            "SELECT unit_code FROM progress_dirty ORDER BY unit_code"
        )
        return {
            "outcomes": outcomes,
            "rows": [tuple(r) for r in rows],
            "counters": [tuple(r) for r in counters],
            "levels": [tuple(r) for r in levels],
            "order": [tuple(r) for r in head],
            "outbox": [tuple(r) for r in outbox],
            "dirty": [tuple(r) for r in dirty],
            "batches": orders.batcher.batches if orders.batcher is not None else 0,
        }
    finally:
        await db.close()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    kind=st.sampled_from([OrderKind.COUNT, OrderKind.LIST, OrderKind.NOTICE]),
    items=st.lists(answers(), min_size=1, max_size=30),
    cuts=st.lists(st.integers(0, 30), max_size=6),
)
def test_batched_answers_in_any_order_and_batches_land_as_alone(
    kind: OrderKind, items: list[Answer], cuts: list[int]
) -> None:
    cuts = [c for c in cuts if c < len(items)]
    with tempfile.TemporaryDirectory() as tmp:
        alone = asyncio.run(run(Path(tmp) / "alone.db", kind, items, cuts, batch=False))
        batched = asyncio.run(run(Path(tmp) / "batched.db", kind, items, cuts, batch=True))
    same_as_alone(alone, batched, kind, cuts)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    kind=st.sampled_from([OrderKind.COUNT, OrderKind.LIST, OrderKind.NOTICE]),
    items=st.lists(answers(), min_size=1, max_size=30),
    cuts=st.lists(st.integers(0, 30), max_size=6),
)
def test_batched_answers_on_postgresql_land_as_alone(
    pg_server: PgServer, kind: OrderKind, items: list[Answer], cuts: list[int]
) -> None:
    cuts = [c for c in cuts if c < len(items)]

    async def both() -> tuple[dict[str, Any], dict[str, Any]]:
        urls = [await pg_server.create_database() for _ in range(2)]
        try:
            return (
                await run(urls[0], kind, items, cuts, batch=False),
                await run(urls[1], kind, items, cuts, batch=True),
            )
        finally:
            for url in urls:
                await pg_server.drop_database(url)

    alone, batched = asyncio.run(both())
    same_as_alone(alone, batched, kind, cuts)


def same_as_alone(
    alone: dict[str, Any], batched: dict[str, Any], kind: OrderKind, cuts: list[int]
) -> None:
    assert batched["outcomes"] == alone["outcomes"]
    for part in ("rows", "levels", "order", "outbox", "dirty"):
        assert batched[part] == alone[part], part
    assert batched["batches"] <= len(set(cuts)) + 1
    check_counters(batched["counters"], kind)


def check_counters(rows: list[tuple[Any, ...]], kind: OrderKind) -> None:
    """Subtotals, done flags and subtree counters equal a recount from the rows."""
    by_code = {r[0]: r for r in rows}
    kids = {c: [k for k in CODES if PARENTS[k] == c] for c in CODES}

    def below(code: str) -> list[str]:
        return [code, *(d for k in kids[code] for d in below(k))]

    def measure(code: str) -> int:
        _, _, _, _, value, items, *_ = by_code[code]
        if kind is OrderKind.COUNT:
            return int(value or 0)
        if kind is OrderKind.LIST:
            return len(json.loads(items)) if items is not None else 0
        return 0

    def done(code: str) -> bool:
        return by_code[code][7] is not None

    for code in CODES:
        row = by_code[code]
        _, is_root, is_bottom, acked, _, _, subtotal, done_at, children_done, sub_done, answered = (
            row
        )
        asks_ack = kind is OrderKind.NOTICE or not is_bottom
        own = bool(is_root) or (acked if asks_ack else answered) is not None
        assert subtotal == sum(measure(d) for d in below(code) if d in BOTTOM), code
        assert (done_at is not None) == (own and all(done(k) for k in kids[code])), code
        assert children_done == sum(done(k) for k in kids[code]), code
        assert sub_done == sum(done(d) for d in below(code) if d != "hq"), code


async def test_a_refused_answer_fails_alone_in_its_batch(db: Database) -> None:
    await import_units(db, tower())
    orders = OrderService(
        db.transaction, FakeClock(), Presenter(), batch_answers=True, batch_uow=db.answer_batch
    )
    order = await orders.issue(
        chat("hq"), commander("hq"), OrderKind.COUNT, "统计", timedelta(hours=1)
    )
    results = await asyncio.gather(
        orders.report(order.id, chat("a1"), commander("a1"), "5", None),
        orders.report(order.id, chat("a2"), commander("a2"), "七八", None),
        orders.report(order.id, chat("a3"), OUTSIDER, "4", None),
        orders.report(order.id, chat("b2"), commander("b2"), "6", None),
        return_exceptions=True,
    )
    assert [r.key if isinstance(r, Refused) else "ok" for r in results] == [
        "ok",
        "approx-count",
        "not-unit-commander",
        "ok",
    ]
    assert orders.batcher is not None and orders.batcher.batches == 1
    async with db.transaction() as tx:
        hq = (await tx.orders.chain(order.id, "hq"))[0]
        a2 = (await tx.orders.chain(order.id, "a2"))[0]
    assert hq.subtotal == 11
    assert a2.answered_at is None


async def test_an_update_delivered_twice_into_one_batch_takes_effect_once(db: Database) -> None:
    """Each answer's update is recorded in the batch's transaction; a second delivery
    of the same update, racing the first into the batch, rolls the batch back, each
    answer is decided alone, and the duplicate is refused as handled."""
    await import_units(db, tower())
    orders = OrderService(
        db.transaction,
        FakeClock(),
        Presenter(),
        batch_answers=True,
        batch_uow=db.answer_batch,
        updates=processed.CARRIER,
    )
    order = await orders.issue(
        chat("hq"), commander("hq"), OrderKind.COUNT, "统计", timedelta(hours=1)
    )

    async def delivered(update_id: int, code: str, value: str) -> str:
        with processed.handling(1, update_id, f"msg:{chat(code)}:{update_id}:0"):
            try:
                await orders.report(order.id, chat(code), commander(code), value, None)
            except processed.AlreadyHandled:
                return "handled before"
            return "ok"

    outcomes = await asyncio.gather(
        delivered(100, "a1", "5"), delivered(100, "a1", "5"), delivered(101, "b2", "6")
    )
    assert sorted(outcomes) == ["handled before", "ok", "ok"]
    rows = await db.conn.execute_fetchall(
        "SELECT update_id FROM processed_updates ORDER BY update_id"
    )
    assert [r[0] for r in rows] == [100, 101]
    async with db.transaction() as tx:
        hq = (await tx.orders.chain(order.id, "hq"))[0]
    assert hq.subtotal == 11

    # A later batch records its updates with its answers, once each.
    assert await delivered(102, "a2", "1") == "ok"
    assert await delivered(102, "a2", "1") == "handled before"
    rows = await db.conn.execute_fetchall("SELECT COUNT(*) FROM processed_updates")
    assert rows[0][0] == 3


@pytest.mark.parametrize("batch", [False, True])
async def test_counters_equal_a_recount_after_concurrent_answers(db: Database, batch: bool) -> None:
    await import_units(db, tower())
    orders = OrderService(
        db.transaction, FakeClock(), Presenter(), batch_answers=batch, batch_uow=db.answer_batch
    )
    order = await orders.issue(
        chat("hq"), commander("hq"), OrderKind.COUNT, "统计", timedelta(hours=1)
    )
    await asyncio.gather(
        *(
            answer(orders, order.id, (code, str(CODES.index(code)), commander(code)))
            for code in TARGETS
        )
    )
    async with db.transaction() as tx:
        states = {s.unit_code: s for s in await tx.orders.targets(order.id)}
        levels = await tx.orders.levels(order.id)
        head = await tx.orders.get(order.id)
    assert states["hq"].subtotal == sum(CODES.index(c) for c in BOTTOM)
    assert states["hq"].sub_done == len(TARGETS) and states["hq"].is_done
    assert levels == {1: (2, 2), 2: (5, 5), 3: (2, 2)}
    assert head is not None and head.done_targets == len(TARGETS)


async def test_a_batch_sends_its_writes_in_one_hand_off(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every answer takes the order's lock (storage/locking.py); in a batch that must
    not send the answers before it one by one: the batch still writes once."""
    await import_units(db, tower())
    orders = OrderService(
        db.transaction, FakeClock(), Presenter(), batch_answers=True, batch_uow=db.answer_batch
    )
    order = await orders.issue(
        chat("hq"), commander("hq"), OrderKind.COUNT, "统计", timedelta(hours=1)
    )
    writes: list[int] = []
    real = SqliteAnswerRepository.write

    async def counted(self: SqliteAnswerRepository, batch: AnswerWrites) -> None:
        writes.append(len(batch.states))
        await real(self, batch)

    monkeypatch.setattr(SqliteAnswerRepository, "write", counted)
    bottoms = sorted(BOTTOM)
    await asyncio.gather(
        *(orders.report(order.id, chat(c), commander(c), "1", None) for c in bottoms)
    )
    assert orders.batcher is not None and orders.batcher.batches == 1
    assert len(writes) == 1
    async with db.transaction() as tx:
        hq = (await tx.orders.chain(order.id, "hq"))[0]
    assert hq.subtotal == len(bottoms)


async def test_a_batch_goes_to_the_database_thread_three_times(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch's transaction holds the writers' lock for three trips to SQLite's thread
    (`Database.answer_batch`): BEGIN with its read, its writes, its updates' records
    with COMMIT; each trip waits behind the handlers' turns on the event loop."""
    sqlite_only(db)
    await import_units(db, tower())
    orders = OrderService(
        db.transaction,
        FakeClock(),
        Presenter(),
        batch_answers=True,
        batch_uow=db.answer_batch,
        updates=processed.CARRIER,
    )
    order = await orders.issue(
        chat("hq"), commander("hq"), OrderKind.COUNT, "统计", timedelta(hours=1)
    )
    trips: list[object] = []
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if self is db.conn:
            trips.append(fn)
        return await real(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)

    async def delivered(update_id: int, code: str) -> None:
        with processed.handling(1, update_id, f"msg:{chat(code)}:{update_id}:0"):
            await orders.report(order.id, chat(code), commander(code), "1", None)

    # No unit is done by these (a3 and b12 do not answer): none is read by name.
    await asyncio.gather(delivered(200, "a1"), delivered(201, "a2"), delivered(202, "b11"))
    assert orders.batcher is not None and orders.batcher.batches == 1
    assert len(trips) == 3
    monkeypatch.undo()
    assert not db.conn.in_transaction
    rows = await db.conn.execute_fetchall(
        "SELECT update_id FROM processed_updates ORDER BY update_id"
    )
    assert [r[0] for r in rows] == [200, 201, 202]
    async with db.transaction() as tx:
        hq = (await tx.orders.chain(order.id, "hq"))[0]
    assert hq.subtotal == 3


class _Step:
    """A form step riding on an update (storage/processed.py): one row of its own."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def write(self, conn: Any) -> None:
        await conn.execute(
            "INSERT INTO form_states (key, state, data, touched_at, expired) "
            "VALUES (?, 'step', '{}', '2026-01-01T00:00:00+00:00', 0) "
            "ON CONFLICT (key) DO UPDATE SET state = excluded.state",
            (self.name,),
        )


async def test_a_form_step_riding_on_an_answer_is_written_with_it(db: Database) -> None:
    """A step that rides on an update is saved by the update's next changing
    transaction: for an answer decided in a batch, the batch's (once, and again
    after a rolled-back batch, when the answer is decided alone)."""
    await import_units(db, tower())
    orders = OrderService(
        db.transaction,
        FakeClock(),
        Presenter(),
        batch_answers=True,
        batch_uow=db.answer_batch,
        updates=processed.CARRIER,
    )
    order = await orders.issue(
        chat("hq"), commander("hq"), OrderKind.COUNT, "统计", timedelta(hours=1)
    )

    async def delivered(update_id: int, code: str, value: str) -> str:
        with processed.handling(1, update_id, f"msg:{chat(code)}:{update_id}:0") as mark:
            processed.ride("form", _Step(f"form:{update_id}"))
            try:
                await orders.report(order.id, chat(code), commander(code), value, None)
            except processed.AlreadyHandled:
                return "handled before"
            assert not mark.riders  # written with the answer, nothing left for later
            return "ok"

    # 200 twice: the batch rolls back at COMMIT and each answer is decided alone.
    outcomes = await asyncio.gather(
        delivered(200, "a1", "5"), delivered(200, "a1", "5"), delivered(201, "b2", "6")
    )
    assert sorted(outcomes) == ["handled before", "ok", "ok"]
    rows = await db.conn.execute_fetchall("SELECT key FROM form_states ORDER BY key")
    assert [r[0] for r in rows] == ["form:200", "form:201"]
    assert await delivered(202, "a2", "1") == "ok"
    rows = await db.conn.execute_fetchall("SELECT COUNT(*) FROM form_states")
    assert rows[0][0] == 3


async def test_units_named_by_a_batch_are_read_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch reads ahead only the answering units and the issuer; the units above,
    named when a unit becomes done, are read at the first need, all in one call."""
    await import_units(db, tower())
    orders = OrderService(
        db.transaction, FakeClock(), Presenter(), batch_answers=True, batch_uow=db.answer_batch
    )
    order = await orders.issue(
        chat("hq"), commander("hq"), OrderKind.COUNT, "统计", timedelta(hours=1)
    )
    named: list[list[str]] = []
    real = SqliteTowerRepository.refs

    async def refs(self: SqliteTowerRepository, codes: Iterable[str]) -> dict[str, UnitRef]:
        named.append(list(codes))
        return await real(self, named[-1])

    monkeypatch.setattr(SqliteTowerRepository, "refs", refs)
    # b1's own 收到 and its two bottoms' values: b1 is done, its group and b's hear it,
    # and b (no answering unit, not the issuer) was not read ahead.
    await asyncio.gather(
        orders.acknowledge(order.id, chat("b1"), commander("b1")),
        *(orders.report(order.id, chat(c), commander(c), "2", None) for c in ("b11", "b12")),
    )
    assert orders.batcher is not None and orders.batcher.batches == 1
    assert len(named) == 1 and "b" in named[0]
    async with db.transaction() as tx:
        b1, b, hq = await tx.orders.chain(order.id, "b1")
        due = await tx.outbox.read(await tx.outbox.due(now=1e12, limit=1_000))
    assert b1.is_done and not b.is_done and hq.subtotal == 4
    told = {(m.message.chat_id, m.message.ref.purpose) for m in due if m.message.ref}
    assert {(chat("b1"), "unit_done"), (chat("b"), "child_done")} <= told
