"""One chat's updates one at a time across workers (issue 14, the webhook path).

Two database handles stand for two workers. On PostgreSQL a worker holding a
chat's turn makes the other wait for that chat, not for any other chat, and a
worker whose connection ends (it died) frees the chat. On SQLite (one process)
the turn is the in-process lock alone (bot/webhook.py) and these are skipped.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.chatlock import chat_turn
from storage.db import Database
from tests.support.pgserver import Engine

CHAT, OTHER = -1_002_000_000_002, -1_002_000_000_003


@pytest.fixture
async def pair(engine: Engine, tmp_path: Path) -> AsyncIterator[tuple[Database, Database]]:
    target = await engine.new_target(tmp_path)
    async with Database(target) as one, Database(target) as two:
        yield one, two


async def test_a_chat_waits_for_its_turn_on_another_worker(pair: tuple[Database, Database]) -> None:
    first, second = pair
    if not first.is_postgres:
        pytest.skip("SQLite runs one process: the in-process lock orders a chat's updates")
    order: list[str] = []
    held = asyncio.Event()
    release = asyncio.Event()

    async def on_first() -> None:
        async with chat_turn(first, CHAT):
            order.append("first in")
            held.set()
            await release.wait()
            order.append("first out")

    async def on_second() -> None:
        await held.wait()
        async with chat_turn(second, CHAT):
            order.append("second in")

    task = asyncio.gather(on_first(), on_second())
    await held.wait()
    async with chat_turn(second, OTHER):  # another chat is not held up
        order.append("other chat")
    await asyncio.sleep(0.2)
    release.set()
    await task
    assert order == ["first in", "other chat", "first out", "second in"]


async def test_a_dead_worker_frees_its_chats(engine: Engine, tmp_path: Path) -> None:
    if not engine.is_postgres:
        pytest.skip("SQLite runs one process: no other worker holds a chat")
    target = await engine.new_target(tmp_path)
    async with Database(target) as survivor:
        dying = await Database(target).open()
        entered = chat_turn(dying, CHAT)
        await entered.__aenter__()
        await dying.close()  # its session ends as a killed worker's does
        async with asyncio.timeout(10), chat_turn(survivor, CHAT):
            pass
