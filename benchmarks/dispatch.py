"""Dispatcher benchmark: a city order and its answers through the bot's own dispatcher.

Why this exists: `benchmarks/engine.py` calls the services directly, so it says
nothing about what a person waits for. Between Telegram and the services sit the
chat-ordered runner (bot/dispatch.py), the middlewares (the once-only record, the
chat's unit, query access, the press guard), the routers, the outbox and the
sender. Issue 9 asks for ≥ 2,000 answers a second through the dispatcher on Yiwu,
a press answered within a second, `/status` at HQ under a second during the storm
and the city order's confirmation within 2 s. This measures exactly that path,
in one process, with the real `TowerBot` (its dispatcher, its sender, its
database) and a Telegram stand-in that answers every call at once, so the bot,
not a server, is the ceiling:

1. `/order 15m count …` is sent as the root commander in the HQ group: seconds to
   the confirmation in the HQ group, and to the last of the copies being sent
   (the sender keeps to its limits: paid broadcast, 1,000 a second, by default);
2. every unit's commander presses 收到 on the copy in his group, and every bottom
   unit also replies a number to it (as the drill's people do), all submitted at
   once: answers handled per second (from the first submitted to the last
   handled), how long each press waited for its first answerCallbackQuery (the
   bot's early toast counts: bot/press_watch.py), how many presses were answered
   early or by their handler, and how many late answers became chat messages, and
   how long each reply waited for its confirmation (the reaction) to be sent;
3. `/status` in the HQ group every `--status-every` (5) seconds during the storm:
   seconds until the handler was done and until its reply was sent;
4. the root total is checked against the sum of the values replied (a wrong
   number fails the run), and the process's peak RSS is reported, overall and per
   phase (order, copies, storm). The stand-in keeps little of its own: each copy as
   its JSON, and the updates waiting at the server unbuilt until getUpdates fetches
   them (as aiogram's session parses a real server's answer). So with `--polling`,
   the way the drill's bot takes its updates, the peak is the bot's plus a few tens
   of MB (the copies' JSON and the bench's timings); handed straight to the runner,
   the whole storm waits in the runner's queues, which polling bounds by the bytes
   of the JSON waiting (bot/dispatch.py, `max_pending_bytes`).
   Where the memory goes: `memray run --trace-python-allocators -o FILE -m
   benchmarks.dispatch ...`, then `memray tree FILE` (at the peak).

With `--polling` the updates go the way long polling takes them: the stand-in
serves getUpdates as Telegram does (at most 100 a call, forgotten below the
offset), and the bot's own `UpdatePoller` stores each batch in its durable inbox
before it confirms it (bot/dispatch.py); `--poll-rtt` gives each getUpdates a
network round trip, as a real server is some way off. Without `--polling` the
updates are handed straight to the chat-ordered runner, bypassing the poller. Not measured here: HTTP to a Bot
API server (aiohttp's session).

With `--webhook` the updates go the other way the bot takes them: the bot's own
webhook handler (bot/webhook.py, `TowerRequestHandler`, as `towerbot run --webhook`
serves it) listens on a free port of 127.0.0.1, and the stand-in POSTs each update
to it over real HTTP, as Telegram does: at most `--webhook-connections` (40,
Telegram's default `max_connections`) requests at once, in the order the updates
came, the next one on a connection only once the bot answered the last (the bot
answers once the update is stored in its inbox; it is handled from there, as a
polled update is). A press is timed at the server until its
request is sent, then in the bot until its first answer.

With `--bot-process` (and `--polling`) the bot runs alone in a process of its own,
as in production (benchmarks/dispatch_bot.py): its calls go to this process's
stand-in over a Unix socket as JSON, and `bot_peak_rss_mb` is the bot process's
own peak (VmHWM), the figure of issue 9's memory goal; `peak_rss_mb` is then the
stand-in's.

    python -m benchmarks.dispatch                       # Yiwu, 37,074 targets
    python -m benchmarks.dispatch --size 3600 --concurrency 64
    python -m benchmarks.dispatch --size 3600 --polling  # through getUpdates and the inbox
    python -m benchmarks.dispatch --size 3600 --webhook  # POSTed to the webhook handler
    python -m benchmarks.dispatch --polling --overlap --bot-process   # the bot's own peak RSS

With `--db URL` the bot's database is on that PostgreSQL server instead of a SQLite
file: the tower is imported once into database `towerbot_bench_<size>` there and each
run works on a fresh `CREATE DATABASE ... TEMPLATE` copy, dropped afterwards (the
engine benchmark's helpers, benchmarks/engine.py); the root total is read back from it
and checked as on SQLite. With `--webhook` the bot is then a webhook worker as on
PostgreSQL in production: its own inbox lease, each chat in order across workers
(bot/worker_order.py).

    python -m benchmarks.dispatch --size 3600 --webhook --db postgresql://u@127.0.0.1:PORT/postgres

With `--workers N` (and `--webhook`) the bot is N webhook workers, each a process of
its own on its own port, the stand-in POSTing the updates to them in turn
(benchmarks/dispatch_workers.py); two or more share a PostgreSQL database (`--db`).
A reply handled before its chat's press fails the run, as a wrong root total does.

Towers are the engine benchmark's (imported once into `--workdir`). Not part of
the test run; tests/bot/test_dispatch_bench_smoke.py runs it on Tashan (both engines).
"""

from __future__ import annotations

# The bot first, as its own process imports it: aiogram's types are then built on
# first use (bot/lazy_schemas.py), not all at once by aiogram's import.
from bot import lazy_schemas  # noqa: F401

# isort: split

import argparse
import asyncio
import contextlib
import cProfile
import dataclasses
import inspect
import itertools
import json
import os
import random
import resource
import shutil
import socket
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from aiogram import Bot, methods
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    GetMe,
    SendMessage,
    SetMessageReaction,
    TelegramMethod,
)
from aiogram.types import (
    Chat,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from pydantic import BaseModel, SecretStr

from benchmarks.dispatch_bot import LINE_LIMIT, BenchSession, status_mb
from benchmarks.engine import done_with, fresh, machine, prepare
from bot.dispatch import MAX_CONCURRENT, UpdatePoller, payload
from bot.press_watch import press_of
from bot.raw_updates import GetRawUpdates
from storage.pg import is_url

TOKEN = "7000000099:benchmark-dispatch-token"
BOT_USER = User(id=7000000099, is_bot=True, first_name="towerbot", username="towerbot_bench")
ORDER_TEXT = "统计外地返回人数"
WEBHOOK_SECRET = "benchmark_webhook_secret"
WEBHOOK_CONNECTIONS = 40  # Telegram's default max_connections for a webhook
# The bot process runs this checkout's code, not an installed copy.
CHECKOUT = str(Path(__file__).resolve().parents[1])

# The bot's own poller lets updates holding this many bytes wait before it stops fetching.
MAX_PENDING_BYTES: int = inspect.signature(UpdatePoller).parameters["max_pending_bytes"].default


class InstantTelegram(BenchSession):
    """Answers every Bot API call at once and notes when each thing the bench waits for happened."""

    def __init__(self, poll_rtt: float = 0.0) -> None:
        super().__init__()
        self.poll_rtt = poll_rtt  # a getUpdates' round trip (`--poll-rtt`)
        self._ids = itertools.count(10_000_000)
        self.copies: dict[int, Copy] = {}  # chat → the message carrying `ack:<order>`
        self.arrived: list[tuple[int, float]] = []  # (chat, when) of each copy, in order
        self.first_sent: dict[int, float] = {}  # chat → when its first message was sent
        self.replies: dict[tuple[int, int], float] = {}  # (chat, replied message) → when
        self.pressed: dict[str, float] = {}  # callback query id → when first answered
        self.press_answers: dict[str, int] = {}  # callback query id → answers it got
        self.fetched: dict[int, float] = {}  # update id → when getUpdates first gave it
        self.reacted: dict[tuple[int, int], float] = {}  # (chat, message) → when
        self.edited: dict[tuple[int, int], float] = {}  # (chat, message) → first edit
        self.calls = 0
        self.changed = asyncio.Event()
        # Not yet confirmed, each as what builds it: the storm waiting here is the
        # server's, so it is kept small and made into Updates only when fetched.
        self.inbound: deque[Pending] = deque()
        self.arrived_update = asyncio.Event()
        self.polls = 0

    def deliver(self, update: Pending) -> None:
        """Queue `update` for getUpdates (`--polling`)."""
        self.inbound.append(update)
        self.arrived_update.set()

    async def _get_updates(self, bot: Bot, method: GetRawUpdates) -> Any:
        """As Telegram: forget below the offset, then up to `limit` (100), waiting up
        to `timeout` seconds for one; the answer takes `poll_rtt` more to arrive, as
        its JSON, read by the bot's session as aiogram's HTTP session reads it."""
        self.polls += 1
        await asyncio.sleep(self.poll_rtt / 2)  # the request on its way
        while method.offset is not None and self.inbound:
            if self.inbound[0].update_id >= method.offset:
                break
            self.inbound.popleft()
        if not self.inbound:
            self.arrived_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived_update.wait(), method.timeout or 0)
        batch = list(itertools.islice(self.inbound, min(100, method.limit or 100)))
        content = json.dumps({"ok": True, "result": [u.build() for u in batch]}, ensure_ascii=False)
        await asyncio.sleep(self.poll_rtt / 2)  # the answer on its way
        now = time.perf_counter()
        for update in batch:
            self.fetched.setdefault(update.update_id, now)
        return self.check_response(bot, method, 200, content).result

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109 (aiogram's signature)
    ) -> Any:
        if isinstance(method, GetRawUpdates):
            return await self._get_updates(bot, method)
        now = time.perf_counter()
        self.calls += 1
        self.changed.set()
        if isinstance(method, GetMe):
            return BOT_USER
        if isinstance(method, SendMessage):
            return self._sent(bot, method, now)
        if isinstance(method, AnswerCallbackQuery):
            self.pressed.setdefault(method.callback_query_id, now)
            answers = self.press_answers.get(method.callback_query_id, 0) + 1
            self.press_answers[method.callback_query_id] = answers
        elif isinstance(method, SetMessageReaction):
            assert isinstance(method.chat_id, int)
            self.reacted[(method.chat_id, method.message_id)] = now
        elif isinstance(method, EditMessageText) and isinstance(method.chat_id, int):
            self.edited.setdefault((method.chat_id, method.message_id or 0), now)
            return Message(
                message_id=method.message_id or 0,
                date=datetime.now(UTC),
                chat=Chat(id=method.chat_id, type="supergroup"),
                from_user=BOT_USER,
                text=method.text,
            ).as_(bot)
        return True

    def _sent(self, bot: Bot, method: SendMessage, now: float) -> Message:
        assert isinstance(method.chat_id, int)
        chat = method.chat_id
        markup = (
            method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
        )
        message = Message(
            message_id=next(self._ids),
            date=datetime.now(UTC),
            chat=Chat(id=chat, type="supergroup" if chat < 0 else "private"),
            from_user=BOT_USER,
            text=method.text,
            reply_markup=markup,
        ).as_(bot)
        self.first_sent.setdefault(chat, now)
        replied = method.reply_parameters.message_id if method.reply_parameters else None
        if replied is not None:
            self.replies.setdefault((chat, replied), now)
        data = self.ack_data(message)
        if data and chat not in self.copies:  # kept as JSON: 37,074 models would dwarf the bot
            self.copies[chat] = Copy(
                message.model_dump_json(exclude_none=True, by_alias=True), data
            )
            self.arrived.append((chat, now))
        return message

    @staticmethod
    def ack_data(message: Message) -> str:
        """The message's 收到 button data (`ack:<order>`), or "" when it has none."""
        markup = message.reply_markup
        buttons = [b for row in markup.inline_keyboard for b in row] if markup else []
        return next(
            (str(b.callback_data) for b in buttons if str(b.callback_data).startswith("ack:")), ""
        )


class Copy(NamedTuple):
    """A copy as the stand-in keeps it: the message's JSON and its 收到 button's data."""

    json: str
    data: str

    def message(self) -> dict[str, Any]:
        """The copy as the Bot API sends a message (a reply's, a press's)."""
        message: dict[str, Any] = json.loads(self.json)
        return message


class Pending(NamedTuple):
    """An update not yet built: its ids, and how to build its Bot API JSON object
    (when it is handed over)."""

    update_id: int
    message_id: int  # the message's, or the pressed copy's
    build: Callable[[], dict[str, Any]]
    chat: int  # where it happened: the webhook sends a chat's updates one at a time


class Updates:
    """Telegram updates as the people of the tower would send them."""

    def __init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    def message(self, chat: int, user: int, text: str, reply_to: Copy | None = None) -> Pending:
        update_id, message_id = next(self._update_ids), next(self._message_ids)
        date = datetime.now(UTC)

        def build() -> dict[str, Any]:
            message: dict[str, Any] = {
                "message_id": message_id,
                "date": int(date.timestamp()),
                "chat": {"id": chat, "type": "supergroup"},
                "from": person(user),
                "text": text,
            }
            if text.startswith("/"):
                length = len(text.split(" ", 1)[0])
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
            if reply_to is not None:
                message["reply_to_message"] = reply_to.message()
            return {"update_id": update_id, "message": message}

        return Pending(update_id, message_id, build, chat)

    def press(self, user: int, chat: int, copy: Copy) -> Pending:
        update_id = next(self._update_ids)

        def build() -> dict[str, Any]:
            query = {
                "id": f"q{update_id}",
                "from": person(user),
                "chat_instance": str(chat),
                "message": copy.message(),
                "data": copy.data,
            }
            return {"update_id": update_id, "callback_query": query}

        return Pending(update_id, 0, build, chat)


def person(user: int) -> dict[str, Any]:
    """A person of the tower as the Bot API sends one."""
    return {"id": user, "is_bot": False, "first_name": f"u{user}"}


class Memory:
    """A process's resident memory through the run, its peak within each phase
    (sampled every `every` seconds; the exact peak is the kernel's, at the end)."""

    def __init__(self, pid: int | str = "self", every: float = 0.2) -> None:
        self.pid = pid
        self.every = every
        self.phase = "started"
        self.peaks: dict[str, float] = {}

    def sample(self) -> float:
        now = status_mb("VmRSS", self.pid)
        if now > self.peaks.get(self.phase, 0.0):
            self.peaks[self.phase] = now
        return now

    async def watch(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.every)


class InProcessBot:
    """The bot in the benchmark's own process (its peak is the bot's and the stand-in's)."""

    pid: int | str = "self"

    def __init__(
        self,
        session: InstantTelegram,
        db_path: str,
        concurrency: int,
        paid: bool,
        polling: bool,
        settle: bool,
        handled: Callable[[int, float], None],
        max_pending_bytes: int,
        inbox: bool = False,
    ) -> None:
        """`inbox`: updates go through the bot's poller and inbox (`polling`, or the
        webhook's requests with `inbox` alone); otherwise straight to a runner."""
        from bot.access import is_query
        from bot.app import TowerBot
        from bot.dispatch import ChatOrderedRunner, UpdatePoller
        from bot.settings import SenderLimits, Settings

        self.session = session
        self.polling = polling
        self.settle = settle
        settings = Settings(
            bot_token=SecretStr(TOKEN), db=db_path, limits=SenderLimits(paid_broadcast=paid)
        )
        self.tower = tower = TowerBot(settings, session)

        async def handle(update: Update, chat: int) -> None:
            try:
                await tower.dispatcher.feed_update(tower.bot, update)
            finally:
                handled(update.update_id, time.perf_counter())

        if polling or inbox:  # the bot's own poller and inbox, each update timed as handled
            tower.poller = UpdatePoller(
                tower.bot,
                tower.dispatcher,
                tower.poller.inbox,  # on PostgreSQL this worker's own rows (its lease)
                max_concurrent=concurrency,
                max_pending_bytes=max_pending_bytes,
                quick=is_query,
                presses=tower.presses,
            )
            self.runner = tower.poller.runner
            self.runner.handle = handle
            # A webhook worker on PostgreSQL handles under its chat's order across
            # workers (bot/worker_order.py), which `start` puts before `handle`.
            tower.worker_order.handle = handle
        else:  # as bot/app.py's poller, presses timed from their hand-over
            self.runner = ChatOrderedRunner(
                handle, concurrency, quick=is_query, on_handled=tower.presses.finished
            )

    async def start(self) -> None:
        from bot import heap

        await self.tower.start(polling=self.polling)
        if self.settle:  # as `towerbot run` does once its bots are built (not in a test's process)
            heap.settle()

    def hand(self, update: Pending) -> None:
        if self.polling:
            self.session.deliver(update)
        else:
            raw = update.build()
            self.tower.presses.watch(self.tower.bot, press_of(raw))
            self.runner.keep(update.update_id, raw, payload(raw))

    async def idle(self) -> None:
        await self.runner.wait_idle()

    def press_counts(self) -> dict[str, int] | None:
        """How the bot's presses were answered (bot/press_watch.py)."""
        return dataclasses.asdict(self.tower.presses.counts)

    async def stop(self) -> float | None:
        """Stop the bot; the bot's own peak RSS in MB (None: not measured apart)."""
        await self.runner.cancel()
        await self.tower.stop()
        return None


class WebhookPoster:
    """Telegram's side of a webhook (`--webhook`): each update POSTed over HTTP on
    127.0.0.1, `connections` requests at once at most, in the order the updates came,
    to the given URLs in turn (round robin: Telegram POSTs to one URL, and a balancer
    in front of several workers, reading no body, spreads the requests). A chat's
    next update waits until its previous one was answered 200, as Telegram sends
    them (docs/webhook.md): posted at once, a reply could be stored at one worker
    before its press at another, and be handled first."""

    def __init__(self, session: InstantTelegram, connections: int) -> None:
        self.session = session
        self.connections = connections
        self.waiting: deque[Pending] = deque()  # at the server, not yet POSTed
        self.posting: set[int] = set()  # chats with a request under way
        self.arrived = asyncio.Event()
        self.refused = 0  # requests the bot did not answer 200 (sent again, as Telegram does)
        self.workers: list[asyncio.Task[None]] = []

    async def open(self, urls: list[str]) -> None:
        from aiohttp import ClientSession, TCPConnector

        self.urls = itertools.cycle(urls)
        self.http = ClientSession(connector=TCPConnector(limit=self.connections))
        self.workers = [asyncio.create_task(self._deliver()) for _ in range(self.connections)]

    async def _deliver(self) -> None:
        """One connection of the server's: the next update waiting, POSTed until the
        bot answers 200 (then it is in the bot's inbox; its runner says when handled)."""
        from bot.webhook import SECRET_HEADER

        headers = {SECRET_HEADER: WEBHOOK_SECRET, "Content-Type": "application/json"}
        while True:
            while (pending := self._next()) is None:
                self.arrived.clear()
                await self.arrived.wait()
            body = json.dumps(pending.build(), ensure_ascii=False)
            self.session.fetched.setdefault(pending.update_id, time.perf_counter())
            self.posting.add(pending.chat)
            try:
                while True:
                    async with self.http.post(
                        next(self.urls), data=body, headers=headers
                    ) as answer:
                        await answer.read()
                    if answer.status == 200:
                        break
                    self.refused += 1
                    await asyncio.sleep(0.1)
            finally:
                self.posting.discard(pending.chat)
                self.arrived.set()  # its chat's next update may go

    def _next(self) -> Pending | None:
        """The oldest update waiting whose chat has no request under way (taken off)."""
        for index, pending in enumerate(self.waiting):
            if pending.chat not in self.posting:
                del self.waiting[index]
                return pending
        return None

    def hand(self, update: Pending) -> None:
        self.waiting.append(update)
        self.arrived.set()

    async def close(self) -> None:
        for worker in self.workers:
            worker.cancel()
        for worker in self.workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        await self.http.close()


class WebhookBot:
    """The bot in this process (`bot`, built to take no updates by polling) taking its
    updates through its own webhook handler on 127.0.0.1, POSTed by the stand-in."""

    pid: int | str = "self"

    def __init__(self, bot: InProcessBot, connections: int) -> None:
        self.bot = bot
        self.tower = bot.tower
        self.poster = WebhookPoster(bot.session, connections)

    @property
    def refused(self) -> int:
        return self.poster.refused

    async def start(self) -> None:
        from aiohttp import web

        from bot.webhook import TowerRequestHandler

        await self.bot.start()
        app = web.Application()
        handler = TowerRequestHandler(
            self.tower.dispatcher, self.tower.bot, SecretStr(WEBHOOK_SECRET), self.tower.poller
        )
        handler.register(app, path="/hook")
        self.server = web.AppRunner(app, access_log=None)
        await self.server.setup()
        listening = socket.socket()
        listening.bind(("127.0.0.1", 0))  # a free port, this machine only
        await web.SockSite(self.server, listening).start()
        await self.poster.open([f"http://127.0.0.1:{listening.getsockname()[1]}/hook"])

    def hand(self, update: Pending) -> None:
        self.poster.hand(update)

    async def idle(self) -> None:
        await self.bot.idle()

    def press_counts(self) -> dict[str, int] | None:
        return self.bot.press_counts()

    async def stop(self) -> float | None:
        await self.poster.close()
        await self.server.cleanup()
        return await self.bot.stop()


class ChildBot:
    """The bot alone in a process of its own (benchmarks/dispatch_bot.py), taking its
    updates by polling, its calls relayed to this process's stand-in over a Unix socket."""

    def __init__(
        self,
        session: InstantTelegram,
        db_path: str,
        concurrency: int,
        paid: bool,
        handled: Callable[[int, float], None],
        secret: str | None = None,
    ) -> None:
        """`secret`: a webhook worker (on `self.port` once started), not polling."""
        self.session = session
        self.secret = secret
        self.port = 0
        self.db_path = db_path
        self.concurrency = concurrency
        self.paid = paid
        self.handled = handled
        self.bot = Bot(TOKEN, session=session)  # binds the stand-in's answers, as aiogram does
        self.started = asyncio.Event()
        self.stopped = asyncio.Event()
        self.vmhwm_mb: float | None = None
        self.calls: set[asyncio.Task[None]] = set()
        self.writer: asyncio.StreamWriter | None = None
        self.pid: int | str = "self"

    async def start(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="dispatch-bot-")
        path = str(Path(self.dir) / "bot.sock")
        self.server = await asyncio.start_unix_server(self._serve, path, limit=LINE_LIMIT)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([CHECKOUT, os.environ.get("PYTHONPATH", "")]),
        }
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.dispatch_bot",
            path,
            self.db_path,
            TOKEN,
            str(self.concurrency),
            "paid" if self.paid else "telegram",
            *([self.secret] if self.secret is not None else []),
            env=env,
        )
        self.pid = self.process.pid
        await self._until(self.started, 300)

    async def _until(self, event: asyncio.Event, limit: float) -> None:
        """Until `event`, or an error if the bot's process ends first or `limit` passes."""
        waiting = asyncio.create_task(event.wait())
        ended = asyncio.create_task(self.process.wait())
        done, _ = await asyncio.wait({waiting, ended}, timeout=limit, return_when="FIRST_COMPLETED")
        waiting.cancel()
        ended.cancel()
        if waiting not in done:
            raise RuntimeError(
                f"the bot's process ended or did not answer (rc {self.process.returncode})"
            )

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        while line := await reader.readline():
            message = json.loads(line)
            if "call" in message:
                task = asyncio.create_task(self._call(message))
                self.calls.add(task)
                task.add_done_callback(self.calls.discard)
            elif "handled" in message:
                self.handled(message["handled"], message["at"])
            elif message.get("started"):
                self.port = message.get("port", 0)
                self.started.set()
            elif message.get("stopped"):
                self.vmhwm_mb = message["vmhwm_mb"]
                self.stopped.set()

    async def _call(self, message: dict[str, Any]) -> None:
        kind = (
            GetRawUpdates
            if message["method"] == "GetRawUpdates"
            else getattr(methods, message["method"])
        )
        method = kind.model_validate(message["data"])
        result = await self.session.make_request(self.bot, method)
        answer = {"reply": message["call"], "result": _jsonable(result)}
        assert self.writer is not None
        self.writer.write(json.dumps(answer, ensure_ascii=False).encode() + b"\n")

    def hand(self, update: Pending) -> None:
        self.session.deliver(update)

    def press_counts(self) -> dict[str, int] | None:
        return None  # in the bot's process; the stand-in counts answers per press

    async def idle(self) -> None:
        return None  # every update handed over was reported handled

    async def stop(self) -> float | None:
        """Stop the bot's process; its peak RSS (VmHWM) in MB."""
        try:
            if self.writer is not None and self.process.returncode is None:
                self.writer.write(b'{"stop": true}\n')
                await self._until(self.stopped, 120)
            await asyncio.wait_for(self.process.wait(), 60)
        finally:
            if self.process.returncode is None:
                self.process.kill()
                await self.process.wait()
            for task in list(self.calls):
                task.cancel()
            self.server.close()
            shutil.rmtree(self.dir, ignore_errors=True)
        return self.vmhwm_mb


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU seconds the processes `pids` have used so far (/proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def _jsonable(result: Any) -> Any:
    """A Bot API result as the JSON a server answers (models by their field aliases)."""
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json", exclude_none=True, by_alias=True)
    if isinstance(result, list):
        return [_jsonable(item) for item in result]
    return result


async def root_total(db_path: str, order_id: int) -> int:
    """The order's root total, read from the file or the database once the bot has stopped."""
    from storage.db import Database

    async with Database(db_path) as db:
        sql = "SELECT subtotal FROM order_units WHERE order_id = ? AND is_root = 1"
        async with db.conn.execute(sql, (order_id,)) as cur:
            row = await cur.fetchone()
    if row is None:
        raise RuntimeError(f"order {order_id} has no root row")
    return int(row[0])


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _units(db_path: str) -> list[tuple[int, int, bool, bool]]:
    """(chat, commander, is root, is bottom) of every unit with a group and a commander."""
    from storage.db import Database

    db = await Database(db_path).open()
    try:
        sql = (
            "SELECT u.chat_id, u.commander_id, u.parent IS NULL,"
            " NOT EXISTS (SELECT 1 FROM units c WHERE c.parent = u.code)"
            " FROM units u WHERE u.chat_id IS NOT NULL AND u.commander_id IS NOT NULL"
        )
        async with db.conn.execute(sql) as cur:
            rows = await cur.fetchall()
    finally:
        await db.close()
    return [(int(r[0]), int(r[1]), bool(r[2]), bool(r[3])) for r in rows]


async def _until(session: InstantTelegram, done: Any, limit: float) -> float:
    """Wait until `done()`; seconds it took (a RuntimeError after `limit`)."""
    started = time.perf_counter()
    while not done():
        if time.perf_counter() - started > limit:
            raise RuntimeError(f"gave up after {limit:.0f} s")
        session.changed.clear()
        try:
            await asyncio.wait_for(session.changed.wait(), 0.5)
        except TimeoutError:
            pass
    return time.perf_counter() - started


async def run(
    db_path: str,
    concurrency: int,
    paid: bool,
    status_every: float,
    seed: int,
    overlap: bool = False,
    polling: bool = False,
    poll_rtt: float = 0.0,
    settle: bool = False,
    bot_process: bool = False,
    max_pending_bytes: int = MAX_PENDING_BYTES,
    webhook: bool = False,
    webhook_connections: int = WEBHOOK_CONNECTIONS,
    profiler: cProfile.Profile | None = None,
    workers: int = 0,
) -> dict[str, Any]:
    """One run; `bot_process`: the bot alone in a process of its own (by polling);
    `max_pending_bytes`: the bytes of updates the poller lets wait in the bot before it
    stops fetching; `profiler` runs during the storm only (its first answer submitted
    to its last handled), the part `answers_per_second` measures; `workers` (with
    `webhook`): that many webhook workers, each a process of its own
    (benchmarks/dispatch_workers.py), 0: the bot in this process."""
    if bot_process and not polling:
        raise ValueError("the bot in its own process takes its updates by polling")
    if workers and not webhook:
        raise ValueError("--workers are webhook workers: give --webhook")
    if webhook and polling:
        raise ValueError("updates come by polling or by the webhook, not both")
    if bot_process and max_pending_bytes != MAX_PENDING_BYTES:
        raise ValueError("--max-pending-bytes is for the bot in this process")
    from benchmarks.dispatch_workers import WebhookWorkers  # which builds on this module

    units = await _units(db_path)
    root_chat, root_commander = next((c, u) for c, u, is_root, _ in units if is_root)
    targets = [(c, u, bottom) for c, u, is_root, bottom in units if not is_root]
    session = InstantTelegram(poll_rtt)
    handled_at: dict[int, float] = {}
    progressed = asyncio.Event()

    def handled(update_id: int, at: float) -> None:
        handled_at[update_id] = at
        progressed.set()

    side: InProcessBot | ChildBot | WebhookBot | WebhookWorkers
    apart = polling or webhook  # a press waits at the server before the bot has it
    if workers:
        side = WebhookWorkers(
            session, db_path, workers, concurrency, paid, handled, webhook_connections
        )
    elif bot_process:
        side = ChildBot(session, db_path, concurrency, paid, handled)
    elif webhook:
        bot = InProcessBot(
            session, db_path, concurrency, paid, False, settle, handled, max_pending_bytes, True
        )
        side = WebhookBot(bot, webhook_connections)
    else:
        side = InProcessBot(
            session, db_path, concurrency, paid, polling, settle, handled, max_pending_bytes
        )
    await side.start()
    memory = Memory(side.pid)

    def bot_cpu() -> float | None:
        """CPU seconds the bot's own processes have used so far (None: it runs here)."""
        if isinstance(side, WebhookWorkers):
            return cpu_seconds([int(child.pid) for child in side.children])
        if isinstance(side, ChildBot):
            return cpu_seconds([int(side.pid)])
        return None

    watching = asyncio.create_task(memory.watch())
    handed: list[int] = []  # every update id handed over, by either way
    bot_peak: float | None = None

    def hand(update: Pending) -> None:
        handed.append(update.update_id)
        side.hand(update)

    async def settled() -> None:
        """Until every update handed over has been handled."""
        while len(handled_at) < len(handed):  # each id is handed over once
            progressed.clear()
            await progressed.wait()
        await side.idle()

    make = Updates()
    try:
        # 1. The order, its confirmation in the HQ group, and its copies.
        started = time.perf_counter()
        order_update = make.message(root_chat, root_commander, f"/order 15m count {ORDER_TEXT}")
        memory.phase = "order"
        hand(order_update)
        await _until(session, lambda: root_chat in session.first_sent, 120)
        await settled()
        memory.sample()
        memory.phase = "copies and storm" if overlap else "copies"
        rng = random.Random(seed)
        pending = {chat: (user, bottom) for chat, user, bottom in targets}
        presses: dict[str, int] = {}  # callback query id → update id
        marks: dict[tuple[int, int], int] = {}  # (chat, pressed copy) → the press's update id
        replies: dict[tuple[int, int], int] = {}  # (chat, message) → update id
        values: dict[int, int] = {}
        submitted: dict[int, float] = {}
        asked: dict[tuple[int, int], int] = {}  # (HQ chat, /status message) → update id

        def answer(chat: int) -> None:
            """The commander presses 收到 on his copy; a bottom unit's also replies a
            number to it, right after (one person, one chat, in order)."""
            user, bottom = pending.pop(chat)
            copy = session.copies[chat]
            press = make.press(user, chat, copy)
            presses[f"q{press.update_id}"] = press.update_id
            marks[(chat, json.loads(copy.json)["message_id"])] = press.update_id
            updates = [press]
            if bottom:
                values[chat] = rng.randint(0, 12)
                reply = make.message(chat, user, str(values[chat]), reply_to=copy)
                replies[(chat, reply.message_id)] = reply.update_id
                updates.append(reply)
            for update in updates:
                submitted[update.update_id] = time.perf_counter()
                hand(update)

        over = asyncio.Event()

        async def ask() -> None:
            while not over.is_set():
                update = make.message(root_chat, root_commander, "/status")
                asked[(root_chat, update.message_id)] = update.update_id
                submitted[update.update_id] = time.perf_counter()
                hand(update)
                await asyncio.sleep(status_every)

        asker = asyncio.create_task(ask())
        # 2. The storm: after every copy is out, all at once in random order; or with
        # `overlap`, each unit as soon as its copy arrives (answers compete with the
        # copies still going out, as when people are quick).
        if overlap:
            storm_started, storm_cpu = time.perf_counter(), time.process_time()
            bot_storm_cpu = bot_cpu()
            if profiler is not None:
                profiler.enable()
            seen = 0
            while pending:
                await _until(session, lambda n=seen: len(session.arrived) > n, 1800)
                for chat, _ in session.arrived[seen:]:
                    if chat in pending:
                        answer(chat)
                seen = len(session.arrived)
        else:
            await _until(session, lambda: len(session.copies) >= len(targets), 1800)
            memory.sample()
            memory.phase = "storm"
            chats = list(pending)
            rng.shuffle(chats)
            storm_started, storm_cpu = time.perf_counter(), time.process_time()
            bot_storm_cpu = bot_cpu()
            if profiler is not None:
                profiler.enable()
            for chat in chats:
                answer(chat)
        all_out = max(at for _, at in session.arrived) - started
        data = {copy.data for copy in session.copies.values()}
        if len(data) != 1:
            raise RuntimeError(f"copies carry {len(data)} different 收到 buttons")
        order_id = int(data.pop().split(":")[1])

        await settled()
        storm = time.perf_counter() - storm_started
        storm_cpu = time.process_time() - storm_cpu
        bot_cpu_after = bot_cpu()
        if bot_cpu_after is not None and bot_storm_cpu is not None:
            bot_storm_cpu = bot_cpu_after - bot_storm_cpu
        if profiler is not None:
            profiler.disable()
        memory.sample()
        memory.phase = "after"
        over.set()
        await asker
        await settled()

        def confirmed(key: tuple[int, int]) -> float | None:
            return session.reacted.get(key) or session.replies.get(key)

        # What is still awaited, shrinking as it arrives: re-checking every key on each
        # call the stand-in answers would cost the loop more than the bot itself.
        awaited: list[tuple[set[Any], Callable[[Any], bool]]] = [
            (set(presses), lambda q: q in session.pressed),
            (set(replies), lambda k: confirmed(k) is not None),
            (set(asked), lambda k: k in session.replies),
            (set(marks), lambda k: k in session.edited),
        ]

        def all_arrived() -> bool:
            for keys, arrived in awaited:
                keys.difference_update([k for k in keys if arrived(k)])
            return not any(keys for keys, _ in awaited)

        await _until(session, all_arrived, 600)
        press_waits = [session.pressed[q] - submitted[u] for q, u in presses.items()]
        press_counts = side.press_counts()
        # How long a press waited at the server (the poller takes no batch while
        # updates holding `max_pending_bytes` wait in the bot), and from its fetch to its answer.
        fetched = session.fetched if apart else submitted
        press_at_server = [fetched[u] - submitted[u] for u in presses.values()]
        press_in_bot = [session.pressed[q] - fetched[u] for q, u in presses.items()]
        reply_waits = [(confirmed(k) or 0.0) - submitted[u] for k, u in replies.items()]
        # From the reply handled (its confirmation queued) to the confirmation sent: the
        # sender's part of the wait.
        reply_queued = [(confirmed(k) or 0.0) - handled_at[u] for k, u in replies.items()]
        copies_sent = len(session.copies)
        # From the press handled to its copy edited to "✅ 已收到 · name".
        mark_queued = [session.edited[k] - handled_at[u] for k, u in marks.items()]
        status_handled = [handled_at[u] - submitted[u] for u in asked.values()]
        status_sent = [session.replies[k] - submitted[u] for k, u in asked.items()]
        # A chat's reply handled before its press (sent first) would be its order lost.
        pressed_in = {chat: u for (chat, _), u in marks.items()}
        overtaken = sum(handled_at[u] < handled_at[pressed_in[c]] for (c, _), u in replies.items())
    finally:
        memory.sample()
        watching.cancel()
        bot_peak = await side.stop()
    # 3. The numbers must be exact.
    total = await root_total(db_path, order_id)
    expected = sum(values.values())
    if total != expected:
        raise RuntimeError(f"root total {total} != {expected} replied")
    if overtaken:
        raise RuntimeError(f"{overtaken} replies handled before their chat's press")
    return {
        "targets": len(targets),
        "concurrency": concurrency,
        "max_pending_bytes": max_pending_bytes,
        "overlap": overlap,
        "polling": polling,
        "webhook": webhook,
        "webhook_connections": webhook_connections if webhook else None,
        "webhook_workers": workers or None,
        "webhook_requests_refused": side.refused
        if isinstance(side, WebhookBot | WebhookWorkers)
        else None,
        "get_updates_calls": session.polls,
        "poll_rtt_s": poll_rtt,
        "paid_broadcast": paid,
        "order_confirmation_s": session.first_sent[root_chat] - started,
        "order_handled_s": handled_at[order_update.update_id] - started,
        "all_copies_out_s": all_out,
        "answers": len(presses) + len(replies),
        "storm_s": storm,
        "answers_per_second": (len(presses) + len(replies)) / storm,
        # CPU of this process (all its threads) through the storm, per answer: less moved
        # by the other processes' load than the rate is (in --bot-process, the
        # stand-in's only).
        "storm_cpu_s": storm_cpu,
        "storm_cpu_ms_per_answer": 1000 * storm_cpu / (len(presses) + len(replies)),
        # The same for the bot's own processes when it runs apart (every webhook
        # worker's, summed; the bot's with --bot-process), read from /proc.
        "bot_storm_cpu_s": bot_storm_cpu,
        "bot_storm_cpu_ms_per_answer": None
        if bot_storm_cpu is None
        else 1000 * bot_storm_cpu / (len(presses) + len(replies)),
        "press_answered_p50_s": _pct(press_waits, 50),
        "press_answered_p99_s": _pct(press_waits, 99),
        "press_answered_max_s": max(press_waits),
        # Every press got one answerCallbackQuery: the bot's early toast (bot/press_watch.py)
        # or its handler's; a handler's answer after the toast is told in the chat or dropped.
        "press_answers_most_for_one_press": max(session.press_answers.values()),
        "press_at_server_p50_s": _pct(press_at_server, 50) if apart else None,
        "press_at_server_max_s": max(press_at_server) if apart else None,
        "press_fetched_to_answered_p50_s": _pct(press_in_bot, 50) if apart else None,
        "press_fetched_to_answered_p99_s": _pct(press_in_bot, 99) if apart else None,
        "press_fetched_to_answered_max_s": max(press_in_bot) if apart else None,
        "presses_answered_early": press_counts["early"] if press_counts else None,
        "presses_answered_by_handler": press_counts["by_handler"] if press_counts else None,
        "late_answers_told_in_chat": press_counts["late_told"] if press_counts else None,
        "late_answers_dropped": press_counts["late_dropped"] if press_counts else None,
        "reply_confirmed_p50_s": _pct(reply_waits, 50),
        "reply_confirmed_max_s": max(reply_waits, default=float("nan")),
        "reply_queued_to_confirmed_p50_s": _pct(reply_queued, 50),
        "reply_queued_to_confirmed_max_s": max(reply_queued, default=float("nan")),
        "mark_queued_to_edited_p50_s": _pct(mark_queued, 50),
        "mark_queued_to_edited_max_s": max(mark_queued, default=float("nan")),
        "copies_sent": copies_sent,
        "status_asked": len(asked),
        "status_handled_p50_s": _pct(status_handled, 50),
        "status_handled_max_s": max(status_handled),
        "status_sent_max_s": max(status_sent),
        "root_total": total,
        "bot_calls": session.calls,
        "bot_process": bot_process,
        # This process's peak: the bot's and the stand-in's, or with `bot_process`
        # the stand-in's alone.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # The bot process's own peak (VmHWM), when it ran apart (the largest worker's).
        "bot_peak_rss_mb": bot_peak,
        # The bot's process, sampled (with `bot_process`), else this one.
        "rss_peak_by_phase_mb": {phase: round(mb, 1) for phase, mb in memory.peaks.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dispatch", description=__doc__)
    parser.add_argument("--size", type=int, default=37_074, help="targets (a prefix of Yiwu)")
    parser.add_argument(
        "--concurrency", type=int, default=MAX_CONCURRENT, help="chats handled at once"
    )
    parser.add_argument("--limits", choices=["paid", "telegram"], default="paid")
    # Telegram lets a group receive ~20 messages a minute: a /status every second
    # would measure the HQ group's budget, not the bot.
    parser.add_argument("--status-every", type=float, default=5.0, help="seconds between /status")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--overlap", action="store_true", help="answer each copy as it arrives, not after all"
    )
    parser.add_argument(
        "--polling",
        action="store_true",
        help="take the updates by getUpdates through the bot's poller and inbox",
    )
    parser.add_argument(
        "--webhook",
        action="store_true",
        help="POST the updates to the bot's own webhook handler over HTTP on 127.0.0.1",
    )
    parser.add_argument(
        "--webhook-connections",
        type=int,
        default=WEBHOOK_CONNECTIONS,
        help="with --webhook: requests at once at most (Telegram's max_connections)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="with --webhook: that many webhook worker processes (2 or more: with --db)",
    )
    parser.add_argument(
        "--poll-rtt",
        type=float,
        default=0.0,
        help="with --polling: seconds each getUpdates takes on the network (0: none)",
    )
    parser.add_argument(
        "--bot-process",
        action="store_true",
        help="with --polling: the bot alone in a process of its own; its own peak RSS",
    )
    parser.add_argument(
        "--max-pending-bytes",
        type=int,
        default=MAX_PENDING_BYTES,
        help="with --polling: bytes of updates waiting in the bot before its poller stops"
        " fetching (their JSON and a fixed cost each)",
    )
    parser.add_argument("--csv", type=Path, help="the Yiwu CSV (default: generated, seed 1)")
    parser.add_argument("--workdir", type=Path, help="where towers are kept between runs")
    parser.add_argument(
        "--tower", help="an imported tower to copy (not Yiwu): a file, or with --db a database URL"
    )
    parser.add_argument(
        "--db", help="a postgresql:// URL: the bot's database on that server, not a SQLite file"
    )
    parser.add_argument("--json", type=Path, help="also write the result here")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the storm here")
    args = parser.parse_args(argv)
    if args.db is not None and not is_url(args.db):
        parser.error("--db takes a postgresql:// URL (SQLite runs need no --db)")
    if args.tower is not None:
        template = str(args.tower)
    else:
        workdir = args.workdir or Path(tempfile.gettempdir()) / "towerbot-engine-bench"
        template = prepare(workdir, [args.size], args.csv, args.db).dbs[args.size]
    with tempfile.TemporaryDirectory() as tmp:
        db_path = asyncio.run(fresh(template, Path(tmp)))
        profiler = cProfile.Profile() if args.profile else None
        job = run(
            db_path,
            args.concurrency,
            args.limits == "paid",
            args.status_every,
            args.seed,
            args.overlap,
            args.polling,
            args.poll_rtt,
            settle=True,
            bot_process=args.bot_process,
            max_pending_bytes=args.max_pending_bytes,
            webhook=args.webhook,
            webhook_connections=args.webhook_connections,
            profiler=profiler,
            workers=args.workers,
        )
        try:
            result = asyncio.run(job)
        finally:
            asyncio.run(done_with(db_path))
        if profiler is not None:
            profiler.dump_stats(str(args.profile))
    result["machine"] = machine()
    text = json.dumps(result, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
