"""The connection and row types a repository works with, on either engine.

A repository takes `Connection`: an aiosqlite connection (SQLite) or the
aiosqlite-shaped `PgConnection` of storage/pg.py (PostgreSQL); a row of either
is read by position or by column name. `IntegrityError` and `DatabaseError`
catch the same kind of failure from either driver.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import aiosqlite
import asyncpg

from storage.pg import PgConnection

Connection = aiosqlite.Connection | PgConnection
# asyncpg ships no type information: its Record is `Any` to mypy, so is a row.
Row = Any

IntegrityError = (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)
DatabaseError = (sqlite3.Error, asyncpg.PostgresError, asyncpg.InterfaceError)


def is_postgres(conn: Connection) -> bool:
    """Whether SQL for this connection may (must) use PostgreSQL's forms."""
    return isinstance(conn, PgConnection)
