"""The webhook handler on its own: the 200 once the update is stored, before it is
handled; one chat's updates one at a time, chats side by side.

Telegram sends one chat's updates one after another, and with the 200 given once
stored the next comes while the first may still be handled: it must wait for the
first, while another chat's update goes ahead. The slow handler is held and
released by the test.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message
from aiohttp import web
from pydantic import SecretStr

from bot.dispatch import UpdatePoller
from bot.webhook import SECRET_HEADER, TowerRequestHandler
from storage.db import Database
from storage.inbox import Inbox
from tests.bot.test_poller_offsets import until

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabc"
SECRET = "handler_SECRET"
CHAT_A, CHAT_B = -1001000000001, -1001000000002


def update(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1582156800,
            "chat": {"id": chat_id, "type": "supergroup", "title": "group"},
            "from": {"id": 101, "is_bot": False, "first_name": "王建"},
            "text": text,
        },
    }


class Served:
    def __init__(
        self, url: str, events: list[str], release: asyncio.Event, poller: UpdatePoller
    ) -> None:
        self.url = url
        self.events = events
        self.release = release  # lets the "slow" handler end
        self.poller = poller

    async def post(self, http: aiohttp.ClientSession, body: dict[str, Any]) -> int:
        async with http.post(self.url, json=body, headers={SECRET_HEADER: SECRET}) as response:
            self.events.append(f"answered {body['message']['text']}")
            return response.status


@pytest.fixture
async def served(db: Database) -> AsyncIterator[Served]:
    events: list[str] = []
    release = asyncio.Event()
    router = Router()

    @router.message()
    async def record(message: Message) -> None:
        events.append(f"start {message.text}")
        if message.text == "slow":
            await release.wait()
        events.append(f"end {message.text}")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    bot = Bot(TOKEN)
    poller = UpdatePoller(bot, dispatcher, Inbox(db, bot.id))
    app = web.Application()
    TowerRequestHandler(dispatcher, bot, SecretStr(SECRET), poller).register(app, path="/hook")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield Served(f"http://127.0.0.1:{port}/hook", events, release, poller)
    finally:
        release.set()
        await runner.cleanup()
        await poller.stop(grace=0)
        await bot.session.close()


async def test_one_chat_in_order_other_chats_side_by_side(served: Served) -> None:
    events = served.events
    async with aiohttp.ClientSession() as http:
        assert await served.post(http, update(1, CHAT_A, "slow")) == 200
        assert await served.post(http, update(2, CHAT_A, "after")) == 200
        assert await served.post(http, update(3, CHAT_B, "other")) == 200
    # Answered once stored; the other chat handled while the slow one still runs.
    await until(lambda: "end other" in events)
    assert "end slow" not in events and "start after" not in events
    served.release.set()
    await served.poller.runner.wait_idle()
    # The same chat's second update started only after the first had ended.
    assert events.index("end slow") < events.index("start after")
    assert events.index("answered slow") < events.index("end slow")


async def test_a_body_that_is_not_an_update_is_refused(served: Served) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.post(served.url, data=b"not json", headers={SECRET_HEADER: SECRET}) as response,
    ):
        assert response.status == 400
    assert served.events == []
