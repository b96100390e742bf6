"""`towerbot backup PATH` while the bot runs, and the documented restore.

The copy is taken while another connection holds an open write transaction
(the running bot mid-decision): it completes, holds everything committed and
nothing uncommitted, passes `integrity_check`; restoring it as the README says
gives a bot that answers as before, and handles the updates the inbox's own file
held when the copy was taken.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from aiogram.types import Update

from bot.cli import main
from storage.inbox import Inbox
from storage.inbox_file import beside
from tests.support.restarts import restart
from tests.support.tgfake import HQ_CHAT, HQ_COMMANDER, TS0101_CHAT, TS0101_COMMANDER, Harness
from tests.support.updates import text_of


def _restore(backup: Path, database: Path) -> None:
    """The README's restore steps, after the bot was stopped."""
    shutil.copyfile(backup, database)
    inbox = beside(str(database))
    for old in (str(database), inbox):
        for suffix in ("-wal", "-shm"):
            Path(old + suffix).unlink(missing_ok=True)
    Path(inbox).unlink(missing_ok=True)


def _count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(sql).fetchone()[0])


# `towerbot backup` copies SQLite files; a PostgreSQL server is dumped with pg_dump.
@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_backup_while_a_write_is_open_then_restore(issued: Harness, tmp_path: Path) -> None:
    live = Path(issued.app.db.path)
    writer = sqlite3.connect(live, isolation_level=None, timeout=1)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE orders SET text = 'uncommitted' WHERE id = 1")
    copy = tmp_path / "backup.db"
    assert main(["backup", str(copy), "--db", str(live)]) == 0
    writer.execute("ROLLBACK")
    writer.close()
    assert _count(copy, "SELECT COUNT(*) FROM orders WHERE text = 'uncommitted'") == 0
    assert _count(copy, "SELECT COUNT(*) FROM order_units WHERE order_id = 1") == 237
    assert main(["backup", str(copy), "--db", str(live)]) == 2  # never overwrites

    # Restore as documented: stop, copy over, drop -wal/-shm, start.
    await issued.app.stop()
    issued.app.owns_db = False  # already closed: `restart` must not close it again
    _restore(copy, live)
    again = await restart(issued)
    try:
        await again.send(HQ_CHAT, HQ_COMMANDER, "/status 1")
        await again.drain()
        assert "0/236" in await again.last(HQ_CHAT)
        async with again.app.db.conn.execute("PRAGMA integrity_check") as cur:
            assert (await cur.fetchone())[0] == "ok"
    finally:
        await again.app.stop()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_the_inboxs_rows_are_in_the_backup_and_handed_back_after_a_restore(
    issued: Harness, tmp_path: Path
) -> None:
    """The inbox is a file of its own beside the database (storage/inbox_file.py): a
    row stored and not yet handled when the backup is taken goes into the copy, and
    the restored bot handles it."""
    h = issued
    live = Path(h.app.db.path)
    reply = Update(
        update_id=900,
        message=h.message(TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=h.copy_in(TS0101_CHAT)),
    )
    await Inbox(h.app.db, h.app.bot.id).keep([(reply.update_id, text_of(reply))])
    copy = tmp_path / "backup.db"
    assert main(["backup", str(copy), "--db", str(live)]) == 0
    assert _count(copy, "SELECT COUNT(*) FROM inbox WHERE update_id = 900") == 1

    await h.app.stop()
    h.app.owns_db = False  # already closed: `restart` must not close it again
    _restore(copy, live)
    again = await restart(h)
    try:
        await again.app.poller.catch_up()
        await again.drain()
        assert (await again.row_status("ts-01-01"))["value"] == 5
        assert await Inbox(again.app.db, again.app.bot.id).waiting() == []
        assert _count(live, "SELECT COUNT(*) FROM inbox") == 0  # moved into the file
    finally:
        await again.app.stop()


def test_backup_of_a_missing_database_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", str(tmp_path / "b.db"), "--db", str(tmp_path / "none.db")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no database" in err[0]
