"""SQLite's WAL is checkpointed beside the writers (storage/checkpointer.py).

The writers' COMMIT no longer copies the log back into the database file; a
connection of its own does it once enough rows were committed. These tests check
that it runs, that the log is then checkpointed whole and every committed row is
in the database file, that the writers keep a fallback threshold, and that
closing the database stops it. SQLite only: PostgreSQL has no WAL of ours to tend.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from storage.checkpointer import EVERY_ROWS as EVERY
from storage.checkpointer import FALLBACK_PAGES, Checkpointer
from storage.db import Database


async def _write_rows(db: Database, first: int, rows: int, per_transaction: int) -> None:
    for start in range(first, first + rows, per_transaction):
        async with db.transaction() as tx:
            await tx.conn.executemany(
                "INSERT INTO kv (k, v) VALUES (?, ?)",
                [(f"k{i}", "x" * 100) for i in range(start, start + per_transaction)],
            )


async def _settled(checkpoints: Checkpointer, runs: int) -> None:
    for _ in range(500):
        if checkpoints.runs >= runs and not checkpoints._due.is_set():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{checkpoints.runs} checkpoints, {runs} expected")


async def test_committed_rows_are_checkpointed_beside_the_writers(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    db = await Database(path).open()
    try:
        async with db.transaction() as tx:
            await tx.conn.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)")
        rows = await db.conn.execute_fetchall("PRAGMA wal_autocheckpoint")
        assert next(iter(rows))[0] == FALLBACK_PAGES
        checkpoints = db._checkpoints
        assert checkpoints is not None
        every = checkpoints.every_rows
        await _write_rows(db, 0, every - 50, 50)
        await asyncio.sleep(0.05)
        assert checkpoints.runs == 0  # not enough rows yet
        await _write_rows(db, every, 2 * every, 50)
        await _settled(checkpoints, 2)
        # Nothing left in the log that is not in the database file.
        busy, logged, copied = next(
            iter(await db.conn.execute_fetchall("PRAGMA wal_checkpoint(PASSIVE)"))
        )
        assert (busy, logged) == (0, copied)
    finally:
        await db.close()
    assert db._checkpoints is None
    # Every committed row is in the file, read without the log.
    (path.parent / "wal.db-wal").unlink(missing_ok=True)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT COUNT(*) FROM kv").fetchone()[0] == 3 * every - 50


async def test_closing_stops_a_checkpoint_that_waits(tmp_path: Path) -> None:
    db = await Database(tmp_path / "close.db").open()
    checkpoints = db._checkpoints
    assert checkpoints is not None
    checkpoints.committed(checkpoints.every_rows)
    task = checkpoints._task
    assert task is not None
    await db.close()
    assert task.done()
    assert checkpoints._conn is None


def test_a_database_that_outlives_its_event_loop_checkpoints_in_the_next(tmp_path: Path) -> None:
    """A database opened under one `asyncio.run` and used under the next: the task of
    the loop that is gone is left behind, commits never fail because of it, and the
    next loop gets checkpoints of its own."""
    db = Database(tmp_path / "loops.db")

    async def first() -> None:
        await db.open()
        async with db.transaction() as tx:
            await tx.conn.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)")
        checkpoints = db._checkpoints
        assert checkpoints is not None
        await _write_rows(db, 0, checkpoints.every_rows, 50)
        await _settled(checkpoints, 1)

    async def second() -> int:
        checkpoints = db._checkpoints
        assert checkpoints is not None
        before = checkpoints.runs
        every = checkpoints.every_rows
        await _write_rows(db, every, every, 50)
        await _settled(checkpoints, before + 1)
        await db.close()
        return before

    asyncio.run(first())
    assert asyncio.run(second()) >= 1
    with sqlite3.connect(tmp_path / "loops.db") as raw:
        assert raw.execute("SELECT COUNT(*) FROM kv").fetchone()[0] == 2 * EVERY
