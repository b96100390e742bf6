"""A batch of answers' writes in one hand-off to the database thread.

Why: aiosqlite runs each statement on its own thread, and on a loaded machine
each hand-off there and back costs milliseconds, more than SQLite's own work
for a whole batch (issue 9). The same statements the repositories use, run
one after the other inside one call on that thread.
"""

from __future__ import annotations

import sqlite3

import aiosqlite

from cascade.ports import AnswerWrites
from storage.order_repo import ADD_DONE, SAVE_ORDER, SAVE_STATE, order_row, state_row
from storage.outbox_repo import DEDUPE, DISCARD, INSERT, SqliteOutboxRepository, insert_row
from storage.timer_repo import MARK_DIRTY


class SqliteAnswerRepository:
    def __init__(self, conn: aiosqlite.Connection, outbox: SqliteOutboxRepository) -> None:
        self.conn = conn
        self.outbox = outbox

    async def write(self, writes: AnswerWrites) -> None:
        last = {m.dedupe_key: i for i, m in enumerate(writes.messages) if m.dedupe_key}
        kept = [
            m
            for i, m in enumerate(writes.messages)
            if m.dedupe_key is None or last[m.dedupe_key] == i
        ]
        # Parameters are built here, on the event loop's side; the thread only runs SQL.
        steps: list[tuple[str, list[tuple[object, ...]]]] = [
            (SAVE_STATE, [state_row(s) for s in writes.states]),
            (SAVE_ORDER, [order_row(o) for o in writes.orders]),
            (ADD_DONE, [(n, o, lvl) for o, by in writes.done.items() for lvl, n in by.items()]),
            (MARK_DIRTY, [(o, code) for o, codes in writes.dirty.items() for code in codes]),
            (DISCARD, [(prefix, prefix + "\uffff") for prefix in writes.discards]),
            (DEDUPE, [(key,) for key in last if key is not None]),
            (INSERT, [insert_row(m, None) for m in kept]),
        ]

        def run(db: sqlite3.Connection) -> None:
            for sql, rows in steps:
                if rows:
                    db.executemany(sql, rows)

        # aiosqlite has no public call for "run this on your thread"; `_execute` is
        # what its own methods use (aiosqlite 0.17-0.22), `_conn` its sqlite3 handle.
        await self.conn._execute(run, self.conn._conn)
        self.outbox.added += len(kept)
