"""Fixtures for the reliability tests ("proven reliable", issue 13).

Handler-level tests drive the real dispatcher with the fake Telegram session
of `tests/support/tgfake.py` (imported from there, not copied).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.tgfake import DEFAULT_ORDER, Harness, make_harness


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    h = await make_harness(tmp_path)
    try:
        yield h
    finally:
        await h.app.stop()


@pytest.fixture
async def issued(tmp_path: Path) -> AsyncIterator[Harness]:
    """Tashan with HQ's "/order 15m count 统计外地人数" (order #1) issued and sent."""
    h = await make_harness(tmp_path, issued=DEFAULT_ORDER)
    try:
        yield h
    finally:
        await h.app.stop()
