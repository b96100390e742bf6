"""`towerbot migrate-db SQLITE_FILE POSTGRES_URL` (issue 14, item 6).

A Tashan tower with an order issued and answered is copied from its SQLite
file into an empty PostgreSQL database: every table holds the same rows, the
copied ids go on from where they were (sequences moved), the bot's queries
read the same numbers, the rows of the inbox's own file (storage/inbox_file.py) are in
PostgreSQL's `inbox` table; a second copy into the now non-empty database is
refused in one line, and so are a missing file and a target that is not
PostgreSQL.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli import main
from cascade.outgoing import OutgoingMessage
from storage.db import Database
from storage.inbox import Inbox
from storage.inbox_file import left_beside
from tests.support.pgserver import PgServer
from tests.support.tgfake import DEFAULT_ORDER, TS0101_CHAT, TS0101_COMMANDER, make_harness


async def _tower(tmp_path: Path) -> Path:
    h = await make_harness(tmp_path, issued=DEFAULT_ORDER)
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "7", reply_to=h.copy_in(TS0101_CHAT))
    await h.drain()
    await h.app.stop()
    path = tmp_path / "tashan.db"
    async with Database(path) as db:  # a row a stopped bot left in its inbox file
        await Inbox(db, h.app.bot.id).keep([(900, '{"update_id": 900}')], chats=[TS0101_CHAT])
    return path


async def _contents(target: str) -> dict[str, list[tuple[object, ...]]]:
    async with Database(target) as db, db.snapshot() as tx:
        if db.is_postgres:
            sql = (
                "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "current_schema() AND table_name NOT IN ('schema_version', 'leases')"
            )
        else:
            sql = (
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                "'sqlite_%' AND name != 'leases'"
            )
        tables = sorted(r[0] for r in await tx.conn.execute_fetchall(sql))
        out = {}
        for table in tables:
            rows = await tx.conn.execute_fetchall(f"SELECT * FROM {table}")
            out[table] = sorted((tuple(r) for r in rows), key=repr)
        return out


def test_a_tower_is_copied_whole_and_a_second_copy_is_refused(
    tmp_path: Path, pg_server: PgServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = asyncio.run(pg_server.create_database())
    try:
        source = asyncio.run(_tower(tmp_path))
        assert main(["migrate-db", str(source), url]) == 0
        said = capsys.readouterr()
        assert "copied" in said.out and said.err == ""
        before, after = asyncio.run(_contents(str(source))), asyncio.run(_contents(url))
        assert before["inbox"] == []  # on SQLite the rows are in the inbox's own file
        before["inbox"] = left_beside(str(source))
        assert [r[1] for r in before["inbox"]] == [900]
        assert set(before) == set(after)
        assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
        assert after == before
        assert len(after["order_units"]) == 236 + 1 and len(after["outbox"]) > 236

        async def next_outbox_id() -> tuple[int, int]:
            async with Database(url) as db, db.transaction() as tx:
                new = await tx.outbox.add(OutgoingMessage(chat_id=TS0101_CHAT, text="next"))
                rows = list(await tx.conn.execute_fetchall("SELECT MAX(id) FROM outbox"))
                return new, int(rows[0][0])

        new, biggest = asyncio.run(next_outbox_id())
        assert new == biggest and new > max(int(r[0]) for r in before["outbox"])

        assert main(["migrate-db", str(source), url]) == 2
        refused = capsys.readouterr().err.strip().splitlines()
        assert len(refused) == 1 and "is not empty" in refused[0], refused
    finally:
        asyncio.run(pg_server.drop_database(url))


def test_wrong_arguments_are_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate-db", str(tmp_path / "missing.db"), "postgresql://x@127.0.0.1/x"]) == 2
    assert "no SQLite database" in capsys.readouterr().err
    (tmp_path / "a.db").write_bytes(b"")
    assert main(["migrate-db", str(tmp_path / "a.db"), str(tmp_path / "b.db")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "postgresql://" in lines[0]
