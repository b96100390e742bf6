"""An update whose handling fails is kept and tried again, never dropped.

Issue 9 item 3 and "an answer never silently lost": the handlers' own failures are
answered by bot/errors.py, but a failure out of the dispatcher (a middleware, the
database gone for a moment) used to be logged and its inbox row deleted. Here the
poller runs on a real inbox (both engines) with a stand-in dispatcher and a
getUpdates that keeps updates until confirmed (tests/bot/test_poller_offsets.py):
a feed that fails once is handled on the retry, after its backoff, with its chat's
later update waiting behind it and its row kept until then; one that always fails
is set aside after `max_attempts` with its chat's notice, as a replay sets one
aside, and its chat's next update is then handled. The backoff's sleeps are held
or let through by the test, so nothing depends on the machine's speed.
"""

from __future__ import annotations

import asyncio

import pytest
from aiogram.types import Update

from bot.dispatch import Notice, UpdatePoller
from cascade.outgoing import OutgoingMessage
from storage.db import Database
from storage.inbox import Inbox
from tests.bot.test_poller_offsets import BOT_ID, OffsetServer, async_equal, kept, poller, until
from tests.support.updates import update


class Sleeps:
    """The runner's `sleep`: each backoff recorded, and held until `go` is set."""

    def __init__(self, held: bool) -> None:
        self.delays: list[float] = []
        self.go = asyncio.Event()
        if not held:
            self.go.set()

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await self.go.wait()


async def notice(chat: int, reply_to: int | None, language: str | None) -> OutgoingMessage:
    return OutgoingMessage(chat_id=chat, text="请重新发送", reply_to_message_id=reply_to)


async def test_a_feed_that_fails_once_is_handled_on_the_retry_in_its_chats_order(
    db: Database,
) -> None:
    started: list[int] = []
    handled: list[int] = []

    async def handle(u: Update) -> None:
        started.append(u.update_id)
        if u.update_id == 1 and started.count(1) == 1:
            raise ConnectionError("the database went away for a moment")
        handled.append(u.update_id)

    server = OffsetServer([update(1, -1), update(2, -1), update(3, -2)])
    p = poller(server, handle, db)
    sleeps = Sleeps(held=True)
    p.runner.sleep = sleeps
    task = asyncio.create_task(p.run())
    await until(lambda: sleeps.delays and handled == [3])
    # Waiting for its retry: the other chat went on, its own chat's next update did not
    # overtake it, and both rows are still in the inbox however often rows are deleted.
    await p.forget()
    assert started == [1, 3] or started == [3, 1]
    assert await kept(db) == [1, 2]
    assert p.runner.pending == 2 and p.runner.failed == 0
    sleeps.go.set()
    await until(lambda: len(handled) == 3)
    assert handled == [3, 1, 2]
    assert sleeps.delays == [0.25] and p.runner.retried == 1
    await until(async_equal(lambda: kept(db), []))
    task.cancel()
    await p.stop(grace=1)
    assert await Inbox(db, BOT_ID).aside() == []


async def update_1_always_fails(
    db: Database, told: Notice, max_attempts: int
) -> tuple[list[int], UpdatePoller, Sleeps]:
    """Updates 1 and 2 of chat -1 polled, 1's feeding failing every time, until 2 is
    handled and the inbox holds nothing waiting: the updates begun, in order, the
    poller (stopped) and its backoff's sleeps (let through)."""
    started: list[int] = []

    async def handle(u: Update) -> None:
        started.append(u.update_id)
        if u.update_id == 1:
            raise ConnectionError("the database went away and stays away")

    server = OffsetServer([update(1, -1), update(2, -1)])
    p = poller(server, handle, db, notice=told, max_attempts=max_attempts)
    sleeps = Sleeps(held=False)
    p.runner.sleep = sleeps
    task = asyncio.create_task(p.run())
    await until(lambda: started[-1:] == [2] and p.runner.pending == 0)
    await until(async_equal(lambda: kept(db), []))
    task.cancel()
    await p.stop(grace=1)
    return started, p, sleeps


async def test_a_feed_that_always_fails_is_set_aside_with_its_notice_and_its_chat_goes_on(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    started, p, sleeps = await update_1_always_fails(db, notice, max_attempts=3)

    assert started == [1, 1, 1, 2]  # three attempts, then its chat's next update
    assert sleeps.delays == [0.25, 0.5]  # between attempts only
    assert p.runner.failed == 1 and p.runner.handled == 2
    assert await Inbox(db, BOT_ID).aside() == [1]  # its row is kept, marked
    async with db.transaction() as tx:
        queued = await tx.outbox.read(await tx.outbox.due(now=10**12))
    assert [(r.message.chat_id, r.message.reply_to_message_id) for r in queued] == [(-1, 1)]
    assert "inbox update 1 (chat -1) set aside: its handling failed 3 times" in caplog.text


async def test_an_update_that_cannot_be_set_aside_yet_is_tried_on_not_dropped(
    db: Database,
) -> None:
    """The set-aside's own write fails once (the database still away): the update stays
    at its chat's head and is tried again, and set aside at the next failure."""
    told: list[int] = []

    async def flaky_notice(
        chat: int, reply_to: int | None, language: str | None
    ) -> OutgoingMessage:
        told.append(chat)
        if len(told) == 1:
            raise ConnectionError("the notice could not be written either")
        return await notice(chat, reply_to, language)

    started, _, _ = await update_1_always_fails(db, flaky_notice, max_attempts=2)

    assert started == [1, 1, 1, 2] and told == [-1, -1]
    assert await Inbox(db, BOT_ID).aside() == [1]
