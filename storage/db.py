"""The database handle: opening, migrating and running one transaction at a time.

aiosqlite runs SQLite on a worker thread; an asyncio lock makes sure one
transaction finishes (commit or rollback) before the next one starts, so a
decision never sees another decision half-written.

Opening checks the file first: a directory, a missing folder, a file that is
not SQLite or a store that cannot be written each become one
`DatabaseUnavailable` line for the person starting the bot, and a half-opened
connection is closed (its worker thread would otherwise keep the process alive).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage import processed
from storage.migrations import MIGRATIONS
from storage.uow import SqliteUnitOfWork


async def run_to_end(statement: Awaitable[object]) -> None:
    """Await a statement that the database thread will run whatever happens to the caller.

    A task cancelled while its BEGIN or COMMIT waits in aiosqlite's queue gives up the
    wait, not the statement: it still runs afterwards. Left alone, an orphan BEGIN
    makes the next transaction fail ("cannot start a transaction within a
    transaction"). So a cancelled caller first lets the statement finish, then the
    cancellation goes on, and the caller's clean-up sees the connection as it is.
    """
    running = asyncio.ensure_future(statement)
    try:
        await asyncio.shield(running)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await running
        raise


class DatabaseUnavailable(Exception):
    """The database file cannot be used; the message says why, in one line."""


def check_location(name: str) -> None:
    """Refuse, before SQLite tries, a path that can never hold a database."""
    if not name.strip():
        raise DatabaseUnavailable("the database path is empty; give a file like towerbot.db")
    path = Path(name)
    if path.is_dir():
        raise DatabaseUnavailable(
            f"{path} is a directory; give a file inside it, e.g. {path / 'towerbot.db'}"
        )
    folder = path.parent
    if not folder.exists():
        raise DatabaseUnavailable(f"{path}: the folder {folder} does not exist; create it first")
    if not folder.is_dir():
        raise DatabaseUnavailable(f"{path}: {folder} is not a folder")


def explain_sqlite(path: str, exc: sqlite3.Error) -> str | None:
    """One line for an SQLite error that is about the file itself, else None
    (a failing migration is a bug and keeps its traceback)."""
    code = getattr(exc, "sqlite_errorname", "")
    if code == "SQLITE_NOTADB":
        return f"{path} is not a SQLite database (wrong file?)"
    if code == "SQLITE_CORRUPT":
        return f"{path} is damaged (restore it from a backup)"
    if code.startswith("SQLITE_READONLY") or code == "SQLITE_PERM":
        return f"{path} cannot be written (read-only file, folder or disk)"
    if code.startswith("SQLITE_BUSY"):
        return f"{path} is locked by another program; stop it or use another file"
    if code.startswith("SQLITE_CANTOPEN"):
        return f"{path} cannot be opened (missing folder or no permission)"
    if code == "SQLITE_FULL":
        return f"{path}: the disk is full"
    if code.startswith("SQLITE_IOERR"):
        return f"{path}: the disk cannot be read or written ({code})"
    return None


class Database:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._reader: aiosqlite.Connection | None = None
        self._read_lock = asyncio.Lock()
        self.committed = asyncio.Event()
        # One more event per sender: several bots share a database, and a sender that
        # clears the shared event must not hide a commit from the others.
        self._listeners: list[asyncio.Event] = []

    def commit_event(self) -> asyncio.Event:
        """A new event of one's own, set (like `committed`) after each commit that queued
        outgoing messages."""
        event = asyncio.Event()
        self._listeners.append(event)
        return event

    async def open(self) -> Database:
        if self._conn is not None:
            return self
        check_location(self.path)
        try:
            conn = await aiosqlite.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(explain_sqlite(self.path, exc) or str(exc)) from exc
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            self._conn = conn
            version = await self.migrate()
            # A store that opens but cannot be written fails here, at start, rather
            # than at the first answer: rewriting the version is the cheapest write.
            await conn.execute(f"PRAGMA user_version = {version}")
        except BaseException as exc:
            self._conn = None
            await conn.close()
            line = explain_sqlite(self.path, exc) if isinstance(exc, sqlite3.Error) else None
            if line is not None:
                raise DatabaseUnavailable(line) from exc
            raise
        return self

    async def close(self) -> None:
        if self._reader is not None:
            await self._reader.close()
            self._reader = None
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
    async def snapshot(self) -> AsyncIterator[SqliteUnitOfWork]:
        """A read-only unit of work on a connection of its own: in WAL mode it reads the
        last committed state while a decision is being written, so a question
        (`/status` during an answer storm) never queues behind the writers' lock."""
        self.conn  # noqa: B018 -- raises when the database is not open
        async with self._read_lock:
            if self._reader is None:
                reader = await aiosqlite.connect(self.path, isolation_level=None)
                reader.row_factory = aiosqlite.Row
                await reader.execute("PRAGMA busy_timeout=5000")
                await reader.execute("PRAGMA query_only=ON")
                self._reader = reader
            reader = self._reader
            try:
                await run_to_end(reader.execute("BEGIN"))
                yield SqliteUnitOfWork(reader)
            finally:
                if reader.in_transaction:
                    await run_to_end(reader.execute("COMMIT"))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteUnitOfWork]:
        """One unit of work: commits when the block ends, rolls back if it raises.

        The first transaction of an incoming update that changes anything also
        records the update (storage/processed.py), before the same COMMIT.
        """
        async with self._lock:
            uow = SqliteUnitOfWork(self.conn)
            changes = self.conn.total_changes
            try:
                await run_to_end(self.conn.execute("BEGIN IMMEDIATE"))
                yield uow
                # The incoming update that caused this decision is recorded with it.
                mark = processed.pending_mark(self.conn.total_changes != changes)
                if mark is not None:
                    await processed.record(self.conn, mark)
                await run_to_end(self.conn.execute("COMMIT"))
            except BaseException:
                # SQLite has already rolled back after some errors (a full disk):
                # a second ROLLBACK would hide the real error behind its own. A
                # failed COMMIT leaves the transaction open: it is rolled back too.
                if self.conn.in_transaction:
                    await run_to_end(self.conn.execute("ROLLBACK"))
                raise
            if mark is not None:
                mark.recorded = True
        if uow.outbox.added:
            self.committed.set()
            for listener in self._listeners:
                listener.set()
