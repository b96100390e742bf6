"""`towerbot migrate-db`: a tower's SQLite file copied, whole, into an empty PostgreSQL.

Moving past one machine must not mean importing the tower again and losing its
history (orders, answers, incidents, scores, the outbox). The copy reads every
table of the SQLite file in one read transaction (WAL: a consistent state while
the bot goes on running), and writes them into the PostgreSQL database in one
transaction (a failed copy leaves it empty), parents before the tables that
refer to them, then moves each identity column's sequence past the copied ids.
The target must be empty: copying over a live tower would mix two histories.
The `leases` table is not copied: a lease belongs to a process of the old
engine, not to the tower. The inbox's rows, in a file of their own beside the SQLite
database (storage/inbox_file.py), go into PostgreSQL's `inbox` table, read before the
database for the reason storage/backup.py gives.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import aiosqlite

from storage import inbox_file
from storage.conn import Connection
from storage.db import Database

CHUNK = 5000
SKIPPED = frozenset({"leases"})


class TargetNotEmpty(Exception):
    """The PostgreSQL database already holds data; the message names a table."""


@dataclass
class Copied:
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


async def _tables(source: Database) -> list[str]:
    """The source's tables, each after every table its foreign keys refer to."""
    async with source.snapshot() as tx:
        names = [
            r[0]
            for r in await tx.conn.execute_fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        refers: dict[str, set[str]] = {}
        for name in names:
            rows = await tx.conn.execute_fetchall(f"PRAGMA foreign_key_list({name})")
            refers[name] = {r[2] for r in rows} - {name}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and refers[n] <= set(ordered)]
        if not ready:
            raise ValueError(f"foreign keys form a cycle among {set(names) - set(ordered)}")
        ordered.extend(ready)
    return [n for n in ordered if n not in SKIPPED]


async def copy_tower(source: Database, target: Database) -> Copied:
    """Copy every table of the SQLite `source` into the empty PostgreSQL `target`."""
    if source.is_postgres or not target.is_postgres:
        raise ValueError("copies from a SQLite file into a PostgreSQL database")
    inbox = await asyncio.to_thread(inbox_file.left_beside, source.path)
    tables = await _tables(source)
    copied = Copied()
    async with target.transaction() as out:
        for table in tables:
            if await out.conn.execute_fetchall(f"SELECT 1 FROM {table} LIMIT 1"):
                raise TargetNotEmpty(f"its table {table} has rows")
        async with source.snapshot() as src:
            reader = src.conn
            assert isinstance(reader, aiosqlite.Connection)
            for table in tables:
                columns = [
                    r[1] for r in await src.conn.execute_fetchall(f"PRAGMA table_info({table})")
                ]
                names = ", ".join(columns)
                insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
                count = 0
                async with reader.execute(f"SELECT {names} FROM {table}") as cur:
                    while rows := await cur.fetchmany(CHUNK):
                        batch = [tuple(r) for r in rows]
                        await out.conn.executemany(insert, batch)
                        count += len(batch)
                copied.rows[table] = count
        if inbox:
            await out.conn.executemany(inbox_file.COPY, inbox)
            copied.rows["inbox"] += len(inbox)
        for table, column in await _identities(out.conn):
            await out.conn.execute_fetchall(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
            )
    return copied


async def _identities(conn: Connection) -> list[tuple[str, str]]:
    """(table, column) of every identity column of the PostgreSQL schema."""
    rows = await conn.execute_fetchall(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name"
    )
    return [(r[0], r[1]) for r in rows]
