"""Fixtures for the bot tests: a TowerBot on a fake session with tashan imported."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tgfake import Harness, make_harness


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    h = await make_harness(tmp_path)
    try:
        yield h
    finally:
        await h.app.stop()
        assert h.session.closed
