"""setWebhook / deleteWebhook / getWebhookInfo and delivery by HTTP POST, as on Telegram.

A small receiver on 127.0.0.1 plays the bot's webhook: it records what the
sandbox posts and answers with the statuses a test asks for, so retries, order
per chat and the 409 of getUpdates are checked over real HTTP.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramConflictError
from aiohttp import web

from sandbox import SandboxServer, SandboxState
from sandbox.webhook import DeliveryTiming
from tests.support.sandbox_helpers import BASIC_GROUP_ID, CHIEF_ID, GROUP_ID, MEMBER_ID, make_bot

SECRET = "s3cret_-TOKEN"
FAST = DeliveryTiming(first_retry=0.02, longest_retry=0.1, request_timeout=5.0)


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(webhook_timing=FAST) as srv:
        yield srv


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Receiver:
    """A webhook endpoint: records every POST; `answer(update)` picks the status."""

    def __init__(self, answer: Callable[[dict[str, Any]], int] = lambda _: 200) -> None:
        self.answer = answer
        self.requests: list[tuple[dict[str, Any], dict[str, str]]] = []
        self.accepted: list[dict[str, Any]] = []
        self.port = free_port()
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def _handle(self, request: web.Request) -> web.Response:
        update = await request.json()
        self.requests.append((update, dict(request.headers)))
        status = self.answer(update)
        if 200 <= status <= 299:
            self.accepted.append(update)
        return web.json_response({}, status=status)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    started = Receiver()
    await started.start()
    try:
        yield started
    finally:
        await started.stop()


def texts(updates: list[dict[str, Any]]) -> list[str]:
    return [u["message"]["text"] for u in updates]


async def test_webhook_info_and_getupdates_conflict(bot: Bot, world: SandboxState) -> None:
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.set_webhook(
        "https://bot.example.org/tg",
        secret_token=SECRET,
        max_connections=7,
        allowed_updates=["message", "callback_query"],
    )
    info = await bot.get_webhook_info()
    assert info.url == "https://bot.example.org/tg"
    assert info.max_connections == 7
    assert info.allowed_updates == ["callback_query", "message"]
    assert info.pending_update_count == 0
    assert info.last_error_date is None
    with pytest.raises(TelegramConflictError, match="can't use getUpdates method while webhook"):
        await bot.get_updates()
    await bot.set_webhook(Receiver().url, secret_token=SECRET)  # nothing listens there
    world.post_message(GROUP_ID, MEMBER_ID, "/status@towerbot_sandbox_bot")
    await world.wait_for(lambda: world.webhook_info(world.bots[bot.token]).get("last_error_date"))
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1
    assert info.last_error_message == "Connection refused"
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    assert texts([u.model_dump() for u in await bot.get_updates()]) == [
        "/status@towerbot_sandbox_bot"
    ]


async def test_set_webhook_checks_its_parameters(bot: Bot, world: SandboxState) -> None:
    with pytest.raises(TelegramBadRequest, match="secret token contains unallowed characters"):
        await bot.set_webhook("https://bot.example.org/tg", secret_token="a b")
    with pytest.raises(TelegramBadRequest, match="secret token is too long"):
        await bot.set_webhook("https://bot.example.org/tg", secret_token="a" * 257)
    with pytest.raises(TelegramBadRequest, match="HTTPS URL must be provided"):
        await bot.set_webhook("ftp://bot.example.org/tg")
    assert (await bot.get_webhook_info()).url == ""
    await bot.set_webhook("https://bot.example.org/tg", max_connections=500)
    assert (await bot.get_webhook_info()).max_connections == 100
    await bot.set_webhook("https://bot.example.org/tg", max_connections=0)
    assert (await bot.get_webhook_info()).max_connections == 1
    await bot.set_webhook("")  # an empty URL removes the webhook
    assert (await bot.get_webhook_info()).url == ""


async def test_updates_are_posted_with_the_secret_header(
    bot: Bot, world: SandboxState, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url, secret_token=SECRET)
    for text in ("/a", "/b"):
        world.post_message(GROUP_ID, MEMBER_ID, text)
    await world.wait_for(lambda: len(receiver.accepted) == 2)
    assert texts(receiver.accepted) == ["/a", "/b"]
    ids = [u["update_id"] for u in receiver.accepted]
    assert ids == sorted(ids)
    for _, headers in receiver.requests:
        assert headers["X-Telegram-Bot-Api-Secret-Token"] == SECRET
        assert headers["Content-Type"].startswith("application/json")
    assert receiver.accepted[0]["message"]["chat"]["id"] == GROUP_ID  # a 64-bit id intact
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_no_secret_header_without_a_secret(
    bot: Bot, world: SandboxState, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url)
    world.post_message(GROUP_ID, MEMBER_ID, "/a")
    await world.wait_for(lambda: receiver.accepted)
    assert "X-Telegram-Bot-Api-Secret-Token" not in receiver.requests[0][1]


async def test_a_refused_update_is_sent_again_in_order_until_accepted(
    bot: Bot, world: SandboxState, receiver: Receiver
) -> None:
    failures = {"left": 3}

    def answer(update: dict[str, Any]) -> int:
        if failures["left"]:
            failures["left"] -= 1
            return 500
        return 200

    receiver.answer = answer
    await bot.set_webhook(receiver.url, secret_token=SECRET)
    for text in ("/a", "/b", "/c"):
        world.post_message(GROUP_ID, MEMBER_ID, text)
    await world.wait_for(lambda: len(receiver.accepted) == 3, timeout=10)
    assert texts(receiver.accepted) == ["/a", "/b", "/c"]
    # /b and /c waited: nothing of the chat went out before /a was accepted.
    assert texts([u for u, _ in receiver.requests]) == ["/a"] * 4 + ["/b", "/c"]
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert info.last_error_date is not None


async def test_one_failing_chat_does_not_hold_up_another(
    bot: Bot, world: SandboxState, receiver: Receiver
) -> None:
    receiver.answer = lambda u: 503 if u["message"]["chat"]["id"] == GROUP_ID else 200
    await bot.set_webhook(receiver.url)
    world.post_message(GROUP_ID, MEMBER_ID, "/stuck")
    world.post_message(BASIC_GROUP_ID, CHIEF_ID, "/goes")
    await world.wait_for(lambda: receiver.accepted)
    assert texts(receiver.accepted) == ["/goes"]
    await world.wait_for(lambda: texts([u for u, _ in receiver.requests]).count("/stuck") >= 3)
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1
    assert info.last_error_message == "Wrong response from the webhook: 503 Service Unavailable"
    receiver.answer = lambda _: 200
    await world.wait_for(lambda: len(receiver.accepted) == 2, timeout=5)
    assert texts(receiver.accepted) == ["/goes", "/stuck"]


async def test_updates_wait_while_the_webhook_is_down(bot: Bot, world: SandboxState) -> None:
    down = Receiver()  # its port is chosen, nothing listens yet
    await bot.set_webhook(down.url)
    world.post_message(GROUP_ID, MEMBER_ID, "/a")
    bot_record = world.bots[bot.token]
    await world.wait_for(lambda: world.webhook_info(bot_record).get("last_error_message"))
    assert (await bot.get_webhook_info()).last_error_message == "Connection refused"
    world.post_message(GROUP_ID, MEMBER_ID, "/b")
    await down.start()
    try:
        await world.wait_for(lambda: len(down.accepted) == 2, timeout=10)
        assert texts(down.accepted) == ["/a", "/b"]
    finally:
        await down.stop()


async def test_retry_after_header_is_honoured(
    bot: Bot, world: SandboxState, receiver: Receiver
) -> None:
    answers = iter([429])

    async def handle(request: web.Request) -> web.Response:
        update = await request.json()
        receiver.requests.append((update, dict(request.headers)))
        status = next(answers, 200)
        if status == 200:
            receiver.accepted.append(update)
            return web.json_response({})
        return web.json_response({}, status=status, headers={"Retry-After": "1"})

    receiver._handle = handle  # type: ignore[method-assign]
    await receiver.stop()
    await receiver.start()
    await bot.set_webhook(receiver.url)
    world.post_message(GROUP_ID, MEMBER_ID, "/a")
    await world.wait_for(lambda: receiver.requests)
    await asyncio.sleep(0.5)  # FAST would have retried many times by now
    assert len(receiver.requests) == 1
    await world.wait_for(lambda: receiver.accepted, timeout=5)


async def test_set_webhook_ends_a_pending_long_poll(
    server: SandboxServer, bot: Bot, world: SandboxState, receiver: Receiver
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.2)
    assert not poll.done()
    other = make_bot(server.base_url)
    try:
        await other.set_webhook(receiver.url)
    finally:
        await other.session.close()
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await asyncio.wait_for(poll, 3)


async def test_drop_pending_updates(bot: Bot, world: SandboxState, receiver: Receiver) -> None:
    world.post_message(GROUP_ID, MEMBER_ID, "/old")
    await bot.set_webhook(receiver.url, drop_pending_updates=True)
    assert (await bot.get_webhook_info()).pending_update_count == 0
    world.post_message(GROUP_ID, MEMBER_ID, "/new")
    await world.wait_for(lambda: receiver.accepted)
    await asyncio.sleep(0.1)
    assert texts(receiver.accepted) == ["/new"]
    world.post_message(GROUP_ID, MEMBER_ID, "/kept")
    receiver.answer = lambda _: 500
    await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_updates()) == []
