"""The one sender: drains the outbox into Telegram within Telegram's limits.

It is the only code that calls send methods. Rows go in priority order, each
chat's rows in their own order; a 429 holds the chat for `retry_after` and the
row waits (never dropped); a group upgraded to a supergroup is re-keyed and the
row resent; network and server errors back off; a request Telegram will never
accept is marked failed with its reason and logged.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import Callable

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods.base import Response
from aiogram.types import (
    BufferedInputFile,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from pydantic import BaseModel

from bot.ratelimit import RateLimiter
from bot.settings import SenderLimits
from cascade.outgoing import Lane, OutboxRow, OutgoingMessage
from cascade.ports import UnitOfWorkFactory
from cascade.reachability import ReachabilityService

log = logging.getLogger(__name__)
MAX_BACKOFF = 120.0
IDLE_WAIT = 5.0
PAGE_SECONDS = 1.0
# aiogram parses every answer with pydantic's `Response[...]` generics, which pydantic
# caches only weakly: each garbage collection dropped them and the next answer paid
# 15-60 ms to rebuild one. Holding them here keeps sending at Telegram's pace.
_RESPONSE_MODELS = (Response[Message], Response[bool])
EDIT_WAIT = 2.0
MAX_EDIT_WAITS = 60
FLOOD_CHATS = 3
MAX_UNEXPECTED = 10
EDIT_LOST = ("message to edit not found", "message can't be edited")


class SenderStats(BaseModel):
    sent: int = 0
    rate_limited: int = 0
    retried: int = 0
    failed: int = 0
    migrated: int = 0
    edited: int = 0
    held: int = 0
    possible_duplicates: int = 0


class Sender:
    def __init__(
        self,
        bot: Bot,
        uow: UnitOfWorkFactory,
        wakeup: asyncio.Event,
        limits: SenderLimits,
        reach: ReachabilityService,
        lane: Lane | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.bot = bot
        self.uow = uow
        self.wakeup = wakeup
        self.limiter = RateLimiter(limits)
        self.monotonic = monotonic
        self.wall = wall
        self.stats = SenderStats()
        self.reach = reach
        self.lane = lane
        self.paid = limits.paid_broadcast
        self._recent_429: deque[float] = deque()

    async def recover(self) -> int:
        """At start: rows a crash caught mid-send go again (each may arrive twice)."""
        async with self.uow() as tx:
            count = await tx.outbox.recover_sending()
        if count:
            self.stats.possible_duplicates += count
            log.warning(
                "%d message(s) were being sent when the bot stopped; they are sent again "
                "and may arrive twice",
                count,
            )
        return count

    def _flooded(self) -> bool:
        now = self.monotonic()
        self._recent_429.append(now)
        while self._recent_429 and self._recent_429[0] < now - 1.0:
            self._recent_429.popleft()
        return len(self._recent_429) >= FLOOD_CHATS

    async def run(self) -> None:
        """Send until cancelled, pacing through a page of due rows read once.

        The page is read again when it runs out, when something new was committed,
        and at least once a second (rows rescheduled in the meantime fall due).
        """
        await self.recover()
        page: list[OutboxRow] = []
        read_at = -PAGE_SECONDS
        while True:
            try:
                if not page or self.wakeup.is_set() or self.monotonic() - read_at > PAGE_SECONDS:
                    self.wakeup.clear()
                    page = await self._due()
                    read_at = self.monotonic()
                progressed, wait = await self.drain_page(page)
            except Exception:
                log.exception("sender loop failed; going on in a second")
                page = []
                await asyncio.sleep(1.0)
                continue
            if progressed:
                continue
            async with self.uow() as tx:
                next_due = await tx.outbox.next_due_at()
            if next_due is not None:
                wait = min(wait, max(0.0, next_due - self.wall()))
            try:
                await asyncio.wait_for(self.wakeup.wait(), timeout=max(0.005, wait))
            except TimeoutError:
                pass

    async def drain_once(self) -> tuple[bool, float]:
        """Send every due row the limits allow now; returns (sent any, seconds to wait)."""
        return await self.drain_page(await self._due())

    async def _due(self) -> list[OutboxRow]:
        async with self.uow() as tx:
            return await tx.outbox.due(self.wall(), lane=self.lane)

    async def drain_page(self, rows: list[OutboxRow]) -> tuple[bool, float]:
        """Send the rows of `rows` the limits allow now (removing them from the page)."""
        blocked: set[int] = set()
        wait = IDLE_WAIT
        batch: list[OutboxRow] = []
        for row in rows:
            chat_id = row.message.chat_id
            if chat_id in blocked:
                continue
            blocked.add(chat_id)  # one row per chat per batch keeps each chat's order
            delay = self.limiter.wait_for(chat_id, self.monotonic())
            if delay > 0:
                wait = min(wait, delay)
                continue
            self.limiter.record(chat_id, self.monotonic())
            batch.append(row)
        if not batch:
            return False, wait
        taken = {row.id for row in batch}
        rows[:] = [row for row in rows if row.id not in taken]
        async with self.uow() as tx:
            for row in batch:
                await tx.outbox.mark_sending(row)
        results = await asyncio.gather(*(self.deliver(row, marked=True) for row in batch))
        return any(results), wait

    async def deliver(self, row: OutboxRow, marked: bool = False) -> bool:
        """Try one row; True when it left the queue (sent or failed for good)."""
        chat_id = row.message.chat_id
        if not marked:
            async with self.uow() as tx:
                await tx.outbox.mark_sending(row)
        try:
            if row.message.edit_of is not None:
                return await self._edit(row)
            sent = await self._send(row.message)
        except TelegramRetryAfter as exc:
            self.stats.rate_limited += 1
            until = exc.retry_after
            self.limiter.hold_chat(chat_id, self.monotonic() + until)
            if self._flooded():
                log.warning("429 in many chats at once: the whole sender waits %s s", until)
                self.limiter.hold_all(self.monotonic() + until)
            async with self.uow() as tx:
                await tx.outbox.reschedule(row, self.wall() + until, f"429 retry_after={until}")
                await tx.outbox.delay_chat(chat_id, self.wall() + until)
            return False
        except TelegramMigrateToChat as exc:
            self.stats.migrated += 1
            log.warning("chat %s migrated to %s; re-keyed", chat_id, exc.migrate_to_chat_id)
            await self.reach.migrated(chat_id, exc.migrate_to_chat_id)
            async with self.uow() as tx:
                await tx.outbox.reschedule(row, 0.0, f"migrated to {exc.migrate_to_chat_id}")
            return False
        except (TelegramForbiddenError, TelegramNotFound, TelegramBadRequest) as exc:
            if chat_id > 0:  # a person who never started the bot, or blocked it
                self.stats.failed += 1
                log.warning("private chat %s refused: %s", chat_id, exc.message)
                async with self.uow() as tx:
                    await tx.outbox.mark_failed(row, exc.message)
                return True
            if isinstance(exc, TelegramForbiddenError) or "chat not found" in exc.message:
                self.stats.held += 1
                log.warning("chat %s unreachable (%s): its messages are held", chat_id, exc.message)
                async with self.uow() as tx:
                    await tx.outbox.hold(row, exc.message)
                await self.reach.unreachable(chat_id, exc.message)
                return True
            self.stats.failed += 1
            log.error("outbox %s to chat %s failed for good: %s", row.id, chat_id, exc.message)
            async with self.uow() as tx:
                await tx.outbox.mark_failed(row, exc.message)
            return True
        except TelegramEntityTooLarge as exc:
            self.stats.failed += 1
            log.error("outbox %s to chat %s is too large: %s", row.id, chat_id, exc.message)
            async with self.uow() as tx:
                await tx.outbox.mark_failed(row, exc.message)
            return True
        except (TelegramServerError, TelegramNetworkError, OSError, TimeoutError) as exc:
            self.stats.retried += 1
            backoff = min(MAX_BACKOFF, 2.0 ** min(row.attempts, 7)) * random.uniform(0.5, 1.0)
            log.warning("outbox %s to chat %s: %s; retry in %.1fs", row.id, chat_id, exc, backoff)
            self.limiter.hold_chat(chat_id, self.monotonic() + backoff)
            async with self.uow() as tx:
                await tx.outbox.reschedule(row, self.wall() + backoff, str(exc))
            return False
        except Exception as exc:  # an error nobody foresaw must not stop the sender
            log.exception("outbox %s to chat %s: unexpected error", row.id, chat_id)
            async with self.uow() as tx:
                if row.attempts + 1 >= MAX_UNEXPECTED:
                    self.stats.failed += 1
                    await tx.outbox.mark_failed(row, f"{type(exc).__name__}: {exc}")
                    return True
                backoff = min(MAX_BACKOFF, 2.0 ** min(row.attempts, 7))
                await tx.outbox.reschedule(
                    row, self.wall() + backoff, f"{type(exc).__name__}: {exc}"
                )
            return False
        self.stats.sent += 1
        async with self.uow() as tx:
            await tx.outbox.mark_sent(row, sent.message_id)
        return True

    async def _edit(self, row: OutboxRow) -> bool:
        """Edit the message sent for `edit_of`; wait while that one is not sent yet."""
        message = row.message
        assert message.edit_of is not None
        async with self.uow() as tx:
            target = await tx.refs.find(message.edit_of)
        if target is None:
            async with self.uow() as tx:
                if row.attempts >= MAX_EDIT_WAITS:
                    await tx.outbox.mark_failed(row, "the message to edit was never sent")
                    return True
                await tx.outbox.reschedule(row, self.wall() + EDIT_WAIT, "waiting for the original")
            return False
        chat_id, message_id = target
        try:
            await self.bot.edit_message_text(
                text=message.text,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode="HTML",
                reply_markup=_markup(message) if message.buttons else None,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except TelegramBadRequest as exc:
            if any(reason in exc.message for reason in EDIT_LOST):
                # The original is gone (deleted, or history left behind by a migration):
                # post the board anew; later edits follow the new message.
                fresh = message.model_copy(
                    update={"edit_of": None, "ref": message.edit_of, "dedupe_key": None}
                )
                sent = await self._send(fresh)
                async with self.uow() as tx:
                    await tx.outbox.mark_sent(
                        OutboxRow(id=row.id, attempts=row.attempts, message=fresh), sent.message_id
                    )
                return True
            if "message is not modified" not in exc.message:
                raise
        self.stats.edited += 1
        async with self.uow() as tx:
            await tx.outbox.mark_sent(row, message_id)
        return True

    async def _send(self, message: OutgoingMessage) -> Message:
        markup: InlineKeyboardMarkup | ForceReply | None = None
        if message.buttons:
            markup = _markup(message)
        elif message.force_reply:
            markup = ForceReply(force_reply=True, selective=True)
        reply = (
            ReplyParameters(
                message_id=message.reply_to_message_id, allow_sending_without_reply=True
            )
            if message.reply_to_message_id is not None
            else None
        )
        if message.document is not None and message.photo:
            return await self.bot.send_photo(
                message.chat_id,
                BufferedInputFile(message.document, filename=message.filename or "chart.png"),
                caption=message.text or None,
                parse_mode="HTML",
                reply_markup=markup,
                reply_parameters=reply,
                allow_paid_broadcast=self.paid or None,
            )
        if message.document is not None:
            return await self.bot.send_document(
                message.chat_id,
                BufferedInputFile(message.document, filename=message.filename or "file"),
                caption=message.text or None,
                parse_mode="HTML",
                reply_markup=markup,
                reply_parameters=reply,
                allow_paid_broadcast=self.paid or None,
            )
        return await self.bot.send_message(
            message.chat_id,
            message.text,
            parse_mode="HTML",
            reply_markup=markup,
            reply_parameters=reply,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            allow_paid_broadcast=self.paid or None,
        )


def _markup(message: OutgoingMessage) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b.text, callback_data=b.callback_data) for b in row]
            for row in message.buttons
        ]
    )
