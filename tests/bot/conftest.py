"""Fixtures for the bot tests: a TowerBot on a fake session with tashan (or changchun) imported."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.people_ids import CC_ADMIN
from tests.support.pgserver import Engine
from tests.support.tgfake import DEFAULT_ORDER, Harness, make_harness


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
