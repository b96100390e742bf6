"""The webhook handler on its own: one chat's updates one at a time, chats side by side,
and the 200 only after the handler has finished.

Telegram sends one chat's updates one after another, but two can still arrive
together (a resend racing a newer update, two proxies): the second must wait for
the first, while another chat's update goes ahead.
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

from bot.webhook import SECRET_HEADER, TowerRequestHandler

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
    def __init__(self, url: str, events: list[str]) -> None:
        self.url = url
        self.events = events

    async def post(self, http: aiohttp.ClientSession, body: dict[str, Any]) -> int:
        async with http.post(self.url, json=body, headers={SECRET_HEADER: SECRET}) as response:
            self.events.append(f"answered {body['message']['text']}")
            return response.status


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    events: list[str] = []
    router = Router()

    @router.message()
    async def record(message: Message) -> None:
        events.append(f"start {message.text}")
        if message.text == "slow":
            await asyncio.sleep(0.4)
        events.append(f"end {message.text}")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    bot = Bot(TOKEN)
    app = web.Application()
    TowerRequestHandler(dispatcher, bot, SecretStr(SECRET)).register(app, path="/hook")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield Served(f"http://127.0.0.1:{port}/hook", events)
    finally:
        await runner.cleanup()
        await bot.session.close()


async def test_one_chat_in_order_other_chats_side_by_side(served: Served) -> None:
    async with aiohttp.ClientSession() as http:
        first = asyncio.create_task(served.post(http, update(1, CHAT_A, "slow")))
        await asyncio.sleep(0.1)
        second = asyncio.create_task(served.post(http, update(2, CHAT_A, "after")))
        other = asyncio.create_task(served.post(http, update(3, CHAT_B, "other")))
        assert await asyncio.gather(first, second, other) == [200, 200, 200]
    events = served.events
    # The other chat was handled and answered while the slow one was still running.
    assert events.index("answered other") < events.index("end slow")
    # The same chat's second update started only after the first had ended.
    assert events.index("end slow") < events.index("start after")
    # Each 200 came after its handler ended.
    for text in ("slow", "after", "other"):
        assert events.index(f"end {text}") < events.index(f"answered {text}")


async def test_a_body_that_is_not_an_update_is_refused(served: Served) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.post(served.url, data=b"not json", headers={SECRET_HEADER: SECRET}) as response,
    ):
        assert response.status == 400
    assert served.events == []
