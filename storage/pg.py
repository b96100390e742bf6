"""PostgreSQL behind the same small connection API the repositories use on SQLite.

The repositories were written against aiosqlite: `conn.execute(sql, params)`
(awaited, or used as `async with ... as cur`), `cur.fetchone()/fetchall()`,
`cur.rowcount`, `conn.execute_fetchall`, `conn.executemany`,
`conn.in_transaction` and `conn.total_changes`. `PgConnection` offers exactly
that over one asyncpg connection, so a repository runs unchanged on either
engine and only its SQL has to be portable:

- placeholders stay `?` in the source; they become `$1, $2, ...` here (outside
  quoted strings), translated once per statement text and cached;
- rows are asyncpg `Record`s: by position (`row[0]`) and by name (`row["code"]`),
  and `dict(row)` works, as with `aiosqlite.Row`;
- `rowcount` comes from the command tag ("UPDATE 3"), or is the number of rows
  for a statement that returns rows (SELECT, `... RETURNING id`);
- `total_changes` adds up the rows written, so `Database.transaction()` can tell
  whether a decision changed anything (an `executemany` counts its batch);
- statements on one connection queue one after another (asyncpg refuses a second
  one while the first runs; aiosqlite queues them on its thread);
- `BEGIN IMMEDIATE` (SQLite's "take the write lock now") is a plain `BEGIN`:
  one writer at a time per process is kept by `Database`'s asyncio lock;
- `numeric` results (PostgreSQL's `SUM` of a BIGINT) come back as `int` when
  whole, like SQLite's, not as `Decimal`.

Usage (what `Database` does): `conn = await connect(url)`; then the
aiosqlite-style calls above; `await conn.close()`.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from types import TracebackType
from typing import Any

import asyncpg

# Errors a caller may see from either engine's driver.
PgError = asyncpg.PostgresError
PgIntegrityError = asyncpg.IntegrityConstraintViolationError


def is_url(target: str) -> bool:
    """Whether a `TOWERBOT_DB` value names a PostgreSQL server rather than a file."""
    return target.startswith(("postgresql://", "postgres://"))


@lru_cache(maxsize=2048)
def to_pg(sql: str) -> str:
    """The statement with `?` numbered as `$n` (quoted text left alone)."""
    if sql.strip().upper() == "BEGIN IMMEDIATE":
        return "BEGIN"
    out: list[str] = []
    number = 0
    quote: str | None = None
    for char in sql:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "?":
            number += 1
            out.append(f"${number}")
            continue
        out.append(char)
    return "".join(out)


_TAG = re.compile(r"^(INSERT \d+|UPDATE|DELETE|SELECT|MOVE|FETCH|COPY|MERGE) (\d+)$")


def _count(status: str) -> int:
    """Rows touched, from a command tag such as "INSERT 0 4" or "UPDATE 2"."""
    match = _TAG.match(status)
    return int(match.group(2)) if match else 0


class _Closing:
    """`async with` support with nothing to release (rows are fetched at once)."""

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


class PgCursor(_Closing):
    """The outcome of one statement: its rows (if any) and how many it touched."""

    lastrowid = None  # portable code asks with `RETURNING id` instead

    def __init__(self, rows: list[asyncpg.Record], rowcount: int) -> None:
        self.rows = rows
        self.rowcount = rowcount

    async def fetchone(self) -> asyncpg.Record | None:
        return self.rows[0] if self.rows else None

    async def fetchall(self) -> list[asyncpg.Record]:
        return self.rows

    async def __aenter__(self) -> PgCursor:
        return self


class _Pending(_Closing):
    """`conn.execute(...)`: awaitable, or usable as `async with ... as cur`."""

    def __init__(self, conn: PgConnection, sql: str, params: Sequence[Any]) -> None:
        self.conn = conn
        self.sql = sql
        self.params = params

    def __await__(self) -> Any:
        return self.conn._run(self.sql, self.params).__await__()

    async def __aenter__(self) -> PgCursor:
        return await self.conn._run(self.sql, self.params)


class PgConnection:
    """One asyncpg connection with aiosqlite's calling conventions (see the module)."""

    def __init__(self, raw: asyncpg.Connection) -> None:
        self.raw = raw
        self.total_changes = 0
        self._turn = asyncio.Lock()

    @property
    def in_transaction(self) -> bool:
        return bool(self.raw.is_in_transaction())

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _Pending:
        return _Pending(self, sql, params)

    async def _run(self, sql: str, params: Sequence[Any]) -> PgCursor:
        query = to_pg(sql)
        # asyncpg's own `execute` gives the command tag but no rows, `fetch` the rows
        # but no tag; its `_execute` gives both, through the prepared-statement cache.
        async with self._turn:
            rows, status, _ = await self.raw._execute(
                query, tuple(params), 0, None, return_status=True
            )
        tag = status.decode() if isinstance(status, bytes) else str(status or "")
        touched = _count(tag)
        if not tag.startswith("SELECT"):
            self.total_changes += touched
        return PgCursor(list(rows), len(rows) if rows else touched)

    async def execute_fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[asyncpg.Record]:
        return (await self._run(sql, params)).rows

    async def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        batch = [tuple(p) for p in params]
        if batch:
            async with self._turn:
                await self.raw.executemany(to_pg(sql), batch)
            self.total_changes += len(batch)

    async def script(self, statements: Iterable[str]) -> None:
        """Run DDL statements as they are (no placeholders), e.g. a migration."""
        for statement in statements:
            async with self._turn:
                await self.raw.execute(statement)

    async def close(self) -> None:
        await self.raw.close()


def _numeric(text: str) -> int | float:
    return int(text) if text.lstrip("-").isdigit() else float(text)


async def connect(url: str) -> PgConnection:
    """A connection with whole `numeric` results decoded as `int`."""
    raw = await asyncpg.connect(url)
    try:
        await raw.set_type_codec(
            "numeric", encoder=str, decoder=_numeric, schema="pg_catalog", format="text"
        )
    except BaseException:
        await raw.close()
        raise
    return PgConnection(raw)
