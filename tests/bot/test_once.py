"""Item 1 of "proven reliable": each update takes effect once.

The update id is written in the same transaction as the decision it causes, so
a replay after a crash (Telegram hands the batch over again), a duplicate
delivery under the same id, or the same message under a new id is skipped —
and a decision that rolled back leaves no record, so its replay still counts.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from aiogram.types import Update

from cascade.deadlines import Timer
from cascade.orders import OrderKind
from storage import processed
from storage.timer_repo import SqliteTimerRepository
from tests.support.pgserver import Engine
from tests.support.restarts import restart
from tests.support.tgfake import (
    HQ_CHAT,
    HQ_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    Harness,
    make_harness,
)


class Killed(BaseException):
    """Stands for SIGKILL: no handler, no error reply, nothing after it runs."""


async def _orders(h: Harness) -> int:
    async with h.app.db.conn.execute("SELECT COUNT(*) FROM orders") as cur:
        row = await cur.fetchone()
    assert row is not None
    return int(row[0])


async def _feed(h: Harness, update: Update) -> None:
    await h.app.dispatcher.feed_update(h.app.bot, update)


def _order_update(h: Harness, update_id: int, text: str = "/order 15m notice 全员到岗") -> Update:
    return Update(update_id=update_id, message=h.message(HQ_CHAT, HQ_COMMANDER, text))


async def test_the_same_order_update_delivered_twice_issues_one_order(harness: Harness) -> None:
    update = _order_update(harness, 500)
    await _feed(harness, update)
    await _feed(harness, update)
    await harness.drain()
    assert await _orders(harness) == 1
    confirmations = [t for t in await harness.said(HQ_CHAT) if "已下达" in t]
    assert len(confirmations) == 1


async def test_the_same_message_under_a_new_update_id_is_skipped(harness: Harness) -> None:
    first = _order_update(harness, 501)
    assert first.message is not None
    await _feed(harness, first)
    await _feed(harness, Update(update_id=502, message=first.message))
    assert await _orders(harness) == 1


async def test_an_update_replayed_after_a_restart_is_skipped(
    engine: Engine, tmp_path: Path
) -> None:
    h = await make_harness(tmp_path, engine=engine)
    update = _order_update(h, 503)
    await _feed(h, update)
    again = await restart(h)
    try:
        await _feed(again, update)
        assert await _orders(again) == 1
    finally:
        await again.app.stop()


async def test_a_replayed_answer_does_not_undo_a_later_correction(issued: Harness) -> None:
    copy = issued.copy_in(TS0101_CHAT)
    five = Update(
        update_id=600, message=issued.message(TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=copy)
    )
    await _feed(issued, five)
    await issued.send(TS0101_CHAT, TS0101_COMMANDER, "7", reply_to=copy)
    await issued.drain()
    issued.session.clear()
    await _feed(issued, five)  # the crash made Telegram hand "5" over again
    await issued.drain()
    assert (await issued.row_status("ts-01-01"))["value"] == 7
    assert issued.session.sends(TS0101_CHAT) == []


async def test_a_decision_that_rolled_back_leaves_no_record_so_its_replay_counts(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    update = _order_update(harness, 504)
    original = SqliteTimerRepository.add

    async def killed(self: SqliteTimerRepository, timers: list[Timer]) -> None:
        raise Killed  # the process dies after the order row, before the COMMIT

    monkeypatch.setattr(SqliteTimerRepository, "add", killed)
    with pytest.raises(Killed):
        await _feed(harness, update)
    assert await _orders(harness) == 0
    monkeypatch.setattr(SqliteTimerRepository, "add", original)
    await _feed(harness, update)
    assert await _orders(harness) == 1


async def test_a_refused_command_is_answered_once_even_when_replayed(harness: Harness) -> None:
    update = Update(update_id=505, message=harness.message(TS0101_CHAT, 42, "/cancel"))
    await _feed(harness, update)
    await _feed(harness, update)
    await harness.drain()
    assert len(harness.session.sends(TS0101_CHAT)) == 1


async def test_a_duplicate_racing_the_first_delivery_rolls_back(harness: Harness) -> None:
    """Two deliveries both past the check: the second decision meets the record at commit."""
    await _feed(harness, _order_update(harness, 506))
    with processed.handling(harness.app.bot.id, 506, None), pytest.raises(processed.AlreadyHandled):
        await harness.app.orders.issue(
            HQ_CHAT, HQ_COMMANDER, OrderKind.NOTICE, "再来一次", timedelta(minutes=15)
        )
    assert await _orders(harness) == 1
