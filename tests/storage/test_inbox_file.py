"""On SQLite the inbox is a file of its own beside the database (storage/inbox_file.py).

On real files: the rows live in `NAME.inbox.db`, not in the database, and a new
handle on the same path (a restart) hands them back; rows an older bot or a restored
backup left in the database's own `inbox` table are moved into the file once, even
when a crash cut an earlier move short; and a row set aside, whose notice is written
in the database and whose mark in the file, tells its chat exactly once when a crash
falls between the two writes. On PostgreSQL the inbox stays in the database.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from cascade.outgoing import OutgoingMessage
from storage import inbox_file
from storage.db import Database
from storage.inbox import ASIDE, Inbox, InboxRow

BOT = 42
ROW = (BOT, 7, '{"update_id": 7}', 0, 0, None, -100)

sqlite_only = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def _rows(path: str, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return [tuple(r) for r in conn.execute(sql)]


async def _queued(db: Database) -> list[tuple[int, str]]:
    async with db.transaction() as tx:
        rows = await tx.outbox.read(await tx.outbox.due(now=10**12))
    return [(r.message.chat_id, r.message.text) for r in rows]


async def test_the_inbox_is_a_file_beside_on_sqlite_and_the_database_on_postgresql(
    db: Database,
) -> None:
    await Inbox(db, BOT).keep([(1, "one")], chats=[-100])
    store = await db.inbox()
    if db.is_postgres:
        assert store is db
        return
    assert store.path == inbox_file.beside(db.path) and store is not db
    assert store.path.endswith("towerbot.inbox.db")
    assert _rows(store.path, "SELECT bot_id, update_id, payload FROM inbox") == [(BOT, 1, "one")]
    assert _rows(db.path, "SELECT COUNT(*) FROM inbox") == [(0,)]
    assert _rows(store.path, "PRAGMA journal_mode") == [("wal",)]


def test_the_file_beside_keeps_the_databases_suffix() -> None:
    assert inbox_file.beside("/srv/bot/towerbot.db") == "/srv/bot/towerbot.inbox.db"
    assert inbox_file.beside("/srv/bot/tower") == "/srv/bot/tower.inbox"


@sqlite_only
async def test_a_new_handle_on_the_same_file_hands_the_rows_back(db: Database) -> None:
    """A restart: the rows stored and counted by the last process come back from the file."""
    inbox = Inbox(db, BOT)
    await inbox.keep([(1, "one"), (2, "two"), (3, "three")], chats=[-1, -2, -1])
    await inbox.attempt([2])
    await inbox.forget([3])
    await db.close()
    async with Database(db.path) as again:
        assert await Inbox(again, BOT).replayable() == [
            InboxRow(1, "one", 0),
            InboxRow(2, "two", 1),
        ]


@sqlite_only
async def test_rows_left_in_the_databases_table_are_moved_into_the_file(db: Database) -> None:
    """A bot from before the file existed, or a restored backup, left rows in the
    database's own `inbox` table: the first use of the inbox moves them, once."""
    async with db.transaction() as tx:
        await tx.conn.executemany(inbox_file.COPY, [ROW, (BOT, 8, "eight", 2, 1, None, -100)])
    inbox = Inbox(db, BOT)
    assert await inbox.replayable() == [InboxRow(7, '{"update_id": 7}', 0)]
    assert await inbox.aside() == [8]
    assert _rows(db.path, "SELECT COUNT(*) FROM inbox") == [(0,)]
    await db.close()
    async with Database(db.path) as again:  # nothing is moved twice
        assert await Inbox(again, BOT).replayable() == [InboxRow(7, '{"update_id": 7}', 0)]


@sqlite_only
async def test_a_move_cut_short_by_a_crash_hands_each_row_back_once(db: Database) -> None:
    """A crash between the copy into the file and the deletion from the database
    leaves a row in both; the file's, which may have been counted since, is kept."""
    async with Database(inbox_file.beside(db.path), inbox_only=True) as store:
        await store.write_at_once([(inbox_file.COPY, [(*ROW[:3], 2, *ROW[4:])])])
    async with db.transaction() as tx:
        await tx.conn.executemany(inbox_file.COPY, [ROW])
    assert await Inbox(db, BOT).replayable() == [InboxRow(7, '{"update_id": 7}', 2)]
    assert _rows(db.path, "SELECT COUNT(*) FROM inbox") == [(0,)]


class MarkFails:
    """The inbox file's `write_at_once`, failing once for the mark of a row set aside:
    the process dies after the notice committed and before the row is marked."""

    def __init__(self, store: Database) -> None:
        self.store = store
        self.write = store.write_at_once
        self.failed = False

    async def __call__(self, steps: Any, urgent: bool = False) -> None:
        if not self.failed and steps[0][0] == ASIDE:
            self.failed = True
            raise sqlite3.OperationalError("the process died here")
        await self.write(steps, urgent)


@sqlite_only
async def test_a_crash_between_the_notice_and_the_mark_tells_the_chat_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = Inbox(db, BOT)
    await inbox.keep([(7, "seven"), (9, "nine")], chats=[-100, -100])
    store = await db.inbox()
    monkeypatch.setattr(store, "write_at_once", MarkFails(store))
    told = OutgoingMessage(chat_id=-100, text="请重新发送")
    with pytest.raises(sqlite3.OperationalError):
        await inbox.set_aside(7, told)
    assert await _queued(db) == [(-100, "请重新发送")]  # told, and durable
    assert await inbox.aside() == []  # not marked: it comes back at the next start

    await db.close()
    async with Database(db.path) as again:  # the next start sets it aside again
        await Inbox(again, BOT).set_aside(7, told)
        assert await Inbox(again, BOT).aside() == [7]
        assert await Inbox(again, BOT).waiting() == [(9, "nine")]
        assert await _queued(again) == [(-100, "请重新发送")]  # not twice
        # Recorded as processed: a replay of it would be skipped as handled.
        async with again.transaction() as tx:
            rows = await tx.conn.execute_fetchall(
                "SELECT update_id FROM processed_updates WHERE bot_id = ?", (BOT,)
            )
        assert [r[0] for r in rows] == [7]


@sqlite_only
async def test_an_update_set_aside_in_one_step_is_told_once(db: Database) -> None:
    inbox = Inbox(db, BOT)
    await inbox.keep([(7, "seven")])
    told = OutgoingMessage(chat_id=-100, text="请重新发送")
    await inbox.set_aside(7, told)
    await inbox.set_aside(7, told)  # asked again (a second start reading an old state)
    assert await _queued(db) == [(-100, "请重新发送")] and await inbox.aside() == [7]
