"""Claiming rows that several workers may want at once (timers, outbox batches), and
serialising the decisions that read-modify-write one order's roll-up.

On PostgreSQL several workers share the database: a row a worker is about to act
on is claimed with `SELECT ... FOR UPDATE SKIP LOCKED` inside the transaction
that records the act, so a second worker passes over it instead of doing the
same thing again, and a worker that dies mid-act leaves the row to the next one
(its transaction rolls back, the lock goes). SQLite has one writer at a time
(`BEGIN IMMEDIATE`): its transactions are already serial, and it has no such
clause, so the suffix is empty there.

An answer reads its unit's chain (the unit up to the issuer) and writes the new
counts back. At PostgreSQL's read-committed isolation two workers answering under
one parent could each miss the other's answer and leave the parent short; so a
transaction that changes an order's roll-up first takes the order's advisory
transaction lock (held until COMMIT or ROLLBACK). A transaction of one answer takes
one; a batch of answers takes its orders' before it reads them, in the orders' order
(storage/answer_repo.py), so two batches wait for each other rather than deadlock.
"""

from __future__ import annotations

from storage.conn import Connection, is_postgres


def skip_locked(conn: Connection) -> str:
    """The clause that claims the selected rows for this transaction, or ''."""
    return " FOR UPDATE SKIP LOCKED" if is_postgres(conn) else ""


CHAT_LOCKS = 0x70B0  # storage/chatlock.py: a chat's turn across webhook workers
ORDER_LOCKS = 0x70B1  # order_lock below


def int4(key: int) -> int:
    """A 64-bit id folded into the int4 of a two-key advisory lock."""
    folded = (key ^ (key >> 32)) & 0xFFFFFFFF
    return folded - (1 << 32) if folded >= 1 << 31 else folded


# The order's roll-up lock, with `order_lock_params` (PostgreSQL only).
ORDER_LOCK = "SELECT pg_advisory_xact_lock(?, ?)"


def order_lock_params(order_id: int) -> tuple[int, int]:
    return (ORDER_LOCKS, int4(order_id))


async def order_lock(conn: Connection, order_id: int) -> None:
    """Hold the order's roll-up for this transaction (PostgreSQL; SQLite is serial)."""
    if is_postgres(conn):
        await conn.execute_fetchall(ORDER_LOCK, order_lock_params(order_id))
