"""One running instance per database: a lease row that the holder keeps renewing.

Two `towerbot run` on one database both polled, both fired timers and both
sent: every group got the order twice and Telegram answered 409 Conflict. The
running process now holds the `run` lease (holder, pid, host, expiry) and
renews it every third of its life; a second process finds a live lease and
refuses. A lease is taken over when its holder is gone: expired (it stopped
renewing), or its process no longer exists on this host (killed, so restarting
after a crash does not wait for the expiry). A holder that finds its lease
taken over stops (`LeaseLost`) instead of running next to the new one.

The same row, under another name, makes one sender per bot token across a
deployment (`send:BOT_ID`, bot/sender.py): several workers may want it, one
holds it. And each worker on PostgreSQL holds one named after itself
(`inbox:ID`, storage/inbox.py): while it is renewed the worker's inbox rows
are its own, once it is `gone` the other workers take them. Taking is a
compare-and-swap (an upsert that only overwrites the holder that was read), so
two processes that both find a lease free cannot both take it, on SQLite or on
PostgreSQL.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from storage.conn import DatabaseError
from storage.db import Database

log = logging.getLogger(__name__)

NAME = "run"
TTL_SECONDS = 30.0


@dataclass(frozen=True)
class Holder:
    holder: str
    pid: int
    host: str
    expires_at: float


class LeaseHeld(Exception):
    def __init__(self, holder: Holder, now: float) -> None:
        self.holder = holder
        self.seconds_left = max(0, int(holder.expires_at - now))
        super().__init__(
            f"another towerbot (pid {holder.pid} on {holder.host}) is running on this "
            f"database; stop it first (its lease expires in {self.seconds_left} s if it died)"
        )


class LeaseLost(Exception):
    """Another process took the lease over: this one must stop."""


def gone(holder: Holder, now: float) -> bool:
    """Whether the lease's holder is gone: its lease expired, or its process no longer
    exists on this host."""
    return holder.expires_at <= now or not _alive(holder)


def _alive(holder: Holder) -> bool:
    if holder.host != socket.gethostname():
        return True  # can't look at another machine's processes: trust the expiry
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunLease:
    def __init__(
        self,
        db: Database,
        ttl: float = TTL_SECONDS,
        now: Callable[[], float] = time.time,
        name: str = NAME,
        holder: str | None = None,
    ) -> None:
        """`holder`: this holder's id (a fresh one if not given), for a lease named
        after its holder (`inbox:HOLDER`, storage/inbox.py)."""
        self.db = db
        self.ttl = ttl
        self.now = now
        self.name = name
        self.me = Holder(holder or uuid.uuid4().hex, os.getpid(), socket.gethostname(), 0.0)
        self.taken = False  # held as of the last take or renewal

    async def _current(self) -> Holder | None:
        async with self.db.conn.execute(
            "SELECT holder, pid, host, expires_at FROM leases WHERE name = ?", (self.name,)
        ) as cur:
            row = await cur.fetchone()
        return Holder(row[0], row[1], row[2], row[3]) if row else None

    async def _swap(self, seen: Holder | None) -> bool:
        """Write this holder over `seen` (the row as read, or none); False when the row
        changed since it was read (another process took it in between)."""
        cur = await self.db.conn.execute(
            "INSERT INTO leases (name, holder, pid, host, expires_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, "
            "host = excluded.host, expires_at = excluded.expires_at WHERE leases.holder = ?",
            (
                self.name,
                self.me.holder,
                self.me.pid,
                self.me.host,
                self.now() + self.ttl,
                seen.holder if seen is not None else "",
            ),
        )
        return cur.rowcount > 0

    async def try_take(self) -> Holder | None:
        """Hold the lease; returns None when held, else the live holder."""
        async with self.db.transaction():
            now = self.now()
            current = await self._current()
            if current is not None and current.holder != self.me.holder and not gone(current, now):
                return current
            if await self._swap(current):
                self.taken = True
                return None
            # Taken between the read and the write; released at once in between too
            # (rare): then it reads as held by nobody known, and the next try takes it.
            return await self._current() or Holder("", 0, "?", now)

    async def take(self) -> None:
        """Hold the lease, or raise `LeaseHeld` naming the live holder."""
        holder = await self.try_take()
        if holder is not None:
            raise LeaseHeld(holder, self.now())

    async def renew(self) -> None:
        async with self.db.transaction():
            cur = await self.db.conn.execute(
                "UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?",
                (self.now() + self.ttl, self.name, self.me.holder),
            )
            if cur.rowcount == 0:
                self.taken = False
                current = await self._current()
                raise LeaseLost(f"the database's {self.name} lease was taken over by {current}")

    async def keep(self, patient: bool = False) -> None:
        """Renew until cancelled; raises `LeaseLost` if another process took over, and
        a database error unless `patient` (then it is logged and tried again next time:
        only a lease unrenewed for its whole life lets others take what it holds)."""
        while True:
            await asyncio.sleep(self.ttl / 3)
            try:
                await self.renew()
            except DatabaseError as exc:
                if not patient:
                    raise
                log.warning(
                    "the %s lease not renewed (%s): again in %.0f s", self.name, exc, self.ttl / 3
                )

    async def release(self) -> None:
        self.taken = False
        async with self.db.transaction():
            await self.db.conn.execute(
                "DELETE FROM leases WHERE name = ? AND holder = ?", (self.name, self.me.holder)
            )
