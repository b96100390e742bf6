"""`towerbot backup PATH` while the bot runs, and the documented restore.

The copy is taken while another connection holds an open write transaction
(the running bot mid-decision): it completes, holds everything committed and
nothing uncommitted, passes `integrity_check`; restoring it as the README says
gives a bot that answers as before.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from tests.support.restarts import restart
from tests.support.tgfake import HQ_CHAT, HQ_COMMANDER, Harness


def _restore(backup: Path, database: Path) -> None:
    """The README's restore steps, after the bot was stopped."""
    shutil.copyfile(backup, database)
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)


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


def test_backup_of_a_missing_database_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", str(tmp_path / "b.db"), "--db", str(tmp_path / "none.db")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no database" in err[0]
