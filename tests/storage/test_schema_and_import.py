"""Schema migrations and tower import against real SQLite files.

A deployment upgrades its database file in place and re-imports its tower file
every time an official edits the spreadsheet. Both must be idempotent (a
second run changes nothing), exact (an edit changes only what was edited) and
all-or-nothing (a broken file or migration leaves the stored data as it was).
"""

from __future__ import annotations

from pathlib import Path

import aiosqlite
import pytest

from cascade.invariants import TowerInvalid
from cascade.tower import Person, Unit
from cascade.towerfile import load_path
from fixtures import fixture_path
from storage import migrations
from storage.conn import DatabaseError
from storage.db import Database
from storage.importer import import_units
from tests.support.pgserver import Engine

TABLES = {"units", "members", "orders", "order_units", "outbox", "message_refs"}


async def scalar(db: Database, sql: str, *args: object) -> object:
    async with db.conn.execute(sql, args) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def table_names(db: Database) -> set[str]:
    sql = (
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        if db.is_postgres
        else "SELECT name FROM sqlite_master WHERE type = 'table'"
    )
    async with db.conn.execute(sql) as cur:
        return {r[0] for r in await cur.fetchall()}


# ---------------------------------------------------------------- migrations


async def test_fresh_file_is_migrated_to_the_latest_version_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    assert not path.exists()
    async with Database(path) as db:
        assert await db.schema_version() == len(migrations.MIGRATIONS)
        assert await scalar(db, "PRAGMA user_version") == len(migrations.MIGRATIONS)
        assert str(await scalar(db, "PRAGMA journal_mode")).lower() == "wal"
        assert await scalar(db, "PRAGMA foreign_keys") == 1
        assert TABLES <= await table_names(db)
    # The version is stored in the file itself, not only in the connection.
    async with aiosqlite.connect(path) as raw:
        async with raw.execute("PRAGMA user_version") as cur:
            assert (await cur.fetchone())[0] == len(migrations.MIGRATIONS)
        async with raw.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0].lower() == "wal"


async def test_reopening_runs_nothing_and_keeps_data(
    tmp_path: Path, tashan: list[Unit], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "t.db"
    async with Database(path) as db:
        await import_units(db, tashan)
    executed: list[str] = []
    original = aiosqlite.Connection.execute

    def spy(self: aiosqlite.Connection, sql: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return original(self, sql, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "execute", spy)
    async with Database(path) as db:
        assert await db.schema_version() == len(migrations.MIGRATIONS)
        assert await db.migrate() == len(migrations.MIGRATIONS)
        assert await scalar(db, "SELECT COUNT(*) FROM units") == 237
    assert not [s for s in executed if "CREATE" in s.upper() or "BEGIN" in s.upper()]


async def test_only_new_migrations_run_on_an_old_file(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = await engine.new_target(tmp_path, "old.db")
    async with Database(path) as db:
        await db.conn.execute(
            "INSERT INTO orders (issuer_unit, issuer_user, kind, text, created_at, deadline_at, "
            "status, total_targets) VALUES ('x', 1, 'notice', 't', 'a', 'b', 'open', 0)"
        )
    extra = "CREATE TABLE extra_one (a INTEGER); INSERT INTO extra_one VALUES (42)"
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, extra])
    import storage.db as db_module

    monkeypatch.setattr(db_module, "MIGRATIONS", migrations.MIGRATIONS)
    async with Database(path) as db:
        assert await db.schema_version() == len(migrations.MIGRATIONS)
        assert await scalar(db, "SELECT a FROM extra_one") == 42
        assert await scalar(db, "SELECT COUNT(*) FROM orders") == 1


async def test_a_failing_migration_rolls_back_and_keeps_the_version(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = await engine.new_target(tmp_path, "bad.db")
    async with Database(path):
        pass
    version = len(migrations.MIGRATIONS)
    broken = "CREATE TABLE half_done (a INTEGER); CREATE TABLE units (a INTEGER)"
    import storage.db as db_module

    monkeypatch.setattr(db_module, "MIGRATIONS", [*migrations.MIGRATIONS, broken])
    db = Database(path)
    with pytest.raises(DatabaseError):
        await db.open()
    await db.close()
    monkeypatch.undo()
    async with Database(path) as db:
        assert await db.schema_version() == version
        assert "half_done" not in await table_names(db)


# ---------------------------------------------------------------- import


async def test_import_is_idempotent(db: Database, tashan: list[Unit]) -> None:
    first = await import_units(db, tashan)
    assert (first.added, first.updated, first.removed, first.unchanged) == (237, 0, 0, 0)
    assert first.changed
    assert await scalar(db, "SELECT COUNT(*) FROM units") == 237
    people = sum(1 for u in tashan for _ in u.people())
    assert await scalar(db, "SELECT COUNT(*) FROM members") == people
    before = await snapshot(db)

    again = await import_units(db, [u.model_copy(deep=True) for u in tashan])
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 237)
    assert not again.changed
    assert await snapshot(db) == before


async def snapshot(db: Database) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    async with db.conn.execute("SELECT * FROM units ORDER BY code") as cur:
        units = [tuple(r) for r in await cur.fetchall()]
    async with db.conn.execute("SELECT * FROM members ORDER BY unit_code, seq") as cur:
        members = [tuple(r) for r in await cur.fetchall()]
    return units, members


async def test_edited_file_changes_exactly_the_edited_units(
    db: Database, tashan: list[Unit]
) -> None:
    await import_units(db, tashan)
    by_code = {u.code: u for u in tashan}
    by_code["ts-01-01"].name = "塔山村第一组(改名)"
    by_code["ts-01-02"].parent = "ts-02"
    removed = "ts-12-01"
    leaf_commander = by_code[removed].commander
    assert leaf_commander is not None
    edited = [u for u in tashan if u.code != removed]

    stats = await import_units(db, edited)
    assert (stats.added, stats.updated, stats.removed, stats.unchanged) == (0, 2, 1, 234)

    async with db.transaction() as tx:
        renamed = await tx.tower.ref("ts-01-01")
        assert renamed is not None and renamed.name == "塔山村第一组(改名)"
        moved = await tx.tower.chain("ts-01-02")
        assert [u.code for u in moved] == ["ts-01-02", "ts-02", "tashan"]
        assert "ts-01-02" in [u.code for u in await tx.tower.subtree("ts-02")]
        assert "ts-01-02" not in [u.code for u in await tx.tower.subtree("ts-01")]
        assert await tx.tower.ref(removed) is None
        assert await tx.tower.memberships(leaf_commander.telegram_id or 0) == []
    assert await scalar(db, "SELECT COUNT(*) FROM members WHERE unit_code = ?", removed) == 0
    assert await scalar(db, "SELECT COUNT(*) FROM units") == 236


async def test_moving_a_subtree_updates_the_paths_below_it(db: Database) -> None:
    units = load_path(fixture_path("changchun"))
    await import_units(db, units)
    by_code = {u.code: u for u in units}
    level3 = [u for u in units if u.level == 3]
    block = level3[0]
    other_team = next(u.parent for u in level3 if u.parent != block.parent)
    children = [u.code for u in units if u.parent == block.code]
    assert children
    block.parent = other_team
    stats = await import_units(db, list(by_code.values()))
    assert stats.updated == 1 + len(children)
    assert stats.added == stats.removed == 0
    async with db.transaction() as tx:
        below = [u.code for u in await tx.tower.subtree(other_team or "")]
        assert block.code in below and set(children) <= set(below)
        chain = await tx.tower.chain(children[0])
        assert [u.code for u in chain[:3]] == [children[0], block.code, other_team]


async def test_invalid_tower_is_refused_and_the_stored_tower_kept(
    db: Database, tashan: list[Unit]
) -> None:
    await import_units(db, tashan)
    before = await snapshot(db)
    broken = [u.model_copy(deep=True) for u in tashan]
    broken[5].level = 2  # a level-3 unit under a level-2 parent
    broken[7].commander = None
    broken[9].members += [Person(name=f"多余{i}", telegram_id=7_000_000_000 + i) for i in range(30)]
    broken = [u for u in broken if u.code != "ts-03"]  # orphans ts-03's children
    with pytest.raises(TowerInvalid) as caught:
        await import_units(db, broken)
    rules = {(v.unit, v.rule) for v in caught.value.violations}
    assert (broken[5].code, "level-order") in rules
    assert (broken[7].code, "no-commander") in rules
    assert (broken[9].code, "too-many-members") in rules
    assert ("ts-03-01", "parent-missing") in rules
    assert await snapshot(db) == before


async def test_big_ids_survive_the_round_trip(db: Database, tashan: list[Unit]) -> None:
    await import_units(db, tashan)
    root = tashan[0]
    assert root.chat_id is not None and root.chat_id < -(2**32)
    assert root.commander is not None and (root.commander.telegram_id or 0) > 2**32
    async with db.transaction() as tx:
        found = await tx.tower.by_chat(root.chat_id)
        assert found is not None and found.code == "tashan"
        assert found.commander_id == root.commander.telegram_id
        stored = await tx.tower.unit("tashan")
        assert stored == root


async def test_swapping_two_chat_ids_is_one_clean_update(db: Database, tashan: list[Unit]) -> None:
    await import_units(db, tashan)
    by_code = {u.code: u for u in tashan}
    a, b = by_code["ts-01-01"], by_code["ts-01-02"]
    a.chat_id, b.chat_id = b.chat_id, a.chat_id
    stats = await import_units(db, tashan)
    assert (stats.added, stats.updated, stats.removed) == (0, 2, 0)
    async with db.transaction() as tx:
        found = await tx.tower.by_chat(a.chat_id or 0)
        assert found is not None and found.code == "ts-01-01"
        # The people of a re-inserted unit come back with it.
        assert await tx.tower.position("ts-01-01", a.commander.telegram_id or 0) is not None  # type: ignore[union-attr]


async def test_a_repeated_code_is_refused_even_without_the_file_loader(
    db: Database, tashan: list[Unit]
) -> None:
    twin = tashan[5].model_copy(update={"name": "另一个同代码单元", "chat_id": -1009000000001})
    with pytest.raises(TowerInvalid) as caught:
        await import_units(db, [*tashan, twin])
    assert (tashan[5].code, "code-duplicate") in {(v.unit, v.rule) for v in caught.value.violations}
    assert await scalar(db, "SELECT COUNT(*) FROM units") == 0
