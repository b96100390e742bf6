"""Claiming rows that several workers may want at once (timers, outbox batches).

On PostgreSQL several workers share the database: a row a worker is about to act
on is claimed with `SELECT ... FOR UPDATE SKIP LOCKED` inside the transaction
that records the act, so a second worker passes over it instead of doing the
same thing again, and a worker that dies mid-act leaves the row to the next one
(its transaction rolls back, the lock goes). SQLite has one writer at a time
(`BEGIN IMMEDIATE`): its transactions are already serial, and it has no such
clause, so the suffix is empty there.
"""

from __future__ import annotations

from storage.conn import Connection, is_postgres


def skip_locked(conn: Connection) -> str:
    """The clause that claims the selected rows for this transaction, or ''."""
    return " FOR UPDATE SKIP LOCKED" if is_postgres(conn) else ""
