"""Fixtures for the bot tests: a TowerBot on a fake session with tashan (or changchun)
imported; `workers`, two of them sharing one database and one fake clock.

`workers` is what two `towerbot run --webhook` processes share, minus the
processes (issue 14): each TowerBot has its own database handle and fake
Telegram session. It runs on both engines; PostgreSQL is where workers really
race, SQLite shows the same code keeps its single-writer behaviour."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.app import TowerBot
from bot.settings import SenderLimits, Settings
from cascade.clock import FakeClock
from storage.db import Database
from storage.importer import import_units
from tests.support.people_ids import CC_ADMIN
from tests.support.pgserver import Engine
from tests.support.tgfake import (
    DEFAULT_ORDER,
    HQ_ADMIN,
    TOKEN,
    FakeSession,
    Harness,
    make_harness,
    tower_units,
)


@pytest.fixture
async def harness(engine: Engine, tmp_path: Path) -> AsyncIterator[Harness]:
    h = await make_harness(tmp_path, engine=engine)
    try:
        yield h
    finally:
        await h.app.stop()
        assert h.session.closed


@pytest.fixture
async def issued(engine: Engine, tmp_path: Path) -> AsyncIterator[Harness]:
    """Tashan with HQ's "/order 15m count 统计外地人数" (order #1) issued and sent."""
    h = await make_harness(tmp_path, issued=DEFAULT_ORDER, engine=engine)
    try:
        yield h
    finally:
        await h.app.stop()


@pytest.fixture
async def cc(engine: Engine, tmp_path: Path) -> AsyncIterator[Harness]:
    """The changchun tower (five levels, landlords and tenants) with its HQ admin."""
    h = await make_harness(tmp_path, tower="changchun", admins=frozenset({CC_ADMIN}), engine=engine)
    try:
        yield h
    finally:
        await h.app.stop()


@pytest.fixture
async def workers(engine: Engine, tmp_path: Path) -> AsyncIterator[list[Harness]]:
    target = await engine.new_target(tmp_path)
    async with Database(target) as db:
        await import_units(db, [u.model_copy(deep=True) for u in tower_units("tashan")])
    clock = FakeClock()
    settings = Settings(
        bot_token=SecretStr(TOKEN),
        db=tmp_path / "unused.db",  # each worker is given its own handle on `target`
        admins=frozenset({HQ_ADMIN}),
        limits=SenderLimits(per_second=1000, chat_interval=0, group_per_minute=10**6),
    )
    opened: list[Harness] = []
    try:
        for _ in range(2):
            session = FakeSession()
            app = TowerBot(settings, session, clock=clock, db=Database(target))
            await app.open()
            opened.append(Harness(app, session, clock))
        yield opened
    finally:
        for h in opened:
            await h.app.stop()
            await h.app.db.close()
