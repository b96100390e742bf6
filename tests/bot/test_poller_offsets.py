"""The poller confirms to the server only updates it has handled.

Telegram forgets every update below the offset of the next getUpdates. A poller
that moved the offset past updates still queued lost them on a crash (the crash
suite saw answers and a query vanish after a SIGKILL). Here a fake server keeps
updates until they are confirmed, exactly as getUpdates does; a slow update holds
the offset back, the server sends the ones after it again, and each is still
handled once.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram.methods import GetUpdates
from aiogram.types import Update

from bot.dispatch import UpdatePoller
from tests.support.updates import update


class OffsetServer:
    """getUpdates as Telegram answers it: everything from the offset on, up to 100;
    updates below an offset are forgotten for good."""

    def __init__(self, updates: list[Update]) -> None:
        self.queue = list(updates)
        self.offsets: list[int | None] = []

    async def __call__(self, method: GetUpdates, request_timeout: int | None = None) -> Any:
        self.offsets.append(method.offset)
        if method.offset is not None:
            self.queue = [u for u in self.queue if u.update_id >= method.offset]
        if not self.queue:
            await asyncio.sleep(0.01)  # a long poll with nothing new
        return self.queue[:100]


async def until(condition: Any, seconds: float = 10.0) -> None:
    """Wait, bounded, until `condition()` holds."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached in time")


class Feeder:
    """The two things the poller asks of a dispatcher."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def resolve_used_update_types(self) -> list[str]:
        return ["message"]

    async def feed_update(self, bot: Any, update: Update) -> None:
        await self.handle(update)


async def test_a_slow_update_holds_the_offset_and_nothing_is_handled_twice() -> None:
    release = asyncio.Event()
    handled: list[int] = []

    async def handle(u: Update) -> None:
        assert u.message is not None
        if u.message.text == "slow":
            await release.wait()
        handled.append(u.update_id)

    updates = [update(10, -1, "slow")] + [update(i, -(i % 5) - 2) for i in range(11, 31)]
    server = OffsetServer(updates)
    poller = UpdatePoller(server, Feeder(handle), timeout=1)  # type: ignore[arg-type]
    task = asyncio.create_task(poller.run())
    await until(lambda: len(handled) >= 20)
    # Everything after the slow update is handled, but the server was never told
    # to forget the slow one: a crash now would get it again.
    assert 10 not in handled
    assert all(offset is None or offset <= 10 for offset in server.offsets)
    assert server.queue[0].update_id == 10
    release.set()
    await until(lambda: not server.queue)
    task.cancel()
    await poller.stop(grace=1)
    assert sorted(handled) == list(range(10, 31))  # each exactly once
    assert server.offsets[-1] == 31


async def test_a_crash_loses_no_update_the_server_delivered() -> None:
    """The poller dies with updates taken in but not handled; a new poller on the
    same server gets them again."""
    stuck = asyncio.Event()
    first: list[int] = []

    async def never_finishes(u: Update) -> None:
        if u.update_id >= 5:
            await stuck.wait()
        first.append(u.update_id)

    server = OffsetServer([update(i, -i) for i in range(1, 9)])
    poller = UpdatePoller(server, Feeder(never_finishes), timeout=1)  # type: ignore[arg-type]
    task = asyncio.create_task(poller.run())
    await until(lambda: len(first) >= 4)
    await asyncio.sleep(0.05)
    task.cancel()  # the crash: no grace, the workers die with their updates
    await poller.runner.cancel()

    second: list[int] = []

    async def handle(u: Update) -> None:
        second.append(u.update_id)

    again = UpdatePoller(server, Feeder(handle), timeout=1)  # type: ignore[arg-type]
    task = asyncio.create_task(again.run())
    await until(lambda: len(second) >= 4)
    task.cancel()
    await again.stop(grace=1)
    assert sorted(first) == [1, 2, 3, 4]
    assert sorted(second) == [5, 6, 7, 8]
