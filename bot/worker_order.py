"""A chat's updates in order across webhook workers sharing one PostgreSQL inbox.

Why this exists: a webhook worker answers Telegram once an update is stored in the
inbox (bot/webhook.py), so Telegram sends the chat's next update at once, and a
load balancer may hand it to another worker, which could handle it before the
first: a correction overtaking the value it corrects. The chat's turn across
workers (storage/chatlock.py) keeps two of a chat's updates from running at once,
it does not order them. So an update first looks for an earlier row of its chat
not handled yet and not set aside, whoever holds it (storage/inbox.py, `ahead`);
if there is one, it tells the runner `NotYet` (bot/dispatch.py) and is tried again
once that row is gone or is this worker's: the runner then keeps it in the chat's
queue ahead of the update, by id, and takes the chat's head again, so an update
never waits for a row queued behind it. A row of this worker not in its runner's
queue yet (claimed a moment ago and being handed on, or unreadable and about to be
deleted) only makes the update look again a `RETRY_SECONDS` later. A handled
update's row is deleted once its handling has committed, before its chat's turn is
let go, so a row still there is one not handled yet, and one gone was handled: the
look needs no turn.

A waiting update holds no runner slot: when it held one while it slept, two
workers fed round robin filled every slot with updates waiting for rows queued
behind the other's full slots, and stood still (benchmarks/RESULTS.md, 1 Dec).
Nor does the wait end on a clock: an update let go first after a bound (it was 5 s)
overtook the update it waited for, which is what this is here to prevent. A worker
that dies or hangs loses its `inbox:` lease, and its rows still hold their chats'
later updates until a live worker has taken them over (storage/inbox.py, `claim`,
every few seconds) and handled them: a dead worker's "5" is not overtaken by the
"改为6" sent after it. So the wait is bounded by the lease's expiry plus the claim's
interval, then by the row's own handling; a live worker's row is handled, or set
aside after its failures, as the head of a chat's queue is in one process.
A wait past `WARN_SECONDS` is logged, naming the row waited for, and again every
`WARN_SECONDS` while it lasts: a row held at another worker by the watcher below, and
an update that keeps finding an earlier row of this worker not queued by its own
tries (a row whose hand-over to the runner failed after its claim waits for a
restart, and holds its chat's later updates meanwhile: never silently).

During a storm thousands of updates may wait at once, so they do not each look
again: one watcher per worker asks for every row waited for in one query
(`not_here`) every `RETRY_SECONDS` while any is, and wakes the updates
waiting for those gone. A look is cheap for the database; what a reply waits for
its press beyond the press's own handling is up to one `RETRY_SECONDS`.

Within one worker the runner (bot/dispatch.py, `ChatOrderedRunner`) already keeps
each chat's order; this wraps its handling. SQLite runs one process and needs none
of it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram.types import Update

from bot.dispatch import Handle, NotYet
from storage.chatlock import chat_turn
from storage.conn import DatabaseError
from storage.db import Database
from storage.inbox import Inbox

log = logging.getLogger(__name__)

RETRY_SECONDS = 0.05  # between two looks for the rows waited for
WARN_SECONDS = 10.0  # a wait this long is logged (and again after as long)
LOOK_AT_MOST = 500  # rows waited for asked about in one query (the oldest first)


class Awaited:
    """A row waited for: the event set once it is gone, and how many wait for it."""

    def __init__(self) -> None:
        self.gone = asyncio.Event()
        self.waiting = 0


@dataclass
class Wait:
    """An update told `NotYet`, until it is handled: its chat, the row it waits for,
    since when it waits and when that was last logged (one record, whichever looks)."""

    chat: int
    ahead: int
    since: float
    logged: float


class WorkerOrder:
    """`handle` wrapped: the chat's earlier rows not handled yet go first."""

    def __init__(
        self,
        db: Database,
        inbox: Inbox,
        handle: Handle,
        retry: float = RETRY_SECONDS,
        warn: float = WARN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.db = db
        self.inbox = inbox
        self.handle = handle
        self.retry = retry
        self.warn = warn
        self.clock = clock
        self.sleep = sleep
        self._awaited: dict[int, Awaited] = {}  # by the update id of the row waited for
        self._watcher: asyncio.Task[None] | None = None
        self._waits: dict[int, Wait] = {}  # by the id of the update told `NotYet`
        self._looked_long = 0.0  # when the watcher last looked for long waits

    async def __call__(self, update: Update, chat: int) -> None:
        """Handle `update` of `chat` (the key the take-in read from its JSON, under which
        its row was stored) under the chat's turn if no earlier row of the chat waits
        (not handled, not set aside), and delete its row before the turn is let go;
        else raise `NotYet`, ready once that row is gone or this worker's (its runner
        then puts it ahead). A handling that raises keeps its row."""
        ahead = await self.inbox.ahead(chat, update.update_id)
        if ahead is not None:
            self._note_wait(update.update_id, chat, ahead)
            raise NotYet(lambda: self._until_gone(ahead, update.update_id))
        self._waits.pop(update.update_id, None)
        async with chat_turn(self.db, chat):
            await self.handle(update, chat)
            await self.inbox.forget([update.update_id])

    def _note_wait(self, update_id: int, chat: int, ahead: int) -> None:
        """Remember since when `update_id` waits, and for which row now."""
        now = self.clock()
        wait = self._waits.setdefault(update_id, Wait(chat, ahead, now, now))
        wait.ahead = ahead
        self._log_if_long(update_id, wait, now)

    def _log_if_long(self, update_id: int, wait: Wait, now: float) -> None:
        """Log the wait once `warn` seconds have passed since it began or was last
        logged: by the update's own tries (a row of this worker not queued) or by the
        watcher (a row held elsewhere), never both within `warn`."""
        if now - wait.logged >= self.warn:
            wait.logged = now
            log.warning(
                "update %s in chat %s has waited %.0f s for update %s, not handled yet",
                update_id,
                wait.chat,
                now - wait.since,
                wait.ahead,
            )

    async def _until_gone(self, update_id: int, waiter: int) -> None:
        """Until the row of `update_id` is gone (handled or set aside) or this worker's;
        `waiter`'s wait is forgotten if it is cut short (it will not be tried again)."""
        awaited = self._awaited.get(update_id)
        if awaited is None:
            awaited = self._awaited[update_id] = Awaited()
        awaited.waiting += 1
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.create_task(self._watch(), name="worker order")
        try:
            await awaited.gone.wait()
        except asyncio.CancelledError:
            self._waits.pop(waiter, None)
            raise
        finally:
            awaited.waiting -= 1
            if not awaited.waiting and self._awaited.get(update_id) is awaited:
                del self._awaited[update_id]
            if not self._awaited and self._watcher is not None:
                self._watcher.cancel()  # nobody waits (those waiting were cut short)
                self._watcher = None

    async def _watch(self) -> None:
        """While rows are waited for: every `retry` seconds, wake those waiting for the
        rows gone (a failing database: next time)."""
        while self._awaited:
            await self.sleep(self.retry)
            asked = sorted(self._awaited)[:LOOK_AT_MOST]
            try:
                held = await self.inbox.not_here(asked)
            except DatabaseError as exc:
                log.warning("inbox rows waited for not looked at (%s)", exc)
                continue
            for update_id in asked:
                awaited = self._awaited.get(update_id)
                if awaited is not None and update_id not in held:
                    del self._awaited[update_id]
                    awaited.gone.set()
            self._log_long_waits(held)

    def _log_long_waits(self, held: set[int]) -> None:
        """Log the waits for rows still held elsewhere that have lasted `warn` seconds,
        looking through them at most once a second (thousands may wait in a storm)."""
        now = self.clock()
        if now - self._looked_long < min(1.0, self.warn):
            return
        self._looked_long = now
        for update_id, wait in self._waits.items():
            if wait.ahead in held:
                self._log_if_long(update_id, wait, now)
