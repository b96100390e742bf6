"""Shared fixtures for the storage tests: a real SQLite file per test, the towers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from cascade.tower import Unit
from cascade.towerfile import load_path
from fixtures import fixture_path
from storage.db import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "towerbot.db")
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
