"""On SQLite the inbox of long polling lives in a file of its own, beside the database.

Why: SQLite has one writer a file. During an answer storm the poller's write of
each batch (stored before it is confirmed, storage/inbox.py) waited for the
database's writers' lock behind the sender's claims, its flushes and the answer
batches, and until it is written the poller fetches nothing: the presses of the
next batches wait at the server, where the bot cannot answer them. In a file of
its own, with its own connection and writers' lock, the inbox's write waits only
for the inbox's other writes (benchmarks/RESULTS.md, "the inbox in a file of its
own"). PostgreSQL keeps one database (its writers do not queue behind one lock).

The file is `NAME.inbox.db` beside `NAME.db` (`beside`), opened at the inbox's
first use (`Database.inbox`), so commands that never poll (import, backup) leave no
file behind. Its schema is the inbox table of the database's own migrations 13, 15
and 17, which stays there, empty: rows a bot left in it before this file existed (or
a backup restored, storage/backup.py) are moved into the file when it opens
(`take_over`), copied first and deleted after, so a crash in between leaves them in
both places and the next open copies none twice (a row already in the file keeps its
state there) and deletes them.

Nothing writes both files in one transaction: SQLite in WAL mode does not keep a
transaction across attached files atomic through a crash. What must stay together
is ordered instead: an update is stored in the file before it is confirmed to
Telegram, its decision and record (storage/processed.py) commit in the database
before its row is deleted here, and a row set aside is told to its chat in the
database first (storage/inbox.py, `set_aside`, says why that order).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.db import Database

SCHEMA = [
    # 1: the inbox table as the database's migrations 13, 15 and 17 left it.
    """
    CREATE TABLE inbox (
        bot_id INTEGER NOT NULL,
        update_id INTEGER NOT NULL,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        set_aside INTEGER NOT NULL DEFAULT 0,
        owner TEXT,
        chat_id INTEGER,
        PRIMARY KEY (bot_id, update_id)
    );
    CREATE INDEX inbox_chat ON inbox(bot_id, chat_id, update_id)
    """
]

COLUMNS = "bot_id, update_id, payload, attempts, set_aside, owner, chat_id"
LEFT = f"SELECT {COLUMNS} FROM inbox"
COPY = f"INSERT INTO inbox ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
MOVED = "DELETE FROM inbox WHERE bot_id = ? AND update_id = ?"


def beside(path: str) -> str:
    """The inbox file of the database at `path`: `towerbot.db` -> `towerbot.inbox.db`."""
    file = Path(path)
    if file.suffix:
        return str(file.with_suffix(".inbox" + file.suffix))
    return str(file.with_name(file.name + ".inbox"))


async def take_over(db: Database, store: Database) -> int:
    """Move the rows left in `db`'s own inbox table into the inbox file `store`; how many."""
    async with db.transaction() as tx:
        rows = [tuple(r) for r in await tx.conn.execute_fetchall(LEFT)]
    if not rows:
        return 0
    await store.write_at_once([(COPY, rows)])
    await db.write_at_once([(MOVED, [(r[0], r[1]) for r in rows])])
    return len(rows)


def left_beside(path: str) -> list[tuple[object, ...]]:
    """Every row of the inbox file beside the database at `path` (none if it has none),
    read in one statement, read-only: for a copy of the database made by another
    process (storage/backup.py, storage/copy.py) while the bot may run."""
    file = Path(beside(path))
    if not file.is_file():
        return []
    conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True, timeout=30)
    try:
        return [tuple(row) for row in conn.execute(LEFT)]
    finally:
        conn.close()
