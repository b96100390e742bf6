"""Handling slots, first come first served, whose number can change while in use.

Why this exists: during an answer storm the poller's take-in (getUpdates, the
inbox's write) shares the event loop with up to 64 handlers, and each of its steps
waits behind their turns; while it waits, the presses not yet fetched wait at the
server, where the bot cannot answer them (bot/press_watch.py). asyncio's semaphore
has a fixed number of permits, so the runner's slots are these instead: while the
server has a backlog the poller lowers their number (slots in use are not taken
back, they are only not handed on), and raises it again once it has caught up.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Slots:
    """`capacity` slots; waiters are served in the order they came."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.in_use = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    def resize(self, capacity: int) -> None:
        """From now on at most `capacity` in use (at least one)."""
        self.capacity = max(1, capacity)
        self._hand_on()

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        if self.in_use < self.capacity and not self._waiters:
            self.in_use += 1
        else:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._release()  # handed a slot as the wait was cancelled: pass it on
                elif waiter in self._waiters:
                    self._waiters.remove(waiter)
                raise
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        self.in_use -= 1
        self._hand_on()

    def _hand_on(self) -> None:
        while self._waiters and self.in_use < self.capacity:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self.in_use += 1
                waiter.set_result(None)
