"""A chat's updates in order across webhook workers on one PostgreSQL inbox.

Two pollers on two database handles stand for two workers behind one webhook
address, each taking updates in by `arrive` (answered once stored) and handling
them through `WorkerOrder` (bot/worker_order.py), as `towerbot run --webhook`
does on PostgreSQL. The chat's first update is stored at worker A and held there
before its handling begins; its next one, stored at worker B, waits for it and is
handled after it. An earlier row that never ends at a live
worker lets the chat wait while that worker lives, never for a bound only; once it
is gone (its lease expired on an injected clock, or released), the chat waits on
until a live worker has taken the row over and handled it, and so it does for a
row of no worker. Two workers with one slot each and crossed chats all finish, each
chat in order: a waiting update holds no slot. A live worker takes the rows a dead
worker left.
Nothing waits on the clock for an outcome: the test releases the held update once
B has looked.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Message, Update

from bot.dispatch import Handle, UpdatePoller
from bot.worker_order import WorkerOrder
from bot.world import DRILL_TOKEN
from storage.db import Database
from storage.inbox import Inbox, lease_name
from storage.lease import RunLease
from tests.support.pgserver import Engine
from tests.support.updates import taken, update

CHAT = -1_002_000_000_002
OTHER = -1_002_000_000_003
THIRD = -1_002_000_000_004


def message(update_id: int, text: str) -> Update:
    return update(update_id, CHAT, text)


class Worker:
    """One worker: its database handle, its live lease, its poller; what it handled
    goes to the shared `seen`."""

    def __init__(self, db: Database, name: str, seen: list[str], slots: int = 64) -> None:
        self.db = db
        self.name = name
        self.lease = RunLease(db, name=lease_name(name), holder=name)
        self.saw: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)
        dispatcher = Dispatcher()

        async def record(event: Message) -> None:
            seen.append(event.text or "")
            self.saw[event.text or ""].set()

        dispatcher.message.register(record)
        inbox = Inbox(db, BOT_ID, name)
        self.poller = UpdatePoller(Bot(DRILL_TOKEN), dispatcher, inbox, max_concurrent=slots)

    def ordered(self, **options: float) -> WorkerOrder:
        """Its runner's handling, ordered across workers as on PostgreSQL."""
        order = WorkerOrder(self.db, self.poller.inbox, self.poller.runner.handle, **options)
        self.poller.runner.handle = order
        return order

    def gated(self, handle: Handle) -> asyncio.Event:
        """Hold each update before its handling begins, until the event is set."""
        gate = asyncio.Event()

        async def held(update: Update, chat: int) -> None:
            await gate.wait()
            await handle(update, chat)

        self.poller.runner.handle = held
        return gate


BOT_ID = Bot(DRILL_TOKEN).id


@pytest.fixture
async def pair(engine: Engine, tmp_path: Path) -> AsyncIterator[tuple[Database, Database]]:
    if not engine.is_postgres:
        pytest.skip("SQLite runs one process: its runner alone orders a chat")
    target = await engine.new_target(tmp_path)
    async with Database(target) as one, Database(target) as two:
        yield one, two


async def started(db: Database, name: str, seen: list[str], slots: int = 64) -> Worker:
    worker = Worker(db, name, seen, slots)
    await worker.lease.take()
    return worker


def looking() -> tuple[asyncio.Event, Callable[[float], Awaitable[None]]]:
    """A sleep that says when it was first called (the update let its chat go)."""
    looked = asyncio.Event()

    async def sleep(seconds: float) -> None:
        looked.set()
        await asyncio.sleep(seconds)

    return looked, sleep


async def looks_or_sees(looked: asyncio.Event, saw: asyncio.Event, looks: int = 1) -> None:
    """Until the worker has begun `looks` more looks for the rows waited for, or has
    handled what must still wait (then the test's next check fails instead of hanging)."""
    for _ in range(looks):
        looked.clear()
        waits = [asyncio.create_task(looked.wait()), asyncio.create_task(saw.wait())]
        _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for wait in pending:
            wait.cancel()


async def test_a_chats_next_update_at_another_worker_waits_for_its_first(
    pair: tuple[Database, Database],
) -> None:
    seen: list[str] = []
    a, b = await started(pair[0], "a", seen), await started(pair[1], "b", seen)
    release = a.gated(a.ordered())
    looked, sleep = looking()
    b.ordered(sleep=sleep)
    try:
        await a.poller.arrive(taken(message(101, "first")))  # answered 200: stored at A
        await b.poller.arrive(taken(message(102, "second")))  # the chat's next, at B
        await looked.wait()  # B found the first held at A and let the chat go
        assert seen == []
        release.set()
        await b.poller.runner.wait_idle()
        await a.poller.runner.wait_idle()
        assert seen == ["first", "second"]
        assert await Inbox(pair[0], BOT_ID).waiting() == []  # deleted under the turn
    finally:
        await a.poller.stop(grace=0)
        await b.poller.stop(grace=0)


async def test_an_earlier_row_at_a_live_worker_holds_its_chat_while_that_worker_lives(
    pair: tuple[Database, Database], caplog: pytest.LogCaptureFixture
) -> None:
    """No clock lets the later update go first: it waits while A lives (the wait is
    logged), and still once A is gone, until B has taken A's row over and handled it."""
    seen: list[str] = []
    a, b = await started(pair[0], "a", seen), await started(pair[1], "b", seen)
    a.gated(a.ordered())  # never released: A's row stays while A is live
    looked, sleep = looking()
    b.ordered(warn=0.0, sleep=sleep)
    try:
        await a.poller.arrive(taken(message(201, "stuck")))
        await b.poller.arrive(taken(message(202, "after it")))
        with caplog.at_level(logging.WARNING, logger="bot.worker_order"):
            await looked.wait()  # B's update waits
            looked.clear()
            await looked.wait()  # and B has looked once more: still held by live A
        assert seen == []
        assert f"update 202 in chat {CHAT} has waited" in caplog.text
        assert "for update 201, not handled yet" in caplog.text
        await a.lease.release()  # A gone
        await looks_or_sees(looked, b.saw["after it"], 2)  # B has looked since A went
        assert seen == []
        assert await b.poller.adopt() == 1
        await b.poller.runner.wait_idle()
        assert seen == ["stuck", "after it"]
        assert await Inbox(pair[1], BOT_ID).waiting() == []
    finally:
        await a.poller.stop(grace=0)
        await b.poller.stop(grace=0)


async def test_a_dead_workers_update_is_not_overtaken_by_its_chats_next(
    pair: tuple[Database, Database],
) -> None:
    """Worker A stores "5" and dies before handling it (its lease expires on B's
    clock); "改为6", sent after it, reaches B: B handles "5" first, once it has taken
    A's row over, then "改为6"."""
    seen: list[str] = []
    a, b = await started(pair[0], "a", seen), await started(pair[1], "b", seen)
    now = [time.time()]
    b.poller.inbox.now = lambda: now[0]
    a.gated(a.ordered())  # A dies before it handles its update
    looked, sleep = looking()
    b.ordered(sleep=sleep)
    try:
        await a.poller.arrive(taken(message(501, "5")))
        await b.poller.arrive(taken(message(502, "改为6")))
        await looked.wait()  # B's update waits for A's
        now[0] += 3600  # A renewed nothing since: its lease expired
        await looks_or_sees(looked, b.saw["改为6"], 2)  # B has looked with A gone
        assert seen == []
        assert await b.poller.adopt() == 1
        await b.poller.runner.wait_idle()
        assert seen == ["5", "改为6"]
        assert await Inbox(pair[1], BOT_ID).waiting() == []
    finally:
        await a.poller.stop(grace=0)
        await b.poller.stop(grace=0)


async def test_a_row_of_no_worker_holds_its_chats_next_update_until_handled(
    pair: tuple[Database, Database],
) -> None:
    """A row stored by no worker (a polling run's, left for a webhook start) is the
    chat's earlier update: a worker's next update of the chat waits for it."""
    seen: list[str] = []
    b = await started(pair[1], "b", seen)
    looked, sleep = looking()
    b.ordered(sleep=sleep)
    await Inbox(pair[0], BOT_ID).keep([(601, message(601, "5").model_dump_json())], chats=[CHAT])
    try:
        await b.poller.arrive(taken(message(602, "改为6")))
        await looks_or_sees(looked, b.saw["改为6"])
        assert seen == []
        assert await b.poller.adopt() == 1
        await b.poller.runner.wait_idle()
        assert seen == ["5", "改为6"]
    finally:
        await b.poller.stop(grace=0)


async def test_a_row_of_this_worker_never_queued_holds_its_chat_and_says_so(
    pair: tuple[Database, Database], caplog: pytest.LogCaptureFixture
) -> None:
    """A row this worker holds but its runner never got (its hand-over failed after the
    claim) still goes before the chat's next update, which waits for a restart: the
    wait is logged, not silent."""
    seen: list[str] = []
    b = await started(pair[1], "b", seen)
    looked, sleep = looking()
    b.ordered(warn=0.0, sleep=sleep)
    await Inbox(pair[1], BOT_ID, "b").keep(
        [(701, message(701, "5").model_dump_json())], chats=[CHAT]
    )
    try:
        with caplog.at_level(logging.WARNING, logger="bot.worker_order"):
            await b.poller.arrive(taken(message(702, "改为6")))
            await looks_or_sees(looked, b.saw["改为6"], 2)
        assert seen == []
        assert f"update 702 in chat {CHAT} has waited" in caplog.text
        assert "for update 701, not handled yet" in caplog.text
    finally:
        await b.poller.stop(grace=0)


async def test_crossed_chats_at_two_workers_with_one_slot_each_all_finish_in_order(
    pair: tuple[Database, Database],
) -> None:
    """A holds chat 1's first update, B chat 2's; each then gets the other's second.
    A's second waits for B's first without its one slot: A handles another chat's
    update meanwhile, while B's first is still held. Then every chat ends in order."""
    seen: list[str] = []
    a, b = await started(pair[0], "a", seen, 1), await started(pair[1], "b", seen, 1)
    gate_a, gate_b = a.gated(a.ordered()), b.gated(b.ordered())
    try:
        await a.poller.arrive(taken(update(401, CHAT, "one-1")))
        await b.poller.arrive(taken(update(402, OTHER, "two-1")))
        await a.poller.arrive(taken(update(403, OTHER, "two-2")))
        await b.poller.arrive(taken(update(404, CHAT, "one-2")))
        gate_a.set()  # A: chat 1's first, then chat 2's second (waits for B's "two-1")
        await a.poller.arrive(taken(update(405, THIRD, "three")))
        await a.saw["three"].wait()  # A's one slot was free while "two-2" waited
        assert seen == ["one-1", "three"]
        gate_b.set()
        await b.poller.runner.wait_idle()
        await a.poller.runner.wait_idle()
        assert [s for s in seen if s.startswith("one")] == ["one-1", "one-2"]
        assert [s for s in seen if s.startswith("two")] == ["two-1", "two-2"]
        assert len(seen) == 5
        assert await Inbox(pair[0], BOT_ID).waiting() == []
    finally:
        await a.poller.stop(grace=0)
        await b.poller.stop(grace=0)


async def test_a_live_worker_takes_what_a_dead_one_left_in_order(
    pair: tuple[Database, Database],
) -> None:
    seen: list[str] = []
    dead = Worker(pair[0], "dead", seen)
    await RunLease(pair[0], name=lease_name("dead"), holder="dead", now=lambda: 0.0).take()
    await dead.poller.inbox.keep(
        [
            (301, message(301, "one").model_dump_json()),
            (302, message(302, "two").model_dump_json()),
        ],
        chats=[CHAT, CHAT],
    )
    running = await started(pair[0], "other", seen)  # live: its row stays its own
    await running.poller.inbox.keep([(303, message(303, "three").model_dump_json())], chats=[CHAT])
    b = await started(pair[1], "b", seen)
    b.ordered()
    try:
        assert await b.poller.adopt() == 2
        await b.poller.runner.wait_idle()
        assert seen == ["one", "two"]
        assert await b.poller.adopt() == 0  # taken once
        assert [i for i, _ in await Inbox(pair[1], BOT_ID).waiting()] == [303]
    finally:
        await b.poller.stop(grace=0)
