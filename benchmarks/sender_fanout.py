"""Fan-out benchmark: one message into each of N groups, under Telegram's limits.

Why this exists: an order goes into the group of every unit below the issuer --
224 groups for the Tashan tower, tens of thousands for a city -- and Telegram
allows a bot about 30 messages a second.  The sender is only as good as its
share of that budget, so this measures it against the sandbox with limits
switched on, side by side with the broadcaster many bots use (send, sleep
50 ms, on 429 sleep `retry_after` and retry):

  (a) towerbot: N order rows queued in a temporary SQLite outbox in one
      transaction, drained by `bot.sender.Sender.run()` until none is pending;
  (b) naive: a loop over the groups with `bot.send_message` and
      `asyncio.sleep(0.05)` between sends.

Each contender gets a fresh sandbox (same limits), in its own process by default
(`python -m sandbox --port 0`) so the server's CPU does not eat the sender's (the machine has 2 cores; real
Telegram is not on the bot's CPU either).  The numbers come from the sandbox's
`GET /control/stats`: 429s it answered and messages it accepted per chat.
Everything talks to 127.0.0.1 only, and each run stops by itself (`--timeout`).

    python -m benchmarks.sender_fanout --groups 3000 --scale 10

`--scale 10` multiplies every limit by 10 (300/s overall, 10/s per chat,
200/min per group) so the run takes seconds instead of minutes; the sender is
given the same limits.  `--profile` adds a cProfile of the towerbot run and a
time breakdown of the sender's work (outbox reads, HTTP, transactions).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import hashlib
import inspect
import io
import multiprocessing
import platform
import pstats
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramRetryAfter
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.sender import Sender
from bot.settings import SenderLimits
from cascade.outgoing import Button, MessageRef, OutgoingMessage, Priority
from sandbox.limits import SandboxLimits
from sandbox.server import SandboxServer
from sandbox.state import SandboxState
from storage.db import Database

HOST = "127.0.0.1"
TOKEN = "7000000099:BENCHfanoutTOKENxxxxxxxxxxxxxxxxxxxx"
FIRST_CHAT_ID = -1005000000000
ORDER_TEXT = (
    "<b>【指令】</b>今晚20:00前各楼栋排查返乡人员，逐户登记，按「收到」确认。\n"
    "<i>塔山区块指挥部 · 15分钟内回复</i>"
)
ACK = "ack:1"
UNFINISHED = ("pending", "sending")  # outbox statuses the sender still has to act on


# ---------------------------------------------------------------------- the sandbox


@contextlib.asynccontextmanager
async def sandbox(in_process: bool) -> AsyncIterator[str]:
    """A fresh sandbox on 127.0.0.1 (`python -m sandbox --port 0` in a child
    process, or in this one); yields its base URL and stops it afterwards."""
    if in_process:
        async with SandboxServer(HOST, 0, SandboxState()) as server:
            yield server.base_url
        return
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sandbox",
        "--host",
        HOST,
        "--port",
        "0",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 120)
        match = re.search(r"(http://\S+)", line.decode())
        if match is None:
            raise RuntimeError(f"the sandbox did not start: {line!r}")
        yield match.group(1)
    finally:
        if process.returncode is None:
            process.terminate()  # SIGTERM: the sandbox stops cleanly
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()


async def control(
    http: aiohttp.ClientSession, base_url: str, method: str, path: str, body: Any = None
) -> Any:
    async with http.request(method, f"{base_url}/control/{path}", json=body) as response:
        answer = await response.json()
        if response.status != 200:
            raise RuntimeError(f"{method} /control/{path}: {response.status} {answer}")
        return answer


async def prepare(
    http: aiohttp.ClientSession, base_url: str, chat_ids: list[int], limits: SandboxLimits
) -> None:
    await control(http, base_url, "POST", "bots", {"token": TOKEN})
    chats = [
        {"id": c, "title": f"楼栋 {i + 1}", "type": "supergroup"} for i, c in enumerate(chat_ids)
    ]
    await control(http, base_url, "POST", "chats/bulk", {"chats": chats})
    await control(http, base_url, "POST", "limits", {"enabled": True, **limits.to_dict()})
    await control(http, base_url, "DELETE", "stats")


# ---------------------------------------------------------------------- results


@dataclass
class Outcome:
    name: str
    requested: int
    wall: float
    ideal: float
    too_many: int = 0
    delivered: int = 0  # accepted by the sandbox (duplicates included)
    distinct: int = 0  # chats that got at least one message
    finished: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.ideal / self.wall if self.wall > 0 else 0.0

    @property
    def lost(self) -> int:
        return self.requested - self.distinct

    @property
    def duplicates(self) -> int:
        return self.delivered - self.distinct


async def collect(
    http: aiohttp.ClientSession, base_url: str, outcome: Outcome, chat_ids: list[int]
) -> None:
    stats = await control(http, base_url, "GET", "stats")
    by_chat = {int(k): v for k, v in stats["accepted"]["by_chat"].items()}
    outcome.too_many = stats["too_many_requests"]["total"]
    outcome.delivered = sum(by_chat.get(c, 0) for c in chat_ids)
    outcome.distinct = sum(1 for c in chat_ids if by_chat.get(c, 0) > 0)


def make_bot(base_url: str) -> Bot:
    return Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)))


# ---------------------------------------------------------------------- (a) towerbot


class Breakdown:
    """Wall time spent in the sender's awaits, by kind (for --profile)."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self._undo: list[Callable[[], None]] = []

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started
                self.calls[label] += 1

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def wrap_context(self, owner: Any, name: str, label: str) -> None:
        """Time `async with owner.name(...)` from asking to leaving (lock, BEGIN, body, COMMIT)."""
        original = getattr(owner, name)

        @contextlib.asynccontextmanager
        async def timed(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            started = time.perf_counter()
            try:
                async with original(*args, **kwargs) as value:
                    yield value
            finally:
                self.seconds[label] += time.perf_counter() - started
                self.calls[label] += 1

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def undo(self) -> None:
        for step in reversed(self._undo):
            step()
        self._undo.clear()

    def report(self, wall: float) -> str:
        lines = [f"  {'where':<34} {'calls':>7} {'seconds':>8} {'% wall':>7} {'ms/call':>8}"]
        for label, seconds in sorted(self.seconds.items(), key=lambda item: -item[1]):
            calls = self.calls[label]
            lines.append(
                f"  {label:<34} {calls:>7} {seconds:>8.2f} {100 * seconds / wall:>6.1f}% "
                f"{1000 * seconds / max(calls, 1):>8.2f}"
            )
        return "\n".join(lines)


def make_sender(bot: Bot, db: Database, limits: SenderLimits) -> Sender:
    """`Sender(bot, db.transaction, db.committed, limits[, reach])`, whichever the
    current signature is (the sender is being extended while this benchmark exists)."""
    factory: Any = Sender
    if "reach" in inspect.signature(Sender).parameters:
        from cascade.reachability import ReachabilityService

        # The benchmark's groups belong to no unit, so the service never renders
        # a message and needs no presenter.
        reach = ReachabilityService(db.transaction, presenter=None)  # type: ignore[arg-type]
        return factory(bot, db.transaction, db.committed, limits, reach)  # type: ignore[no-any-return]
    return factory(bot, db.transaction, db.committed, limits)  # type: ignore[no-any-return]


def sender_limits(limits: SandboxLimits) -> SenderLimits:
    return SenderLimits(
        per_second=limits.per_second,
        chat_interval=1.0 / limits.chat_per_second,
        group_per_minute=limits.group_per_minute,
    )


async def run_towerbot(
    base_url: str, chat_ids: list[int], limits: SandboxLimits, give_up: float, profile: bool
) -> tuple[Outcome, str]:
    outcome = Outcome("towerbot Sender", len(chat_ids), 0.0, len(chat_ids) / limits.per_second)
    details = ""
    with tempfile.TemporaryDirectory(prefix="towerbot-bench-") as tmp:
        db = await Database(Path(tmp) / "bench.db").open()
        bot = make_bot(base_url)
        try:
            async with db.transaction() as tx:
                for i, chat_id in enumerate(chat_ids):
                    await tx.outbox.add(
                        OutgoingMessage(
                            chat_id=chat_id,
                            text=ORDER_TEXT,
                            buttons=[[Button(text="收到", callback_data=ACK)]],
                            priority=Priority.ORDER,
                            ref=MessageRef(purpose="order", order_id=1, unit_code=f"u{i}"),
                        )
                    )
            poll = db.transaction  # not timed by the breakdown
            sender = make_sender(bot, db, sender_limits(limits))
            breakdown = Breakdown()
            profiler = cProfile.Profile() if profile else None
            if profile:
                from storage.outbox_repo import SqliteOutboxRepository

                breakdown.wrap(SqliteOutboxRepository, "due", "outbox.due() (read+parse)")
                breakdown.wrap(SqliteOutboxRepository, "mark_sent", "outbox.mark_sent() (UPDATE)")
                breakdown.wrap(bot.session, "make_request", "HTTP request (aiogram)")
                breakdown.wrap(sender, "drain_once", "Sender.drain_once()")
                breakdown.wrap_context(db, "transaction", "db.transaction() (whole block)")
                sender.uow = db.transaction  # type: ignore[assignment]  # the timed one
            started = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            task = asyncio.create_task(sender.run())
            pending = len(chat_ids)
            try:
                while pending:
                    await asyncio.sleep(0.02)
                    if time.perf_counter() - started > give_up:
                        outcome.finished = False
                        outcome.notes.append(f"stopped after {give_up:.0f} s, {pending} pending")
                        break
                    if task.done():
                        outcome.finished = False
                        outcome.notes.append(f"sender stopped: {task.exception()!r}")
                        break
                    async with poll() as tx:
                        counts = await tx.outbox.counts()
                    pending = sum(counts.get(status, 0) for status in UNFINISHED)
            finally:
                outcome.wall = time.perf_counter() - started
                if profiler is not None:
                    profiler.disable()
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                breakdown.undo()
            async with db.transaction() as tx:
                counts = await tx.outbox.counts()
            stats = sender.stats
            outcome.notes.append(
                f"outbox {dict(sorted(counts.items()))}; sender stats sent={stats.sent} "
                f"rate_limited={stats.rate_limited} retried={stats.retried} failed={stats.failed}"
            )
            if profile:
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(18)
                details = (
                    "time breakdown of the towerbot run (wall time inside each await, summed over "
                    "concurrent calls, so a line can exceed 100 %; db.transaction includes "
                    "waiting for the database lock):\n"
                    + breakdown.report(outcome.wall)
                    + "\n\ncProfile of the towerbot process (sandbox in its own process), "
                    "by own time:\n" + _trim_profile(out.getvalue())
                )
        finally:
            await bot.session.close()
            await db.close()
    return outcome, details


def _trim_profile(text: str) -> str:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    head = [line for line in lines[:start] if "function calls" in line]
    return "\n".join(head + lines[start:]).rstrip()


# ---------------------------------------------------------------------- (b) naive


async def run_naive(
    base_url: str, chat_ids: list[int], limits: SandboxLimits, pause: float, give_up: float
) -> Outcome:
    outcome = Outcome(
        f"naive loop (sleep {pause:g} s)", len(chat_ids), 0.0, len(chat_ids) / limits.per_second
    )
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="收到", callback_data=ACK)]]
    )
    bot = make_bot(base_url)
    retries = errors = 0
    started = time.perf_counter()
    try:
        for chat_id in chat_ids:
            if time.perf_counter() - started > give_up:
                outcome.finished = False
                outcome.notes.append(f"stopped after {give_up:.0f} s")
                break
            while True:
                try:
                    await bot.send_message(
                        chat_id, ORDER_TEXT, parse_mode="HTML", reply_markup=keyboard
                    )
                    break
                except TelegramRetryAfter as exc:
                    retries += 1
                    await asyncio.sleep(exc.retry_after)
                except (TelegramAPIError, TelegramNetworkError) as exc:
                    errors += 1
                    outcome.notes.append(f"gave up on {chat_id}: {exc}")
                    break
            await asyncio.sleep(pause)
    finally:
        outcome.wall = time.perf_counter() - started
        await bot.session.close()
    outcome.notes.append(f"client saw {retries} RetryAfter, {errors} other errors")
    return outcome


# ---------------------------------------------------------------------- main


async def measure(
    name: str,
    run: Callable[[str, list[int]], Awaitable[tuple[Outcome, str]]],
    chat_ids: list[int],
    limits: SandboxLimits,
    in_process: bool,
) -> tuple[Outcome, str]:
    async with sandbox(in_process) as base_url, aiohttp.ClientSession() as http:
        await prepare(http, base_url, chat_ids, limits)
        print(f"running {name} against {base_url} ...", flush=True)
        outcome, details = await run(base_url, chat_ids)
        await collect(http, base_url, outcome, chat_ids)
    return outcome, details


def table(outcomes: list[Outcome], limits: SandboxLimits) -> str:
    rows = [
        "| sender | wall s | ideal s | share of limit | 429s | delivered | lost | duplicates |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        rows.append(
            f"| {o.name}{'' if o.finished else ' (unfinished)'} | {o.wall:.2f} | {o.ideal:.2f} "
            f"| {o.share:.3f} | {o.too_many} | {o.distinct}/{o.requested} | {o.lost} "
            f"| {o.duplicates} |"
        )
    return "\n".join(rows)


def code_version() -> str:
    """Short hashes of the sender's code as measured (it changes while work goes on)."""
    root = Path(__file__).resolve().parent.parent
    parts = []
    for name in ("bot/sender.py", "bot/ratelimit.py", "storage/outbox_repo.py"):
        digest = hashlib.sha256((root / name).read_bytes()).hexdigest()[:10]
        parts.append(f"{name}={digest}")
    return " ".join(parts)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.sender_fanout", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--groups", type=int, default=3000, help="groups to fan out to")
    parser.add_argument(
        "--scale", type=float, default=10.0, help="multiply Telegram's limits (default 10)"
    )
    parser.add_argument(
        "--naive-pause", type=float, default=0.05, help="naive loop's sleep between sends"
    )
    parser.add_argument(
        "--only", choices=["towerbot", "naive"], help="run one contender (default both)"
    )
    parser.add_argument(
        "--timeout", type=float, default=900.0, help="give up a contender after this many s"
    )
    parser.add_argument(
        "--inline-sandbox",
        action="store_true",
        help="run the sandbox in this process (shares the sender's CPU and event loop)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile the towerbot run and break its time down"
    )
    parser.add_argument(
        "--pin-generics",
        action="store_true",
        help="hold aiogram's Response[...] classes (the fix proposed in RESULTS.md)",
    )
    return parser.parse_args(argv)


@contextlib.contextmanager
def _quiet_sender_logs() -> Iterator[None]:
    import logging

    logger = logging.getLogger("bot.sender")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


_PINNED: list[type] = []


def pin_response_generics() -> None:
    """Keep strong references to the parametrised `Response[...]` models aiogram
    builds for every answer.  pydantic caches parametrised generics in a
    WeakValueDictionary; aiogram holds none, so each generation-1 garbage
    collection drops `Response[Message]` and the next answer rebuilds its schema
    (15-60 ms).  This is what the proposed one-line change to bot/sender.py does."""
    from aiogram.methods.base import Response
    from aiogram.types import Message

    _PINNED.extend([Response[Message], Response[bool]])


async def main_async(args: argparse.Namespace) -> list[Outcome]:
    if args.pin_generics:
        pin_response_generics()
    limits = SandboxLimits().scaled(args.scale)
    chat_ids = [FIRST_CHAT_ID - i for i in range(args.groups)]
    print(
        f"fan-out of {args.groups} messages; limits x{args.scale:g}: {limits.to_dict()}; "
        f"sandbox {'in this process' if args.inline_sandbox else 'in its own process'}; "
        f"{'Response generics pinned; ' if args.pin_generics else ''}"
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{multiprocessing.cpu_count()} cores, {datetime.now():%Y-%m-%d %H:%M}",
        flush=True,
    )
    print(f"code: {code_version()}", flush=True)
    outcomes: list[Outcome] = []
    details: list[str] = []

    async def towerbot(base_url: str, chats: list[int]) -> tuple[Outcome, str]:
        return await run_towerbot(base_url, chats, limits, args.timeout, args.profile)

    async def naive(base_url: str, chats: list[int]) -> tuple[Outcome, str]:
        return await run_naive(base_url, chats, limits, args.naive_pause, args.timeout), ""

    contenders = [("towerbot", towerbot), ("naive", naive)]
    with _quiet_sender_logs():
        for name, run in contenders:
            if args.only not in (None, name):
                continue
            outcome, text = await measure(name, run, chat_ids, limits, args.inline_sandbox)
            outcomes.append(outcome)
            if text:
                details.append(text)
    print()
    print(table(outcomes, limits))
    for outcome in outcomes:
        for note in outcome.notes[:5]:
            print(f"- {outcome.name}: {note}")
    for text in details:
        print()
        print(text)
    return outcomes


def main(argv: list[str] | None = None) -> None:
    asyncio.run(main_async(parse_args(argv)))


if __name__ == "__main__":
    main()
