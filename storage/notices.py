"""Other processes' outgoing messages, heard at once on PostgreSQL (LISTEN/NOTIFY).

Several webhook workers share one PostgreSQL database, and only the one holding a
token's lease sends (bot/sender.py). Its loop is woken by `Database`'s events, which
this process's own commits set; rows another worker committed used to be seen only at
the sender's next page read or idle wait, so a confirmation handled there waited up to
seconds (benchmarks/RESULTS.md, "two webhook workers round robin, mended").

So a transaction that queues outgoing messages also sends a notice on `CHANNEL`
(`notice()`, run before its COMMIT: PostgreSQL delivers it at the commit, never for a
rollback), and every process listens on a connection of its own and sets the same
events its own commits set. One channel for all lanes: a process's own commits wake
all of its senders too, and each then reads only its own lane. The payload is the
listening handle's id, so a process does not wake itself twice for its own commits.

The database stays the source of truth: a notice only wakes a sender early. If the
listening connection drops, that is logged once, the senders go on polling as they
always did, and the connection is made again every `RETRY_SECONDS`; once it is back
the senders are woken, so what was committed meanwhile is read at once. SQLite has one
process and needs none of this.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable

from storage.pg import PgConnection

log = logging.getLogger(__name__)
CHANNEL = "towerbot_outbox"
RETRY_SECONDS = 2.0


class OtherCommits:
    """A connection listening for other processes' commits that queued messages;
    calls `wake` for each (see the module)."""

    def __init__(
        self, connect: Callable[[], Awaitable[PgConnection]], wake: Callable[[], None]
    ) -> None:
        self._connect = connect
        self._wake = wake
        self.me = uuid.uuid4().hex
        self._conn: PgConnection | None = None
        self._lost = asyncio.Event()
        self._keeper: asyncio.Task[None] | None = None

    def notice(self) -> tuple[str, tuple[str, str]]:
        """The statement (with its parameters) a transaction runs before its COMMIT
        when it queued outgoing messages."""
        return "SELECT pg_notify(?, ?)", (CHANNEL, self.me)

    async def start(self) -> None:
        """Listen (raises if the first connection cannot be made), and keep listening."""
        await self._listen()
        self._keeper = asyncio.create_task(self._keep(), name="listen for other commits")

    async def close(self) -> None:
        if self._keeper is not None:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
            self._keeper = None
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    async def _listen(self) -> None:
        conn = await self._connect()
        try:
            conn.raw.add_termination_listener(self._on_lost)
            await conn.raw.add_listener(CHANNEL, self._on_notice)
        except BaseException:
            await conn.close()
            raise
        self._lost.clear()
        self._conn = conn
        if conn.raw.is_closed():  # lost before `_on_lost` could know it was this one
            self._lost.set()

    def _on_notice(self, conn: object, pid: int, channel: str, payload: object) -> None:
        if payload != self.me:
            self._wake()

    def _on_lost(self, conn: object) -> None:
        if self._conn is not None and conn is self._conn.raw:
            self._lost.set()

    async def _keep(self) -> None:
        """Make the connection again whenever it is lost."""
        while True:
            await self._lost.wait()
            lost, self._conn = self._conn, None
            if lost is not None:
                lost.raw.terminate()
            log.warning(
                "lost the PostgreSQL connection that hears other workers' messages; "
                "the senders poll until it is back"
            )
            while self._conn is None:
                await asyncio.sleep(RETRY_SECONDS)
                with contextlib.suppress(Exception):
                    await self._listen()
            log.warning("hearing other workers' messages again")
            self._wake()
