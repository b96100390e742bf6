"""Fan-out benchmark: one message into each of N groups, under Telegram's limits.

Why this exists: an order goes into the group of every unit below the issuer --
224 groups for the Tashan tower, tens of thousands for a city -- and Telegram
allows a bot about 30 messages a second.  The sender is only as good as its
share of that budget, so this measures it against the sandbox with limits
switched on, side by side with the broadcaster many bots use (send, sleep
50 ms, on 429 sleep `retry_after` and retry):

  (a) towerbot: N order rows queued in a temporary SQLite outbox in one
      transaction, drained by `bot.sender.Sender.run()` until none is pending
      or being sent;
  (b) naive: a loop over the groups with `bot.send_message` and
      `asyncio.sleep(0.05)` between sends.

Each contender gets a fresh sandbox (same limits), in its own process by
default (`python -m sandbox --port 0`), so the server's CPU does not eat the
sender's (the machine has 2 cores; real Telegram is not on the bot's CPU
either).  The numbers come from the sandbox's `GET /control/stats`: 429s it
answered and messages it accepted per chat.  Everything talks to 127.0.0.1
only, and each run stops by itself (`--timeout`).

    python -m benchmarks.sender_fanout --groups 3000 --scale 1     # Telegram's limits
    python -m benchmarks.sender_fanout --groups 3000 --scale 10    # 300/s, 10/s, 200/min

`--scale 10` multiplies every limit by 10 so the sender's part takes seconds
instead of minutes; the sender is given the same limits.  `--profile` adds a
cProfile of the towerbot run and a time breakdown of its awaits (outbox reads,
HTTP, transactions).  The what-if switches (`--pin-generics`, `--overall`,
`--rate-margin`, `--paged`, `--proposed`) change the sender inside this process
only, to measure the changes proposed in benchmarks/RESULTS.md before anyone
makes them in bot/.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import hashlib
import inspect
import io
import math
import multiprocessing
import platform
import pstats
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict, deque
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

import bot.sender as sender_module
from bot.sender import Sender
from bot.settings import SenderLimits
from cascade.outgoing import Button, MessageRef, OutgoingMessage, Priority
from sandbox.limits import SandboxLimits
from sandbox.server import SandboxServer
from sandbox.state import SandboxState
from storage.db import Database

HOST = "127.0.0.1"
TOKEN = "7000000099:BENCHfanoutTOKENxxxxxxxxxxxxxxxxxxxx"
# `--tokens N`: the first N of these, the first one the primary bot's.
TOKENS = (
    TOKEN,
    *(f"70000001{i:02d}:BENCHfanoutTOKEN{i:02d}xxxxxxxxxxxxxxxxxx" for i in range(1, 8)),
)
FIRST_CHAT_ID = -1005000000000
ORDER_TEXT = (
    "<b>【指令】</b>今晚20:00前各楼栋排查返乡人员，逐户登记，按「收到」确认。\n"
    "<i>塔山区块指挥部 · 15分钟内回复</i>"
)
ACK = "ack:1"


# ---------------------------------------------------------------------- the sandbox


@contextlib.asynccontextmanager
async def sandbox(in_process: bool, server: str = "sandbox") -> AsyncIterator[str]:
    """A fresh sandbox on 127.0.0.1 (`python -m sandbox --port 0` in a child
    process, or in this one) or, with `server="null"`, the limitless stand-in
    `python -m benchmarks.null_botapi`; yields its base URL and stops it afterwards."""
    if in_process:
        async with SandboxServer(HOST, 0, SandboxState()) as running:
            yield running.base_url
        return
    module = "sandbox" if server == "sandbox" else "benchmarks.null_botapi"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        module,
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
    http: aiohttp.ClientSession,
    base_url: str,
    chat_ids: list[int],
    limits: SandboxLimits,
    limited: bool = True,
    tokens: int = 1,
) -> None:
    for token in TOKENS[:tokens]:
        await control(http, base_url, "POST", "bots", {"token": token})
    chats = [
        {"id": c, "title": f"楼栋 {i + 1}", "type": "supergroup"} for i, c in enumerate(chat_ids)
    ]
    await control(http, base_url, "POST", "chats/bulk", {"chats": chats})
    await control(http, base_url, "POST", "limits", {"enabled": limited, **limits.to_dict()})
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
    cpu: float = 0.0  # CPU seconds of the sender's process (the server runs apart)

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


def make_bot(base_url: str, token: str = TOKEN) -> Bot:
    return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)))


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


class PagedSender(Sender):
    """What-if (`--paged`), the proposed `drain_once`: read a page of due rows once
    and pace through it in place, instead of going back to the outbox after every
    message.

    towerbot's `drain_once` sends what the rate allows *now* (one row, when the
    overall bucket is empty) and returns; `run` then reads and parses the whole
    page of up to 200 rows again, and again after the short sleep -- about two
    page reads per message.  Here a wait shorter than two overall slots is slept
    in place; a chat that must wait longer is skipped as before; the page is
    re-read when it is used up, when new rows are committed (`wakeup`, so
    priorities hold) and at least every second (so cancelled rows do not linger).
    """

    PAGE_MAX_AGE = 1.0

    async def drain_once(self) -> tuple[bool, float]:
        async with self.uow() as tx:
            rows = await tx.outbox.due(self.wall())
        limits = self.limiter.limits
        slot = 1.0 / getattr(limits, "rate", limits.per_second)
        read_at = self.monotonic()  # `run` cleared `wakeup` before calling
        blocked: set[int] = set()
        wait = sender_module.IDLE_WAIT
        progressed = False
        for row in rows:
            if self.wakeup.is_set() or self.monotonic() - read_at > self.PAGE_MAX_AGE:
                return True, 0.0  # read again: new rows may come first
            chat_id = row.chat_id
            if chat_id in blocked:
                continue
            blocked.add(chat_id)
            delay = self.limiter.wait_for(chat_id, self.monotonic())
            if 0 < delay <= 2 * slot:
                await asyncio.sleep(delay)
                delay = self.limiter.wait_for(chat_id, self.monotonic())
            if delay > 0:
                wait = min(wait, delay)
                continue
            self.limiter.record(chat_id, self.monotonic())
            async with self.uow() as tx:  # the row's message is read as it is claimed
                claimed = await tx.outbox.mark_sending_many([row])
            for full in claimed.values():
                progressed = await self.deliver(full, marked=True) or progressed
        return progressed, wait


def make_sender(
    bot: Bot, db: Database, limits: SenderLimits, paged: bool = False, lane: Any = None
) -> Sender:
    """`Sender(bot, db.transaction, db.committed, limits[, reach])`, whichever the
    current signature is (the sender is being extended while this benchmark exists);
    with a lane (`--tokens`), that lane and the page reads the bot gives it."""
    factory: Any = PagedSender if paged else Sender
    parameters = inspect.signature(Sender).parameters
    extra: dict[str, Any] = {}
    if lane is not None:
        extra["lane"] = lane
        extra["wakeup"] = db.commit_event()  # one event per sender, as the bot has
        if "reads" in parameters:
            extra["reads"] = db.pages
    wakeup = extra.pop("wakeup", db.committed)
    if "reach" in parameters:
        from cascade.reachability import ReachabilityService

        # The benchmark's groups are bound to units that nothing else reads, so the
        # service never renders a message and needs no presenter.
        reach = ReachabilityService(db.transaction, presenter=None)  # type: ignore[arg-type]
        return factory(bot, db.transaction, wakeup, limits, reach, **extra)  # type: ignore[no-any-return]
    return factory(bot, db.transaction, wakeup, limits, **extra)  # type: ignore[no-any-return]


BLOCKS = 150  # `--tokens`: level-1 units, as Yiwu's 152, dealt to the tokens in runs


async def queue_copies(db: Database, chat_ids: list[int]) -> None:
    """One order copy per group, queued in one transaction as an order's are."""
    async with db.transaction() as tx:
        for i, chat_id in enumerate(chat_ids):
            await tx.outbox.add(
                OutgoingMessage(
                    chat_id=chat_id,
                    text=ORDER_TEXT,
                    buttons=[[Button(text="收到", callback_data=ACK)]],
                    priority=Priority.ORDER,
                    ref=MessageRef(purpose="order", order_id=1, unit_code=f"g{i}"),
                )
            )


async def lane_tower(
    db: Database, chat_ids: list[int], tokens: int
) -> tuple[list[list[str]], list[int]]:
    """`--tokens`: a tower shaped like Yiwu's lanes (bot/drill_procs.py `lanes`): HQ,
    150 level-1 units, and the groups below them; each token serves a contiguous run
    of the level-1 units (~50 subtrees for three tokens), the first token the rest.
    Stores the tower; returns each token's level-1 units and its number of groups."""
    from cascade.tower import Person, Unit
    from storage.importer import import_units

    chief = Person(name="指挥长")
    blocks = min(BLOCKS, len(chat_ids))
    units = [Unit(code="hq", name="指挥部", level=0, commander=chief)]
    units += [
        Unit(code=f"b{b}", name=f"片区 {b}", level=1, parent="hq", commander=chief)
        for b in range(blocks)
    ]
    for i, chat_id in enumerate(chat_ids):
        block = i * blocks // len(chat_ids)
        units.append(
            Unit(
                code=f"g{i}",
                name=f"楼栋 {i + 1}",
                level=2,
                parent=f"b{block}",
                chat_id=chat_id,
                commander=chief,
            )
        )
    await import_units(db, units)
    lane_of_block = [b * tokens // blocks for b in range(blocks)]
    groups = [0] * tokens
    for i in range(len(chat_ids)):
        groups[lane_of_block[i * blocks // len(chat_ids)]] += 1
    shares = [[f"b{b}" for b in range(blocks) if lane_of_block[b] == t] for t in range(tokens)]
    return shares, groups


def lane_of(token: int, shares: list[list[str]]) -> Any:
    """The primary avoids the other tokens' units; token t serves its own."""
    from cascade.outgoing import Lane

    if token == 0:
        return Lane(avoid=[code for share in shares[1:] for code in share])
    return Lane(serves=shares[token])


def sender_limits(
    limits: SandboxLimits, rate_margin: float = 1.0, paid: bool = False
) -> SenderLimits:
    """The sandbox's limits as the sender's settings (overall rate times `rate_margin`;
    with `paid`, the paid-broadcast rate, set after validation as the drill does)."""
    settings = SenderLimits(
        per_second=limits.per_second * rate_margin,
        chat_interval=1.0 / limits.chat_per_second,
        group_per_minute=limits.group_per_minute,
        paid_broadcast=paid,
    )
    if paid:
        settings = settings.model_copy(
            update={"paid_per_second": limits.paid_per_second * rate_margin}
        )
    return settings


async def run_towerbot(
    base_url: str,
    chat_ids: list[int],
    limits: SandboxLimits,
    give_up: float,
    profile: bool,
    rate_margin: float = 1.0,
    paged: bool = False,
    paid: bool = False,
    tokens: int = 1,
) -> tuple[Outcome, str]:
    rate = (limits.paid_per_second if paid else limits.per_second) * tokens
    name = "towerbot Sender" + (" (paid broadcast)" if paid else "")
    if tokens > 1:
        name += f" x {tokens} tokens"
    outcome = Outcome(name, len(chat_ids), 0.0, len(chat_ids) / rate)
    details = ""
    with tempfile.TemporaryDirectory(prefix="towerbot-bench-") as tmp:
        db = await Database(Path(tmp) / "bench.db").open()
        bot = make_bot(base_url)
        others = [make_bot(base_url, token) for token in TOKENS[1:tokens]]
        try:
            shares, expected = await lane_tower(db, chat_ids, tokens) if tokens > 1 else ([], [])
            await queue_copies(db, chat_ids)
            settings = sender_limits(limits, rate_margin, paid)
            if tokens > 1:
                senders = [
                    make_sender(b, db, settings, paged, lane_of(t, shares))
                    for t, b in enumerate([bot, *others])
                ]
            else:
                senders = [make_sender(bot, db, settings, paged)]
            sender = senders[0]
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
            cpu_started = time.process_time()
            if profiler is not None:
                profiler.enable()
            tasks = [asyncio.create_task(s.run()) for s in senders]
            pending = len(chat_ids)
            try:
                while pending:
                    await asyncio.sleep(0.02)
                    if time.perf_counter() - started > give_up:
                        outcome.finished = False
                        outcome.notes.append(f"stopped after {give_up:.0f} s, {pending} pending")
                        break
                    if stopped := [t for t in tasks if t.done()]:
                        outcome.finished = False
                        outcome.notes.append(f"sender stopped: {stopped[0].exception()!r}")
                        break
                    # The senders' own counts, not the outbox's: counting 37,000 rows every
                    # 20 ms held the database the sender writes to (it halved the rate).
                    done = sum(s.stats.sent + s.stats.failed + s.stats.held for s in senders)
                    pending = len(chat_ids) - done
            finally:
                outcome.wall = time.perf_counter() - started
                outcome.cpu = time.process_time() - cpu_started
                if profiler is not None:
                    profiler.disable()
                for task in tasks:
                    task.cancel()
                for task in tasks:
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
            if tokens > 1:
                # Each token must have sent exactly its own share (the sandbox counts by chat).
                sent = [s.stats.sent for s in senders]
                outcome.notes.append(
                    f"sent per token {sent}, shares {expected}"
                    + ("" if sent == expected else " (MISMATCH)")
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
            for b in (bot, *others):
                await b.session.close()
            await db.close()
    return outcome, details


async def page_reads(groups: int, tokens: int, paid: bool, reads: int = 30) -> None:
    """`--page-reads`: no sending; each token's sender reads its page of due rows
    `reads` times with a whole city order pending (one row per group, Yiwu-shaped
    lanes), as it does many times a second while answers commit. Prints the time of
    one read (the old read held the writers' lock for all of it)."""
    limits = sender_limits(SandboxLimits(), 1.0, paid)
    chat_ids = [FIRST_CHAT_ID - i for i in range(groups)]
    with tempfile.TemporaryDirectory(prefix="towerbot-bench-") as tmp:
        db = await Database(Path(tmp) / "bench.db").open()
        bots = [Bot(token) for token in TOKENS[:tokens]]
        try:
            shares, _ = await lane_tower(db, chat_ids, tokens) if tokens > 1 else ([], [])
            senders = [
                make_sender(b, db, limits, lane=lane_of(t, shares) if tokens > 1 else None)
                for t, b in enumerate(bots)
            ]
            for sender in senders:
                await sender.recover()
            await queue_copies(db, chat_ids)
            for t, sender in enumerate(senders):
                # The sender's own page read, whatever it is called in the code measured.
                read = getattr(sender, "read_page", None) or sender._due  # type: ignore[attr-defined]
                started, cpu = time.perf_counter(), time.process_time()
                for _ in range(reads):
                    page = await read()
                wall = (time.perf_counter() - started) / reads * 1000
                cpu_ms = (time.process_time() - cpu) / reads * 1000
                print(
                    f"token {t}: a page of {len(page)} rows: {wall:.1f} ms wall, "
                    f"{cpu_ms:.1f} ms CPU per read (mean of {reads})",
                    flush=True,
                )
        finally:
            for b in bots:
                await b.session.close()
            await db.close()


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
    limited: bool = True,
    server: str = "sandbox",
    tokens: int = 1,
) -> tuple[Outcome, str]:
    async with sandbox(in_process, server) as base_url, aiohttp.ClientSession() as http:
        await prepare(http, base_url, chat_ids, limits, limited, tokens)
        print(f"running {name} against {base_url} ...", flush=True)
        outcome, details = await run(base_url, chat_ids)
        await collect(http, base_url, outcome, chat_ids)
    return outcome, details


def table(outcomes: list[Outcome], limits: SandboxLimits) -> str:
    rows = [
        "| sender | wall s | ideal s | share of limit | 429s | delivered | lost | duplicates "
        "| CPU s | msgs per CPU s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        per_cpu = f"{o.distinct / o.cpu:.0f}" if o.cpu > 0 else "-"
        rows.append(
            f"| {o.name}{'' if o.finished else ' (unfinished)'} | {o.wall:.2f} | {o.ideal:.2f} "
            f"| {o.share:.3f} | {o.too_many} | {o.distinct}/{o.requested} | {o.lost} "
            f"| {o.duplicates} | {o.cpu:.1f} | {per_cpu} |"
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
        "--paid", action="store_true", help="the sender in paid-broadcast mode (1,000/s x scale)"
    )
    parser.add_argument(
        "--no-limits", action="store_true", help="the server enforces no limit (the sender does)"
    )
    parser.add_argument(
        "--server",
        choices=["sandbox", "null"],
        default="sandbox",
        help="null: a Bot API stand-in that only answers (benchmarks/null_botapi.py), "
        "for the sender's own ceiling; implies --no-limits",
    )
    parser.add_argument(
        "--tokens",
        type=int,
        default=1,
        choices=range(1, len(TOKENS) + 1),
        metavar="N",
        help="N bot tokens share one database, each sending its lane of the groups "
        "(the tower of `lane_tower`), each at its own limit",
    )
    parser.add_argument(
        "--page-reads",
        action="store_true",
        help="send nothing: time each token's page read with one row per group pending",
    )
    tweaks = parser.add_argument_group(
        "what-ifs for the towerbot sender (applied in this process only; see RESULTS.md)"
    )
    tweaks.add_argument(
        "--pin-generics", action="store_true", help="hold aiogram's Response[...] models"
    )
    tweaks.add_argument(
        "--overall",
        choices=["bucket", "bucket1", "window"],
        default="bucket",
        help="sender's overall limit: its token bucket (rate/10 tokens), a bucket of 1, "
        "or a sliding 1 s window",
    )
    tweaks.add_argument(
        "--rate-margin",
        type=float,
        default=1.0,
        help="sender's per_second = the limit times this (e.g. 0.97)",
    )
    tweaks.add_argument(
        "--paged", action="store_true", help="drain_once paces through one page of due rows"
    )
    tweaks.add_argument(
        "--proposed",
        action="store_true",
        help="all four: --pin-generics --overall window --rate-margin 0.97 --paged",
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


def patch_overall_limit(mode: str) -> None:
    """Change how the sender keeps the overall rate (`--overall`):

    - "bucket1": its token bucket holds 1 token instead of rate/10.  With
      `capacity` tokens on top of `rate` a second, up to capacity + rate messages
      fit in one sliding second -- over Telegram's limit whenever the bucket has
      refilled (after any pause, e.g. a 429 hold);
    - "window": no bucket; at most `rate` (rounded down) messages in any sliding
      second, counted when dispatched -- Telegram's rule itself, so a stall can be
      caught up without ever going over.
    """
    import bot.ratelimit

    limiter_class: Any = bot.ratelimit.RateLimiter
    original_init = limiter_class.__init__
    original_wait = limiter_class.wait_for
    original_record = limiter_class.record

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        if not hasattr(self, "capacity"):
            raise RuntimeError("bot.ratelimit.RateLimiter has no token bucket any more")
        if mode == "bucket1":
            self.capacity = self._tokens = 1.0
        else:
            self.capacity = self._tokens = float("inf")  # the bucket never blocks
            self._window = deque[float]()
            self._window_capacity = max(1, math.floor(self.limits.rate + 1e-9))

    def wait_for(self: Any, chat_id: int, now: float) -> float:
        wait: float = original_wait(self, chat_id, now)
        if mode == "window":
            window = self._window
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= self._window_capacity:
                wait = max(wait, window[len(window) - self._window_capacity] + 1.0 - now)
        return wait

    def record(self: Any, chat_id: int, now: float) -> None:
        original_record(self, chat_id, now)
        if mode == "window":
            self._window.append(now)

    limiter_class.__init__ = init
    limiter_class.wait_for = wait_for
    limiter_class.record = record


async def main_async(args: argparse.Namespace) -> list[Outcome]:
    if args.proposed:
        args.pin_generics = args.paged = True
        args.overall = "window"
        args.rate_margin = 0.97
    if args.pin_generics:
        pin_response_generics()
    if args.overall != "bucket":
        patch_overall_limit(args.overall)
    what_ifs = [
        name
        for name, on in (
            ("Response generics pinned", args.pin_generics),
            (f"overall limit {args.overall}", args.overall != "bucket"),
            (f"sender rate x{args.rate_margin:g}", args.rate_margin != 1.0),
            ("paged drain_once", args.paged),
        )
        if on
    ]
    limits = SandboxLimits().scaled(args.scale)
    chat_ids = [FIRST_CHAT_ID - i for i in range(args.groups)]
    print(
        f"fan-out of {args.groups} messages; limits x{args.scale:g}: {limits.to_dict()}; "
        f"{args.server} {'in this process' if args.inline_sandbox else 'in its own process'}"
        f"{', no server limits' if args.no_limits or args.server == 'null' else ''}; "
        f"{'paid broadcast; ' if args.paid else ''}"
        f"{f'{args.tokens} tokens; ' if args.tokens > 1 else ''}"
        f"{''.join(w + '; ' for w in what_ifs)}"
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{multiprocessing.cpu_count()} cores, {datetime.now():%Y-%m-%d %H:%M}",
        flush=True,
    )
    print(f"code: {code_version()}", flush=True)
    if args.page_reads:
        await page_reads(args.groups, args.tokens, args.paid)
        return []
    outcomes: list[Outcome] = []
    details: list[str] = []

    async def towerbot(base_url: str, chats: list[int]) -> tuple[Outcome, str]:
        return await run_towerbot(
            base_url,
            chats,
            limits,
            args.timeout,
            args.profile,
            args.rate_margin,
            args.paged,
            args.paid,
            args.tokens,
        )

    async def naive(base_url: str, chats: list[int]) -> tuple[Outcome, str]:
        return await run_naive(base_url, chats, limits, args.naive_pause, args.timeout), ""

    contenders = [("towerbot", towerbot), ("naive", naive)]
    with _quiet_sender_logs():
        for name, run in contenders:
            if args.only not in (None, name):
                continue
            outcome, text = await measure(
                name,
                run,
                chat_ids,
                limits,
                args.inline_sandbox,
                limited=not (args.no_limits or args.server == "null"),
                server=args.server,
                tokens=args.tokens if name == "towerbot" else 1,
            )
            if name == "towerbot" and what_ifs:
                outcome.name += " + " + ", ".join(what_ifs)
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
