"""Guided forms keep their state in the database, so every worker sees it (issue 14, item 5).

Two `Database` handles on one file stand for two workers: a step taken through
one is read through the other; the 10-minute timeout still forgets a form and
says so once, whichever worker reads it; a newer step is never forgotten by a
worker that read the form before it moved.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from bot.forms import DatabaseFormStorage, key_text
from cascade.clock import FakeClock
from storage.db import Database
from tests.support.pgserver import Engine

KEY = StorageKey(bot_id=7, chat_id=-1_001_234_567_890, user_id=9_007_199_254_740_993)


class Steps(StatesGroup):
    text = State()
    kind = State()


@pytest.fixture
async def pair(
    engine: Engine, tmp_path: Path
) -> AsyncIterator[tuple[DatabaseFormStorage, DatabaseFormStorage]]:
    clock = FakeClock()
    target = await engine.new_target(tmp_path)
    async with Database(target) as one, Database(target) as two:
        yield DatabaseFormStorage(one, clock), DatabaseFormStorage(two, clock)


def _clock(storage: DatabaseFormStorage) -> FakeClock:
    assert isinstance(storage.clock, FakeClock)
    return storage.clock


async def test_a_step_taken_on_one_worker_is_seen_by_another(
    pair: tuple[DatabaseFormStorage, DatabaseFormStorage],
) -> None:
    first, second = pair
    await first.set_state(KEY, Steps.text)
    await first.update_data(KEY, {"text": "全员到岗", "duration": 900})
    assert await second.get_state(KEY) == Steps.text.state
    assert await second.get_data(KEY) == {"text": "全员到岗", "duration": 900}
    await second.set_state(KEY, Steps.kind)
    assert await first.get_state(KEY) == Steps.kind.state
    other = StorageKey(bot_id=7, chat_id=KEY.chat_id, user_id=KEY.user_id + 1)
    assert await second.get_state(other) is None and await second.get_data(other) == {}


async def test_a_cleared_form_leaves_no_row(
    pair: tuple[DatabaseFormStorage, DatabaseFormStorage],
) -> None:
    first, second = pair
    await first.set_state(KEY, Steps.text)
    await first.set_data(KEY, {"a": 1})
    await second.set_state(KEY, None)
    await second.set_data(KEY, {})
    async with first.db.transaction() as tx:
        async with tx.conn.execute("SELECT COUNT(*) FROM form_states") as cur:
            row = await cur.fetchone()
    assert row is not None and row[0] == 0
    assert not await first.expired_just_now(KEY)


async def test_a_timed_out_form_is_forgotten_and_said_once_across_workers(
    pair: tuple[DatabaseFormStorage, DatabaseFormStorage],
) -> None:
    first, second = pair
    clock = _clock(first)
    await first.set_state(KEY, Steps.text)
    await first.update_data(KEY, {"text": "x"})
    clock.advance(minutes=9)
    assert await second.get_state(KEY) == Steps.text.state
    clock.advance(minutes=2)
    assert await second.get_state(KEY) is None
    assert await first.get_data(KEY) == {}
    assert await first.expired_just_now(KEY)
    assert not await second.expired_just_now(KEY)
    await second.set_state(KEY, Steps.text)  # a new form clears the mark
    assert not await first.expired_just_now(KEY)


async def test_a_worker_that_read_a_form_before_it_moved_does_not_forget_the_new_step(
    pair: tuple[DatabaseFormStorage, DatabaseFormStorage],
) -> None:
    first, second = pair
    clock = _clock(first)
    await first.set_state(KEY, Steps.text)
    async with first.db.snapshot() as tx:
        stale = await tx.forms.get(key_text(KEY))
    assert stale.touched_at is not None
    clock.advance(minutes=11)
    await second.set_state(KEY, Steps.kind)  # the person went on, through the other worker
    async with first.db.transaction() as tx:
        forgot = await tx.forms.expire(key_text(KEY), stale.touched_at)
    assert not forgot
    assert await first.get_state(KEY) == Steps.kind.state
