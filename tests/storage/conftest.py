"""Shared fixtures for the storage tests: a real database per test (a SQLite file, or a
fresh PostgreSQL database: every test runs on both engines), the towers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from cascade.tower import Unit
from cascade.towerfile import load_path
from fixtures import fixture_path
from storage.db import Database
from tests.support.pgserver import Engine


@pytest.fixture
async def db(engine: Engine, tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(await engine.new_target(tmp_path))
    await database.open()
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture(scope="session")
def tashan_units() -> list[Unit]:
    return load_path(fixture_path("tashan"))


@pytest.fixture
def tashan(tashan_units: list[Unit]) -> list[Unit]:
    """A fresh deep copy, so a test may edit it."""
    return [u.model_copy(deep=True) for u in tashan_units]
