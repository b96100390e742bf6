"""Fixtures for the colour, map, tally and incident-list tests.

The handler tests drive the real dispatcher with the fake Telegram session of
`tests/support/tgfake.py` (imported from there, not copied) on the Tashan tower;
incidents are written straight through the repository with the stages a test
needs, so these tests do not depend on the reporting loop's handlers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.tgfake import Harness, make_harness


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    h = await make_harness(tmp_path)
    try:
        yield h
    finally:
        await h.app.stop()
