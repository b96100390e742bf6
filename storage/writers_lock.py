"""The writers' lock, with a lane that goes first for the poller's inbox writes.

Why this exists: one transaction of a process runs at a time (storage/db.py), and
asyncio's lock hands itself over first come, first served. During an answer storm
the poller's write of its next batch of updates queued behind every answer in
flight: in the 3,600-target dispatch benchmark 64 such writes waited 6.2 s in all,
and while a batch is unwritten the poller fetches nothing, so a press waited at the
server, where the bot cannot answer it (bot/press_watch.py times a press from when it
enters the process). An urgent waiter is therefore handed the lock before every
ordinary one, in order among urgent waiters; ordinary waiters keep their order.
Only short writes that bring work in may be urgent (the inbox's batch): they are
bounded by the polling loop, so ordinary writers are delayed by at most one of them
at a time and never starved. On SQLite the inbox has since had a file, a connection
and so a lock of its own (storage/inbox_file.py): there the batch goes ahead of the
inbox's deletions and attempts; on PostgreSQL, ahead of every writer of the process.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class WritersLock:
    """A mutual exclusion lock whose urgent waiters are served before ordinary ones."""

    def __init__(self) -> None:
        self._held = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._ordinary: deque[asyncio.Future[None]] = deque()

    def locked(self) -> bool:
        return self._held

    @asynccontextmanager
    async def hold(self, urgent: bool = False) -> AsyncIterator[None]:
        await self._acquire(urgent)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, urgent: bool) -> None:
        if not self._held and not self._urgent and not self._ordinary:
            self._held = True
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        lane = self._urgent if urgent else self._ordinary
        lane.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release()  # handed the lock as the wait was cancelled: pass it on
            elif waiter in lane:  # a release may have dropped it already
                lane.remove(waiter)
            raise

    def _release(self) -> None:
        """Hand the lock to the next live waiter (urgent first), or free it."""
        for lane in (self._urgent, self._ordinary):
            while lane:
                waiter = lane.popleft()
                if not waiter.done():
                    waiter.set_result(None)  # the lock stays held, by the waiter now
                    return
        self._held = False
