"""Shared fixtures for the storage tests: the towers. The real database per test (a
SQLite file, or a fresh PostgreSQL database: every test runs on both engines) is
the `db` fixture of tests/support/pgserver.py, shared with the bot's poller tests."""

from __future__ import annotations

import pytest

from cascade.tower import Unit
from cascade.towerfile import load_path
from fixtures import fixture_path


@pytest.fixture(scope="session")
def tashan_units() -> list[Unit]:
    return load_path(fixture_path("tashan"))


@pytest.fixture
def tashan(tashan_units: list[Unit]) -> list[Unit]:
    """A fresh deep copy, so a test may edit it."""
    return [u.model_copy(deep=True) for u in tashan_units]
