"""Item 5 of "proven reliable": one running instance per database.

The lease is a row in the database: a second holder is refused while the first
is alive, takes over when the first stopped renewing or its process is gone,
and the first stops (`LeaseLost`) rather than run beside the new one. The last
test does it with real `towerbot run` processes against the sandbox.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.world import SandboxWorld
from fixtures import fixture_path
from storage.db import Database
from storage.importer import import_units
from storage.lease import LeaseHeld, LeaseLost, RunLease
from tests.support.botproc import BotProcess
from tests.support.pgserver import Engine


class Wall:
    def __init__(self) -> None:
        self.value = 1_000_000.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "lease.db") as opened:
        yield opened


async def test_a_second_holder_is_refused_while_the_first_renews(db: Database) -> None:
    wall = Wall()
    first, second = RunLease(db, ttl=30, now=wall), RunLease(db, ttl=30, now=wall)
    await first.take()
    with pytest.raises(LeaseHeld) as held:
        await second.take()
    assert "another towerbot" in str(held.value) and "\n" not in str(held.value)
    wall.value += 25
    await first.renew()
    wall.value += 25  # 50 s after the first take, but renewed 25 s ago
    with pytest.raises(LeaseHeld):
        await second.take()


async def test_an_expired_lease_is_taken_over_and_the_old_holder_stops(db: Database) -> None:
    wall = Wall()
    first, second = RunLease(db, ttl=30, now=wall), RunLease(db, ttl=30, now=wall)
    await first.take()
    wall.value += 31
    await second.take()
    with pytest.raises(LeaseLost):
        await first.renew()


async def test_a_lease_whose_process_is_gone_is_taken_over_at_once(db: Database) -> None:
    wall = Wall()
    first, second = RunLease(db, ttl=30, now=wall), RunLease(db, ttl=30, now=wall)
    await first.take()
    await db.conn.execute("UPDATE leases SET pid = 2147483646")  # no such process
    await second.take()


async def test_a_released_lease_is_free(db: Database) -> None:
    first, second = RunLease(db), RunLease(db)
    await first.take()
    await first.release()
    await second.take()


async def test_a_second_towerbot_run_refuses_in_one_line(engine: Engine, tmp_path: Path) -> None:
    world = SandboxWorld(
        fixture_path("futian-shangcheng"), tmp_path, db=await engine.new_target(tmp_path)
    )
    url = await world.server.start()
    world.register()
    try:
        async with Database(world.db_path) as db:
            await import_units(db, list(world.tower.units.values()))
        first = await BotProcess(url, world.db_path, tmp_path / "first.log").start()
        await world.state.wait_for(
            lambda: any(b.poll_count for b in world.state.bots.values()), timeout=60
        )
        second = BotProcess(url, world.db_path, tmp_path / "second.log")
        await second.start()
        assert await second.wait(60) == 2
        lines = (tmp_path / "second.log").read_text().strip().splitlines()
        assert len(lines) == 1 and "another towerbot" in lines[0], lines
        assert first.running
        await first.kill()
        third = await BotProcess(url, world.db_path, tmp_path / "third.log").start()
        await asyncio.sleep(3)
        assert third.running, (tmp_path / "third.log").read_text()
        await third.kill()
    finally:
        await world.server.stop()
