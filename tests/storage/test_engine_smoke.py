"""The engine benchmark runs end to end on a small tower (its figures are not checked:
speed goals live in benchmarks/RESULTS.md, never in timed assertions)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from benchmarks import engine
from cascade.towerfile import load_path
from fixtures import fixture_path
from storage.db import Database
from storage.importer import import_units
from tests.support.pgserver import Engine


@pytest.fixture
def engine_kind(engine: Engine) -> Engine:
    """The parametrised engine (the name `engine` is this module's benchmark)."""
    return engine


async def test_engine_benchmark_measures_a_small_tower(engine_kind: Engine, tmp_path: Path) -> None:
    template = await engine_kind.new_target(tmp_path, "tashan.db")
    async with Database(template) as db:
        await import_units(db, load_path(fixture_path("tashan")))
    towers = engine.Towers(csv=tmp_path / "unused.csv", dbs={236: template})
    work = tmp_path / "run"
    work.mkdir()
    run = await engine.one_run(towers, [236], answers=60, concurrency=4, seed=1, tmp=work)

    created = run["create"]["236"]
    assert created["targets"] == 236
    assert created["outbox_rows"] > 236  # every copy, the confirmation and the boards
    assert 0 < created["copies_seconds"] <= created["seconds"]
    assert created["export_seconds"] > 0 and created["chart_peak_rss"] > 0
    if not engine_kind.is_postgres:
        assert created["sqlite_limit_seconds"] > 0
    answers = run["answers"]
    assert answers["answers"] == 60
    assert answers["per_second"] > 0
    assert answers["limit_per_second"] > 0  # raw sqlite3's or raw asyncpg's, same rows
    assert answers["ratio"] == answers["per_second"] / answers["limit_per_second"]
    assert answers["root_total"] >= 0  # checked against the leaf values inside the run
    assert answers["status_hq_p50_ms"] > 0 and answers["status_l2_p50_ms"] > 0
    assert answers["boards_redrawn"] > 0 and answers["boards_max_wait_ms"] > 0
    assert run["engine_peak_rss"] > 0

    summary = engine.summarise([{**run, "import": {"seconds": 1.0, "peak_rss": 1}}], [236])
    assert "create order, 236 targets" in engine.table(summary)


def rows_of(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        units = conn.execute("SELECT * FROM order_units ORDER BY order_id, unit_code")
        return [*units.fetchall(), *conn.execute("SELECT * FROM outbox ORDER BY id")]


async def test_sqlites_create_limit_writes_the_same_rows_again(tmp_path: Path) -> None:
    """The limit the city order is compared with writes exactly the rows it wrote."""
    path = tmp_path / "tashan.db"
    async with Database(str(path)) as db:
        await import_units(db, load_path(fixture_path("tashan")))
    created = await engine.measure_create(str(path))
    before = rows_of(path)
    assert len(before) == created["targets"] + 1 + created["outbox_rows"]
    assert engine.sqlite_create_limit(path) > 0
    assert rows_of(path) == before
