"""Three webhook workers and a sender on one PostgreSQL database; one worker SIGKILLed
mid-storm (issue 14, the multi-worker test).

Real processes: three `towerbot run --webhook` behind one webhook address (a
round-robin forwarder on 127.0.0.1, as a load balancer would be) and one
`towerbot send`, against the sandbox, which delivers updates as Telegram does
(a chat's updates one after another, each until a 2xx). HQ orders a one-minute
count in the Tashan tower; the 236 units press 收到 and answer in random order;
a worker is killed a third of the way through the storm; a dozen units answer
only after the deadline. Checked: every group got the order (at most one
duplicate each, counted); every answer is in the total and the total is exact;
the reminder and the deadline fired once each (one reminder row per pending
group, one escalation row per parent, whichever worker fired them).
"""

from __future__ import annotations

import asyncio
import itertools
import random
import socket
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.world import DRILL_TOKEN, SandboxWorld
from cascade.clock import SystemClock
from cascade.queries import QueryService
from fixtures import fixture_path
from sandbox import SandboxServer
from sandbox.webhook import DeliveryTiming
from storage.db import Database
from storage.importer import import_units
from tests.support.botproc import BotProcess
from tests.support.pgserver import PgServer

SECRET = "multi-worker-SECRET-0123456789"
HOOK = "/tg/hook"
WORKERS = 3
LATE = 12  # bottom units that answer only after the deadline
FAST = {
    "TOWERBOT_RATE": "1000",
    "TOWERBOT_CHAT_INTERVAL": "0",
    "TOWERBOT_GROUP_PER_MINUTE": "1000000",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Forwarder:
    """One webhook address in front of the workers, round robin. A worker that refuses
    the connection is skipped (a balancer's health check); one that dies mid-request
    gets 502 back to Telegram, which sends the update again."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.port = free_port()
        self._next = itertools.cycle(range(len(ports)))
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.forwarded = [0] * len(ports)

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post(HOOK, self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        return f"http://127.0.0.1:{self.port}{HOOK}"

    async def _handle(self, request: web.Request) -> web.Response:
        assert self._http is not None
        body = await request.read()
        headers = {
            k: v
            for k, v in request.headers.items()
            if k.lower() in ("content-type", "x-telegram-bot-api-secret-token")
        }
        for _ in self.ports:
            index = next(self._next)
            url = f"http://127.0.0.1:{self.ports[index]}{HOOK}"
            try:
                async with self._http.post(url, data=body, headers=headers) as answer:
                    data = await answer.read()
                    self.forwarded[index] += 1
                    return web.Response(status=answer.status, body=data)
            except aiohttp.ClientConnectorError:
                continue
            except aiohttp.ClientError:
                return web.Response(status=502, text="upstream died")
        return web.Response(status=502, text="no upstream")

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()


class Deployment:
    """The sandbox, the forwarder, the workers and the sender on one database."""

    def __init__(self, workdir: Path, url: str) -> None:
        self.workdir = workdir
        self.url = url
        self.world = SandboxWorld(fixture_path("tashan"), workdir)
        timing = DeliveryTiming(first_retry=0.2, longest_retry=1.0, request_timeout=60.0)
        self.world.server = SandboxServer(state=self.world.state, webhook_timing=timing)
        self.state = self.world.state
        self.tower = self.world.tower
        self.ports = [free_port() for _ in range(WORKERS)]
        self.forwarder = Forwarder(self.ports)
        self.procs: list[BotProcess] = []
        self.db = Database(url)

    async def start(self) -> None:
        api = await self.world.server.start()
        self.world.register()
        async with Database(self.url) as db:
            await import_units(db, list(self.tower.units.values()))
        hook = await self.forwarder.start()
        for index, port in enumerate(self.ports):
            env = {
                **FAST,
                "TOWERBOT_WEBHOOK_URL": hook,
                "TOWERBOT_WEBHOOK_SECRET": SECRET,
                "TOWERBOT_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
            }
            log = self.workdir / f"worker-{index + 1}.log"
            worker = BotProcess(api, self.url, log, env=env, args=["--webhook"])
            self.procs.append(await worker.start())
        sender = BotProcess(api, self.url, self.workdir / "sender.log", env=FAST, command="send")
        self.procs.append(await sender.start())
        await self.db.open()
        await self.until("the workers listening", lambda: all(map(_listening, self.ports)), 120)
        record = self.state.add_bot(DRILL_TOKEN)
        await self.until("the webhook set", lambda: record.webhook is not None, 60)

    async def stop(self) -> None:
        for proc in self.procs:
            await proc.kill()
        await self.forwarder.stop()
        await self.world.server.stop()
        await self.db.close()

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text()[-1500:]}" for p in sorted(self.workdir.glob("*.log"))
        )

    async def until(
        self,
        what: str,
        check: Callable[[], bool],
        timeout: float = 120,  # noqa: ASYNC109 (a bound on the test)
    ) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            dead = [p for p in self.procs if not p.running and p.proc and p.proc.returncode != -9]
            assert not dead, f"a process stopped while waiting for {what}\n{self.logs()}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}\n{self.logs()}"
            await asyncio.sleep(0.2)

    async def rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        async with self.db.snapshot() as tx:
            return [tuple(r) for r in await tx.conn.execute_fetchall(sql, args)]


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
async def deployment(tmp_path: Path, pg_server: PgServer) -> AsyncIterator[Deployment]:
    url = await pg_server.create_database()
    started = Deployment(tmp_path, url)
    try:
        await started.start()
        yield started
    finally:
        await started.stop()
        await pg_server.drop_database(url)


async def test_three_workers_and_a_sender_with_one_worker_killed_mid_storm(
    deployment: Deployment,
) -> None:
    d, state, tower = deployment, deployment.state, deployment.tower
    root = tower.root()
    assert root.chat_id is not None and root.commander and root.commander.telegram_id
    hq_chat = root.chat_id
    targets = [u for u in tower.walk() if u.code != root.code]
    assert len(targets) == 236
    copies = d.world.order_copies

    state.post_message(hq_chat, root.commander.telegram_id, "/order 1m count 统计外地人数")
    await d.until("the order", lambda: bool(state.bot_messages(hq_chat)), 120)
    ((order_id,),) = await d.rows("SELECT MAX(id) FROM orders")
    await d.until(
        "a copy in every group", lambda: all(copies(u.chat_id or 0, order_id) for u in targets)
    )

    rng = random.Random(236)
    bottom = [u for u in targets if not tower.children[u.code]]
    late = {u.code for u in rng.sample(bottom, LATE)}
    values = {u.code: rng.randint(0, 40) for u in bottom}
    actions = [("ack", u) for u in targets] + [("value", u) for u in bottom]
    rng.shuffle(actions)
    now_actions = [(k, u) for k, u in actions if u.code not in late]
    later_actions = [(k, u) for k, u in actions if u.code in late]

    def act(kind: str, unit: Any) -> None:
        copy = copies(unit.chat_id, order_id)[0]
        who = unit.commander.telegram_id
        if kind == "ack":
            state.press_button(unit.chat_id, copy["message_id"], who, f"ack:{order_id}")
        else:
            text = str(values[unit.code])
            state.post_message(unit.chat_id, who, text, reply_to_message_id=copy["message_id"])

    victim = d.procs[1]
    third = len(now_actions) // 3

    async def kill_mid_storm() -> int:
        """SIGKILL worker 2 once a third of the storm has been delivered to the workers."""
        for _ in range(60_000):
            if sum(d.forwarder.forwarded) >= 1 + third:
                break
            await asyncio.sleep(0.01)
        await victim.kill()
        return d.forwarder.forwarded[1]

    killer = asyncio.create_task(kill_mid_storm())
    for index, (kind, unit) in enumerate(now_actions):
        act(kind, unit)
        if index % 10 == 0:
            await asyncio.sleep(0.05)  # a storm of a few seconds, not one burst
    victim_took = await asyncio.wait_for(killer, 120)
    assert victim_took > 1, "worker 2 was killed before it took part in the storm"

    # The deadline passes with the late units pending: the reminder and the deadline fire.
    async def fired(kind: str) -> bool:
        ((n,),) = await d.rows(
            "SELECT COUNT(*) FROM order_timers WHERE order_id = ? AND kind = ? "
            "AND fired_at IS NOT NULL",
            order_id,
            kind,
        )
        return int(n) >= 1

    for _ in range(900):
        if await fired("reminder") and await fired("escalation"):
            break
        await asyncio.sleep(0.2)
    assert await fired("reminder") and await fired("escalation"), d.logs()
    for kind, unit in later_actions:
        act(kind, unit)

    queries = QueryService(d.db.snapshot, SystemClock())
    expected = sum(values.values())

    async def settled() -> bool:
        _, report = await queries.status(order_id, hq_chat)
        return report.done == len(targets) and report.total_value == expected

    for _ in range(900):
        if await settled():
            break
        await asyncio.sleep(0.2)
    if not await settled():
        _, report = await queries.status(order_id, hq_chat)
        undone = await d.rows(
            "SELECT unit_code, acked_at, value FROM order_units WHERE order_id = ? "
            "AND done_at IS NULL",
            order_id,
        )
        info = state.webhook_info(state.add_bot(DRILL_TOKEN))
        raise AssertionError(
            f"done {report.done}/{len(targets)}, total {report.total_value} of {expected}; "
            f"not done {undone[:10]}; webhook {info}\n{d.logs()}"
        )

    # Every answer is in the total, as given.
    stored = dict(
        await d.rows(
            "SELECT unit_code, value FROM order_units WHERE order_id = ? AND is_bottom = 1",
            order_id,
        )
    )
    assert {code: stored[code] for code in values} == values

    # Every group got the order; duplicates (a send cut by the kill) at most one each.
    await asyncio.sleep(2.0)
    counts = {u.code: len(copies(u.chat_id or 0, order_id)) for u in targets}
    assert min(counts.values()) >= 1 and max(counts.values()) <= 2, counts
    duplicates = sum(n - 1 for n in counts.values())

    # Each timer fired once: one reminder row per group that was pending at two thirds,
    # one deadline row per parent group of a unit pending at the deadline.
    reminders = await d.rows(
        'SELECT chat_id, COUNT(*) FROM outbox WHERE payload LIKE \'%"purpose":"reminder"%\' '
        "GROUP BY chat_id"
    )
    escalations = await d.rows(
        'SELECT chat_id, COUNT(*) FROM outbox WHERE payload LIKE \'%"purpose":"escalation"%\' '
        "GROUP BY chat_id"
    )
    late_chats = {tower.units[c].chat_id for c in late}
    assert late_chats <= {chat for chat, _ in reminders}
    assert all(n == 1 for _, n in reminders), reminders
    assert escalations and all(n == 1 for _, n in escalations), escalations
    parents = {tower.units[tower.units[c].parent or ""].chat_id for c in late}
    assert parents <= {chat for chat, _ in escalations}
    timers = await d.rows(
        "SELECT kind, round, fired_at FROM order_timers WHERE order_id = ? ORDER BY due_at",
        order_id,
    )
    assert [(k, r) for k, r, f in timers if f is not None][:2] == [
        ("reminder", 0),
        ("escalation", 0),
    ]
    assert state.webhook_info(state.add_bot(DRILL_TOKEN))["pending_update_count"] == 0
    print(
        f"\nmulti-worker: {sum(d.forwarder.forwarded)} updates through the forwarder "
        f"{d.forwarder.forwarded}, worker 2 killed after {victim_took}, "
        f"{duplicates} duplicate copies"
    )
