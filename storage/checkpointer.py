"""SQLite's WAL checkpoints on a connection and thread of their own, not in the writer's COMMIT.

Why: in WAL mode SQLite copies the log back into the database file (and syncs
both) inside whichever COMMIT pushes the log past `wal_autocheckpoint` pages.
That COMMIT is the writers' connection's, so every few batches of answers one
batch waited for the copy: ~2 ms a batch on average in the Yiwu answer storm,
a tenth of its time, while every other writer queued behind it
(benchmarks/RESULTS.md, issue 9 item 2). A PASSIVE checkpoint on another
connection does the same copy beside the writers without taking their lock, and
its I/O releases the interpreter, so the second core does it.

Durability is unchanged: a commit is durable once in the log (synchronous=NORMAL,
as before); a checkpoint only moves committed pages. The writers keep a fallback
threshold (`FALLBACK_PAGES`), so if this task ever falls behind the log is still
bounded, as it was before, only larger.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiosqlite

log = logging.getLogger(__name__)

# Rows changed by the writers between two checkpoints (a batch of 64 answers changes
# ~300; SQLite's own default threshold, 1,000 pages, is a few batches' worth).
EVERY_ROWS = 1_000
# The writers' own threshold, reached only if this task falls behind (40 MB of log).
FALLBACK_PAGES = 10_000


class Checkpointer:
    """Runs `PRAGMA wal_checkpoint(PASSIVE)` after enough rows were committed."""

    def __init__(self, path: str, every_rows: int = EVERY_ROWS) -> None:
        self.path = path
        self.every_rows = every_rows
        self.pending = 0
        self.runs = 0
        self._due = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._conn: aiosqlite.Connection | None = None

    def committed(self, rows: int) -> None:
        """The writers committed `rows` changed rows; checkpoint when enough have.
        A database may outlive an event loop (one `asyncio.run` after another): a task
        of a loop that is gone is left behind and a new one starts in this loop."""
        self.pending += rows
        if self.pending < self.every_rows:
            return
        self.pending = 0
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._due = asyncio.Event()
            self._task = loop.create_task(self._run(), name="wal-checkpoints")
        self._due.set()

    async def _run(self) -> None:
        while True:
            await self._due.wait()
            self._due.clear()
            try:
                if self._conn is None:
                    self._conn = await aiosqlite.connect(self.path, isolation_level=None)
                    await self._conn.execute("PRAGMA busy_timeout=5000")
                await self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                self.runs += 1
            except aiosqlite.Error:
                # The writers' fallback threshold still bounds the log; the next
                # batch of commits tries again.
                log.warning("a WAL checkpoint failed", exc_info=True)

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None and task.get_loop() is asyncio.get_running_loop():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
