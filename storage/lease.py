"""One running instance per database: a lease row that the holder keeps renewing.

Two `towerbot run` on one database both polled, both fired timers and both
sent: every group got the order twice and Telegram answered 409 Conflict. The
running process now holds the `run` lease (holder, pid, host, expiry) and
renews it every third of its life; a second process finds a live lease and
refuses. A lease is taken over when its holder is gone: expired (it stopped
renewing), or its process no longer exists on this host (killed, so restarting
after a crash does not wait for the expiry). A holder that finds its lease
taken over stops (`LeaseLost`) instead of running next to the new one.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from storage.db import Database

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
    ) -> None:
        self.db = db
        self.ttl = ttl
        self.now = now
        self.name = name
        self.me = Holder(uuid.uuid4().hex, os.getpid(), socket.gethostname(), 0.0)

    async def _current(self) -> Holder | None:
        async with self.db.conn.execute(
            "SELECT holder, pid, host, expires_at FROM leases WHERE name = ?", (self.name,)
        ) as cur:
            row = await cur.fetchone()
        return Holder(row[0], row[1], row[2], row[3]) if row else None

    async def _write(self) -> None:
        await self.db.conn.execute(
            "INSERT INTO leases (name, holder, pid, host, expires_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, "
            "host = excluded.host, expires_at = excluded.expires_at",
            (self.name, self.me.holder, self.me.pid, self.me.host, self.now() + self.ttl),
        )

    async def take(self) -> None:
        """Hold the lease, or raise `LeaseHeld` naming the live holder."""
        async with self.db.transaction():
            now = self.now()
            current = await self._current()
            if (
                current is not None
                and current.holder != self.me.holder
                and current.expires_at > now
                and _alive(current)
            ):
                raise LeaseHeld(current, now)
            await self._write()

    async def renew(self) -> None:
        async with self.db.transaction():
            current = await self._current()
            if current is None or current.holder != self.me.holder:
                raise LeaseLost(f"the database's run lease was taken over by {current}")
            await self._write()

    async def keep(self) -> None:
        """Renew until cancelled; raises `LeaseLost` if another process took over."""
        while True:
            await asyncio.sleep(self.ttl / 3)
            await self.renew()

    async def release(self) -> None:
        async with self.db.transaction():
            await self.db.conn.execute(
                "DELETE FROM leases WHERE name = ? AND holder = ?", (self.name, self.me.holder)
            )
