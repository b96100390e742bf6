"""Fixtures for the people tests: the changchun tower (five levels, landlords and tenants)
on the fake Telegram session of `tests/support/tgfake.py` (imported from there, not copied)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from people_ids import CC_ADMIN

from tests.support.tgfake import Harness, make_harness


@pytest.fixture
async def cc(tmp_path: Path) -> AsyncIterator[Harness]:
    h = await make_harness(tmp_path, tower="changchun", admins=frozenset({CC_ADMIN}))
    try:
        yield h
    finally:
        await h.app.stop()
