"""Other processes' outgoing messages, heard at once on PostgreSQL (LISTEN/NOTIFY).

Several webhook workers share one PostgreSQL database, and only the one holding a
token's lease sends (bot/sender.py). Its loop is woken by `Database`'s events, which
this process's own commits set; rows another worker committed used to be seen only at
the sender's next page read or idle wait, so a confirmation handled there waited up to
seconds (benchmarks/RESULTS.md, "two webhook workers round robin, mended").

So a transaction that queues outgoing messages also sends a notice on `CHANNEL`
(`notice()`, run before its COMMIT: PostgreSQL delivers it at the commit, never for a
rollback), in every process, and a process that runs a sender listens on a connection
of its own and sets the same events its own commits set. Only such a process listens
(it starts `OtherCommits` where its sender starts): a command that only reads or
writes, or a test, holds no connection it does not need. One channel for all lanes:
a process's own commits wake all of its senders too, and each then reads only its own
lane. The payload is the process's handle's id, so a process does not wake itself
twice for its own commits.

The database stays the source of truth: a notice only wakes a sender early. So the
listening is never what stops a start: if its first connection cannot be made, or if
it drops later, that is logged once, the senders go on polling as they always did,
and the connection is tried again every `RETRY_SECONDS`; once it is there the senders
are woken, so what was committed meanwhile is read at once. A connection can also hang
without closing (a peer gone without a word, a network that drops packets): nothing
then tells the process, and notices stop arriving with no error. So every
`PROBE_SECONDS` the listening connection is asked `SELECT 1`; no answer within
`PROBE_TIMEOUT` counts as lost. SQLite has one process and needs none of this.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from storage.pg import PgConnection

log = logging.getLogger(__name__)
CHANNEL = "towerbot_outbox"
RETRY_SECONDS = 2.0
PROBE_SECONDS = 30.0  # how often the listening connection is asked whether it answers
PROBE_TIMEOUT = 10.0  # no answer within this: the connection hangs, make another


def notice(me: str) -> tuple[str, tuple[str, str]]:
    """The statement (with its parameters) a transaction of the handle `me` runs before
    its COMMIT when it queued outgoing messages."""
    return "SELECT pg_notify(?, ?)", (CHANNEL, me)


class OtherCommits:
    """A connection listening for other processes' commits that queued messages (those
    of another handle than `me`); calls `wake` for each (see the module)."""

    def __init__(
        self, connect: Callable[[], Awaitable[PgConnection]], wake: Callable[[], None], me: str
    ) -> None:
        self._connect = connect
        self._wake = wake
        self.me = me
        self._conn: PgConnection | None = None
        self._lost = asyncio.Event()
        self._keeper: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listen, and keep listening; a first connection that cannot be made is logged
        and tried again, as a lost one is."""
        try:
            await self._listen()
        except Exception as exc:
            log.warning(
                "cannot listen for other workers' messages (%s); the senders poll until it can",
                " ".join(str(exc).split()) or type(exc).__name__,
            )
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
        """Make the connection again whenever it is lost (or was never made)."""
        while True:
            if self._conn is not None:
                how = await self._until_lost(self._conn)
                lost, self._conn = self._conn, None
                lost.raw.terminate()
                log.warning(
                    "%s the PostgreSQL connection that hears other workers' messages; "
                    "the senders poll until it is back",
                    how,
                )
            while self._conn is None:
                await asyncio.sleep(RETRY_SECONDS)
                with contextlib.suppress(Exception):
                    await self._listen()
            log.warning("hearing other workers' messages now")
            self._wake()

    async def _until_lost(self, conn: PgConnection) -> str:
        """Wait until `conn` is lost, or found hanging by a probe; says which."""
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(PROBE_SECONDS):
                    await self._lost.wait()
                    return "lost"
            try:
                async with asyncio.timeout(PROBE_TIMEOUT):
                    await conn.raw.fetchval("SELECT 1")
            except Exception:  # no answer in time, or the connection broke meanwhile
                return "lost" if self._lost.is_set() else "no answer on"
