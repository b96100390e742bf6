"""A task cancelled at any point of a transaction leaves the connection usable.

aiosqlite runs statements on its own thread: cancelling the task that awaits a
BEGIN does not stop the BEGIN. Without care the next transaction then fails with
"cannot start a transaction within a transaction" (seen once in a full run, when a
handler was cancelled at shutdown), so every later decision of the bot would fail.
The same holds for a batch of answers' transaction, whose BEGIN goes to the database
thread with its read (`Database.answer_batch`).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from storage.db import Database
from tests.support.pgserver import Engine


async def _cancel_after(db: Database, yields: int, *, snapshot: bool, batch: bool = False) -> bool:
    """Start a unit of work in a task that writes a row, and cancel it after `yields`
    turns of the loop: at its BEGIN, inside the body or at its COMMIT. False when the
    task had already finished. `batch`: an answer batch's, begun by its read."""

    async def body() -> None:
        unit = db.snapshot() if snapshot else db.answer_batch() if batch else db.transaction()
        async with unit as uow:
            if batch:
                await uow.answers.read([])
            if not snapshot:
                await uow.conn.execute("INSERT INTO scratch(n) VALUES (1)")
            await asyncio.sleep(0)

    task = asyncio.create_task(body())
    for _ in range(yields):
        await asyncio.sleep(0)
    if task.done():
        await task
        return False
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    return True


@pytest.mark.parametrize(("snapshot", "batch"), [(False, False), (True, False), (False, True)])
async def test_cancelled_units_of_work_leave_the_connection_usable(
    engine: Engine, tmp_path: Path, snapshot: bool, batch: bool
) -> None:
    async with Database(await engine.new_target(tmp_path)) as db:
        await db.conn.execute("CREATE TABLE scratch (n INTEGER)")
        cancelled = 0
        for yields in range(0, 12):
            cancelled += await _cancel_after(db, yields, snapshot=snapshot, batch=batch)
            async with db.transaction() as uow:
                await uow.conn.execute("INSERT INTO scratch(n) VALUES (2)")
            async with (
                db.snapshot() as uow,
                uow.conn.execute("SELECT count(*) FROM scratch WHERE n = 2") as cur,
            ):
                row = await cur.fetchone()
            assert row is not None and row[0] == yields + 1
        assert cancelled >= 3
        assert not db.conn.in_transaction
