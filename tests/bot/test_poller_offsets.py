"""The poller stores each batch in the inbox, then confirms it all at once.

Telegram forgets every update below the offset of the next getUpdates and sends at
most 100 a call. A poller that moved the offset past updates kept only in memory
lost them on a crash (the crash suite saw answers and a query vanish after a
SIGKILL); one that confirmed only handled updates was held to the server's window
(the Yiwu drill never had more than 91 updates waiting). Here a fake server keeps
updates until they are confirmed, exactly as getUpdates does, and the inbox is a
real database (both engines): the offset goes past an update still being handled,
because its row is in the inbox; a crash leaves rows that the next poller hands
back once, each chat's in order; and polling stops while too many are waiting.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import Sequence
from typing import Any

import pytest
from aiogram.types import Update

from bot import once
from bot.dispatch import UpdatePoller, held_bytes, payload
from bot.raw_updates import GetRawUpdates
from cascade.outgoing import OutgoingMessage
from storage.db import Database
from storage.inbox import Inbox
from tests.support.updates import as_json, text_of, update

BOT_ID = 123456


class OffsetServer:
    """getUpdates as Telegram answers it: everything from the offset on, up to the
    limit (100 at most); updates below an offset are forgotten for good. With
    `answered` set, the calls after that many hang before their offset is read (a
    poller killed while its confirming call is on the way)."""

    def __init__(self, updates: list[Update], answered: int | None = None) -> None:
        self.queue = list(updates)
        self.offsets: list[int | None] = []
        self.limits: list[int | None] = []
        self.answered = answered
        self.calls = 0
        self.hanging = asyncio.Event()

    async def __call__(self, method: GetRawUpdates, request_timeout: int | None = None) -> Any:
        self.calls += 1
        if self.answered is not None and self.calls > self.answered:
            self.hanging.set()
            await asyncio.Event().wait()
        self.offsets.append(method.offset)
        self.limits.append(method.limit)
        if method.offset is not None:
            self.queue = [u for u in self.queue if u.update_id >= method.offset]
        if not self.queue:
            await asyncio.sleep(0.01)  # a long poll with nothing new
        return [as_json(u) for u in self.queue[: min(100, method.limit or 100)]]


async def until(condition: Any, seconds: float = 10.0) -> None:
    """Wait, bounded, until `condition()` holds (awaited if it is a coroutine)."""
    for _ in range(int(seconds / 0.01)):
        met = condition()
        if asyncio.iscoroutine(met):
            met = await met
        if met:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached in time")


class Feeder:
    """The two things the poller asks of a dispatcher."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def resolve_used_update_types(self) -> list[str]:
        return ["message"]

    async def feed_update(self, bot: Any, update: Update) -> None:
        await self.handle(update)


def poller(
    server: OffsetServer, handle: Any, db: Database, inbox: Inbox | None = None, **options: Any
) -> UpdatePoller:
    return UpdatePoller(
        server,  # type: ignore[arg-type]  # the fake answers the one method it is asked
        Feeder(handle),  # type: ignore[arg-type]
        inbox or Inbox(db, BOT_ID),
        timeout=1,
        forget_every=0.02,
        **options,
    )


async def kept(db: Database) -> list[int]:
    return [update_id for update_id, _ in await Inbox(db, BOT_ID).waiting()]


async def crash(task: asyncio.Task[None], poller: UpdatePoller) -> None:
    """No grace: the polling task and the workers die with their updates."""
    task.cancel()
    await poller.runner.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def async_equal(read: Any, expected: object) -> Any:
    async def check() -> bool:
        return bool(await read() == expected)

    return check


async def test_updates_are_confirmed_before_they_are_handled(db: Database) -> None:
    release = asyncio.Event()
    handled: list[int] = []

    async def handle(u: Update) -> None:
        assert u.message is not None
        if u.message.text == "slow":
            await release.wait()
        handled.append(u.update_id)

    updates = [update(10, -1, "slow")] + [update(i, -(i % 5) - 2) for i in range(11, 31)]
    server = OffsetServer(updates)
    p = poller(server, handle, db)
    task = asyncio.create_task(p.run())
    await until(lambda: len(handled) >= 20)
    # The server was told to forget all of them while the slow one is still being
    # handled: its row in the inbox is what keeps it, and only its row is left.
    assert 10 not in handled
    assert 31 in server.offsets and not server.queue
    await until(async_equal(lambda: kept(db), [10]))
    release.set()
    await until(lambda: len(handled) == 21)
    await until(async_equal(lambda: kept(db), []))
    task.cancel()
    await p.stop(grace=1)
    assert sorted(handled) == list(range(10, 31))  # each exactly once


async def test_each_chats_updates_are_handled_in_order(db: Database) -> None:
    rng = random.Random(7)
    seen: dict[int, list[int]] = {}

    async def handle(u: Update) -> None:
        assert u.message is not None
        await asyncio.sleep(rng.random() * 0.003)
        seen.setdefault(u.message.chat.id, []).append(u.update_id)

    chats = [-(i + 1) for i in range(9)]
    updates = [update(i, rng.choice(chats)) for i in range(1, 301)]
    p = poller(OffsetServer(updates), handle, db, max_concurrent=4)
    task = asyncio.create_task(p.run())
    await until(lambda: sum(map(len, seen.values())) == 300)
    task.cancel()
    await p.stop(grace=1)
    for chat, ids in seen.items():
        sent = [u.update_id for u in updates if u.message and u.message.chat.id == chat]
        assert ids == sent
    assert await kept(db) == []


async def test_a_crash_loses_no_update_the_bot_confirmed(db: Database) -> None:
    """The poller dies with updates confirmed to the server but not handled; the
    server no longer has them, and a new poller hands them back from the inbox,
    each once, in each chat's order."""
    stuck = asyncio.Event()
    first: list[int] = []

    async def never_finishes(u: Update) -> None:
        if u.update_id >= 5:
            await stuck.wait()
        first.append(u.update_id)

    # Two chats: 5, 7 in one and 6, 8 in the other wait behind their first.
    server = OffsetServer([update(i, -(i % 2) - 1) for i in range(1, 9)])
    p = poller(server, never_finishes, db)
    task = asyncio.create_task(p.run())
    await until(lambda: len(first) >= 4 and 9 in server.offsets)
    await until(async_equal(lambda: kept(db), [5, 6, 7, 8]))  # 1-4 were deleted
    await crash(task, p)
    assert server.queue == []  # Telegram forgot them: only the inbox has them
    calls = len(server.offsets)

    second: list[Update] = []

    async def handle(u: Update) -> None:
        second.append(u)

    again = poller(server, handle, db)
    task = asyncio.create_task(again.run())
    await until(lambda: len(second) >= 4)
    await until(async_equal(lambda: kept(db), []))
    task.cancel()
    await again.stop(grace=1)
    assert sorted(first) == [1, 2, 3, 4]
    assert sorted(u.update_id for u in second) == [5, 6, 7, 8]  # each once
    for chat, ids in ((-2, [5, 7]), (-1, [6, 8])):  # each chat's in order
        assert [u.update_id for u in second if u.message and u.message.chat.id == chat] == ids
    originals = {u.update_id: u for u in [update(i, -(i % 2) - 1) for i in range(5, 9)]}
    for u in second:  # what was stored is what came: the same message and key
        assert u.model_dump() == originals[u.update_id].model_dump()
        assert once.update_key(u) == once.update_key(originals[u.update_id])
    assert server.offsets[0] is None and server.offsets[calls] == 9


async def test_a_batch_stored_but_not_yet_confirmed_is_handled_once(db: Database) -> None:
    """The poller dies after the inbox commit, before the call that confirms the
    batch reaches the server: the server sends it again, the inbox has it too, and
    the next poller handles each update once (it starts past the inbox's newest)."""
    stuck = asyncio.Event()

    async def stuck_handle(u: Update) -> None:
        await stuck.wait()

    server = OffsetServer([update(i, -i) for i in range(1, 6)], answered=1)
    p = poller(server, stuck_handle, db)
    task = asyncio.create_task(p.run())
    await server.hanging.wait()
    await crash(task, p)
    assert [u.update_id for u in server.queue] == [1, 2, 3, 4, 5]  # not confirmed
    assert await kept(db) == [1, 2, 3, 4, 5]

    handled: list[int] = []

    async def handle(u: Update) -> None:
        handled.append(u.update_id)

    server.answered = None
    again = poller(server, handle, db)
    task = asyncio.create_task(again.run())
    await until(lambda: len(handled) >= 5 and len(server.offsets) >= 2)
    await until(async_equal(lambda: kept(db), []))
    task.cancel()
    await again.stop(grace=1)
    assert sorted(handled) == [1, 2, 3, 4, 5]
    assert server.offsets[1] == 6  # its first call confirms what the inbox handed back


def weight(u: Update) -> int:
    """The bytes `u` holds while it waits in the poller's runner."""
    return held_bytes(text_of(u))


async def test_polling_stops_while_the_updates_waiting_hold_the_byte_bound(
    db: Database,
) -> None:
    """The bound is the bytes of the JSON waiting, not a count: with room for two
    large updates (2,000 characters each) the poller, once it has seen their size,
    asks for two at a time and no more while they wait; small ones come many a call."""
    release = asyncio.Event()
    handled: list[int] = []

    async def handle(u: Update) -> None:
        if u.update_id >= 20:
            await release.wait()
        handled.append(u.update_id)

    large = [update(i, -i, "长" * 2000) for i in range(10, 30)]
    each = weight(large[0])
    assert {weight(u) for u in large} == {each}
    server = OffsetServer(large[:2])  # the first batch: sizes unknown, 100 asked for
    p = poller(server, handle, db, max_pending_bytes=2 * each)
    task = asyncio.create_task(p.run())
    await until(lambda: len(handled) == 2)
    server.queue.extend(large[2:])
    await until(lambda: p.runner.pending == 2 and len(handled) == 10)  # 20, 21 wait
    await asyncio.sleep(0.1)  # time for more calls, if the poller made them
    assert p.runner.pending == 2 and p.runner.held == 2 * each
    assert server.limits[0] == 100 and set(server.limits[1:]) == {2}
    assert [u.update_id for u in server.queue][:1] == [20]  # 22 on wait at the server
    calls = len(server.offsets)
    await asyncio.sleep(0.1)
    assert len(server.offsets) == calls
    release.set()
    await until(lambda: len(handled) == 20)
    task.cancel()
    await p.stop(grace=1)
    assert sorted(handled) == list(range(10, 30))
    assert await kept(db) == []


async def test_polling_resumes_when_a_whole_batch_fits(db: Database) -> None:
    """Not for each place a handled update frees: a call and a transaction apiece
    would cost more than the updates they bring."""
    allowed = asyncio.Semaphore(0)

    async def handle(u: Update) -> None:
        await allowed.acquire()

    # Ids and chats of three digits each: every update weighs the same.
    updates = [update(i, -i) for i in range(100, 500)]
    each = weight(updates[0])
    assert {weight(u) for u in updates} == {each}
    server = OffsetServer(updates)
    p = poller(server, handle, db, max_pending_bytes=150 * each)
    task = asyncio.create_task(p.run())
    await until(lambda: p.runner.pending == 100)
    for _ in range(49):
        allowed.release()
    await until(lambda: p.runner.pending == 51)
    await asyncio.sleep(0.1)  # time for a call, if the poller made one
    assert len(server.offsets) == 1
    allowed.release()  # 50 waiting: a batch of 100 fits
    await until(lambda: p.runner.pending == 150)
    assert len(server.offsets) == 2 and server.limits == [100, 100]
    assert p.runner.held == 150 * each
    for _ in range(400):
        allowed.release()
    await until(lambda: p.runner.handled == 400)
    task.cancel()
    await p.stop(grace=1)
    assert p.runner.held == 0


async def test_a_stop_keeps_what_did_not_finish_for_the_next_start(db: Database) -> None:
    stuck = asyncio.Event()

    async def handle(u: Update) -> None:
        if u.update_id == 2:
            await stuck.wait()

    server = OffsetServer([update(i, -i) for i in range(1, 4)])
    p = poller(server, handle, db)
    task = asyncio.create_task(p.run())
    await until(lambda: p.runner.handled == 2)
    task.cancel()
    await p.stop(grace=0.05)
    assert await kept(db) == [2]


class FailingOnce(Inbox):
    """An inbox whose first batch fails to store (a full disk, a lost connection)."""

    def __init__(self, db: Database) -> None:
        super().__init__(db, BOT_ID)
        self.failed = False

    async def keep(
        self,
        updates: Sequence[tuple[int, str]],
        handled: Sequence[int] = (),
        chats: Sequence[int] = (),
    ) -> None:
        if updates and not self.failed:
            self.failed = True
            raise sqlite3.OperationalError("database or disk is full")
        await super().keep(updates, handled, chats)


async def test_a_batch_that_cannot_be_stored_is_not_confirmed(db: Database) -> None:
    handled: list[int] = []

    async def handle(u: Update) -> None:
        handled.append(u.update_id)

    server = OffsetServer([update(i, -i) for i in range(1, 4)])
    p = poller(server, handle, db, FailingOnce(db))
    task = asyncio.create_task(p.run())
    await until(lambda: len(handled) == 3)
    task.cancel()
    await p.stop(grace=1)
    # Neither handled nor confirmed after the failure: the same call again.
    assert server.offsets[:2] == [None, None]
    assert sorted(handled) == [1, 2, 3]
    assert await kept(db) == []


async def test_an_unreadable_row_is_dropped_with_a_log_line(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    # Not JSON at all (dropped as the inbox is read), and JSON that is no update
    # aiogram reads (dropped at its turn): neither stops the update after them.
    await Inbox(db, BOT_ID).keep(
        [(6, "{"), (7, '{"update_id": "seven"}'), (8, update(8, -1).model_dump_json())]
    )
    handled: list[int] = []

    async def handle(u: Update) -> None:
        handled.append(u.update_id)

    p = poller(OffsetServer([]), handle, db)
    task = asyncio.create_task(p.run())
    await until(lambda: handled == [8])
    await until(async_equal(lambda: kept(db), []))
    task.cancel()
    await p.stop(grace=1)
    assert "inbox row 6 is not a JSON object: dropped" in caplog.text
    assert "update 7 in chat 0 is unreadable" in caplog.text


async def test_an_update_that_kills_the_process_is_set_aside_after_three_replays(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Update 3 kills the process whenever it is handled (here: it never finishes,
    and the poller is killed). It is handled once live and at three replays, then
    set aside: not handed back, its row kept, its chat told, one log line with its
    id and chat. Update 4 was in flight with it at the first two deaths and is not
    set aside: rows begun before go one at a time, each counted only as it starts."""
    started: list[int] = []
    handled: list[int] = []
    slow = {4}

    async def handle(u: Update) -> None:
        started.append(u.update_id)
        if u.update_id == 3 or u.update_id in slow:
            await asyncio.Event().wait()  # the process dies while this is handled
        handled.append(u.update_id)

    async def notice(chat: int, reply_to: int | None, language: str | None) -> OutgoingMessage:
        return OutgoingMessage(chat_id=chat, text="请重新发送", reply_to_message_id=reply_to)

    server = OffsetServer([update(i, -i) for i in range(1, 6)])
    for start in range(4):  # the live run, then three replays: each dies on update 3
        if start == 2:
            slow.clear()
        p = poller(server, handle, db, notice=notice)
        task = asyncio.create_task(p.run())
        await until(lambda start=start: started.count(3) == start + 1)
        if start < 2:
            await until(lambda start=start: started.count(4) == start + 1)
        await crash(task, p)
        assert await Inbox(db, BOT_ID).aside() == []
    p = poller(server, handle, db, notice=notice)
    task = asyncio.create_task(p.run())
    await until(async_equal(lambda: kept(db), []))
    task.cancel()
    await p.stop(grace=1)

    assert started.count(3) == 4  # never again after the third replay
    assert sorted(set(handled)) == [1, 2, 4, 5]
    assert await Inbox(db, BOT_ID).aside() == [3]
    async with db.transaction() as tx:
        queued = await tx.outbox.read(await tx.outbox.due(now=10**12))
    assert [(r.message.chat_id, r.message.reply_to_message_id) for r in queued] == [(-3, 3)]
    assert "inbox update 3 (chat -3) set aside" in caplog.text


async def test_fewer_updates_are_handled_at_once_while_the_server_has_more(db: Database) -> None:
    """A full batch says the server has more: the poller lowers the answers' slots to
    `backlog_concurrent` (the take-in then shares the event loop with fewer handlers),
    and a short batch raises them again; every update is still handled once."""
    handled: list[int] = []

    async def handle(u: Update) -> None:
        handled.append(u.update_id)

    server = OffsetServer([update(i, -i) for i in range(1, 151)])
    p = poller(server, handle, db, max_concurrent=8, backlog_concurrent=2)
    seen: list[int] = []
    answer = server.__call__

    async def call(method: GetRawUpdates, request_timeout: int | None = None) -> Any:
        seen.append(p.runner._slots.capacity)  # as the poller left them before this call
        return await answer(method, request_timeout)

    p.bot = call  # type: ignore[assignment]
    task = asyncio.create_task(p.run())
    await until(lambda: len(handled) == 150 and len(seen) >= 3)
    task.cancel()
    await p.stop(grace=1)
    assert seen[:3] == [8, 2, 8]  # at first all; after 100 (a full batch) 2; after 50 all
    assert sorted(handled) == list(range(1, 151))


async def test_every_slot_is_handed_on_while_polling_waits_for_room(db: Database) -> None:
    """A storm larger than the byte bound: after a full batch the poller waits for room
    before it asks again, takes nothing in meanwhile, and the handlers get every slot."""
    release = asyncio.Event()
    started: list[int] = []

    async def handle(u: Update) -> None:
        started.append(u.update_id)
        await release.wait()

    updates = [update(i, -i) for i in range(1, 201)]
    bound = sum(held_bytes(payload(as_json(u))) for u in updates[:100])  # one batch fills it
    server = OffsetServer(updates)
    p = poller(server, handle, db, max_concurrent=8, backlog_concurrent=2, max_pending_bytes=bound)
    task = asyncio.create_task(p.run())
    await until(lambda: len(started) == 8)  # all 8 slots, not the backlog's 2
    assert server.offsets == [None] and p.runner._slots.capacity == 8  # one call so far
    release.set()
    await until(lambda: len(started) == 200)
    task.cancel()
    await p.stop(grace=1)
    assert sorted(started) == list(range(1, 201))


async def test_a_restart_on_a_new_handle_hands_back_what_a_crash_left(db: Database) -> None:
    """Stored, confirmed, not handled, then the process dies: a new database handle on
    the same database (SQLite: the same two files, storage/inbox_file.py) hands each
    row back once and the server is asked from past them."""
    stuck = asyncio.Event()
    begun: list[int] = []

    async def never_finishes(u: Update) -> None:
        begun.append(u.update_id)
        await stuck.wait()

    server = OffsetServer([update(i, -i) for i in range(1, 4)])
    p = poller(server, never_finishes, db)
    task = asyncio.create_task(p.run())
    await until(lambda: len(begun) == 3 and 4 in server.offsets)
    await crash(task, p)
    await db.close()

    handled: list[int] = []

    async def handle(u: Update) -> None:
        handled.append(u.update_id)

    async with Database(db.path) as again:
        p = poller(server, handle, again)
        task = asyncio.create_task(p.run())
        await until(lambda: sorted(handled) == [1, 2, 3])
        await until(async_equal(lambda: kept(again), []))
        task.cancel()
        await p.stop(grace=1)
    assert sorted(handled) == [1, 2, 3] and server.offsets[-1] == 4
