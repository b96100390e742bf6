"""Updates handled concurrently, each chat's updates in the order they came.

Why this exists: handling one update at a time let one slow update (a city-wide
`/order`, a `/status` at HQ) hold every press and reply of the whole city behind
it, and a press Telegram stops accepting an answer for after ~15 s went
unanswered. Handling every update as its own task instead would let a quick
correction overtake the value it corrects. So updates are queued per chat: one
worker per chat with something waiting handles that chat's updates strictly in
order, while different chats run side by side (up to `max_concurrent` at once).
Answers handled at the same time share one transaction (cascade/answer_batch.py),
so a batch is only as large as the number of updates in flight: 64 at once handled
a third more answers than 8 on a 3,600-unit tower, with the copies still going
out barely slower (benchmarks/RESULTS.md, `dispatch`).

A chat worker takes a slot for each update, first come first served, so during an
answer storm thousands of chats are queued for the slots. A question (`/status`
and the other read-only queries) must not wait behind all of them: it reads a
snapshot, not the writers' lock, so it takes a slot of its own lane (`quick`),
and is answered while the storm goes on.

`UpdatePoller` is the long-polling loop feeding it. Telegram forgets every
update below the `offset` of the next getUpdates, so the poller confirms only
what has been handled: the offset it sends is the oldest update still waiting or
being handled. The server then sends the ones after it again; those already taken
in are skipped. A crash therefore loses nothing Telegram delivered: after a restart
the unhandled updates come again, and the ones handled since are skipped by the
record of processed updates (storage/processed.py) or, if they changed nothing
(a query), answered once more. On stop the poller lets the updates taken in finish.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import deque
from collections.abc import Awaitable, Callable

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates
from aiogram.types import Update

log = logging.getLogger(__name__)

Handle = Callable[[Update], Awaitable[object]]
Quick = Callable[[Update], bool]
MAX_CONCURRENT = 64


def never_quick(update: Update) -> bool:
    return False


def chat_key(update: Update) -> int:
    """The chat whose updates must stay in order (the sender's id where there is none)."""
    event = update.event
    chat = getattr(event, "chat", None)
    if chat is not None:
        return int(chat.id)
    message = getattr(event, "message", None)  # a callback query's message
    if message is not None and getattr(message, "chat", None) is not None:
        return int(message.chat.id)
    user = getattr(event, "from_user", None) or getattr(event, "user", None)
    if user is not None:
        return int(user.id)
    return 0


class ChatOrderedRunner:
    """One worker per chat with updates waiting; chats side by side, each in order."""

    def __init__(
        self,
        handle: Handle,
        max_concurrent: int = MAX_CONCURRENT,
        quick: Quick = never_quick,
        quick_concurrent: int = 2,
    ) -> None:
        """`quick(update)` says which updates take the quick lane's slots
        (`quick_concurrent` of them) instead of waiting in the answers' queue."""
        self.handle = handle
        self.quick = quick
        self._slots = asyncio.Semaphore(max_concurrent)
        self._quick_slots = asyncio.Semaphore(quick_concurrent)
        self._queues: dict[int, deque[Update]] = {}
        self._unhandled: set[int] = set()
        self._workers: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._changed = asyncio.Event()
        self.pending = 0
        self.handled = 0
        self.failed = 0

    def submit(self, update: Update) -> None:
        """Queue `update` behind its chat's earlier updates (never awaits)."""
        key = chat_key(update)
        self.pending += 1
        self._unhandled.add(update.update_id)
        self._idle.clear()
        queue = self._queues.get(key)
        if queue is not None:  # that chat's worker is running and will take it
            queue.append(update)
            return
        self._queues[key] = deque([update])
        worker = asyncio.create_task(self._work(key), name=f"chat {key}")
        self._workers.add(worker)
        worker.add_done_callback(self._workers.discard)

    async def _work(self, key: int) -> None:
        queue = self._queues[key]
        try:
            while queue:
                update = queue[0]
                async with self._quick_slots if self.quick(update) else self._slots:
                    try:
                        await self.handle(update)
                    except Exception:  # one bad update must not stop its chat
                        self.failed += 1
                        log.exception("update %s in chat %s failed", update.update_id, key)
                queue.popleft()
                self._unhandled.discard(update.update_id)
                self.handled += 1
                self.pending -= 1
                self._changed.set()
        finally:
            # A cancelled worker drops what its chat still had queued (shutdown only).
            self.pending -= len(queue)
            del self._queues[key]
            if not self._queues:
                self._idle.set()
            self._changed.set()

    def oldest_unhandled(self) -> int | None:
        """The lowest update id taken in and not yet handled (None when all are)."""
        return min(self._unhandled, default=None)

    async def wait_changed(self, seconds: float) -> None:
        """Until an update is handled, or `seconds` have passed."""
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), seconds)

    async def wait_idle(self) -> None:
        """Until every update submitted so far has been handled."""
        await self._idle.wait()

    async def wait_below(self, count: int) -> None:
        """Until fewer than `count` updates are waiting or being handled."""
        while self.pending >= count:
            self._changed.clear()
            await self._changed.wait()

    async def cancel(self) -> None:
        for worker in list(self._workers):
            worker.cancel()
        for worker in list(self._workers):
            with contextlib.suppress(asyncio.CancelledError):
                await worker


class UpdatePoller:
    """Long polling into a `ChatOrderedRunner` that feeds the dispatcher."""

    def __init__(
        self,
        bot: Bot,
        dispatcher: Dispatcher,
        timeout: int = 10,
        max_concurrent: int = MAX_CONCURRENT,
        max_pending: int = 2000,
        quick: Quick = never_quick,
    ) -> None:
        self.bot = bot
        self.dispatcher = dispatcher
        self.timeout = timeout
        self.max_pending = max_pending
        self.retake_wait = 0.2
        self.runner = ChatOrderedRunner(self._feed, max_concurrent, quick)

    async def _feed(self, update: Update) -> None:
        await self.dispatcher.feed_update(self.bot, update)

    async def run(self) -> None:
        """Poll until cancelled; network and server errors back off and retry."""
        allowed = self.dispatcher.resolve_used_update_types()
        taken: int | None = None  # one past the newest update taken in
        failures = 0
        while True:
            await self.runner.wait_below(self.max_pending)
            oldest = self.runner.oldest_unhandled()
            offset = oldest if oldest is not None else taken
            request = GetUpdates(offset=offset, timeout=self.timeout, allowed_updates=allowed)
            try:
                updates = await self.bot(request, request_timeout=self.timeout + 10)
            except TelegramRetryAfter as exc:
                await asyncio.sleep(exc.retry_after)
                continue
            except (TelegramNetworkError, TelegramServerError, OSError, TimeoutError) as exc:
                failures += 1
                wait = min(30.0, 0.5 * 2 ** min(failures, 6)) * random.uniform(0.5, 1.0)
                log.warning("getUpdates failed (%s); again in %.1fs", exc, wait)
                await asyncio.sleep(wait)
                continue
            failures = 0
            fresh = [u for u in updates if taken is None or u.update_id >= taken]
            for update in fresh:
                taken = update.update_id + 1
                self.runner.submit(update)
            if updates and not fresh:
                # Only updates still being handled came back (the server answers at
                # once while any are unconfirmed): ask again when one is done.
                await self.runner.wait_changed(self.retake_wait)

    async def stop(self, grace: float = 10.0) -> None:
        """Let the updates taken in finish (up to `grace` seconds), then stop their workers."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.runner.wait_idle(), grace)
        await self.runner.cancel()
