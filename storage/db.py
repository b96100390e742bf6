"""The database handle: opening, migrating and running one transaction at a time.

Two engines behind one handle: a file path is SQLite (aiosqlite, the default,
nothing to install), a `postgresql://` URL is PostgreSQL (asyncpg, through the
aiosqlite-shaped adapter of storage/pg.py). Either way an asyncio lock makes
sure one transaction of this process finishes (commit or rollback) before the
next one starts, so a decision never sees another decision half-written; and
`snapshot()` reads the last committed state on a connection of its own. On
SQLite the inbox of long polling is a second handle of this class on a file of its
own (`inbox()`, storage/inbox_file.py), with its own lock. A commit
that queued outgoing messages wakes the senders (`committed`, `commit_event`): on
PostgreSQL another process's too (storage/notices.py).

Opening checks the file first: a directory, a missing folder, a file that is
not SQLite or a store that cannot be written each become one
`DatabaseUnavailable` line for the person starting the bot, and a half-opened
connection is closed (its worker thread would otherwise keep the process alive).
A PostgreSQL server that cannot be reached or refuses the login is one line too.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aiosqlite
import asyncpg

from storage import inbox_file, pg, pgschema, processed
from storage.checkpointer import FALLBACK_PAGES, Checkpointer
from storage.conn import Connection
from storage.handoff import in_thread, run_to_end
from storage.migrations import MIGRATIONS
from storage.notices import OtherCommits, notice
from storage.pg import PgConnection
from storage.uow import SqliteUnitOfWork
from storage.writers_lock import WritersLock

# Any fixed number: the advisory lock that serialises migrations across processes.
MIGRATION_LOCK = 7_014_201
CONNECT_SECONDS = 10.0


# Statements a transaction runs, each with its rows of parameters (`Database.write_at_once`).
Steps = Sequence[tuple[str, Sequence[tuple[object, ...]]]]


def _write_steps(db: sqlite3.Connection, steps: Steps) -> None:
    """Run `steps` as one transaction on the database thread (`Database.write_at_once`)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for sql, rows in steps:
            if rows:
                db.executemany(sql, rows)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # as `Database.transaction`: SQLite may have rolled back
            db.execute("ROLLBACK")
        raise


def _commit_steps(db: sqlite3.Connection, begin: bool, marks: list[processed.UpdateMark]) -> None:
    """A transaction's end on the database thread (`Database.transaction`): the updates
    it records, then COMMIT; its BEGIN IMMEDIATE first if nothing began it yet."""
    if begin:
        db.execute("BEGIN IMMEDIATE")
    if marks:
        processed.record_here(db, marks)
    db.execute("COMMIT")


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


def _safe_url(url: str) -> str:
    """The URL as it may be shown: without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


async def connect_pg(url: str) -> PgConnection:
    """Connect, or raise `DatabaseUnavailable` with one line saying why not."""
    shown = _safe_url(url)
    try:
        return await asyncio.wait_for(pg.connect(url), CONNECT_SECONDS)
    except TimeoutError as exc:
        raise DatabaseUnavailable(
            f"{shown}: no answer from PostgreSQL in {CONNECT_SECONDS:.0f} s"
        ) from exc
    except (OSError, ValueError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DatabaseUnavailable(f"{shown}: cannot use PostgreSQL ({reason})") from exc


class Database:
    def __init__(self, path: str | Path, inbox_only: bool = False) -> None:
        """`inbox_only`: this handle is a database's inbox file (storage/inbox_file.py),
        with the inbox's schema only; otherwise a tower's database."""
        self.path = str(path)
        self.engine = "postgresql" if pg.is_url(self.path) else "sqlite"
        self.is_inbox_file = inbox_only
        self._inbox: Database | None = None
        self._inbox_lock = asyncio.Lock()
        self._conn: Connection | None = None
        self._lock = WritersLock()
        self._reader: Connection | None = None
        self._read_lock = asyncio.Lock()
        self._looker: Connection | None = None
        self._look_lock = asyncio.Lock()
        self._teller: Connection | None = None
        self._tell_lock = asyncio.Lock()
        self._pager: Connection | None = None
        self._page_lock = asyncio.Lock()
        self._checkpoints: Checkpointer | None = None
        self.committed = asyncio.Event()
        # One more event per sender: several bots share a database, and a sender that
        # clears the shared event must not hide a commit from the others.
        self._listeners: list[asyncio.Event] = []
        # PostgreSQL: this handle's commits that queue messages tell other processes
        # (their payload: `me`), and, once `hear_others` has run, other processes'
        # commits set the same events.
        self.me = uuid.uuid4().hex
        self._others: OtherCommits | None = None

    @property
    def is_postgres(self) -> bool:
        return self.engine == "postgresql"

    def __repr__(self) -> str:
        return f"Database({_safe_url(self.path)!r})"

    def commit_event(self) -> asyncio.Event:
        """A new event of one's own, set (like `committed`) after each commit that queued
        outgoing messages."""
        event = asyncio.Event()
        self._listeners.append(event)
        return event

    async def open(self) -> Database:
        if self._conn is not None:
            return self
        if self.is_postgres:
            return await self._open_pg()
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
            # Checkpoints run beside the writers (storage/checkpointer.py); the
            # writers' own only if that falls behind.
            await conn.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_PAGES}")
            self._checkpoints = Checkpointer(self.path)
            self._conn = conn
            version = await self.migrate()
            # A store that opens but cannot be written fails here, at start, rather
            # than at the first answer: rewriting the version is the cheapest write.
            await conn.execute(f"PRAGMA user_version = {version}")
        except BaseException as exc:
            self._conn = None
            self._checkpoints = None
            await conn.close()
            line = explain_sqlite(self.path, exc) if isinstance(exc, sqlite3.Error) else None
            if line is not None:
                raise DatabaseUnavailable(line) from exc
            raise
        return self

    async def _open_pg(self) -> Database:
        conn = await connect_pg(self.path)
        try:
            self._conn = conn
            await self.migrate()
            # As on SQLite: a login that cannot write fails at start, not at the first answer.
            await conn.execute("UPDATE schema_version SET version = version")
        except BaseException as exc:
            self._conn = None
            await conn.close()
            if isinstance(
                exc, asyncpg.InsufficientPrivilegeError | asyncpg.ReadOnlySQLTransactionError
            ):
                line = " ".join(str(exc).split())
                raise DatabaseUnavailable(f"{_safe_url(self.path)}: cannot write ({line})") from exc
            raise
        return self

    async def hear_others(self) -> None:
        """On PostgreSQL, listen for other processes' commits that queued messages (a
        process that runs a sender calls this where the sender starts), so they wake
        this process's senders as its own commits do; a listener that cannot connect is
        logged and tried again, never what stops a start (storage/notices.py). SQLite:
        nothing (one process)."""
        self.conn  # noqa: B018 -- raises when the database is not open
        if self.is_postgres and self._others is None:
            self._others = OtherCommits(
                functools.partial(connect_pg, self.path), self._wake, self.me
            )
            await self._others.start()

    async def inbox(self) -> Database:
        """The database the inbox of long polling lives in: on SQLite a file of its own
        beside this one, opened at the first call (storage/inbox_file.py); on PostgreSQL
        this one."""
        self.conn  # noqa: B018 -- raises when the database is not open
        if self.is_postgres or self.is_inbox_file:
            return self
        async with self._inbox_lock:
            if self._inbox is None:
                store = await Database(inbox_file.beside(self.path), inbox_only=True).open()
                try:
                    await inbox_file.take_over(self, store)
                except BaseException:
                    await store.close()
                    raise
                self._inbox = store
            return self._inbox

    async def close(self) -> None:
        if self._inbox is not None:
            await self._inbox.close()
            self._inbox = None
        if self._others is not None:
            await self._others.close()
            self._others = None
        if self._checkpoints is not None:
            await self._checkpoints.close()
            self._checkpoints = None
        if self._reader is not None:
            await self._reader.close()
            self._reader = None
        if self._looker is not None:
            await self._looker.close()
            self._looker = None
        if self._teller is not None:
            await self._teller.close()
            self._teller = None
        if self._pager is not None:
            await self._pager.close()
            self._pager = None
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def __aenter__(self) -> Database:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def schema_version(self) -> int:
        sql = "SELECT version FROM schema_version" if self.is_postgres else "PRAGMA user_version"
        async with self.conn.execute(sql) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Run the migrations this database has not seen yet; returns the new version."""
        if isinstance(self.conn, PgConnection):
            return await self._migrate_pg(self.conn)
        scripts = inbox_file.SCHEMA if self.is_inbox_file else MIGRATIONS
        async with self._lock.hold():
            version = await self.schema_version()
            for number, script in enumerate(scripts[version:], start=version + 1):
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

    async def _migrate_pg(self, conn: PgConnection) -> int:
        """Each migration in its own transaction, under an advisory lock, so several
        processes starting on one new database run each script once."""
        async with self._lock.hold():
            while True:
                async with conn.raw.transaction():
                    await conn.raw.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                    # Created under the lock: two concurrent `CREATE TABLE IF NOT EXISTS`
                    # can both miss the table and one fails on PostgreSQL's catalogue.
                    await conn.raw.execute(pgschema.VERSION_TABLE)
                    row = await conn.raw.fetchrow("SELECT version FROM schema_version")
                    if row is None:
                        await conn.raw.execute("INSERT INTO schema_version (version) VALUES (0)")
                    version = int(row[0]) if row else 0
                    if version >= len(MIGRATIONS):
                        return version
                    script = MIGRATIONS[version]
                    await conn.script(pgschema.to_postgres(s) for s in pgschema.statements(script))
                    await conn.raw.execute("UPDATE schema_version SET version = $1", version + 1)

    async def _connect_reader(self) -> Connection:
        if self.is_postgres:
            return await connect_pg(self.path)
        reader = await aiosqlite.connect(self.path, isolation_level=None)
        reader.row_factory = aiosqlite.Row
        await reader.execute("PRAGMA busy_timeout=5000")
        await reader.execute("PRAGMA query_only=ON")
        return reader

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[SqliteUnitOfWork]:
        """A read-only unit of work on a connection of its own: it reads the last
        committed state while a decision is being written (SQLite's WAL mode; a
        read-only repeatable-read transaction on PostgreSQL), so a question
        (`/status` during an answer storm) never queues behind the writers' lock."""
        self.conn  # noqa: B018 -- raises when the database is not open
        begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" if self.is_postgres else "BEGIN"
        async with self._read_lock:
            if self._reader is None:
                self._reader = await self._connect_reader()
            reader = self._reader
            try:
                await run_to_end(reader.execute(begin))
                yield SqliteUnitOfWork(reader)
            finally:
                if reader.in_transaction:
                    await run_to_end(reader.execute("COMMIT"))

    @asynccontextmanager
    async def lookup(self) -> AsyncIterator[Connection]:
        """A connection of its own for the reads every incoming update makes before its
        handler (storage/update_reads.py): each statement in autocommit reads the last
        committed state, beside the writers and beside the slow questions of
        `snapshot()`, whose connection it does not share."""
        self.conn  # noqa: B018 -- raises when the database is not open
        async with self._look_lock:
            if self._looker is None:
                self._looker = await self._connect_reader()
            yield self._looker

    @asynccontextmanager
    async def languages(self) -> AsyncIterator[Connection]:
        """A connection of its own for the languages of the presses each polled batch
        brings (bot/press_replies.py, `languages`), read while the batch is stored:
        on `lookup()`'s connection that read would wait for the handlers' reads, and
        the next getUpdates with it. In autocommit, as `lookup()`."""
        self.conn  # noqa: B018 -- raises when the database is not open
        async with self._tell_lock:
            if self._teller is None:
                self._teller = await self._connect_reader()
            yield self._teller

    @asynccontextmanager
    async def pages(self) -> AsyncIterator[SqliteUnitOfWork]:
        """The senders' reads of their pages of due rows (bot/sender.py), on a connection
        of their own in autocommit: a page reads the last committed state and never
        waits for the writers' lock (a row is claimed, pending to sending, in a write
        transaction that checks it is still pending)."""
        self.conn  # noqa: B018 -- raises when the database is not open
        async with self._page_lock:
            if self._pager is None:
                self._pager = await self._connect_reader()
            yield SqliteUnitOfWork(self._pager)

    async def write_at_once(self, steps: Steps, urgent: bool = False) -> None:
        """`steps` (statements, each with its rows) as one transaction that decides
        nothing: no update's record nor its riders go with it. On SQLite it runs in one
        hand-off to the database thread (BEGIN IMMEDIATE to COMMIT), so the writers'
        lock is held for one trip there and back instead of one a statement: during an
        answer storm each trip waits behind the handlers' turns on the event loop, and
        the poller's inbox write took ~5 of them (benchmarks/RESULTS.md, "take-in").
        On PostgreSQL it is an ordinary `transaction`. `urgent` as there."""
        conn = self.conn
        if not isinstance(conn, aiosqlite.Connection):
            async with self.transaction(urgent) as tx:
                for sql, rows in steps:
                    if rows:
                        await tx.conn.executemany(sql, rows)
            return
        async with self._lock.hold(urgent):
            changes = conn.total_changes
            # Let to end if cancelled (as BEGIN and COMMIT are): the thread runs it anyway.
            await run_to_end(in_thread(conn, _write_steps, steps))
            if self._checkpoints is not None:
                self._checkpoints.committed(conn.total_changes - changes)

    def answer_batch(self) -> AbstractAsyncContextManager[SqliteUnitOfWork]:
        """The transaction of a batch of answers (cascade/answer_batch.py): on SQLite its
        BEGIN IMMEDIATE goes to the database thread with the batch's read, its first
        statement (`SqliteAnswerRepository.read`), in one hand-off, rather than a trip
        of its own while the writers' lock is held; otherwise a `transaction`."""
        return self.transaction(begin_with_answers=True)

    @asynccontextmanager
    async def transaction(
        self, urgent: bool = False, begin_with_answers: bool = False
    ) -> AsyncIterator[SqliteUnitOfWork]:
        """One unit of work: commits when the block ends, rolls back if it raises.
        `urgent` puts it ahead of the other transactions waiting for the writers' lock
        (storage/writers_lock.py): only for the poller's short inbox writes.
        `begin_with_answers`: see `answer_batch`.

        The first transaction of an incoming update that changes anything also
        records the update (storage/processed.py), before the same COMMIT; every
        such transaction writes what rides on the update (a form's step); so does a
        batch's transaction for the answers it decided. On SQLite those records go
        to the database thread with the COMMIT, in one hand-off.
        """
        async with self._lock.hold(urgent):
            conn = self.conn
            uow = SqliteUnitOfWork(conn)
            changes = conn.total_changes
            try:
                if begin_with_answers and isinstance(conn, aiosqlite.Connection):
                    uow.answers.begins = True
                else:
                    await run_to_end(conn.execute("BEGIN IMMEDIATE"))
                yield uow
                if conn.total_changes != changes:  # a decision: the form step rides with it
                    await processed.write_riders(conn)
                if uow.outbox.added and self.is_postgres:  # heard at COMMIT
                    await conn.execute(*notice(self.me))
                # The incoming update that caused this decision is recorded with it.
                marks = processed.pending_marks(conn.total_changes != changes)
                await self._commit(conn, marks, uow.answers.begins)
            except BaseException:
                # SQLite has already rolled back after some errors (a full disk):
                # a second ROLLBACK would hide the real error behind its own. A
                # failed COMMIT leaves the transaction open: it is rolled back too.
                if conn.in_transaction:
                    await run_to_end(conn.execute("ROLLBACK"))
                raise
            processed.committed(marks)
            if self._checkpoints is not None:
                self._checkpoints.committed(conn.total_changes - changes)
        if uow.outbox.added:
            self._wake()

    def _wake(self) -> None:
        """Messages were queued, here or (PostgreSQL) by another process: wake the senders."""
        self.committed.set()
        for listener in self._listeners:
            listener.set()

    @staticmethod
    async def _commit(conn: Connection, marks: list[processed.UpdateMark], begin: bool) -> None:
        """Record `marks` and COMMIT (BEGIN first if `begin`: a batch that read nothing);
        let to end if cancelled, as BEGIN is."""
        if isinstance(conn, aiosqlite.Connection):
            await run_to_end(in_thread(conn, _commit_steps, begin, marks))
            return
        if marks:
            await processed.record(conn, marks)
        await run_to_end(conn.execute("COMMIT"))
