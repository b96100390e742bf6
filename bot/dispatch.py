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
answer storm thousands of chats are queued for the slots. While getUpdates keeps
returning full batches (the server has more) only `backlog_concurrent` (16) of them
are handed on (bot/slots.py; those in use finish), and all again after a short batch
or while polling waits for room below the byte bound (below): the take-in shares the
event loop with the handlers, each of its steps waits behind their turns, and until
it has fetched them the presses wait at the server, where the bot cannot answer
them; at 16 a press waited there p50 1.7 -> 1.4 s, and answers per second did not
move beyond the noise (benchmarks/RESULTS.md, "take-in"). A question (`/status` and
the other read-only queries) must not wait behind all of them: it reads a snapshot,
not the writers' lock, so it takes a slot of its own lane (`quick`), and is answered
while the storm goes on.

`UpdatePoller` is the long-polling loop feeding it, through a durable inbox
(storage/inbox.py). Telegram forgets every update below the `offset` of the next
getUpdates and returns at most 100 a call. Each batch is therefore first written to
the inbox in one transaction, and only after that commit confirmed, all at once:
the next offset is one past the newest update taken in, so the server's window
never holds the bot back (confirming only handled updates anchored every call at
the oldest update still in flight, and the Yiwu drill never had more than 91
waiting). A handled update's row is deleted in batches, with the next batch's
write or every `forget_every` seconds, never one transaction per update. On start,
before polling, the rows a crash left are handed to the runner in update id order
(each chat's order kept), so nothing Telegram delivered and the bot confirmed is
lost; one handled but not yet deleted comes back once more and is skipped by the
record of processed updates (storage/processed.py) or, if it changed nothing (a
query), answered again. An update that kills the process while it is handled
would come back at every start: rows a replay began before are handed back one at
a time, each attempt counted before it starts (so only the update that kills the
process again has its count raised), and after `max_attempts` one is set aside
(kept, logged with its id and chat, its chat told to send it again). An update
whose handling raises out of the dispatcher (the handlers' own failures are answered
by bot/errors.py; this is a middleware's, or the database gone for a moment) is not
dropped either: its row stays, it stays at its chat's head (a later update of the
chat never overtakes it), and it is tried again after a short `backoff`, its slot
free meanwhile; after `max_attempts` failures it is set aside as a replay sets one
aside, and the chat's next updates go on. A handling may also say its update cannot
run yet (`NotYet`: an earlier update of its chat is at another webhook worker,
bot/worker_order.py): it stays in its chat's queue, uncounted, its slot goes to other
chats, and once the other worker is done the chat's head is taken again, as often as
it takes: a chat's queue is kept in update id order, so an earlier update of the chat
this process took over from a dead worker meanwhile goes ahead of it. Polling
pauses until a whole batch fits below `max_pending_bytes` of updates waiting or
being handled, and asks for no more, so memory stays bounded. On stop the poller lets
the updates taken in finish; those cut short stay in the inbox for the next start.

An update waiting for its turn is kept as its JSON (the inbox's payload), not as
aiogram's models, and parsed only once it has a slot: a parsed update is 14-19 KB of
pydantic objects against its ~0.5 KB of JSON, so the 2,000 a Yiwu storm kept waiting
held ~35 MB (benchmarks/RESULTS.md, "memory"). Nor is it parsed before: getUpdates
answers the poller with each update as the server's JSON object (bot/raw_updates.py),
the take-in reads the few fields it needs from it (its id, its chat, its lane, a
press to time), and the inbox keeps it written back as JSON; a webhook's update is
kept as the text it was posted as. Parsed at the take-in too, each update cost
aiogram's parse twice (~0.3 ms apiece). An item of getUpdates without an update id
is dropped with a line (it can be neither stored nor confirmed); one aiogram cannot
read is dropped with a line at its turn. The bound is in bytes,
not updates, since updates differ in size (a press carries the pressed copy, a
message may carry 4,096 characters and the message it replies to): each counts its
JSON's UTF-8 bytes plus `PER_UPDATE` for its place in the queues, and 16 MiB let
~8,700 of a storm's updates wait (1.9 KB each on average at 3,600 targets, about
what the process holds for each). It is large because a press is answered from
when it enters the process (bot/press_watch.py): a press the bound keeps at the
server waits unanswered, and at 2,000 updates the presses of an answer storm waited
there 2–7 s; the batch's write goes ahead of the other transactions for the same
reason (storage/writers_lock.py). Once a batch's sizes are known, each getUpdates
asks for as many updates as fit at the mean size of those taken in so far.

A press waiting its turn is still answered within a second: the poller hands each
one it takes in to bot/press_watch.py, which answers it with a neutral toast if its
handler has not by then (only the press's ids and names are kept, not its update),
or at once when the runner says several rounds of handling go before it
(`rounds_ahead`: in a burst, every press taken in behind the first slots). The
toast speaks its chat's language, read for all the presses of a polled batch in one
statement while the batch is written (bot/press_replies.py), so that in a storm the
toasts do not queue for a read each.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from bisect import insort
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from operator import attrgetter
from typing import NamedTuple

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.types import Update

from bot.press_watch import Press, PressWatch, press_of
from bot.raw_updates import (
    GetRawUpdates,
    RawUpdate,
    chat_key,
    chat_of,
    integer,
    language_of,
    message_of,
    object_field,
    update_id_of,
)
from bot.slots import Slots
from cascade.outgoing import OutgoingMessage
from storage.conn import DatabaseError
from storage.inbox import Inbox, InboxRow

log = logging.getLogger(__name__)

# An update's handling, told the chat key it was queued under (`chat_key` of its JSON).
Handle = Callable[[Update, int], Awaitable[object]]
Quick = Callable[[RawUpdate], bool]
# What to tell the chat of an update set aside (chat id, the message to reply to, the
# person's language tag: the reply is in the chat's language).
Notice = Callable[[int, int | None, str | None], Awaitable[OutgoingMessage]]
# What takes an update whose handling failed `max_attempts` times (and how many).
SetAside = Callable[["Kept", int], Awaitable[None]]
MAX_CONCURRENT = 64
# Handling slots while getUpdates keeps returning full batches (the server has more).
BACKLOG_CONCURRENT = 16
# Replays that may begin an update before it is set aside, and, within one run,
# handlings that may fail before it is.
MAX_ATTEMPTS = 3
BATCH = 100  # the most updates getUpdates returns at once
# What an update kept waiting holds besides its JSON text: its Kept tuple, its place
# in its chat's queue and, in a storm where each chat has one, its chat's worker
# task (~1.2 KB measured with tracemalloc, one chat each).
PER_UPDATE = 1200
MAX_PENDING_BYTES = 16 << 20  # the poller's default bound on what waits (16 MiB)
RETRIED = (TelegramNetworkError, TelegramServerError, OSError, TimeoutError)


def payload(raw: RawUpdate) -> str:
    """An update taken in by polling as the inbox keeps it: its Bot API JSON, written
    back from the object the server's answer was decoded into."""
    return json.dumps(raw, ensure_ascii=False, separators=(",", ":"))


def never_quick(raw: RawUpdate) -> bool:
    return False


def backoff(failures: int) -> float:
    """Seconds before an update whose handling failed `failures` times is tried again:
    0.25, 0.5, 1 ... up to 5 s, long enough for a database that went away for a moment
    and short enough that its chat, waiting behind it, hardly notices."""
    return min(5.0, 0.25 * 2 ** (failures - 1))


def held_bytes(text: str) -> int:
    """What an update kept waiting as its JSON `text` counts against the bound: the
    text's UTF-8 bytes (its size as Telegram sent it) and `PER_UPDATE`."""
    return len(text.encode()) + PER_UPDATE


class NotYet(Exception):
    """Raised by a handling whose update may not run yet (an earlier update of its chat
    is still being handled elsewhere: bot/worker_order.py). Not a failure: the update
    stays at its chat's head, uncounted toward `max_attempts`, its slot goes to other
    chats, and it is tried again once `ready()` has returned (after the chat's earlier
    updates queued meanwhile)."""

    def __init__(self, ready: Callable[[], Awaitable[object]]) -> None:
        super().__init__()
        self.ready = ready


class Kept(NamedTuple):
    """An update waiting its turn, kept as its JSON: what the runner needs before
    handling it (its id, its chat, its lane) and the text to parse it from."""

    update_id: int
    chat: int
    quick: bool
    payload: str
    held: int  # bytes counted against the poller's bound (`held_bytes`)


class Taken(NamedTuple):
    """An update coming in (polled or posted): its id, its JSON object as decoded and
    the text the inbox keeps."""

    update_id: int
    raw: RawUpdate
    text: str


class ChatOrderedRunner:
    """One worker per chat with updates waiting; chats side by side, each in order."""

    def __init__(
        self,
        handle: Handle,
        max_concurrent: int = MAX_CONCURRENT,
        quick: Quick = never_quick,
        quick_concurrent: int = 2,
        on_handled: Callable[[int], object] | None = None,
        parse: Callable[[str], Update] = Update.model_validate_json,
        set_aside: SetAside | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        backoff: Callable[[int], float] = backoff,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        """`quick(raw)` says which updates take the quick lane's slots
        (`quick_concurrent` of them) instead of waiting in the answers' queue;
        `on_handled(update_id)` is told of each update handled (or given up without
        `set_aside`), never of one set aside or cut short by cancellation; `parse`
        makes an update kept as JSON into aiogram's models once it has a slot. An
        update whose handling raises is tried again after `sleep(backoff(failures so
        far))`, and after `max_attempts` failures handed to `set_aside(kept,
        failures)`."""
        self.handle = handle
        self.set_aside = set_aside
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.sleep = sleep
        self.quick = quick
        self.on_handled = on_handled
        self.parse = parse
        self.max_concurrent = max_concurrent
        self._slots = Slots(max_concurrent)
        self._quick_slots = asyncio.Semaphore(quick_concurrent)
        self._queues: dict[int, deque[Kept]] = {}
        self._workers: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._changed = asyncio.Event()
        self.pending = 0
        self.held = 0  # bytes the updates kept as JSON hold while waiting or handled
        self.handled = 0  # updates done with: handled, set aside or given up
        self.failed = 0  # of which set aside or given up
        self.retried = 0  # handlings tried again after a failure

    def keep(self, update_id: int, raw: RawUpdate, text: str) -> int:
        """Queue an update among its chat's updates by id (never awaits), holding only
        its JSON `text` until its turn: its decoded object `raw` is read for its chat
        and lane and can be let go at once. The bytes it holds meanwhile (counted in
        `held`)."""
        held = held_bytes(text)
        kept = Kept(update_id, chat_key(raw), self.quick(raw), text, held)
        self.held += held
        self._queue(kept.chat, kept)
        return held

    def rounds_ahead(self, chat: int, before: int = 0) -> int:
        """Rounds of handling before an update of `chat` (its `chat_key`) would start if
        queued now (with `before` more queued ahead of it first): its chat's updates
        waiting go one a round, the others `max_concurrent` a round, those beyond the
        slots only (bot/press_watch.py answers a press at once from a few rounds on)."""
        queue = self._queues.get(chat)
        beyond = self.pending + before - self.max_concurrent
        return (len(queue) if queue else 0) + max(0, beyond) // self.max_concurrent

    def _queue(self, key: int, update: Kept) -> None:
        self.pending += 1
        self._idle.clear()
        queue = self._queues.get(key)
        if queue is not None:  # that chat's worker is running and will take it
            insort(queue, update, key=attrgetter("update_id"))  # by id: an adopted one too
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
                handled = await self._through(update, key)
                if handled is None:
                    continue  # an earlier update came in while it waited: the head again
                queue.remove(update)  # one queued ahead during its handling stays
                self._let_go(update)
                if handled and self.on_handled is not None:
                    self.on_handled(update.update_id)
                self.handled += 1
                self.pending -= 1
                self._changed.set()
        finally:
            # A cancelled worker drops what its chat still had queued (shutdown only).
            self.pending -= len(queue)
            for update in queue:
                self._let_go(update)
            del self._queues[key]
            if not self._queues:
                self._idle.set()
            self._changed.set()

    async def _through(self, update: Kept, key: int) -> bool | None:
        """Handle `update` until it is handled (True) or set aside (False), trying again
        after `backoff` each time its handling fails; its chat's later updates wait
        meanwhile, and the slot is free while it waits. After `max_attempts` failures it
        is handed to `set_aside`; one that cannot be set aside either (the database
        down) is tried on. Without `set_aside` it is given up (logged) and counts as
        handled, and so does one whose JSON cannot be read: trying again cannot help.
        A handling that raises `NotYet` is no failure: the update is tried again once
        it is ready, its slot free meanwhile, as often as it takes, unless an earlier
        update of its chat was queued ahead of it meanwhile (None: the chat's head is
        taken again)."""
        failures = 0
        parsed: Update | None = None  # kept while it waits with `NotYet`, parsed once
        while True:
            ready = None
            async with self._quick_slots if update.quick else self._slots.hold():
                try:
                    if parsed is None:
                        parsed = self.parse(update.payload)
                except ValueError:
                    self.failed += 1
                    log.exception("update %s in chat %s is unreadable", update.update_id, key)
                    return True
                try:
                    await self.handle(parsed, key)
                    return True
                except NotYet as not_yet:  # not a failure: its slot is let go meanwhile
                    ready = not_yet.ready
                except Exception:  # kept at its chat's head and tried again
                    failures += 1
                    log.exception(
                        "update %s in chat %s failed (attempt %d of %d)",
                        update.update_id,
                        key,
                        failures,
                        self.max_attempts,
                    )
            if ready is not None:
                await ready()
                if self._queues[key][0] is not update:
                    return None
                continue
            if failures >= self.max_attempts:
                if self.set_aside is None:
                    self.failed += 1
                    log.error("update %s in chat %s given up", update.update_id, key)
                    return True
                try:
                    await self.set_aside(update, failures)
                except Exception:
                    log.exception("update %s could not be set aside: tried on", update.update_id)
                else:
                    self.failed += 1
                    return False
            self.retried += 1
            await self.sleep(self.backoff(failures))

    def behind(self, backlog: bool, slots: int) -> None:
        """While the updates' source has a `backlog`, hand on at most `slots` of the
        answers' slots (those in use finish); otherwise all `max_concurrent`."""
        self._slots.resize(slots if backlog else self.max_concurrent)

    def _let_go(self, update: Kept) -> None:
        self.held -= update.held

    async def wait_idle(self) -> None:
        """Until every update submitted so far has been handled."""
        await self._idle.wait()

    async def wait_room(self, held: int) -> None:
        """Until the updates kept as JSON hold at most `held` bytes (or none is kept).
        Meanwhile nothing is taken in, so every slot is handed on (`behind`): a storm
        larger than the bound (Yiwu's) is not handled with the backlog's few slots."""
        while self.held and self.held > held:
            self._slots.resize(self.max_concurrent)
            self._changed.clear()
            await self._changed.wait()

    async def cancel(self) -> None:
        for worker in list(self._workers):
            worker.cancel()
        for worker in list(self._workers):
            with contextlib.suppress(asyncio.CancelledError):
                await worker


class UpdatePoller:
    """Long polling into the durable inbox and a `ChatOrderedRunner` that feeds the
    dispatcher."""

    def __init__(
        self,
        bot: Bot,
        dispatcher: Dispatcher,
        inbox: Inbox,
        timeout: int = 10,
        max_concurrent: int = MAX_CONCURRENT,
        max_pending_bytes: int = MAX_PENDING_BYTES,
        backlog_concurrent: int = BACKLOG_CONCURRENT,
        quick: Quick = never_quick,
        forget_every: float = 0.5,
        notice: Notice | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        presses: PressWatch | None = None,
    ) -> None:
        """`notice(chat, message id, language tag)` is the line queued for the chat of
        an update set aside after `max_attempts` replays began it; `presses` times each
        press from its take-in (bot/press_watch.py)."""
        self.bot = bot
        self.dispatcher = dispatcher
        self.inbox = inbox
        self.timeout = timeout
        self.max_pending_bytes = max_pending_bytes
        self.backlog_concurrent = backlog_concurrent
        self._taken = (0, 0)  # updates taken in by polling so far, and their held bytes
        self.forget_every = forget_every
        self.notice = notice
        self.max_attempts = max_attempts
        self.presses = presses
        self._handled: list[int] = []  # handled updates whose inbox rows are still there
        # Updates whose inbox rows this process wrote or handed back and has not deleted:
        # one delivered again meanwhile (a webhook's retry) is not taken in twice.
        self._kept: set[int] = set()
        # Webhook updates waiting for the next inbox write, and the task writing them.
        self._arriving: dict[int, tuple[Taken, asyncio.Future[None]]] = {}
        self._writing: asyncio.Task[None] | None = None
        self._polling: asyncio.Task[object] | None = None
        self.runner = ChatOrderedRunner(
            self._feed,
            max_concurrent,
            quick,
            on_handled=self._done,
            parse=self._parse,
            set_aside=self._failed,
            max_attempts=max_attempts,
        )

    async def _feed(self, update: Update, chat: int) -> None:
        await self.dispatcher.feed_update(self.bot, update)

    def _done(self, update_id: int) -> None:
        self._handled.append(update_id)
        if self.presses is not None:
            self.presses.finished(update_id)

    def _parse(self, text: str) -> Update:
        """An update from its JSON, bound to this bot (as aiogram's getUpdates gives it)."""
        return Update.model_validate_json(text, context={"bot": self.bot})

    def _take_handled(self) -> list[int]:
        handled, self._handled[:] = list(self._handled), []
        return handled

    async def replay(self) -> int | None:
        """Hand the inbox's rows (left by a crash or a stop) to the runner, oldest
        first; returns one past the newest (None when there were none).

        Rows an earlier replay began (a death may have cut them short, or caused it)
        go first, one at a time, each attempt counted before it starts; the others
        then go together, their attempt counted all at once. Each chat's order holds:
        a chat's rows begun before are older than its rows never begun."""
        rows = await self._claim()
        for row in rows:
            if 0 < row.attempts < self.max_attempts and (raw := self._read(row)) is not None:
                await self.inbox.attempt([row.update_id])
                self.runner.keep(row.update_id, raw, row.payload)
                await self.runner.wait_idle()
                await self.forget()  # handled: not counted again if the next one kills us
        await self._hand([row for row in rows if not row.attempts])
        if rows:
            log.info("%d updates from the inbox handed back", len(rows))
        return rows[-1].update_id + 1 if rows else None

    async def adopt(self) -> int:
        """Take the rows of workers gone (several workers on PostgreSQL: one died, or
        stopped before it handled them) while this one runs, as a replay takes them
        at a start but all together, their attempt counted at once; how many."""
        rows = await self._claim()
        await self._hand([row for row in rows if row.attempts < self.max_attempts])
        if rows:
            log.info("%d updates of workers gone taken from the inbox", len(rows))
        return len(rows)

    async def adopt_every(self, seconds: float) -> None:
        """`adopt` every `seconds` until cancelled (a failing database: next time)."""
        while True:
            await asyncio.sleep(seconds)
            try:
                await self.adopt()
            except DatabaseError as exc:
                log.warning("inbox rows of workers gone not taken (%s)", exc)

    async def _claim(self) -> list[InboxRow]:
        """The inbox's rows this process is to handle (storage/inbox.py, `claim`),
        those replays began `max_attempts` times set aside."""
        rows = await self.inbox.claim()
        self._kept.update(row.update_id for row in rows)
        for row in rows:
            if row.attempts >= self.max_attempts and (raw := self._read(row)) is not None:
                why = f"{row.attempts} replays began it and none finished"
                await self._set_aside(row.update_id, raw, why)
        return rows

    async def _hand(self, rows: Sequence[InboxRow]) -> None:
        """Count one attempt of each of `rows`, at once, then hand them to the runner."""
        await self.inbox.attempt([row.update_id for row in rows])
        for row in rows:
            if (raw := self._read(row)) is not None:
                self.runner.keep(row.update_id, raw, row.payload)  # `raw` is let go

    def _read(self, row: InboxRow) -> RawUpdate | None:
        """The row's update as its JSON object, for the runner to keep (aiogram reads it
        at its turn); None (and its row dropped) if it is not one."""
        try:
            raw = json.loads(row.payload)
        except ValueError:
            raw = None
        if isinstance(raw, dict):
            return raw
        log.error("inbox row %s is not a JSON object: dropped", row.update_id)
        self._handled.append(row.update_id)
        return None

    async def _failed(self, kept: Kept, failures: int) -> None:
        """The runner's `set_aside`: an update whose handling failed `failures` times."""
        why = f"its handling failed {failures} times"
        await self._set_aside(kept.update_id, json.loads(kept.payload), why)
        if self.presses is not None:
            self.presses.finished(kept.update_id)

    async def _set_aside(self, update_id: int, raw: RawUpdate, why: str) -> None:
        """Stop handing back an update (`why`: replays began it and none ended, or its
        handling kept failing): its row stays, marked, and its chat (if it has one) is
        told to send it again, in the same transaction."""
        chat = chat_of(raw)
        log.error("inbox update %s (chat %s) set aside: %s", update_id, chat, why)
        told = None
        message = message_of(raw)
        query = object_field(raw, "callback_query")
        # A person's message or press is asked again, in the chat's language; a
        # membership change or the like has nobody to ask.
        if chat is not None and self.notice is not None:
            if message is not None:
                reply_to = integer(message.get("message_id"))
                told = await self.notice(chat, reply_to, language_of(message))
            elif query is not None:
                told = await self.notice(chat, None, language_of(query))
        await self.inbox.set_aside(update_id, told)

    async def catch_up(self) -> None:
        """Handle what the inbox holds (a polling run's rows, for a webhook start),
        then delete their rows: the same replay as at a polling start."""
        await self.replay()
        await self.runner.wait_idle()
        await self.forget()

    async def run(self) -> None:
        """Replay the inbox, then poll until cancelled; network and server errors
        back off and retry, and so does a batch the inbox could not store (it is
        not confirmed, so the server sends it again)."""
        self._polling = asyncio.current_task()
        allowed = self.dispatcher.resolve_used_update_types()
        taken = await self.replay()  # one past the newest update taken in
        forgetting = asyncio.create_task(self.forget_handled(), name="inbox forget")
        failures = 0
        try:
            while True:
                # Only when a whole batch fits: polling for the one or two places each
                # handled update frees would cost a call and a transaction apiece.
                batch, room = self._batch()
                await self.runner.wait_room(self.max_pending_bytes - room)
                request = GetRawUpdates(
                    offset=taken, limit=batch, timeout=self.timeout, allowed_updates=allowed
                )
                try:
                    taken = await self._take(request, taken)
                except TelegramRetryAfter as exc:
                    await asyncio.sleep(exc.retry_after)
                    continue
                except (*RETRIED, *DatabaseError) as exc:
                    failures += 1
                    wait = min(30.0, 0.5 * 2 ** min(failures, 6)) * random.uniform(0.5, 1.0)
                    what = "storing updates" if isinstance(exc, DatabaseError) else "getUpdates"
                    log.warning("%s failed (%s); again in %.1fs", what, exc, wait)
                    await asyncio.sleep(wait)
                    continue
                failures = 0
        finally:
            forgetting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await forgetting

    def _batch(self) -> tuple[int, int]:
        """How many updates to ask for and the bytes to make room for first: a whole
        batch at the mean size of the updates taken in so far (a first batch of 100,
        sizes unknown, is asked for at once)."""
        count, held = self._taken
        if not count:
            return BATCH, 0
        mean = max(1, held // count)
        batch = max(1, min(BATCH, self.max_pending_bytes // mean))
        return batch, batch * mean

    async def _take(self, request: GetRawUpdates, taken: int | None) -> int | None:
        """One getUpdates: its new updates taken in (`_take_in`) as the server sent
        them; one past the newest. An item without an integer `update_id` cannot be
        stored nor confirmed: it is dropped with a line, and the others go on."""
        items = await self.bot(request, request_timeout=self.timeout + 10)
        self.runner.behind(len(items) >= (request.limit or BATCH), self.backlog_concurrent)
        fresh = []
        for raw in items:
            update_id = update_id_of(raw)
            if update_id is None:
                log.error("getUpdates gave an item without an update id: dropped: %.300r", raw)
            elif taken is None or update_id >= taken:
                fresh.append(Taken(update_id, raw, payload(raw)))
        pressed = self._pressed(fresh)
        if not pressed or self.presses is None:
            await self._take_in(fresh)
        else:  # the presses' chats read beside the batch's write (bot/press_replies.py)
            presses = self.presses.languages([p for p, _ in pressed])
            reading = asyncio.create_task(presses, name="press languages")
            try:
                await self._take_in(fresh)
            except BaseException:
                reading.cancel()  # the batch is not taken in: its presses come again
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await reading
                raise
            for press, (_, ahead) in zip(await reading, pressed, strict=True):
                self.presses.watch(self.bot, press, ahead)
        return max(update.update_id for update in fresh) + 1 if fresh else taken

    def _pressed(self, fresh: Sequence[Taken]) -> list[tuple[Press, int]]:
        """The presses of a polled batch, each with the rounds of handling ahead of it
        (`before` it: the batch's updates queued ahead of it). They are timed once
        the batch is stored, with their chats' languages read meanwhile."""
        if self.presses is None:
            return []
        return [
            (press, self.runner.rounds_ahead(chat_key(update.raw), before))
            for before, update in enumerate(fresh)
            if (press := press_of(update.raw)) is not None
        ]

    def _watch(self, update: Taken, before: int) -> None:
        """Time a press from its take-in, not from its turn (`before`: updates taken in
        with it and queued ahead of it)."""
        if self.presses is not None and (press := press_of(update.raw)) is not None:
            ahead = self.runner.rounds_ahead(chat_key(update.raw), before)
            self.presses.watch(self.bot, press, ahead)

    async def _take_in(self, updates: Sequence[Taken]) -> None:
        """The one way updates come in, polled or posted to the webhook: the batch
        written to the inbox in one transaction (raises if the database refuses it:
        then nothing is handed on, and it must be delivered again), then handed to the
        runner as its JSON (the decoded objects are let go on return). An update whose
        row this process already keeps (delivered twice) is taken in once."""
        fresh = list({u.update_id: u for u in updates if u.update_id not in self._kept}.values())
        await self._store(fresh)
        self._kept.update(update.update_id for update in fresh)
        count, held = self._taken
        for update in fresh:
            held += self.runner.keep(*update)
        self._taken = (count + len(fresh), held)

    async def _store(self, fresh: list[Taken]) -> None:
        """Write a batch to the inbox (with the deletions due), before it is confirmed."""
        handled = self._take_handled()
        rows = [(update.update_id, update.text) for update in fresh]
        try:
            await self.inbox.keep(rows, handled, [chat_key(u.raw) for u in fresh])
        except BaseException:
            self._handled.extend(handled)
            raise
        self._kept.difference_update(handled)

    async def arrive(self, update: Taken) -> None:
        """Take in one update that came by itself (a webhook's request, kept as the
        text it was posted as): timed from
        now if a press, written with those arriving while the inbox is being written
        (one transaction for them all), handed to the runner; returns once it is
        durable, raises (`DatabaseError`) if the inbox refused it. Waits first while
        the updates kept hold `max_pending_bytes` (the sender then waits to send more)."""
        await self.runner.wait_room(self.max_pending_bytes)
        waiting = self._arriving.get(update.update_id)  # the same update twice at once
        if waiting is not None:
            stored = waiting[1]
        else:
            if update.update_id not in self._kept:
                self._watch(update, len(self._arriving))
            stored = asyncio.get_running_loop().create_future()
            # Retrieved even when its request was cut off (the client went away).
            stored.add_done_callback(lambda done: done.cancelled() or done.exception())
            self._arriving[update.update_id] = (update, stored)
            if self._writing is None or self._writing.done():
                self._writing = asyncio.create_task(self._write_arrivals(), name="inbox write")
        await asyncio.shield(stored)

    async def _write_arrivals(self) -> None:
        """Write what arrived, batch after batch, until nothing waits (group commit)."""
        while self._arriving:
            batch, self._arriving = self._arriving, {}
            try:
                await self._take_in([update for update, _ in batch.values()])
            except Exception as exc:
                for _, done in batch.values():
                    done.set_exception(exc)
            except BaseException:
                for _, done in batch.values():
                    done.cancel()
                raise
            else:
                for _, done in batch.values():
                    done.set_result(None)

    async def forget_handled(self) -> None:
        """Every `forget_every` seconds, delete the rows of the updates handled since
        (polling's `run` does it beside; a webhook's run as a task of its own)."""
        while True:
            await asyncio.sleep(self.forget_every)
            await self.forget()

    async def forget(self) -> None:
        """Delete the inbox rows of the updates handled so far (kept for later if the
        database fails: they would only be skipped after a restart)."""
        handled = self._take_handled()
        if not handled:
            return
        try:
            await self.inbox.forget(handled)
        except BaseException as exc:
            self._handled.extend(handled)
            if isinstance(exc, DatabaseError):
                log.warning("inbox rows of %d handled updates not deleted (%s)", len(handled), exc)
                return
            raise
        self._kept.difference_update(handled)

    async def stop(self, grace: float = 10.0) -> None:
        """Let the updates taken in finish (up to `grace` seconds), then stop their
        workers; what did not finish stays in the inbox for the next start."""
        polling = self._polling
        if polling is not None and not polling.done():  # no batch half-stored behind us
            polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await polling
        if self._writing is not None:  # a webhook's write under way ends (its 200 or error)
            with contextlib.suppress(Exception):
                await self._writing
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(grace):  # a cancelled stop is not swallowed
                await self.runner.wait_idle()
        await self.runner.cancel()
        await self.forget()
