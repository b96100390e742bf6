"""A chat's updates in order across webhook workers sharing one PostgreSQL inbox.

Why this exists: a webhook worker answers Telegram once an update is stored in the
inbox (bot/webhook.py), so Telegram sends the chat's next update at once, and a
load balancer may hand it to another worker, which could handle it before the
first: a correction overtaking the value it corrects. The chat's turn across
workers (storage/chatlock.py) keeps two of a chat's updates from running at once,
it does not order them. So under the chat's turn an update first looks for an
earlier row of its chat that another live worker holds and has not handled
(storage/inbox.py, `ahead_elsewhere`); if there is one, it lets the turn go and
tries again shortly. A handled update's row is deleted before its chat's turn is
let go, so a row still there is one not handled yet. The wait is bounded: a row
that never ends (its worker stuck) holds the chat up for `WAIT_SECONDS` at most,
then the update goes on, with a log line naming both.

Within one worker the runner (bot/dispatch.py, `ChatOrderedRunner`) already keeps
each chat's order; this wraps its handling. SQLite runs one process and needs none
of it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from aiogram.types import Update

from bot.dispatch import Handle
from storage.chatlock import chat_turn
from storage.db import Database
from storage.inbox import Inbox

log = logging.getLogger(__name__)

WAIT_SECONDS = 5.0  # the longest an earlier row held elsewhere holds its chat up
RETRY_SECONDS = 0.05  # between looks for it


class WorkerOrder:
    """`handle` wrapped: the chat's earlier rows at other live workers go first."""

    def __init__(
        self,
        db: Database,
        inbox: Inbox,
        handle: Handle,
        wait: float = WAIT_SECONDS,
        retry: float = RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.db = db
        self.inbox = inbox
        self.handle = handle
        self.wait = wait
        self.retry = retry
        self.clock = clock
        self.sleep = sleep

    async def __call__(self, update: Update, chat: int) -> None:
        """Handle `update` of `chat` (the key the take-in read from its JSON, under which
        its row was stored) under the chat's turn once no earlier row of the chat is
        held by another live worker (or `wait` seconds have passed), and delete its
        row before the turn is let go. A handling that raises keeps its row."""
        until = self.clock() + self.wait
        while True:
            async with chat_turn(self.db, chat):
                ahead = await self.inbox.ahead_elsewhere(chat, update.update_id)
                if ahead is None or self.clock() >= until:
                    if ahead is not None:
                        log.warning(
                            "update %s in chat %s handled before update %s, held by another "
                            "worker for over %.0f s",
                            update.update_id,
                            chat,
                            ahead,
                            self.wait,
                        )
                    await self.handle(update, chat)
                    await self.inbox.forget([update.update_id])
                    return
            await self.sleep(self.retry)
