"""Fixtures for the people tests: the changchun tower (five levels, landlords and tenants)
on the fake Telegram session of `tests/bot/tgfake.py` (imported from there, not copied)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bot"))

from people_ids import CC_ADMIN
from tgfake import Harness, make_harness


@pytest.fixture
async def cc(tmp_path: Path) -> AsyncIterator[Harness]:
    h = await make_harness(tmp_path, tower="changchun", admins=frozenset({CC_ADMIN}))
    try:
        yield h
    finally:
        await h.app.stop()
