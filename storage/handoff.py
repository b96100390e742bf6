"""Work handed to SQLite's thread in one trip, and statements let run to their end.

Why: aiosqlite runs each statement on a thread of the connection's own, and each
trip there and back waits behind whatever else is ready on the event loop; during an
answer storm those waits, not SQLite, are what a transaction holding the writers'
lock spends its time on (benchmarks/RESULTS.md, "take-in"). So work that would be
several statements (a batch's reads, the inbox's write, an answer batch's BEGIN with
its reads, a transaction's records with its COMMIT) is handed over as one function.
aiosqlite has no public call for that; `_execute` is what its own methods use
(aiosqlite 0.17-0.22) and `_conn` its sqlite3 handle: this is the one place that
reaches them.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")


async def in_thread(conn: aiosqlite.Connection, work: Callable[..., T], *args: Any) -> T:
    """`work(sqlite3 connection, *args)` run on the connection's thread, in one hand-off."""
    db: sqlite3.Connection = conn._conn
    result: T = await conn._execute(work, db, *args)
    return result


async def run_to_end(statement: Awaitable[T]) -> T:
    """Await a statement that the database thread will run whatever happens to the caller.

    A task cancelled while its BEGIN or COMMIT waits in aiosqlite's queue gives up the
    wait, not the statement: it still runs afterwards. Left alone, an orphan BEGIN
    makes the next transaction fail ("cannot start a transaction within a
    transaction"). So a cancelled caller first lets the statement finish, then the
    cancellation goes on, and the caller's clean-up sees the connection as it is.
    """
    running = asyncio.ensure_future(statement)
    try:
        return await asyncio.shield(running)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await running
        raise
