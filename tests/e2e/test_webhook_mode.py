"""Webhook mode end to end over real HTTP: the sandbox posts, the bot's server takes.

The sandbox plays Telegram (setWebhook, POSTs with the secret header, retries
until a 2xx); the bot runs `serve_webhook`, the code behind `towerbot run
--webhook`, on a free port of 127.0.0.1. An order loop runs over the webhook
alone; forged requests are refused; a webhook left set does not stop polling;
an update refused on the way (a proxy's 502) is handled once Telegram sends it
again, and only once; one the bot fails on is not lost (answered once stored, on
either engine, it is handled on the runner's retry).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from pydantic import SecretStr

from bot.app import TowerBot, telegram_session
from bot.settings import SenderLimits, Settings
from bot.webhook import WebhookPlan, serve_webhook
from bot.world import DRILL_TOKEN, SandboxWorld
from fixtures import fixture_path
from sandbox import SandboxServer
from sandbox.models import BotRecord
from sandbox.webhook import DeliveryTiming
from storage.importer import import_units
from storage.inbox import Inbox
from tests.support.pgserver import Engine

FAST = SenderLimits(per_second=1000.0, chat_interval=0.0, group_per_minute=10**6)
QUICK_RETRY = DeliveryTiming(first_retry=0.05, longest_retry=0.2, request_timeout=10.0)
SECRET = "e2e_webhook-SECRET-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tower_bot(world: SandboxWorld) -> TowerBot:
    """The bot as `towerbot run` builds it, against the world's sandbox."""
    settings = Settings(bot_token=SecretStr(DRILL_TOKEN), db=world.db_path, limits=FAST)
    return TowerBot(settings, telegram_session(world.server.base_url))


class WebhookWorld:
    """A tower in the sandbox and the bot serving its webhook (no polling at all)."""

    def __init__(self, fixture: str, workdir: Path, db: str) -> None:
        self.world = SandboxWorld(fixture_path(fixture), workdir, limits=FAST, db=db)
        self.world.server = SandboxServer(state=self.world.state, webhook_timing=QUICK_RETRY)
        self.state = self.world.state
        self.tower = self.world.tower
        self.port = free_port()
        self.plan = WebhookPlan(
            url=f"http://127.0.0.1:{self.port}/tg/hook",
            secret=SecretStr(SECRET),
            host="127.0.0.1",
            port=self.port,
        )
        self.app: TowerBot | None = None
        self._serving: asyncio.Task[None] | None = None

    async def start(self, url: str | None = None, left: Sequence[dict[str, Any]] = ()) -> None:
        """`url`: where the sandbox is to post, if not straight to the bot (a proxy);
        `left`: updates a killed polling run left in the inbox, unhandled."""
        await self.world.server.start()
        self.world.register()
        self.app = tower_bot(self.world)
        await self.app.open()
        await import_units(self.app.db, list(self.tower.units.values()))
        await Inbox(self.app.db, self.app.bot.id).keep(
            [(u["update_id"], json.dumps(u, ensure_ascii=False)) for u in left]
        )
        plan = (
            self.plan if url is None else WebhookPlan(url, self.plan.secret, "127.0.0.1", self.port)
        )
        self._serving = asyncio.create_task(serve_webhook([self.app], plan))
        await self.state.wait_for(lambda: self.record.webhook is not None, timeout=15)

    @property
    def record(self) -> BotRecord:
        return self.state.add_bot(DRILL_TOKEN)

    @property
    def bot(self) -> TowerBot:
        assert self.app is not None
        return self.app

    async def stop(self) -> None:
        if self._serving is not None:
            self._serving.cancel()
            await asyncio.gather(self._serving, return_exceptions=True)
        await self.world.server.stop()

    async def latest_order(self, code: str) -> int | None:
        async with self.bot.db.transaction() as tx:
            order = await tx.orders.latest_for_unit(code)
        return None if order is None else order.id


@pytest.fixture
async def futian(engine: Engine, tmp_path: Path) -> AsyncIterator[WebhookWorld]:
    started = WebhookWorld("futian-shangcheng", tmp_path, await engine.new_target(tmp_path))
    await started.start()
    try:
        yield started
    finally:
        await started.stop()


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 30) -> bool:
    for _ in range(int(seconds * 10)):
        if await check():
            return True
        await asyncio.sleep(0.1)
    return await check()


async def test_an_order_loop_runs_over_the_webhook(futian: WebhookWorld) -> None:
    state, tower = futian.state, futian.tower
    root = tower.root()
    assert root.chat_id is not None and root.commander and root.commander.telegram_id
    hq_chat, hq = root.chat_id, root.commander.telegram_id
    targets = [u for u in tower.walk() if u.code != root.code]
    info = futian.state.webhook_info(futian.record)
    assert info["url"] == futian.plan.url
    assert "message" in info["allowed_updates"] and "callback_query" in info["allowed_updates"]

    state.post_message(hq_chat, hq, "/order 15m count 统计外地人数")
    await state.wait_for(lambda: state.bot_messages(hq_chat), timeout=15)
    order_id = await futian.latest_order(root.code)
    assert order_id is not None
    copies = futian.world.order_copies
    await state.wait_for(lambda: all(copies(u.chat_id or 0, order_id) for u in targets), timeout=30)

    rng = random.Random(14)
    values: dict[str, int] = {}
    actions: list[tuple[str, Any]] = [("ack", u) for u in targets]
    actions += [("value", u) for u in targets if not tower.children[u.code]]
    rng.shuffle(actions)
    for kind, unit in actions:
        copy = copies(unit.chat_id, order_id)[0]
        who = unit.commander.telegram_id
        if kind == "ack":
            state.press_button(unit.chat_id, copy["message_id"], who, f"ack:{order_id}")
        else:
            values[unit.code] = rng.randint(0, 30)
            state.post_message(
                unit.chat_id, who, str(values[unit.code]), reply_to_message_id=copy["message_id"]
            )
    expected = sum(values.values())

    async def settled() -> bool:
        _, report = await futian.bot.queries.status(order_id, hq_chat)
        return report.done == len(targets) and report.total_value == expected

    assert await eventually(settled)
    assert futian.record.poll_count == 0  # every update came by the webhook

    async def delivered() -> bool:
        # A bottom unit is done with its value; its 收到 press, shuffled after the
        # value, may still be on its way: every update is delivered in the end.
        return futian.state.webhook_info(futian.record)["pending_update_count"] == 0

    assert await eventually(delivered)
    for unit in targets:
        assert len(copies(unit.chat_id or 0, order_id)) == 1, unit.code


async def test_a_webhook_start_first_handles_what_polling_left_in_the_inbox(
    engine: Engine, tmp_path: Path
) -> None:
    """A polling run confirmed an `/order` to Telegram, stored it in its inbox and was
    killed before handling it: Telegram will not send it again, so the `--webhook`
    start that follows handles it before it listens."""
    world = WebhookWorld("futian-shangcheng", tmp_path, await engine.new_target(tmp_path))
    root = world.tower.root()
    assert root.chat_id is not None and root.commander and root.commander.telegram_id
    text = "/order 15m notice 轮询时发出的通知"
    left = {
        "update_id": 5000,
        "message": {
            "message_id": 41,
            "date": 1582156800,
            "chat": {"id": root.chat_id, "type": "supergroup", "title": root.name},
            "from": {"id": root.commander.telegram_id, "is_bot": False, "first_name": "王建"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    await world.start(left=[left])
    try:
        assert await world.latest_order(root.code) is not None  # before the webhook was set
        assert await Inbox(world.bot.db, world.bot.bot.id).waiting() == []
        chat = root.chat_id
        await world.state.wait_for(lambda: world.state.bot_messages(chat), timeout=15)
        assert world.record.poll_count == 0
    finally:
        await world.stop()


FORGED = {
    "update_id": 990001,
    "message": {
        "message_id": 77,
        "date": 1582156800,
        "chat": {"id": 0, "type": "supergroup", "title": "forged"},
        "from": {"id": 0, "is_bot": False, "first_name": "forger"},
        "text": "/order 15m notice 伪造的命令",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    },
}


@pytest.mark.parametrize("header", [None, "", "wrong-secret", SECRET + "x"])
async def test_a_request_without_the_secret_is_refused_and_logged(
    futian: WebhookWorld, caplog: pytest.LogCaptureFixture, header: str | None
) -> None:
    root = futian.tower.root()
    assert root.chat_id is not None and root.commander and root.commander.telegram_id
    forged = {**FORGED, "message": {**FORGED["message"]}}  # type: ignore[dict-item]
    forged["message"]["chat"] = {"id": root.chat_id, "type": "supergroup", "title": root.name}
    forged["message"]["from"] = {
        "id": root.commander.telegram_id,
        "is_bot": False,
        "first_name": "王建",
    }
    headers = {} if header is None else {"X-Telegram-Bot-Api-Secret-Token": header}
    caplog.set_level(logging.INFO)
    async with (
        aiohttp.ClientSession() as http,
        http.post(futian.plan.url, json=forged, headers=headers) as response,
    ):
        assert response.status == 401
    refusals = [r for r in caplog.records if r.name == "bot.webhook" and "refused" in r.message]
    assert len(refusals) == 1
    assert ("no X-Telegram" if header is None else "a wrong X-Telegram") in refusals[0].message
    assert "127.0.0.1" in refusals[0].message
    assert SECRET not in caplog.text
    if header:
        assert header not in caplog.text
    await asyncio.sleep(0.3)
    assert await futian.latest_order(root.code) is None  # the forged order never happened
    assert futian.state.bot_messages(root.chat_id) == []


async def test_polling_deletes_a_webhook_left_set(engine: Engine, tmp_path: Path) -> None:
    world = SandboxWorld(
        fixture_path("futian-shangcheng"),
        tmp_path,
        db=await engine.new_target(tmp_path),
        limits=FAST,
    )
    await world.server.start()
    try:
        world.register()
        record = world.state.add_bot(DRILL_TOKEN)
        world.state.set_webhook(record, f"http://127.0.0.1:{free_port()}/gone", secret_token=SECRET)
        root = world.tower.root()
        assert root.chat_id is not None and root.commander and root.commander.telegram_id
        world.state.post_message(root.chat_id, root.commander.telegram_id, "/help")
        app = tower_bot(world)
        await app.open()
        await import_units(app.db, list(world.tower.units.values()))
        await app.start()  # polling, as `towerbot run` without --webhook
        try:
            # The /help queued while the webhook was set is answered by polling.
            await world.state.wait_for(lambda: world.state.bot_messages(root.chat_id), timeout=15)
            assert record.webhook is None
            assert record.poll_count >= 1
        finally:
            await app.stop()
    finally:
        await world.server.stop()


class FlakyProxy:
    """An HTTPS-terminating proxy's stand-in: answers 502 `failures` times, then passes on."""

    def __init__(self, target: str, failures: int) -> None:
        self.target = target
        self.failures = failures
        self.port = free_port()
        self.seen: list[int] = []
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tg/hook"

    async def _pass(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.seen.append(request.content_length or 0)
        if self.failures > 0:
            self.failures -= 1
            return web.Response(status=502, text="Bad Gateway")
        headers = {
            k: v
            for k, v in request.headers.items()
            if k in ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")
        }
        async with (
            aiohttp.ClientSession() as http,
            http.post(self.target, data=body, headers=headers) as answer,
        ):
            return web.Response(status=answer.status, body=await answer.read())

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/tg/hook", self._pass)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


async def order_issued_once(world: WebhookWorld) -> int:
    """HQ issues a notice order; it happens once, and every unit gets one copy."""
    root = world.tower.root()
    assert root.chat_id is not None and root.commander and root.commander.telegram_id
    world.state.post_message(root.chat_id, root.commander.telegram_id, "/order 15m notice 测试")
    targets = [u for u in world.tower.walk() if u.code != root.code]

    async def everywhere() -> bool:
        order_id = await world.latest_order(root.code)
        return order_id is not None and all(
            world.world.order_copies(u.chat_id or 0, order_id) for u in targets
        )

    assert await eventually(everywhere)
    order_id = await world.latest_order(root.code)
    assert order_id is not None
    async with world.bot.db.transaction() as tx:
        assert await tx.orders.latest_for_unit(root.code) is not None
    await asyncio.sleep(0.5)  # a second handling would have sent second copies by now
    for unit in targets:
        assert len(world.world.order_copies(unit.chat_id or 0, order_id)) == 1, unit.code
    return order_id


async def test_an_update_refused_on_the_way_is_handled_once_it_gets_through(
    engine: Engine, tmp_path: Path
) -> None:
    world = WebhookWorld("futian-shangcheng", tmp_path, await engine.new_target(tmp_path))
    proxy = FlakyProxy(world.plan.url, failures=3)
    await proxy.start()
    await world.start(url=proxy.url)
    try:
        await order_issued_once(world)
        assert len(proxy.seen) >= 4  # three 502s, then the update itself
        info = world.state.webhook_info(world.record)
        assert info["last_error_message"] == "Wrong response from the webhook: 502 Bad Gateway"
        assert info["pending_update_count"] == 0
    finally:
        await world.stop()
        await proxy.stop()


async def test_an_update_the_bot_fails_on_is_not_lost_and_is_handled_once(
    futian: WebhookWorld,
) -> None:
    """The dispatcher fails once on HQ's order (the database gone for a moment). The
    update was answered 200 once stored in the inbox, on SQLite as on PostgreSQL, so
    Telegram will not send it again: the runner keeps it and handles it on its
    retry. The order is issued, once."""
    dispatcher = futian.bot.dispatcher
    real = dispatcher.feed_update
    failures = {"left": 1}

    async def failing_once(*args: Any, **kwargs: Any) -> Any:
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionError("the database went away for a moment")
        return await real(*args, **kwargs)

    dispatcher.feed_update = failing_once  # type: ignore[method-assign]
    await order_issued_once(futian)
    assert failures["left"] == 0
    info = futian.state.webhook_info(futian.record)
    assert "last_error_message" not in info  # answered 200: stored, not lost
    assert futian.bot.poller.runner.retried == 1  # handled on the runner's retry
    assert await Inbox(futian.bot.db, futian.bot.bot.id).aside() == []
