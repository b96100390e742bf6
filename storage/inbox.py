"""The durable inbox of long polling: updates kept from getUpdates until handled.

Why this exists: Telegram forgets every update below the `offset` of the next
getUpdates, and returns at most 100 updates a call. A poller that confirmed only
handled updates kept every call anchored at the oldest update still being
handled, so with 64 chats in flight each call brought only the few updates beyond
them: in the Yiwu drill the bot was never more than 91 updates behind while it
could have handled several times more (benchmarks/RESULTS.md). Now each batch is
written here in one transaction first, and only then confirmed to Telegram, all at
once; the database, not the server's window, is what keeps an update until it is
handled. A row is deleted once its update is handled, many rows per transaction
(the writers' lock is the bottleneck, not the rows). On start the rows left by a
crash are handed back in update id order, so nothing Telegram delivered and the
bot confirmed is lost.

An update handled but not yet deleted when the process dies is handed back once
more: the record of processed updates (storage/processed.py) skips it, or a
read-only query is answered again. Rows are keyed by bot, as several bots may
share one database; `payload` is the update's Bot API JSON.

An update whose handling kills the process would come back at every start and
kill it again. So a replay counts an attempt (`attempts`, committed before the
handling starts), and after a few the row is set aside: kept for a look, never
handed back again, and its chat told in the same transaction to send it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from cascade.outgoing import OutgoingMessage
from storage.db import Database

STORE = (
    "INSERT INTO inbox (bot_id, update_id, payload) VALUES (?, ?, ?) "
    "ON CONFLICT (bot_id, update_id) DO NOTHING"
)
FORGET = "DELETE FROM inbox WHERE bot_id = ? AND update_id = ?"
ATTEMPT = "UPDATE inbox SET attempts = attempts + 1 WHERE bot_id = ? AND update_id = ?"


class InboxRow(NamedTuple):
    """A row to hand back: the update's id, its JSON, and the replays that began it."""

    update_id: int
    payload: str
    attempts: int


class Inbox:
    """One bot's inbox rows on `db`."""

    def __init__(self, db: Database, bot_id: int) -> None:
        self.db = db
        self.bot_id = bot_id

    async def keep(self, updates: Sequence[tuple[int, str]], handled: Sequence[int] = ()) -> None:
        """Store `updates` (update id, JSON) and delete the `handled` ids, in one
        transaction. An id already stored keeps its row (a batch delivered twice).
        A batch to store goes ahead of the transactions waiting (storage/writers_lock.py):
        until it is written the poller fetches nothing, and the presses in the next
        batch wait at the server, where the bot cannot answer them."""
        if not updates and not handled:
            return
        async with self.db.transaction(urgent=bool(updates)) as tx:
            if updates:
                await tx.conn.executemany(
                    STORE, [(self.bot_id, update_id, payload) for update_id, payload in updates]
                )
            if handled:
                await tx.conn.executemany(FORGET, [(self.bot_id, i) for i in handled])

    async def forget(self, handled: Sequence[int]) -> None:
        """Delete the rows of `handled` updates, in one transaction."""
        await self.keep((), handled)

    async def waiting(self) -> list[tuple[int, str]]:
        """Every row kept and not set aside, oldest update first."""
        return [(row.update_id, row.payload) for row in await self.replayable()]

    async def replayable(self) -> list[InboxRow]:
        """The rows a start hands back (all but those set aside), oldest first."""
        sql = (
            "SELECT update_id, payload, attempts FROM inbox WHERE bot_id = ? AND set_aside = 0 "
            "ORDER BY update_id"
        )
        async with self.db.transaction() as tx, tx.conn.execute(sql, (self.bot_id,)) as cur:
            return [InboxRow(int(r[0]), str(r[1]), int(r[2])) for r in await cur.fetchall()]

    async def attempt(self, update_ids: Sequence[int]) -> None:
        """Count one more replay of each of `update_ids`, before it is handled."""
        if not update_ids:
            return
        async with self.db.transaction() as tx:
            await tx.conn.executemany(ATTEMPT, [(self.bot_id, i) for i in update_ids])

    async def set_aside(self, update_id: int, notice: OutgoingMessage | None) -> None:
        """Never hand `update_id` back again (its row stays), and queue `notice`, if
        any, in the same transaction: the person is told exactly when it is dropped."""
        async with self.db.transaction() as tx:
            await tx.conn.execute(
                "UPDATE inbox SET set_aside = 1 WHERE bot_id = ? AND update_id = ?",
                (self.bot_id, update_id),
            )
            if notice is not None:
                await tx.outbox.add(notice)

    async def aside(self) -> list[int]:
        """The ids of the rows set aside, oldest first."""
        sql = "SELECT update_id FROM inbox WHERE bot_id = ? AND set_aside = 1 ORDER BY update_id"
        async with self.db.transaction() as tx, tx.conn.execute(sql, (self.bot_id,)) as cur:
            return [int(r[0]) for r in await cur.fetchall()]
