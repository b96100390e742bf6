"""`towerbot drill --processes`: the sandbox, the bot and the people apart.

Why this exists: the one-process drill puts the sandbox, the bot and every
simulated commander on one event loop, so a city-sized drill measures how the
three share one core, not how the bot keeps up. Here, as in production, the bot
runs alone in its process (`python -m bot.drill_bot`, one or several tokens,
paid broadcast or not); the sandbox runs in its own (`python -m sandbox`, on
the drill's compressed clock, shared through the system's monotonic clock);
this process plays the people. They follow the sandbox's feed of bot messages
(`GET /control/sent`), and press "收到" and reply in batches
(`POST /control/actions`) after the same log-normal delays as the one-process
drill. Progress is read from the database (read-only); the loop report, the
chart and the JSON are written as by `towerbot drill`, with each process's
peak memory and CPU.

On SQLite (a new file, or `--db FILE`) every bot runs in one process: one
process per SQLite file is how towerbot runs. With `--db postgresql://...` each
token's bot is a worker process of its own on the one database (the primary
fires the timers; each token's sender sends its own lane), as several machines
would run them; the figures are added up over the workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import json
import os
import re
import resource
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import aiosqlite
from pydantic import SecretStr

from bot.app import TowerBot, telegram_session
from bot.drill import (
    DURATION,
    ORDER_TEXTS,
    DrillOptions,
    SimulatedPeople,
    StopSignals,
    current_report,
    drill_limits,
    write_outputs,
)
from bot.drill_bot import BotSpec, DrillBotConfig
from bot.settings import Settings
from bot.world import DRILL_TOKEN, sandbox_entities
from cascade.clock import ScaledClock
from cascade.deadlines import ClockPolicy
from cascade.orders import OrderStatus
from cascade.tower import Tower, Unit
from cascade.towerfile import load_path
from fixtures import fixture_path
from storage.db import Database, connect_pg
from storage.importer import import_units
from storage.pg import is_url
from storage.uow import SqliteUnitOfWork

EXTRA_TOKENS = (
    "7000000002:SANDBOXsecondBOTxxxxxxxxxxxxxxxxxx",
    "7000000003:SANDBOXthirdBOTxxxxxxxxxxxxxxxxxxx",
    "7000000004:SANDBOXfourthBOTxxxxxxxxxxxxxxxxxx",
)
ACTIONS_PER_REQUEST = 500
USERS_PER_REQUEST = 50_000
CHATS_PER_REQUEST = 5_000


def lanes(tower: Tower, bots: int) -> list[list[str]]:
    """Subtrees below HQ shared among `bots` bots, balanced by size; the first list is
    the primary bot's (it serves HQ and whatever no other bot serves). A unit whose
    subtree is the biggest is split into its children until there are enough."""

    def size(code: str) -> int:
        return sum(1 for _ in tower.walk(code))

    tops = list(tower.children[tower.root().code])
    while len(tops) < bots * 2:
        splittable = [code for code in tops if tower.children[code]]
        if not splittable:
            break
        biggest = max(splittable, key=size)
        index = tops.index(biggest)
        tops[index : index + 1] = tower.children[biggest]
    sizes = sorted(((size(code), code) for code in tops), reverse=True)
    shares: list[tuple[int, int, list[str]]] = [(0, i, []) for i in range(bots)]
    for units, code in sizes:
        total, index, codes = heapq.heappop(shares)
        codes.append(code)
        heapq.heappush(shares, (total + units, index, codes))
    return [codes for _, _, codes in sorted(shares, key=lambda s: s[1])]


class Child:
    """A child process this drill started (and stops, by its own pid).

    Each child runs in a session of its own: Ctrl-C in the terminal and `timeout`
    (which signals its whole process group) reach only this process, which stops the
    people, reports the loop as it stands and then stops the bot and the sandbox in
    that order. A child is given this process's pid and stops itself once this
    process is gone (sandbox/lifeline.py), so none outlives a drill that was killed."""

    def __init__(self, name: str, process: asyncio.subprocess.Process) -> None:
        self.name = name
        self.process = process

    @property
    def pid(self) -> int:
        return self.process.pid

    def usage(self) -> dict[str, Any]:
        """Peak RSS (VmHWM) and CPU seconds so far, from /proc (Linux)."""
        out: dict[str, Any] = {"pid": self.pid}
        with contextlib.suppress(OSError, ValueError, IndexError):
            status = Path(f"/proc/{self.pid}/status").read_text()
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                out["peak_rss_mb"] = round(int(match.group(1)) / 1024)
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks = os.sysconf("SC_CLK_TCK")
            out["cpu_seconds"] = round((int(fields[11]) + int(fields[12])) / ticks, 1)
        return out

    async def stop(self, grace: float = 30.0) -> None:
        if self.process.returncode is not None:
            return
        self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), grace)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


async def start_sandbox(clock: ScaledClock) -> tuple[Child, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sandbox",
        "--port",
        "0",
        "--clock",
        clock.shared(),
        "--parent",
        str(os.getpid()),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        start_new_session=True,  # see `Child`
    )
    child = Child("sandbox", process)
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), 60)
    match = re.search(r"(http://\S+)", line.decode())
    if match is None:
        await child.stop()
        raise RuntimeError(f"the sandbox did not start: {line!r}")
    return child, match.group(1)


class Sandbox:
    """The sandbox's control API, as the people and the drill use it."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http = http
        self.url = url

    async def call(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        async with self.http.request(
            method, f"{self.url}/control/{path}", json=body, params=query or None
        ) as response:
            answer = await response.json()
            if response.status != 200:
                raise RuntimeError(f"{method} /control/{path}: {response.status} {answer}")
            return answer

    async def register(self, tower: Tower) -> None:
        chats, users = sandbox_entities(tower)
        for i in range(0, len(users), USERS_PER_REQUEST):
            await self.call("POST", "chats/bulk", {"users": users[i : i + USERS_PER_REQUEST]})
        for i in range(0, len(chats), CHATS_PER_REQUEST):
            await self.call("POST", "chats/bulk", {"chats": chats[i : i + CHATS_PER_REQUEST]})

    async def waiting_updates(self, tokens: list[str]) -> int:
        total = 0
        for token in tokens:
            total += len(await self.call("GET", f"updates/{token.split(':')[0]}"))
        return total


class HttpPeople(SimulatedPeople):
    """The simulated commanders, acting through the sandbox's control API."""

    def __init__(self, options: DrillOptions, tower: Tower, sandbox: Sandbox) -> None:
        super().__init__(None, 0, options)
        self.tower = tower
        self.sandbox = sandbox
        self.copies_first: float | None = None
        self.copies_last: float | None = None
        self.copies = 0
        self.feed_seq = 0
        self.stop = False

    async def act(self, answering: set[str], targets: dict[int, Unit]) -> None:
        """Follow the bot messages; answer each order copy after its commander's delay."""
        due: list[tuple[float, int, str, int]] = []  # (real time, serial, unit code, copy id)
        serial = 0
        by_chat = dict(targets)
        copy_of: dict[str, int] = {}  # unit code -> its copy's message id
        follow: asyncio.Task[list[dict[str, Any]]] | None = None
        while not self.stop and (targets or due):
            if follow is None:
                follow = asyncio.create_task(
                    self.sandbox.call("GET", "sent", after=self.feed_seq, timeout=0.2, limit=5000)
                )
            wait = 0.05 if not due else max(0.0, min(0.05, due[0][0] - time.monotonic()))
            done, _ = await asyncio.wait({follow}, timeout=wait)
            if follow in done:
                items, follow = follow.result(), None
                now = time.monotonic()
                for item in items:
                    self.feed_seq = item["seq"]
                    unit = by_chat.get(item["chat_id"])
                    if unit is None:
                        continue
                    data = [d for d in item["data"] if d.startswith("ack:")]
                    if self.order_id == 0 and data:
                        self.order_id = int(data[0].split(":")[1])
                    if f"ack:{self.order_id}" not in data:
                        # Not the copy: a reminder naming the commander hurries him.
                        commander = unit.commander.telegram_id if unit.commander else None
                        named = commander in item.get("mentions", ())
                        sooner = self.reminded(unit.code, now) if named else None
                        if sooner is not None:
                            serial += 1
                            heapq.heappush(due, (sooner, serial, unit.code, copy_of[unit.code]))
                        continue
                    if targets.pop(item["chat_id"], None) is None:
                        continue
                    self._arrived(now)
                    if unit.code in answering:
                        serial += 1
                        bottom = not self.tower.children[unit.code]
                        at = self.schedule(unit.code, bottom, now)
                        copy_of[unit.code] = item["message_id"]
                        heapq.heappush(due, (at, serial, unit.code, item["message_id"]))
            await self._answer_due(due)
        if follow is not None:
            follow.cancel()

    def _arrived(self, at: float) -> None:
        self.copies += 1
        self.copies_first = at if self.copies_first is None else self.copies_first
        self.copies_last = at

    async def _answer_due(self, due: list[tuple[float, int, str, int]]) -> None:
        now = time.monotonic()
        actions: list[dict[str, Any]] = []
        while due and due[0][0] <= now:
            _, _, code, copy_id = heapq.heappop(due)
            if code in self.answered:
                continue  # answered sooner, when a reminder named him
            unit = self.tower.units[code]
            assert unit.chat_id is not None and unit.commander is not None
            commander = unit.commander.telegram_id
            actions.append(
                {
                    "chat_id": unit.chat_id,
                    "from_id": commander,
                    "message_id": copy_id,
                    "data": f"ack:{self.order_id}",
                }
            )
            self.answered.add(code)
            text = self.reply_text(unit, not self.tower.children[code])
            if text is not None:
                actions.append(
                    {
                        "chat_id": unit.chat_id,
                        "from_id": commander,
                        "text": text,
                        "reply_to_message_id": copy_id,
                    }
                )
        for i in range(0, len(actions), ACTIONS_PER_REQUEST):
            results = await self.sandbox.call(
                "POST", "actions", {"actions": actions[i : i + ACTIONS_PER_REQUEST]}
            )
            self.answer_errors += sum(1 for r in results if isinstance(r, dict) and "error" in r)


@contextlib.asynccontextmanager
async def read_only(target: Path | str) -> AsyncIterator[SqliteUnitOfWork]:
    """The bot's database, read without ever taking its write lock (on PostgreSQL a
    connection of its own, each statement reading the last committed state)."""
    if is_url(str(target)):
        pg = await connect_pg(str(target))
        try:
            yield SqliteUnitOfWork(pg)
        finally:
            await pg.close()
        return
    conn = await aiosqlite.connect(f"file:{target}?mode=ro", uri=True)
    conn.row_factory = aiosqlite.Row
    try:
        yield SqliteUnitOfWork(conn)
    finally:
        await conn.close()


def _metrics(path: Path) -> dict[str, Any]:
    with contextlib.suppress(OSError, ValueError):
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    return {}


ADDED = (
    "updates", "update_seconds", "answers", "answer_seconds", "pending_updates",
    "sent_and_edited", "cpu_seconds",
)  # fmt: skip


def merged(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The bot processes' metrics as one bot's: counts and times added up, maxima
    the largest, every sender listed, the order's issue from the primary."""
    parts = [part for part in parts if part]
    if not parts:
        return {}
    out: dict[str, Any] = {key: sum(part.get(key, 0) for part in parts) for key in ADDED}
    for key in ("max_update_seconds", "peak_rss_mb", "at"):
        out[key] = max(part.get(key, 0) for part in parts)
    out["senders"] = [sender for part in parts for sender in part.get("senders", [])]
    out["issue"] = next((part["issue"] for part in parts if part.get("issue")), None)
    return out


class BotProcesses:
    """The drill's bot processes: one for every bot on SQLite, one per token on
    PostgreSQL (see the module docstring)."""

    def __init__(self, configs: list[DrillBotConfig]) -> None:
        self.configs = configs
        self.children: list[Child] = []

    async def start(self, workdir: Path) -> None:
        for number, config in enumerate(self.configs, start=1):
            path = workdir / f"bot-{number}.json"
            path.write_text(config.model_dump_json(), encoding="utf-8")
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.drill_bot", str(path), start_new_session=True
            )
            self.children.append(Child("bot" if number == 1 else f"bot-{number}", process))
        for _ in range(600):
            if all(c.metrics.exists() for c in self.configs) or any(
                child.process.returncode is not None for child in self.children
            ):
                break
            await asyncio.sleep(0.1)
        if not all(c.metrics.exists() for c in self.configs):
            raise RuntimeError("a bot process did not start")

    def metrics(self) -> dict[str, Any]:
        return merged([_metrics(config.metrics) for config in self.configs])

    @property
    def pids(self) -> str:
        return "、".join(str(child.pid) for child in self.children)

    def usage(self) -> dict[str, Any]:
        return {child.name: child.usage() for child in self.children}

    async def stop(self) -> None:
        for child in self.children:
            await child.stop()

    def cpu_seconds(self) -> dict[str, float]:
        """Each process's own CPU seconds, as it last reported them."""
        return {
            child.name: round(_metrics(config.metrics).get("cpu_seconds", 0), 1)
            for child, config in zip(self.children, self.configs, strict=True)
        }


async def run_drill_processes(options: DrillOptions, tokens: int = 1) -> int:
    """The drill with the sandbox and the bot in processes of their own. SIGTERM or
    SIGINT stops it as in `run_drill` (`StopSignals`); before the order is out there
    is nothing to report, and the children are stopped at once (143)."""
    with StopSignals(reporting=False) as signals:
        try:
            return await _run(options, tokens, signals)
        except asyncio.CancelledError:
            if not signals.cancelled:
                raise
            return 143  # stopped by a signal, as a shell reports it


async def _run(options: DrillOptions, tokens: int, signals: StopSignals) -> int:
    tower = Tower(load_path(fixture_path(options.fixture)))
    clock = ScaledClock(options.speed)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="towerbot-drill-") as tmp:
        workdir = Path(tmp)
        db_path: Path | str = options.db or workdir / "towerbot.db"
        async with Database(db_path) as db:
            await import_units(db, list(tower.units.values()))
        sandbox_child, url = await start_sandbox(clock)
        children = [sandbox_child]
        bots: BotProcesses | None = None
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=600)) as http:
                sandbox = Sandbox(http, url)
                await sandbox.register(tower)
                shares = lanes(tower, tokens)
                specs = [BotSpec(token=DRILL_TOKEN)] + [
                    BotSpec(token=token, serves=codes)
                    for token, codes in zip(EXTRA_TOKENS, shares[1:], strict=False)
                ]
                groups = [[spec] for spec in specs] if is_url(str(db_path)) else [specs]
                bots = BotProcesses(
                    [
                        DrillBotConfig(
                            db=str(db_path),
                            api_url=url,
                            bots=group,
                            served_elsewhere=[
                                code for spec in specs if spec not in group for code in spec.serves
                            ],
                            clock=clock.shared(),
                            limits=drill_limits(options.speed, options.paid).model_dump(),
                            progress_seconds=max(1.0, 3.0 / options.speed),
                            metrics=workdir / f"bot-metrics-{number}.json",
                            parent=os.getpid(),
                        )
                        for number, group in enumerate(groups, start=1)
                    ]
                )
                await bots.start(workdir)
                print(
                    f"  准备 {time.monotonic() - began:.1f}s（读塔、沙盒登记、导入数据库、启动进程）"
                )
                return await _drill(
                    options, tower, clock, sandbox, db_path, bots, specs, sandbox_child, signals
                )
        finally:
            if bots is not None:
                await bots.stop()
            for child in reversed(children):
                await child.stop()


async def _drill(
    options: DrillOptions,
    tower: Tower,
    clock: ScaledClock,
    sandbox: Sandbox,
    db_path: Path | str,
    bots: BotProcesses,
    specs: list[BotSpec],
    sandbox_child: Child,
    signals: StopSignals,
) -> int:
    root = tower.root()
    assert root.chat_id is not None and root.commander is not None
    hq = root.commander.telegram_id
    command = f"/order 15m {options.kind} {ORDER_TEXTS[options.kind]}"
    print(f"▶ {root.name}（{len(tower) - 1} 个下级单元）指挥长 {root.commander.name}: {command}")
    print(
        f"  速度 ×{options.speed:g}，{len(specs)} 个机器人，"
        f"{'付费广播' if options.paid else '普通限额'}，进程：机器人 {bots.pids}、"
        f"沙盒 {sandbox_child.pid}、模拟人员 {os.getpid()}"
    )
    people = HttpPeople(options, tower, sandbox)
    units = [u for u in tower.walk() if u.code != root.code]
    silent = set(people.rng.sample([u.code for u in units], round(options.silent * len(units))))
    answering = {u.code for u in units if u.code not in silent}
    targets = {u.chat_id: u for u in units if u.chat_id is not None}
    stop = signals.stop
    ordered_at = people.ordered_at = time.monotonic()
    await sandbox.call(
        "POST", "messages", {"chat_id": root.chat_id, "from_id": hq, "text": command}
    )
    signals.reporting = True  # from here a stop reports the loop as it stands
    acting = asyncio.create_task(people.act(answering, targets))
    samples: list[tuple[float, dict[str, Any]]] = []
    give_up = DURATION + ClockPolicy().escalation_interval * 2
    simulated = 0.0
    progress: dict[str, Any] = {}
    async with read_only(db_path) as ro:
        while True:
            await asyncio.sleep(1.0)
            metrics = bots.metrics()
            samples.append((time.monotonic(), metrics))
            if acting.done() and acting.exception() is not None:
                raise RuntimeError("the simulated people stopped") from acting.exception()
            if people.order_id == 0:
                continue
            order = await ro.orders.get(people.order_id)
            if order is None:
                continue
            chain = await ro.orders.chain(people.order_id, root.code)
            simulated = (clock.now() - order.created_at).total_seconds()
            progress = {
                "done": order.done_targets,
                "targets": order.total_targets,
                "subtotal": chain[0].subtotal if chain else 0,
                "simulated_seconds": round(simulated),
            }
            percent = 100 * order.done_targets // max(1, order.total_targets)
            sys.stdout.write(
                f"\r  进度 {order.done_targets}/{order.total_targets} ({percent}%)"
                f" 合计 {progress['subtotal']}  模拟用时 {int(simulated) // 60}m"
                f"{int(simulated) % 60:02d}s  实际 {time.monotonic() - ordered_at:.0f}s"
                f"  已发 {people.copies} 份  待处理更新 {metrics.get('pending_updates', 0)} "
            )
            sys.stdout.flush()
            if (
                order.status is OrderStatus.DONE
                or (silent and simulated > give_up.total_seconds())
                or stop.is_set()
            ):
                break
        print()
        people.stop = True
        await asyncio.gather(acting, return_exceptions=True)
        # A run stopped early reports the loop as it stands: the backlog is not waited out.
        await _settle(sandbox, bots, [s.token for s in specs], 20.0 if stop.is_set() else 600.0)
        final_text = (
            None if stop.is_set() else await _final_report_text(ro, sandbox, people.order_id, root)
        )
    usage: dict[str, Any] = {**bots.usage(), "sandbox": sandbox_child.usage()}
    usage["load_average"] = os.getloadavg()  # the machine is shared: say how busy it was
    await bots.stop()
    final = bots.metrics()
    # VmHWM (read just before the stop) is the bot's own peak: ru_maxrss would carry the
    # drill process's size over from before the exec.
    for name, cpu in bots.cpu_seconds().items():
        usage[name]["cpu_seconds"] = cpu
    own = resource.getrusage(resource.RUSAGE_SELF)
    usage["people"] = {
        "pid": os.getpid(),
        "peak_rss_mb": round(own.ru_maxrss / 1024),
        "cpu_seconds": round(own.ru_utime + own.ru_stime, 1),
    }
    return await _report(
        options, tower, clock, db_path, sandbox, people, silent, root, samples, final,
        usage, ordered_at, final_text, stop.is_set(), simulated,
    )  # fmt: skip


async def _settle(sandbox: Sandbox, bots: BotProcesses, tokens: list[str], seconds: float) -> None:
    """Until the bot has taken in and handled every answer already posted."""
    for _ in range(int(seconds * 10)):
        metrics = bots.metrics()
        if not metrics.get("pending_updates") and not await sandbox.waiting_updates(tokens):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(2.0)  # the last answers' messages leave the outbox


async def _final_report_text(
    ro: SqliteUnitOfWork, sandbox: Sandbox, order_id: int, root: Unit
) -> str | None:
    for _ in range(300):
        sent = await ro.refs.sent(order_id, "final_report")
        if sent:
            chat_id, message_id = sent[-1]
            for message in await sandbox.call("GET", f"chats/{chat_id}/messages"):
                if message.get("message_id") == message_id:
                    return str(message.get("text", ""))
        await asyncio.sleep(0.2)
    return None


async def _report(
    options: DrillOptions,
    tower: Tower,
    clock: ScaledClock,
    db_path: Path | str,
    sandbox: Sandbox,
    people: HttpPeople,
    silent: set[str],
    root: Unit,
    samples: list[tuple[float, dict[str, Any]]],
    final: dict[str, Any],
    usage: dict[str, Any],
    ordered_at: float,
    final_text: str | None,
    stopped: bool,
    simulated: float,
) -> int:
    assert root.chat_id is not None
    db = Database(db_path)
    await db.open()
    settings = Settings(bot_token=SecretStr(DRILL_TOKEN), db=db_path)
    app = TowerBot(settings, telegram_session(sandbox.url), clock=clock, db=db)
    try:
        _, report = await app.queries.status(people.order_id, root.chat_id)
        if report.order.status is OrderStatus.DONE and final_text:
            print(final_text)
        else:
            if stopped:
                print(f"（演练提前结束：以下为模拟用时 {int(simulated) // 60} 分钟时的情况）")
            print(await current_report(app, people.order_id, root))
        performance = _performance(options, samples, final, usage, ordered_at, people)
        performance["answer_errors"] = people.answer_errors
        performance["stopped_early_at_simulated_seconds"] = round(simulated) if stopped else None
        senders = final.get("senders", [])
        sender = {k: sum(s.get(k, 0) for s in senders) for k in (senders[0] if senders else {})}
        return await write_outputs(
            app,
            options,
            people.order_id,
            root,
            tower,
            people,
            silent,
            report,
            performance,
            sender,
        )
    finally:
        await app.bot.session.close()
        await db.close()


def _performance(
    options: DrillOptions,
    samples: list[tuple[float, dict[str, Any]]],
    final: dict[str, Any],
    usage: dict[str, Any],
    ordered_at: float,
    people: HttpPeople,
) -> dict[str, Any]:
    speed = options.speed
    issue = final.get("issue")

    def after_order(at: float | None) -> dict[str, float] | None:
        if at is None:
            return None
        return {"real": round(at - ordered_at, 1), "simulated": round((at - ordered_at) * speed)}

    answers = [(t, m.get("answers", 0)) for t, m in samples if m]
    busy = [(a, b) for a, b in itertools.pairwise(answers) if b[1] > a[1]]
    answering_seconds = sum(b[0] - a[0] for a, b in busy)
    answered = sum(b[1] - a[1] for a, b in busy)
    return {
        "processes": {k: v for k, v in usage.items() if k != "load_average"},
        "load_average": usage.get("load_average"),
        "issue_seconds": round(issue[1] - issue[0], 2) if issue else None,
        "order_to_issued_real_seconds": round(issue[1] - ordered_at, 2) if issue else None,
        "first_copy_after_order": after_order(people.copies_first),
        "all_copies_after_order": after_order(people.copies_last),
        "order_copies_seen": people.copies,
        "updates_handled": final.get("updates"),
        "update_mean_ms": round(1000 * final["update_seconds"] / final["updates"], 2)
        if final.get("updates")
        else None,
        "update_max_ms": round(1000 * final.get("max_update_seconds", 0), 1),
        "answer_calls": final.get("answers"),
        "answer_call_mean_ms": round(1000 * final["answer_seconds"] / final["answers"], 2)
        if final.get("answers")
        else None,
        "answers_per_real_second_while_answering": round(answered / answering_seconds, 1)
        if answering_seconds
        else None,
        "answers_peak_per_real_second_10s": _peak(answers),
        "max_update_backlog_in_bot": max(
            (m.get("pending_updates", 0) for _, m in samples if m), default=0
        ),
        "sender_sent_and_edited": final.get("sent_and_edited"),
        "sender_peak_per_real_second_10s": _peak(
            [(t, m.get("sent_and_edited", 0)) for t, m in samples if m]
        ),
    }


def _peak(points: list[tuple[float, int]]) -> float | None:
    best: float | None = None
    j = 0
    for i in range(len(points)):
        while points[i][0] - points[j][0] > 10.0:
            j += 1
        span = points[i][0] - points[j][0]
        if span >= 5.0:
            rate = (points[i][1] - points[j][1]) / span
            best = rate if best is None else max(best, rate)
    return round(best, 1) if best is not None else None
