"""Orders, their per-unit rows and the outbox in SQLite: one decision, one transaction.

The design promises that a crash at any point loses no decided message and
leaves no half-made order. These tests issue orders through `OrderService`
against a real file, break transactions on purpose, and check the tower and
order queries (subtree ranges, chains, memberships) the services rely on.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from bot.first_boards import FirstBoards
from cascade.clock import FakeClock
from cascade.errors import Refused
from cascade.order_service import OrderService
from cascade.orders import Order, OrderKind
from cascade.outgoing import MessageRef, OutgoingMessage, Priority, Rendered
from cascade.ports import UnitOfWork
from cascade.queries import QueryService
from cascade.tower import Person, Position, Unit, UnitRef
from storage.db import Database
from storage.importer import import_units
from tests.support.plain_words import PlainWords

HQ_CHAT = -1002000000001
HQ_COMMANDER = 6000000001


class PlainPresenter(PlainWords):
    """The domain's Presenter with plain words, so storage tests need no bot (every
    other message, reports, boards, reminders ..., is just its name)."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.copies = 0
        self.fail_after = fail_after

    def order_copy(self, order: Order, unit: UnitRef, issuer: UnitRef, is_bottom: bool) -> Rendered:
        self.copies += 1
        if self.fail_after is not None and self.copies > self.fail_after:
            raise RuntimeError("presenter broke half-way")
        return Rendered(text=f"copy {order.id} {unit.code}")

    def order_issued(self, order: Order, issuer: UnitRef, by_level: dict[int, int]) -> Rendered:
        return Rendered(text=f"issued {order.id} {sum(by_level.values())}")


async def count(db: Database, table: str) -> int:
    async with db.conn.execute(f"SELECT COUNT(*) FROM {table}") as cur:
        row = await cur.fetchone()
    return int(row[0])


async def counts(db: Database) -> dict[str, int]:
    return {t: await count(db, t) for t in ("orders", "order_units", "outbox", "message_refs")}


@pytest.fixture
async def loaded(db: Database, tashan: list[Unit]) -> Database:
    await import_units(db, tashan)
    return db


def service(db: Database, presenter: PlainPresenter | None = None) -> OrderService:
    return OrderService(db.transaction, FakeClock(), presenter or PlainPresenter())


# ---------------------------------------------------------------- issuing


async def test_issue_writes_every_row_and_message_in_one_go(loaded: Database) -> None:
    db = loaded
    db.committed.clear()
    order = await service(db).issue(
        HQ_CHAT, HQ_COMMANDER, OrderKind.COUNT, "统计外地人数", timedelta(minutes=15)
    )
    assert db.committed.is_set()
    assert order.total_targets == 236
    assert order.deadline_at - order.created_at == timedelta(minutes=15)
    assert await count(db, "orders") == 1
    assert await count(db, "order_units") == 237
    assert await count(db, "message_refs") == 0

    async with db.transaction() as tx:
        states = await tx.orders.targets(order.id)
        rows = await tx.outbox.read(await tx.outbox.due(now=10**12, limit=5000))
    assert len(rows) == await count(db, "outbox")
    purposes = Counter(r.message.ref.purpose if r.message.ref else None for r in rows)
    assert purposes["order_copy"] == 236
    assert purposes["order_issued"] == 1
    # Anything else queued with the order (live progress boards) goes to internal units only.
    internal = {s.unit_code for s in states if not s.is_bottom}
    others = [r for r in rows if r.message.ref is None or r.message.ref.purpose not in
              {"order_copy", "order_issued"}]  # fmt: skip
    assert all(r.message.ref and r.message.ref.unit_code in internal for r in others)
    roots = [s for s in states if s.is_root]
    assert [s.unit_code for s in roots] == ["tashan"]
    assert sum(1 for s in states if s.is_bottom) == 224
    assert {s.unit_code: s.children_total for s in states if s.level == 2} == {
        f"ts-{i:02d}": sum(1 for s in states if s.parent_code == f"ts-{i:02d}")
        for i in range(1, 13)
    }

    copies = [r for r in rows if r.message.ref and r.message.ref.purpose == "order_copy"]
    issued = [r for r in rows if r.message.ref and r.message.ref.purpose == "order_issued"]
    assert len(copies) == 236 and len(issued) == 1
    assert issued[0].message.chat_id == HQ_CHAT
    assert issued[0].message.text == f"issued {order.id} 236"
    assert issued[0].message.priority == Priority.INTERACTIVE
    assert len({r.message.chat_id for r in copies}) == 236
    assert HQ_CHAT not in {r.message.chat_id for r in copies}
    assert all(r.message.priority == Priority.ORDER for r in copies)
    # The confirmation is an interactive answer: it goes out first.
    assert rows[0].message.ref == MessageRef(
        purpose="order_issued", order_id=order.id, unit_code="tashan"
    )


async def test_a_failure_half_way_through_issuing_leaves_nothing(loaded: Database) -> None:
    db = loaded
    before = await counts(db)
    # Written in steps of 50 units: the presenter breaks in a later step, after
    # earlier steps have committed.
    broken = OrderService(db.transaction, FakeClock(), PlainPresenter(fail_after=3), step_rows=50)
    with pytest.raises(RuntimeError, match="half-way"):
        await broken.issue(HQ_CHAT, HQ_COMMANDER, OrderKind.NOTICE, "开会", timedelta(minutes=15))
    assert await counts(db) == before
    # The database is usable again afterwards (no transaction left open).
    order = await service(db).issue(
        HQ_CHAT, HQ_COMMANDER, OrderKind.NOTICE, "开会", timedelta(minutes=15)
    )
    assert (await counts(db))["order_units"] == 237
    assert order.id >= 1


async def test_raising_inside_a_transaction_rolls_back_raw_writes(loaded: Database) -> None:
    db = loaded
    clock = FakeClock()
    before = await counts(db)
    with pytest.raises(KeyError):
        async with db.transaction() as tx:
            order = await tx.orders.create(
                "ts-01", 1, OrderKind.COUNT, "t", clock.now(), clock.now()
            )
            step = await tx.orders.write_targets(order.id, 2)
            assert step is not None and not step.last
            await tx.outbox.add(
                OutgoingMessage(
                    chat_id=-1, text="x", ref=MessageRef(purpose="p", order_id=order.id)
                )
            )
            assert (await counts(db))["order_units"] == before["order_units"] + 2
            raise KeyError("boom")
    assert await counts(db) == before
    async with db.transaction() as tx:
        assert await tx.orders.get(order.id) is None


async def test_refusal_inside_a_decision_rolls_back(loaded: Database) -> None:
    db = loaded
    before = await counts(db)
    with pytest.raises(Refused) as caught:
        await service(db).issue(
            HQ_CHAT, 6000000009, OrderKind.COUNT, "越级下令", timedelta(minutes=15)
        )
    assert caught.value.key == "not-allowed-order"
    assert await counts(db) == before


async def test_report_and_roll_up_are_stored_along_the_chain(loaded: Database) -> None:
    db = loaded
    orders = service(db)
    order = await orders.issue(HQ_CHAT, HQ_COMMANDER, OrderKind.COUNT, "数", timedelta(minutes=15))
    # ts-01-01 (chat -1002000000003, commander 6000000009) reports five.
    await orders.report(order.id, -1002000000003, 6000000009, "五", reply_to=None)
    async with db.transaction() as tx:
        chain = await tx.orders.chain(order.id, "ts-01-01")
        assert [s.unit_code for s in chain] == ["ts-01-01", "ts-01", "tashan"]
        assert [s.subtotal for s in chain] == [5, 5, 5]
        assert chain[0].is_done and not chain[1].is_done
        assert chain[1].children_done == 1
        under = await tx.orders.targets(order.id, under="ts-01")
        assert under[0].unit_code == "ts-01"
        assert all(s.unit_code.startswith("ts-01") for s in under)
        assert len(under) == 1 + chain[1].children_total
        latest = await tx.orders.latest_for_unit("ts-01-01")
        assert latest is not None and latest.id == order.id
        assert await tx.orders.latest_for_unit("ts-01-01", open_only=True) is not None


# ---------------------------------------------------------------- tower queries


async def test_tower_queries(loaded: Database, tashan: list[Unit]) -> None:
    by_code = {u.code: u for u in tashan}
    async with loaded.transaction() as tx:
        everything = await tx.tower.subtree("tashan")
        assert len(everything) == 237 and everything[0].code == "tashan"
        village = await tx.tower.subtree("ts-01")
        assert village[0].code == "ts-01"
        assert {u.code for u in village[1:]} == {u.code for u in tashan if u.parent == "ts-01"}
        assert await tx.tower.subtree("nope") == []

        chain = await tx.tower.chain("ts-05-03")
        assert [u.code for u in chain] == ["ts-05-03", "ts-05", "tashan"]
        assert await tx.tower.chain("nope") == []

        unit = by_code["ts-05-03"]
        ref = await tx.tower.by_chat(unit.chat_id or 0)
        assert ref is not None and ref.code == "ts-05-03" and ref.level == 3
        assert ref.commander_id == unit.commander.telegram_id  # type: ignore[union-attr]
        assert ref.commander_name == unit.commander.name  # type: ignore[union-attr]
        assert await tx.tower.by_chat(-42) is None

        commander = by_code["ts-05"].commander
        assert commander is not None and commander.telegram_id is not None
        seats = await tx.tower.memberships(commander.telegram_id)
        assert [(s.unit.code, s.position) for s in seats] == [("ts-05", Position.COMMANDER)]
        # A child commander is a member of the parent unit by the rule alone.
        assert await tx.tower.position("tashan", commander.telegram_id) == Position.MEMBER
        assert await tx.tower.position("ts-05", commander.telegram_id) == Position.COMMANDER
        assert await tx.tower.position("ts-06", commander.telegram_id) is None
        deputy = by_code["tashan"].deputies[0]
        assert await tx.tower.position("tashan", deputy.telegram_id or 0) == Position.DEPUTY
        member = by_code["ts-05-03"].members[0]
        assert await tx.tower.position("ts-05-03", member.telegram_id or 0) == Position.MEMBER
        assert await tx.tower.memberships(1) == []

        refs = await tx.tower.refs(["ts-01", "ts-02", "nope", "ts-01"])
        assert set(refs) == {"ts-01", "ts-02"}


async def test_subtree_range_is_not_fooled_by_similar_codes(db: Database) -> None:
    ids = iter(range(8_000_000_001, 8_000_001_000))

    def unit(code: str, level: int, parent: str | None) -> Unit:
        return Unit(
            code=code, name=code, level=level, parent=parent,
            commander=Person(name="c", telegram_id=next(ids)), chat_id=-next(ids),
        )  # fmt: skip

    units = [unit("hq", 0, None)]
    for code in ("a", "a-1", "a.b", "a_c", "a0", "ab"):
        units.append(unit(code, 1, "hq"))
    units.append(unit("a.x", 2, "a"))
    units.append(unit("a-1.y", 2, "a-1"))
    await import_units(db, units)
    async with db.transaction() as tx:
        assert [u.code for u in await tx.tower.subtree("a")] == ["a", "a.x"]
        assert [u.code for u in await tx.tower.subtree("a-1")] == ["a-1", "a-1.y"]
        assert [u.code for u in await tx.tower.subtree("a_c")] == ["a_c"]


async def test_concurrent_answers_do_not_lose_updates(loaded: Database, tashan: list[Unit]) -> None:
    """Each decision reads and writes its chain in one transaction, one at a time."""
    db = loaded
    orders = service(db)
    order = await orders.issue(HQ_CHAT, HQ_COMMANDER, OrderKind.COUNT, "数", timedelta(minutes=15))
    children = [u for u in tashan if u.parent == "ts-01"]
    await asyncio.gather(
        *(
            orders.report(order.id, u.chat_id or 0, u.commander.telegram_id or 0, str(i), None)  # type: ignore[union-attr]
            for i, u in enumerate(children, start=1)
        )
    )
    async with db.transaction() as tx:
        (village,) = [s for s in await tx.orders.targets(order.id) if s.unit_code == "ts-01"]
        root = (await tx.orders.chain(order.id, "ts-01"))[-1]
    assert village.children_done == len(children)
    assert village.subtotal == root.subtotal == sum(range(1, len(children) + 1))


async def test_opening_twice_keeps_one_connection(tmp_path: Path) -> None:
    db = Database(tmp_path / "twice.db")
    await db.open()
    first = db.conn
    await db.open()
    assert db.conn is first
    await db.close()
    # The last connection closed: SQLite folded the WAL back into the file.
    assert sorted(os.listdir(tmp_path)) == ["twice.db"]


class PowerCut:
    """A unit-of-work factory whose machine stops after `commits` transactions: nothing
    after that runs, not even the clean-up (as after a crash)."""

    def __init__(self, db: Database, commits: int) -> None:
        self.db = db
        self.left = commits

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[UnitOfWork]:
        if self.left == 0:
            raise RuntimeError("power cut")
        self.left -= 1
        async with self.db.transaction() as tx:
            yield tx


async def test_an_order_cut_off_while_written_sends_nothing_then_resumes_whole(
    loaded: Database,
) -> None:
    db = loaded
    cut = OrderService(PowerCut(db, 3), FakeClock(), PlainPresenter(), step_rows=50)
    with pytest.raises(RuntimeError, match="power cut"):
        await cut.issue(HQ_CHAT, HQ_COMMANDER, OrderKind.COUNT, "统计", timedelta(minutes=15))
    async with db.transaction() as tx:
        assert await tx.outbox.due(now=10**12) == [], "nothing goes before the order is whole"
        (order_id,) = await tx.orders.being_written()
    assert 0 < (await counts(db))["order_units"] < 237

    assert await service(db).resume_writing() == [order_id]
    assert await service(db).resume_writing() == []
    assert (await counts(db))["order_units"] == 237
    async with db.transaction() as tx:
        rows = await tx.outbox.read(await tx.outbox.due(now=10**12, limit=5000))
        states = await tx.orders.targets(order_id)
    copies = [r for r in rows if r.message.ref and r.message.ref.purpose == "order_copy"]
    assert len(copies) == len({r.message.chat_id for r in copies}) == 236
    assert {r.message.ref.unit_code for r in copies if r.message.ref} == {
        s.unit_code for s in states if not s.is_root
    }
    purposes = Counter(r.message.ref.purpose for r in rows if r.message.ref)
    assert purposes["order_issued"] == 1
    assert purposes["progress"] == sum(1 for s in states if not s.is_bottom)
    root = next(s for s in states if s.is_root)
    assert (root.sub_total, root.sub_done) == (236, 0)


async def purposes_due(db: Database) -> Counter[str]:
    async with db.transaction() as tx:
        rows = await tx.outbox.read(await tx.outbox.due(now=10**12, limit=5000))
    return Counter(r.message.ref.purpose for r in rows if r.message.ref)


async def test_first_boards_a_crash_cut_off_after_the_order_committed_are_written_at_start(
    loaded: Database,
) -> None:
    """The first boards are handed to a background writer; a process that dies before
    it wrote any has lost nothing: the next start writes them all, once."""
    db = loaded
    handed: list[int] = []
    dying = OrderService(db.transaction, FakeClock(), PlainPresenter(), on_boards=handed.append)
    order = await dying.issue(HQ_CHAT, HQ_COMMANDER, OrderKind.COUNT, "统计", timedelta(minutes=15))
    assert handed == [order.id]
    before = await purposes_due(db)
    assert (before["order_issued"], before["order_copy"], before["progress"]) == (1, 236, 0)

    assert await service(db).resume_writing() == [order.id]
    assert await service(db).resume_writing() == []
    async with db.transaction() as tx:
        states = await tx.orders.targets(order.id)
    after = await purposes_due(db)
    assert after["progress"] == sum(1 for s in states if not s.is_bottom) == 13
    assert (after["order_issued"], after["order_copy"]) == (1, 236)


async def test_first_boards_are_written_by_the_background_task(loaded: Database) -> None:
    db = loaded
    orders = service(db)
    writer = FirstBoards(orders)
    orders.on_boards = writer.due
    task = asyncio.create_task(writer.run())
    try:
        order = await orders.issue(
            HQ_CHAT, HQ_COMMANDER, OrderKind.NOTICE, "通知", timedelta(minutes=15)
        )
        for _ in range(3000):  # the writer takes turns with this test on one loop
            if (await purposes_due(db))["progress"] == 13:
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert (await purposes_due(db))["progress"] == 13
    async with db.transaction() as tx:
        assert await tx.orders.being_written() == []
    assert order.id not in await service(db).resume_writing()


async def test_status_from_counters_equals_the_report_from_every_row(
    loaded: Database, tashan: list[Unit]
) -> None:
    """/status reads the roll-up's counters; they must say what the rows say."""
    db = loaded
    clock = FakeClock()
    orders = OrderService(db.transaction, clock, PlainPresenter())
    queries = QueryService(db.transaction, clock)
    order = await orders.issue(
        HQ_CHAT, HQ_COMMANDER, OrderKind.COUNT, "统计", timedelta(minutes=15)
    )
    rng = random.Random(7)
    units = [u for u in tashan if u.parent is not None]
    rng.shuffle(units)
    children = Counter(u.parent for u in tashan)
    ts01 = next(u for u in tashan if u.code == "ts-01")
    ts01_kids = [u for u in tashan if u.parent == "ts-01"]
    # All of ts-01 answers (so it is done), then a random part of the rest, a re-report too.
    for unit in [*ts01_kids, ts01, *units[:120], ts01_kids[0]]:
        clock.advance(seconds=3)
        assert unit.chat_id is not None and unit.commander is not None
        who = unit.commander.telegram_id or 0
        if children[unit.code]:
            await orders.acknowledge(order.id, unit.chat_id, who)
        else:
            await orders.report(order.id, unit.chat_id, who, str(rng.randint(0, 9)), None)
    for chat in (HQ_CHAT, ts01.chat_id or 0, ts01_kids[1].chat_id or 0, units[130].chat_id or 0):
        _, fast = await queries.summary(order.id, chat)
        _, full = await queries.status(order.id, chat)
        assert (fast.scope, fast.done, fast.total, fast.total_value, fast.percent) == (
            full.scope,
            full.done,
            full.total,
            full.total_value,
            full.percent,
        )
        assert [(s.level, s.done, s.total) for s in fast.levels] == [
            (s.level, s.done, s.total) for s in full.levels
        ]
    _, ts01_status = await queries.summary(order.id, ts01.chat_id or 0)
    assert ts01_status.done == ts01_status.total == len(ts01_kids) + 1


async def test_pending_is_a_page_with_the_count_of_all(loaded: Database) -> None:
    db = loaded
    clock = FakeClock()
    orders = OrderService(db.transaction, clock, PlainPresenter())
    queries = QueryService(db.snapshot, clock)
    order = await orders.issue(
        HQ_CHAT, HQ_COMMANDER, OrderKind.NOTICE, "开会", timedelta(minutes=5)
    )
    await orders.acknowledge(order.id, -1002000000002, 6000000007)  # ts-01 says 收到
    page = await queries.pending(order.id, HQ_CHAT, limit=5)
    listed = [u.code for g in page.groups for u in g.units]
    assert page.total == 236  # ts-01 is not done until its groups are
    assert len(listed) == 5 and listed == sorted(listed)  # level 2 first, by code
    assert "ts-01" in page.waiting
    everything = await queries.pending(order.id, HQ_CHAT, limit=1000)
    assert sum(len(g.units) for g in everything.groups) == everything.total == 236


async def test_export_and_chart_read_pages_and_agree_with_the_whole_order(
    loaded: Database, tashan: list[Unit], monkeypatch: pytest.MonkeyPatch
) -> None:
    """/export and /chart read a city order a page of rows at a time: every row once,
    in path order, whatever the page size."""
    db = loaded
    clock = FakeClock()
    orders = OrderService(db.transaction, clock, PlainPresenter())
    order = await orders.issue(HQ_CHAT, HQ_COMMANDER, OrderKind.COUNT, "数", timedelta(minutes=15))
    village = next(u for u in tashan if u.code == "ts-01")
    bottoms = [u for u in tashan if u.parent == "ts-01"]
    for i, unit in enumerate(bottoms[:5]):
        clock.advance(seconds=30)
        assert unit.commander is not None and unit.chat_id is not None
        await orders.report(order.id, unit.chat_id, unit.commander.telegram_id or 0, str(i), None)
    queries = QueryService(db.snapshot, clock)
    async with db.transaction() as tx:
        every = await tx.orders.targets(order.id)
    for chat in (HQ_CHAT, village.chat_id or 0):
        _, whole = await queries.export(order.id, chat)
        _, whole_chart = await queries.completion(order.id, chat)
        monkeypatch.setattr("cascade.queries.PAGE_ROWS", 7)
        _, paged = await queries.export(order.id, chat)
        _, paged_chart = await queries.completion(order.id, chat)
        monkeypatch.undo()
        assert paged == whole and paged_chart == whole_chart
    # The last asked was the village: its own row and its subtree's, in path order.
    village_rows = [s.unit_code for s in every if "ts-01" in (s.unit_code, s.parent_code)]
    assert [r.code for r in whole.rows] == village_rows
    assert (whole_chart.overall.done, whole_chart.overall.total) == (5, len(bottoms) + 1)
