"""Several workers on one database, in one test process (issue 14).

`workers` gives two `TowerBot`s, each with its own database handle and fake
Telegram session, sharing one database and one fake clock: what two
`towerbot run --webhook` processes share, minus the processes. It runs on both
engines (`engine`, tests/support/pgserver.py); PostgreSQL is where workers
really race, SQLite shows the same code keeps its single-writer behaviour.
"""

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
from tests.support.pgserver import Engine
from tests.support.tgfake import HQ_ADMIN, TOKEN, FakeSession, Harness, tower_units


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
