"""The database handle: opening, migrating and running one transaction at a time.

aiosqlite runs SQLite on a worker thread; an asyncio lock makes sure one
transaction finishes (commit or rollback) before the next one starts, so a
decision never sees another decision half-written.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage import processed
from storage.migrations import MIGRATIONS
from storage.uow import SqliteUnitOfWork


class Database:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self.committed = asyncio.Event()

    async def open(self) -> Database:
        if self._conn is not None:
            return self
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=5000")
        self._conn = conn
        await self.migrate()
        return self

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def __aenter__(self) -> Database:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def schema_version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Run the migrations this file has not seen yet; returns the new version."""
        async with self._lock:
            version = await self.schema_version()
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in filter(str.strip, script.split(";")):
                        await self.conn.execute(statement)
                    await self.conn.execute(f"PRAGMA user_version = {number}")
                    await self.conn.execute("COMMIT")
                except BaseException:
                    await self.conn.execute("ROLLBACK")
                    raise
            return await self.schema_version()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteUnitOfWork]:
        """One unit of work: commits when the block ends, rolls back if it raises.

        The first transaction of an incoming update that changes anything also
        records the update (storage/processed.py), before the same COMMIT.
        """
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            uow = SqliteUnitOfWork(self.conn)
            changes = self.conn.total_changes
            try:
                yield uow
                # The incoming update that caused this decision is recorded with it.
                mark = processed.pending_mark(self.conn.total_changes != changes)
                if mark is not None:
                    await processed.record(self.conn, mark)
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")
            if mark is not None:
                mark.recorded = True
        if uow.outbox.added:
            self.committed.set()
