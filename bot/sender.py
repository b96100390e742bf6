"""The one sender: drains the outbox into Telegram within Telegram's limits.

It is the only code that calls send methods. Answers to people (a reply, a
confirmation, the 已收到 line on a pressed copy) go ahead of bulk fan-out (copies,
reminders, boards), but while bulk waits they take at most `TOWERBOT_REPLY_SHARE`
of the sends (`AnswerShare`), so copies are slowed by a bounded factor and never
starved; otherwise rows go in priority order, each
chat's rows in their own order (one request per chat in flight), several chats'
requests in flight at once, each started at its paced slot; `sending` is written
per batch before requests leave and `sent` per batch as they come back; a 429 holds the chat for `retry_after` and the
row waits (never dropped); a group upgraded to a supergroup is re-keyed and the
row resent; network and server errors back off; a request Telegram will never
accept is marked failed with its reason and logged. A row that names pending units
(a reminder, an escalation) or shows a time left is made current in the transaction
that claims it, through a port the domain fills (cascade/naming.py): a unit that
answered while it waited is no longer named, the time left is as it is then, a row
naming no one is dropped unsent and its slot given back. So is a row claimed at or
after its `expires_at` (on the domain's clock): a reminder never goes after its
deadline.

The page of due rows is read beside the writers (`Database.pages`, autocommit on
a connection of its own) and holds only what pacing decides on (id, chat,
priority, attempts); a row's message is read and parsed when the row is claimed
for sending. With several tokens, each sender pages its own lane: every row
carries the bot that sends it from the moment it is written (storage/lanes.py).

One sender per bot token across a deployment: with several workers on one
PostgreSQL database, each worker's sender waits for the token's lease
(`send:BOT_ID`, storage/lease.py) and sends only while it holds it, renewing it
every few seconds; when the holder dies another takes over within seconds and
first puts that token's rows caught mid-send back in the queue. Rows are
claimed per batch (pending → sending, PostgreSQL's SKIP LOCKED), so even the
moment of a hand-over sends no row twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import math
import random
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

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
    ReactionTypeEmoji,
    ReplyParameters,
)
from pydantic import BaseModel

from bot.ratelimit import AnswerShare, RateLimiter
from bot.settings import SenderLimits
from cascade.clock import Clock, SystemClock
from cascade.outgoing import (
    Lane,
    OutboxRow,
    OutgoingMessage,
    PendingRow,
    Priority,
    RefKey,
    answers_person,
    ref_key,
)
from cascade.ports import MakeCurrent, UnitOfWorkFactory
from cascade.reachability import ReachabilityService

if TYPE_CHECKING:
    from storage.lease import RunLease

log = logging.getLogger(__name__)
LEASE_TTL = 10.0  # a dead sender's token is taken over within this (at once on its host)
LEASE_RETRY = 2.0  # how often a waiting worker tries to take the token's lease
MAX_BACKOFF = 120.0
IDLE_WAIT = 5.0
PAGE_SECONDS = 1.0
REREAD_SECONDS = 0.05  # a commit makes the page be read again, at most this often
FLUSH_SECONDS = 0.05  # how often rows that came back are recorded as sent
FINISH_SECONDS = 5.0
# Rows are taken (and marked `sending`) up to this far ahead of their paced slots, so
# the transaction that marks them never leaves a slot empty.
LOOK_AHEAD = 0.1
# An edit's message as (chat id, message id), when already found; a claimed batch: its
# rows by id, the messages its edits edit by ref, and the ids of its rows dropped unsent.
Target = tuple[int, int] | None
Claimed = tuple[dict[int, OutboxRow], dict[RefKey, tuple[int, int]], set[int]]
MAX_IN_FLIGHT = 256
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
    reacted: int = 0
    dropped: int = 0


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
        max_in_flight: int | None = None,
        lease: RunLease | None = None,
        reads: UnitOfWorkFactory | None = None,
        current: MakeCurrent | None = None,
        clock: Clock | None = None,
    ) -> None:
        """`reads` is where pages of due rows are read (`Database.pages`: beside the
        writers, not behind their lock); by default the unit of work itself. `current`
        makes the claimed rows that carry a `naming` or a `countdown` current (a
        reminder naming a unit that answered while it waited, its time left): without
        it they go as they were queued. `clock` is the domain's, which a message's
        `expires_at` is on (the system's by default)."""
        self.bot = bot
        self.lease = lease
        self.uow = uow
        self.reads = reads or uow
        self.current = current
        self.clock = clock or SystemClock()
        self.wakeup = wakeup
        self.limiter = RateLimiter(limits)
        self.share = AnswerShare(limits.reply_share)
        self.monotonic = monotonic
        self.wall = wall
        self.stats = SenderStats()
        self.reach = reach
        self.lane = lane
        self.paid = limits.paid_broadcast
        self._recent_429: deque[float] = deque()
        # Requests in flight: one at Telegram's free 30/s (several queued together at a
        # busy server arrive as a burst and draw 429s: measured), more at paid rates to
        # keep their slots filled while each waits ~25 ms for its answer. A page lasts
        # about half a second.
        self.max_in_flight = max_in_flight or max(
            1, min(MAX_IN_FLIGHT, math.ceil(limits.rate / 40))
        )
        # Rows taken ahead of their slots (marked 'sending', waiting for their turn).
        self.max_scheduled = self.max_in_flight + math.ceil(limits.rate * LOOK_AHEAD) + 1
        self._http = asyncio.Semaphore(self.max_in_flight)
        self.page_size = max(200, min(2000, math.ceil(limits.rate / 2)))
        self._in_flight: dict[int, asyncio.Task[bool]] = {}
        self._sent: list[tuple[OutboxRow, int]] = []
        self._reread = False
        self._kick = asyncio.Event()

    @property
    def lane(self) -> Lane | None:
        return self._lane

    @lane.setter
    def lane(self, lane: Lane | None) -> None:
        """A serving lane's rows are keyed by this bot's id (storage/lanes.py)."""
        if lane is not None and lane.serves:
            lane = lane.model_copy(update={"bot_id": self.bot.id})
        self._lane = lane

    async def recover(self) -> int:
        """At start: this bot's lane is resolved (which groups it sends to, recorded on
        the unsent rows), then rows a crash caught mid-send go again (each may
        arrive twice)."""
        async with self.uow() as tx:
            await tx.outbox.resolve_lanes(self.lane)
            count = await tx.outbox.recover_sending(self.lane)
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
        """Send until cancelled; with a lease, only while holding the token's lease."""
        if self.lease is None:
            await self._own()
            return
        try:
            while True:
                await self._take_lease(self.lease)
                log.info("sender: this process sends for bot %s now", self.bot.id)
                await self._while_held(self.lease)
        finally:
            with contextlib.suppress(Exception):
                await self.lease.release()

    async def _take_lease(self, lease: RunLease) -> None:
        """Until this process holds the token's lease (tried every LEASE_RETRY seconds)."""
        while True:
            try:
                if await lease.try_take() is None:
                    return
            except Exception:
                log.exception("sender: could not try the lease of bot %s", self.bot.id)
            await asyncio.sleep(LEASE_RETRY)

    async def _while_held(self, lease: RunLease) -> None:
        """Send while the lease is renewed; return when it is lost (or cannot be renewed)."""
        sending = asyncio.create_task(self._own(), name="sender own")
        keeping = asyncio.create_task(lease.keep(), name="sender lease")
        try:
            await asyncio.wait({sending, keeping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sending.cancel()
            keeping.cancel()
            sent, kept = await asyncio.gather(sending, keeping, return_exceptions=True)
        if isinstance(sent, Exception):
            raise sent
        log.warning("sender: stopped sending for bot %s (%r)", self.bot.id, kept)

    async def _own(self) -> None:
        """Send until cancelled: requests start at their paced slots, several in flight.

        The page of due rows is read once and paced through; it is read again when
        it runs out, after a row went back to the queue, on a new commit (at most
        every REREAD_SECONDS) and at least once a second. Rows are marked `sending`
        a batch at a time before their requests leave; `sent` is written for
        everything that came back, every FLUSH_SECONDS, in one transaction.
        """
        await self.recover()
        flusher = asyncio.create_task(self._flush_every(FLUSH_SECONDS), name="sender flush")
        try:
            await self._pump()
        finally:
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            await self._finish()

    async def _pump(self) -> None:
        page: list[PendingRow] = []
        read_at = -PAGE_SECONDS
        while True:
            try:
                if len(self._in_flight) >= self.max_scheduled:
                    await self._wait_kick(1.0)
                    continue
                since = self.monotonic() - read_at
                if (
                    not page
                    or self._reread
                    or since > PAGE_SECONDS
                    or (self.wakeup.is_set() and since > REREAD_SECONDS)
                ):
                    self.wakeup.clear()
                    self._reread = False
                    page = await self.read_page()
                    read_at = self.monotonic()
                batch, wait = self._take(page, LOOK_AHEAD)
                if batch:
                    await self._start(batch)
                    continue
                if not page and not self._in_flight:
                    async with self.reads() as tx:
                        next_due = await tx.outbox.next_due_at(self.lane)
                    if next_due is not None:
                        wait = min(wait, max(0.0, next_due - self.wall()))
            except Exception:
                log.exception("sender loop failed; going on in a second")
                page = []
                await asyncio.sleep(1.0)
                continue
            if self._in_flight:  # its chat's next row, or a slot, frees when it comes back
                await self._wait_kick(wait)
                continue
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.001, wait)):  # not wait_for: see _wait_kick
                    await self.wakeup.wait()

    async def _wait_kick(self, seconds: float) -> None:
        """Until a request in flight comes back (or `seconds` pass).

        `asyncio.timeout`, not `asyncio.wait_for`: on Python 3.11, wait_for returns
        the event's result when the task is cancelled in the same turn as the event
        is set, and the cancellation is lost; the sender's loop then went on, and
        the bot's stop waited for it forever (seen in the drill's stop under load).
        """
        self._kick.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max(0.001, seconds)):
                await self._kick.wait()

    def _take(
        self, rows: list[PendingRow], ahead: float = 0.0
    ) -> tuple[list[tuple[PendingRow, float]], float]:
        """The rows of `rows` the limits allow within `ahead` seconds, each with its
        paced slot (monotonic time), taken off the page; and the wait until the next
        one could go. One row per chat, none for a chat with a request in flight.

        The answers to people and the bulk are two queues, each in its page order; a
        slot goes to the first row of either that its chat allows, and when both have
        one the answers take their share (`AnswerShare`). A chat's bulk waits while an
        answer to its people is on the page, so each chat keeps (priority, id) order."""
        answers = [row for row in rows if answers_person(row.priority)]
        bulk = [row for row in rows if not answers_person(row.priority)]
        answered = {row.chat_id for row in answers}
        blocked: set[int] = set()
        to_people, to_many = _Queue(answers), _Queue(bulk, answered)
        wait = IDLE_WAIT
        batch: list[tuple[PendingRow, float]] = []
        room = self.max_scheduled - len(self._in_flight)
        now = self.monotonic()
        while len(batch) < room:
            overall = self.limiter.overall_wait(now)
            if overall > ahead:
                wait = min(wait, overall - ahead)
                break
            slot = now + overall
            allowed = functools.partial(self._allowed, slot=slot, blocked=blocked)
            answer, answer_wait = to_people.head(allowed)
            fan_out, fan_out_wait = to_many.head(allowed)
            wait = min(wait, answer_wait, fan_out_wait)
            if answer is not None and (fan_out is None or self.share.answer_first()):
                row = to_people.pop()
            elif fan_out is not None:
                row = to_many.pop()
            else:
                break
            blocked.add(row.chat_id)
            self.limiter.record(row.chat_id, slot)
            batch.append((row, slot))
        if batch:
            taken = {row.id for row, _ in batch}
            rows[:] = [row for row in rows if row.id not in taken]
        return batch, wait

    def _allowed(self, row: PendingRow, slot: float, blocked: set[int]) -> float:
        """0 when `row` may take `slot`, else how long its chat must still wait (a chat
        met once and refused is blocked for the rest of the page: its later rows wait)."""
        chat_id = row.chat_id
        if chat_id in blocked or chat_id in self._in_flight:
            return IDLE_WAIT
        delay = self.limiter.wait_for(chat_id, slot, row.priority >= Priority.PROGRESS)
        if delay > 0:
            blocked.add(chat_id)  # one row per chat at a time keeps each chat's order
        return delay

    async def _claim(self, batch: list[tuple[PendingRow, float]]) -> Claimed:
        """Claim the rows of `batch` (pending to sending) and, in the same transaction,
        find the messages its edits edit: one statement for the batch, not a
        transaction under the writers' lock per edit (a city's presses each edit
        their copy). The rows expired by now are dropped there, and those that name
        pending units or show a time left made current (`current`): a row dropped
        unsent is left out of the claimed rows and named among the dropped, so that
        its slot is given back."""
        async with self.uow() as tx:
            claimed = await tx.outbox.mark_sending_many([row for row, _ in batch])
            now = self.clock.now()
            expired = {i for i, r in claimed.items() if _expired(r.message, now)}
            if expired:
                await tx.outbox.drop(sorted(expired))
                claimed = {i: r for i, r in claimed.items() if i not in expired}
            current = [r for r in claimed.values() if r.message.naming or r.message.countdown]
            changed = await self.current(tx, current) if current and self.current else {}
            edited = [r.message.edit_of for r in claimed.values() if r.message.edit_of]
            targets = await tx.refs.find_many(edited) if edited else {}
        dropped = set(expired)
        for row_id, message in changed.items():
            if message is None:
                dropped.add(row_id)
                del claimed[row_id]
            else:
                claimed[row_id] = claimed[row_id].model_copy(update={"message": message})
        self.stats.dropped += len(dropped)
        return claimed, targets, dropped

    def _give_back(self, batch: list[tuple[PendingRow, float]], dropped: set[int]) -> None:
        """The slots of the rows dropped at their claim: their groups' budget is free."""
        for row, slot in batch:
            if row.id in dropped:
                self.limiter.release(row.chat_id, slot)

    async def _start(self, batch: list[tuple[PendingRow, float]]) -> None:
        claimed, targets, dropped = await self._claim(batch)
        self._give_back(batch, dropped)
        for pending, slot in batch:
            row = claimed.get(pending.id)
            if row is None:
                continue  # another sender took it (a lease hand-over): it goes from there
            chat_id = row.message.chat_id
            task = asyncio.create_task(self._at_slot(row, slot, _target(row, targets)))
            self._in_flight[chat_id] = task
            task.add_done_callback(functools.partial(self._landed, chat_id))

    async def _at_slot(self, row: OutboxRow, slot: float, target: Target = None) -> bool:
        """Send `row` at its paced slot, unless a 429 since then holds its chat."""
        delay = slot - self.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        async with self._http:  # at most max_in_flight requests out at once
            for _ in range(100):  # each wait frees a place unless a 429 hold came between
                late = self.limiter.departure_wait(self.monotonic())
                if late <= 0:
                    break
                await asyncio.sleep(late)
            self.limiter.departed(self.monotonic())
            held = self.limiter.held(row.message.chat_id, self.monotonic())
            if held > 0:
                async with self.uow() as tx:
                    await tx.outbox.reschedule(row, self.wall() + held, "held after a 429")
                return False
            return await self.deliver(row, marked=True, target=target)

    def _landed(self, chat_id: int, task: asyncio.Task[bool]) -> None:
        self._in_flight.pop(chat_id, None)
        if task.cancelled() or task.exception() is not None or not task.result():
            self._reread = True  # the row went back to the queue: read that chat afresh
        self._kick.set()

    async def _flush_every(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await self.flush()
            except Exception:
                log.exception("recording sent messages failed; trying again")

    async def flush(self) -> int:
        """Record every row that came back sent, in one transaction; returns how many."""
        if not self._sent:
            return 0
        done, self._sent = self._sent, []
        try:
            async with self.uow() as tx:
                await tx.outbox.mark_sent_many(done)
        except BaseException:
            self._sent[:0] = done
            raise
        return len(done)

    async def _finish(self) -> None:
        """On stop: let the requests in flight come back (briefly) and record them."""
        tasks = list(self._in_flight.values())
        if tasks:
            await asyncio.wait(tasks, timeout=FINISH_SECONDS)
        try:
            await self.flush()
        except Exception as exc:  # e.g. the stop interrupted a transaction
            log.warning(
                "%d sent message(s) not recorded at stop (%s); they stay 'sending' and "
                "are sent again at the next start",
                len(self._sent),
                exc,
            )

    async def drain_once(self) -> tuple[bool, float]:
        """Send every due row the limits allow now; returns (sent any, seconds to wait)."""
        return await self.drain_page(await self.read_page())

    async def read_page(self) -> list[PendingRow]:
        """This sender's page of due rows: what pacing needs, beside the writers."""
        async with self.reads() as tx:
            return await tx.outbox.due(self.wall(), limit=self.page_size, lane=self.lane)

    async def drain_page(self, rows: list[PendingRow]) -> tuple[bool, float]:
        """Send the rows of `rows` the limits allow now and wait for them to come back:
        whether any left the queue (sent, or dropped unsent) and the seconds to wait."""
        batch, wait = self._take(rows)
        if not batch:
            return False, wait
        claimed, targets, dropped = await self._claim(batch)
        self._give_back(batch, dropped)
        results = await asyncio.gather(  # in the page's order, not the claim's
            *(
                self.deliver(claimed[row.id], marked=True, target=_target(claimed[row.id], targets))
                for row, _ in batch
                if row.id in claimed
            )
        )
        await self.flush()
        return any(results) or bool(dropped), wait

    async def deliver(self, row: OutboxRow, marked: bool = False, target: Target = None) -> bool:
        """Try one row; True when it left the queue (sent or failed for good). An edit's
        `target` is its message found at the claim; None: looked up now."""
        chat_id = row.message.chat_id
        if not marked:
            async with self.uow() as tx:
                await tx.outbox.mark_sending(row)
        try:
            if row.message.edit_of is not None:
                return await self._edit(row, target)
            if row.message.reaction is not None and row.message.reply_to_message_id is not None:
                return await self._react(row)
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
        self._sent.append((row, sent.message_id))
        return True

    async def _edit(self, row: OutboxRow, target: Target = None) -> bool:
        """Edit the message sent for `edit_of` (`target`, when found at the claim); wait
        while that one is not sent yet."""
        message = row.message
        assert message.edit_of is not None
        if target is None:  # not known at the claim (or no claim): it may be recorded since
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
                fresh_row = OutboxRow(id=row.id, attempts=row.attempts, message=fresh)
                self._sent.append((fresh_row, sent.message_id))
                return True
            if "message is not modified" not in exc.message:
                raise
        self.stats.edited += 1
        self._sent.append((row, message_id))
        return True

    async def _react(self, row: OutboxRow) -> bool:
        """Confirm by a reaction on the person's message; where the chat takes no
        reaction (or the message is gone), send the text instead."""
        message = row.message
        assert message.reaction is not None and message.reply_to_message_id is not None
        try:
            await self.bot.set_message_reaction(
                chat_id=message.chat_id,
                message_id=message.reply_to_message_id,
                reaction=[ReactionTypeEmoji(emoji=message.reaction)],
            )
        except TelegramBadRequest as exc:
            if "chat not found" in exc.message:
                raise
            log.info("no reaction in chat %s (%s): the text goes", message.chat_id, exc.message)
            sent = await self._send(message.model_copy(update={"reaction": None}))
            self.stats.sent += 1
            self._sent.append((row, sent.message_id))
            return True
        self.stats.reacted += 1
        # The person's message carries the ref: a reply to it is read as a correction.
        self._sent.append((row, message.reply_to_message_id))
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


class _Queue:
    """One class of a page's rows (answers to people, or bulk) in page order, read
    from the front as slots are given out. Rows of the chats in `after` are passed
    over: those chats' answers are on the page and go first."""

    def __init__(self, rows: list[PendingRow], after: frozenset[int] | set[int] = frozenset()):
        self.rows = rows
        self.after = after
        self.at = 0

    def head(self, allowed: Callable[[PendingRow], float]) -> tuple[PendingRow | None, float]:
        """The first row `allowed` lets go (0), or None; and the least wait it gave."""
        wait = IDLE_WAIT
        while self.at < len(self.rows):
            row = self.rows[self.at]
            if row.chat_id not in self.after:
                delay = allowed(row)
                if delay <= 0:
                    return row, wait
                wait = min(wait, delay)
            self.at += 1
        return None, wait

    def pop(self) -> PendingRow:
        """The head just found, taken."""
        row = self.rows[self.at]
        self.at += 1
        return row


def _markup(message: OutgoingMessage) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b.text, callback_data=b.callback_data) for b in row]
            for row in message.buttons
        ]
    )


def _expired(message: OutgoingMessage, now: datetime) -> bool:
    """Whether `message` is no longer to be sent at `now` (its `expires_at` passed)."""
    return message.expires_at is not None and now >= message.expires_at


def _target(row: OutboxRow, targets: dict[RefKey, tuple[int, int]]) -> Target:
    """The message an edit row edits, as found at its claim (None: not found then)."""
    edit_of = row.message.edit_of
    return targets.get(ref_key(edit_of)) if edit_of is not None else None
