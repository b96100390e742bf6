"""The durable inbox of long polling: updates kept from getUpdates until handled.

Why this exists: Telegram forgets every update below the `offset` of the next
getUpdates, and returns at most 100 updates a call. A poller that confirmed only
handled updates kept every call anchored at the oldest update still being
handled, so with 64 chats in flight each call brought only the few updates beyond
them: in the Yiwu drill the bot was never more than 91 updates behind while it
could have handled several times more (benchmarks/RESULTS.md). Now each batch is
written here in one transaction first, and only then confirmed to Telegram, all at
once; the database, not the server's window, is what keeps an update until it is
handled. On SQLite "here" is a file of its own beside the database, with its own
connection and writers' lock (storage/inbox_file.py, `Database.inbox`), so that
write never waits behind the database's writers; on PostgreSQL it is the database. A row is deleted once its update is handled, many rows per transaction
(the writers' lock is the bottleneck, not the rows). On start the rows left by a
crash are handed back in update id order, so nothing Telegram delivered and the
bot confirmed is lost.

An update handled but not yet deleted when the process dies is handed back once
more: the record of processed updates (storage/processed.py) skips it, or a
read-only query is answered again. Rows are keyed by bot, as several bots may
share one database; `payload` is the update's Bot API JSON as the server sent it
(getUpdates' object written back as JSON, or a webhook's body as posted), parsed
only when the update is handled.

An update whose handling kills the process would come back at every start and
kill it again. So a replay counts an attempt (`attempts`, committed before the
handling starts), and after a few the row is set aside: kept for a look, never
handed back again, and its chat told exactly once to send it again (`set_aside`).

Several webhook workers may share one PostgreSQL inbox, each answering Telegram
once an update is stored. A worker's rows carry its id (`owner`) and it holds a
lease named after it (`inbox:OWNER`, storage/lease.py), renewed while it runs. A
start's replay, and a live worker now and then, take (`claim`) only the rows of
no owner or of one gone (its lease expired, released or its process dead), each
by a compare-and-swap on the owner it read, so two workers never take one row;
a live worker's rows are its own to handle. Each row also carries its chat, so a
chat's update can wait for the chat's earlier rows not handled yet, wherever they
are (`ahead`, bot/worker_order.py): at another live worker, at one gone until a
live worker claims and handles them, or stored by none. These two questions are asked
every 50 ms while an update waits, so they read on the lookup connection, beside the
writers (one statement each, the last committed state: a handled row is deleted, and
committed, before its chat is let go), never under the writers' lock they would hold up. An inbox without an owner (one process: SQLite) hands back every row, as before.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

from cascade.outgoing import OutgoingMessage
from storage.conn import Row
from storage.db import Database
from storage.lease import Holder, gone

STORE = (
    "INSERT INTO inbox (bot_id, update_id, payload, owner, chat_id) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (bot_id, update_id) DO NOTHING"
)
# The owners of a bot's rows to hand back, with their leases.
OWNERS = (
    "SELECT i.owner, l.holder, l.pid, l.host, l.expires_at FROM (SELECT DISTINCT owner "
    "FROM inbox WHERE bot_id = ? AND set_aside = 0) i LEFT JOIN leases l "
    "ON l.name = 'inbox:' || i.owner"
)
# Every row of a bot held by one owner (the owner as read: a compare-and-swap).
CLAIM = (
    "UPDATE inbox SET owner = ? WHERE bot_id = ? AND set_aside = 0 AND COALESCE(owner, '') = ? "
    "RETURNING update_id, payload, attempts"
)
# Other workers' `inbox:` leases, and one deleted if it is still as read (not renewed).
LEASES = (
    "SELECT holder, pid, host, expires_at, name FROM leases WHERE name LIKE 'inbox:%' AND name <> ?"
)
DROP_LEASE = "DELETE FROM leases WHERE name = ? AND holder = ? AND expires_at = ?"
FORGET = "DELETE FROM inbox WHERE bot_id = ? AND update_id = ?"
ATTEMPT = "UPDATE inbox SET attempts = attempts + 1 WHERE bot_id = ? AND update_id = ?"
ASIDE = "UPDATE inbox SET set_aside = 1 WHERE bot_id = ? AND update_id = ?"
# An update set aside counts as processed: its notice is queued by whoever records it.
SETTLED = (
    "INSERT INTO processed_updates (bot_id, update_id, key) VALUES (?, ?, NULL) "
    "ON CONFLICT DO NOTHING RETURNING update_id"
)


class InboxRow(NamedTuple):
    """A row to hand back: the update's id, its JSON, and the replays that began it."""

    update_id: int
    payload: str
    attempts: int


class Inbox:
    """One bot's inbox rows on `db`."""

    def __init__(
        self,
        db: Database,
        bot_id: int,
        owner: str | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        """`owner`: the id of this worker's `inbox:OWNER` lease, when several workers
        share the inbox (PostgreSQL); `now` reads the leases' clock."""
        self.db = db
        self.bot_id = bot_id
        self.owner = owner
        self.now = now

    async def keep(
        self,
        updates: Sequence[tuple[int, str]],
        handled: Sequence[int] = (),
        chats: Sequence[int] = (),
    ) -> None:
        """Store `updates` (update id, JSON; `chats`: each one's chat, if known) as
        this worker's and delete the `handled` ids, in one transaction. An id
        already stored keeps its row (a batch delivered twice).
        A batch to store goes ahead of the inbox's other writes waiting (deletions,
        attempts; storage/writers_lock.py): until it is written the poller fetches
        nothing, and the presses in the next batch wait at the server, where the bot
        cannot answer them; for the same reason it is written in one hand-off to
        SQLite's thread (`Database.write_at_once`), in the inbox's own file."""
        if not updates and not handled:
            return
        chat_ids: list[int | None] = list(chats) or [None] * len(updates)
        stored = [
            (self.bot_id, update_id, payload, self.owner, chat)
            for (update_id, payload), chat in zip(updates, chat_ids, strict=True)
        ]
        forgotten = [(self.bot_id, i) for i in handled]
        store = await self.db.inbox()
        await store.write_at_once([(STORE, stored), (FORGET, forgotten)], urgent=bool(updates))

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
        store = await self.db.inbox()
        async with store.transaction() as tx, tx.conn.execute(sql, (self.bot_id,)) as cur:
            return [InboxRow(int(r[0]), str(r[1]), int(r[2])) for r in await cur.fetchall()]

    async def claim(self) -> list[InboxRow]:
        """The rows this worker is to hand to its runner (all but those set aside),
        oldest first: with an owner, only rows of no owner or of an owner gone, made
        this worker's by one compare-and-swap per owner gone, on the owner read (a
        row another worker took meanwhile is left to it: only the owners are read
        first, not every row's JSON); without, every row. The leases of the workers
        gone are deleted in the same transaction (each if not renewed since read):
        their rows are now this worker's, and a worker killed outright never deletes
        its own; one merely stalled past its lease learns it lost it at its next renewal
        (storage/lease.py, `LeaseLost`) rather than go on beside the rows taken from it."""
        if self.owner is None:
            return await self.replayable()
        claimed = []
        async with self.db.transaction() as tx:  # PostgreSQL: the inbox is in the database
            now = self.now()
            for row in await tx.conn.execute_fetchall(OWNERS, (self.bot_id,)):
                owner = row[0]
                if owner is None or (owner != self.owner and _gone(row[1:], now)):
                    taken = await tx.conn.execute_fetchall(
                        CLAIM, (self.owner, self.bot_id, owner or "")
                    )
                    claimed += [InboxRow(int(r[0]), str(r[1]), int(r[2])) for r in taken]
            for lease in await tx.conn.execute_fetchall(LEASES, (lease_name(self.owner),)):
                if _gone(lease[:4], now):
                    await tx.conn.execute(DROP_LEASE, (lease[4], lease[0], lease[3]))
        return sorted(claimed)

    async def ahead(self, chat: int, update_id: int) -> int | None:
        """The oldest row of `chat` before `update_id` not handled yet (a handled row is
        deleted before its chat is let go) and not set aside, whoever holds it: a
        live worker, one gone (its rows wait to be claimed), none, or this worker;
        None if there is none."""
        sql = (
            "SELECT MIN(update_id) FROM inbox WHERE bot_id = ? AND chat_id = ? "
            "AND update_id < ? AND set_aside = 0"
        )
        store = await self.db.inbox()
        async with (
            store.lookup() as conn,
            conn.execute(sql, (self.bot_id, chat, update_id)) as cur,
        ):
            row = await cur.fetchone()
        return None if row is None or row[0] is None else int(row[0])

    async def not_here(self, update_ids: Sequence[int]) -> set[int]:
        """Those of `update_ids` whose rows are still there, not set aside, and not
        this worker's (another worker's, live or gone, or no worker's yet): each of
        the others was handled, set aside or claimed by this worker (one query for
        them all: bot/worker_order.py asks for every row its updates wait for at
        once)."""
        if not update_ids:
            return set()
        sql = (
            "SELECT update_id FROM inbox "
            f"WHERE bot_id = ? AND update_id IN ({','.join('?' * len(update_ids))}) "
            "AND set_aside = 0 AND (owner IS NULL OR owner <> ?)"
        )
        args = (self.bot_id, *update_ids, self.owner or "")
        store = await self.db.inbox()
        async with store.lookup() as conn, conn.execute(sql, args) as cur:
            return {int(row[0]) for row in await cur.fetchall()}

    async def attempt(self, update_ids: Sequence[int]) -> None:
        """Count one more replay of each of `update_ids`, before it is handled."""
        if not update_ids:
            return
        store = await self.db.inbox()
        await store.write_at_once([(ATTEMPT, [(self.bot_id, i) for i in update_ids])])

    async def set_aside(self, update_id: int, notice: OutgoingMessage | None) -> None:
        """Never hand `update_id` back again (its row stays), and queue `notice`, if
        any: the person is told exactly once that it is dropped.

        On PostgreSQL both are one transaction. On SQLite the row is in the inbox file
        and the notice in the database (storage/inbox_file.py), so they are written in
        this order: first, in the database, the update recorded as processed
        (storage/processed.py) and, only if that record is new, the notice; then the
        row marked here. The other order would lose the notice to a crash between the
        two (the row never comes back to tell it). In this order a crash between them
        leaves the row unmarked: at the next start it comes back once more and is set
        aside again, and its record, already there, keeps the notice from being
        queued twice; or, handed back as a replay, it is skipped as handled, as an
        update whose decision committed is, and its row deleted."""
        store = await self.db.inbox()
        if store is self.db:
            async with self.db.transaction() as tx:
                await tx.conn.execute(ASIDE, (self.bot_id, update_id))
                if notice is not None:
                    await tx.outbox.add(notice)
            return
        async with self.db.transaction() as tx:
            first = await tx.conn.execute_fetchall(SETTLED, (self.bot_id, update_id))
            if first and notice is not None:
                await tx.outbox.add(notice)
        await store.write_at_once([(ASIDE, [(self.bot_id, update_id)])])

    async def aside(self) -> list[int]:
        """The ids of the rows set aside, oldest first."""
        sql = "SELECT update_id FROM inbox WHERE bot_id = ? AND set_aside = 1 ORDER BY update_id"
        store = await self.db.inbox()
        async with store.transaction() as tx, tx.conn.execute(sql, (self.bot_id,)) as cur:
            return [int(r[0]) for r in await cur.fetchall()]


def lease_name(owner: str) -> str:
    """The name of the lease an inbox `owner` holds while it runs."""
    return f"inbox:{owner}"


def _gone(lease: Row, now: float) -> bool:
    """Whether an owner whose lease reads `lease` (holder, pid, host, expiry: all None
    without one) is gone: no lease, or one that is `gone`."""
    if lease[0] is None:
        return True
    return gone(Holder(str(lease[0]), int(lease[1]), str(lease[2]), float(lease[3])), now)
