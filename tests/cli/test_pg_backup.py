"""`towerbot backup PATH` on PostgreSQL: pg_dump's custom format, restorable (issue 14, item 6).

The dump of a database holding the Tashan tower is restored with `pg_restore`
into a new database, which then holds the same rows; a PATH that exists is
refused in one line, as for SQLite.
"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from bot.cli import main
from storage.backup import find_pg_dump
from storage.db import Database
from storage.importer import import_units
from tests.support.pgserver import PgServer
from tests.support.tgfake import tower_units


async def _rows(url: str) -> dict[str, int]:
    async with Database(url) as db, db.snapshot() as tx:
        counts = {}
        for table in ("units", "members", "schema_version"):
            (row,) = await tx.conn.execute_fetchall(f"SELECT COUNT(*) FROM {table}")
            counts[table] = int(row[0])
        return counts


def test_a_pg_dump_backup_restores_the_tower(
    tmp_path: Path, pg_server: PgServer, capsys: pytest.CaptureFixture[str]
) -> None:
    pg_dump = find_pg_dump()
    if pg_dump is None:
        pytest.skip("pg_dump is not installed")
    live, restored = asyncio.run(pg_server.create_database()), ""

    async def load() -> None:
        async with Database(live) as db:
            await import_units(db, [u.model_copy(deep=True) for u in tower_units("tashan")])

    try:
        asyncio.run(load())
        dump = tmp_path / "towerbot.dump"
        assert main(["backup", str(dump), "--db", live]) == 0
        assert "pg_dump written" in capsys.readouterr().out
        assert not dump.with_name(dump.name + ".partial").exists()
        restored = asyncio.run(pg_server.create_database())
        pg_restore = str(Path(pg_dump).with_name("pg_restore"))
        subprocess.run([pg_restore, "--no-owner", f"--dbname={restored}", str(dump)], check=True)
        before, after = asyncio.run(_rows(live)), asyncio.run(_rows(restored))
        assert after == before and before["units"] == 237

        assert main(["backup", str(dump), "--db", live]) == 2
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and "already exists" in lines[0]
    finally:
        for url in (live, restored):
            if url:
                asyncio.run(pg_server.drop_database(url))
