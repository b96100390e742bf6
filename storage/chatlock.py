"""One chat's updates handled one at a time across every worker of a deployment.

Behind one webhook address a load balancer hands a chat's updates to any
worker; should two arrive together at two workers, a correction could overtake
the value it corrects. Inside a process bot/webhook.py keeps a lock per chat;
across processes, on PostgreSQL, the chat's turn is a session advisory lock
keyed by the chat id, taken with `pg_try_advisory_lock` (never blocking the
worker's one connection: a busy chat is tried again shortly) and released when
the update is handled. A worker that dies loses its session and with it the
lock, so the chat is never stuck. SQLite runs one process (the `run` lease):
the in-process lock is all it needs, and this is a no-op there.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from storage.db import Database
from storage.locking import CHAT_LOCKS, int4

RETRY_SECONDS = 0.01


@asynccontextmanager
async def chat_turn(db: Database, chat_id: int | None) -> AsyncIterator[None]:
    """Hold the chat's turn across workers for the length of the block."""
    if chat_id is None or not db.is_postgres:
        yield
        return
    key = int4(chat_id)  # keys in their own space: (CHAT_LOCKS, the chat id folded)
    while True:
        async with db.transaction() as tx:
            rows = list(
                await tx.conn.execute_fetchall(
                    "SELECT pg_try_advisory_lock(?, ?)", (CHAT_LOCKS, key)
                )
            )
        if rows[0][0]:
            break
        await asyncio.sleep(RETRY_SECONDS)
    try:
        yield
    finally:
        async with db.transaction() as tx:
            await tx.conn.execute_fetchall("SELECT pg_advisory_unlock(?, ?)", (CHAT_LOCKS, key))
