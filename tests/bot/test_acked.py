"""Acknowledged but not answered: its own reminder, and /pending tells it from "not seen"."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.pgserver import Engine
from tests.support.tgfake import (
    DEFAULT_ORDER,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    TS0102_CHAT,
    Harness,
    make_harness,
)


@pytest.fixture
async def issued(engine: Engine, tmp_path: Path) -> AsyncIterator[Harness]:
    """Tashan with HQ's count order #1 issued and sent."""
    h = await make_harness(tmp_path, issued=DEFAULT_ORDER, engine=engine)
    try:
        yield h
    finally:
        await h.app.stop()


async def test_received_without_a_number_gets_its_own_reminder(issued: Harness) -> None:
    h = issued
    copy = h.copy_in(TS0101_CHAT)
    await h.press(copy, TS0101_COMMANDER, "ack:1")
    await h.drain()
    h.clock.advance(minutes=10, seconds=1)  # two thirds of 15 minutes
    await h.app.deadlines.fire_due()
    await h.drain()
    acked = await h.last(TS0101_CHAT)
    assert acked.startswith("⏰ 指令 #1「统计外地人数」还剩")
    assert "「塔山村第一村民小组」已收到但未上报数字" in acked
    assert "回复指令消息上报" in acked
    unseen = await h.last(TS0102_CHAT)
    assert "尚未完成" in unseen and "已收到" not in unseen


async def test_pending_tells_not_seen_from_seen_without_a_value(issued: Harness) -> None:
    h = issued
    await h.press(h.copy_in(TS01_CHAT), TS01_COMMANDER, "ack:1")
    await h.press(h.copy_in(TS0101_CHAT), TS0101_COMMANDER, "ack:1")
    await h.send(TS01_CHAT, TS01_COMMANDER, "/pending")
    await h.drain()
    lines = (await h.last(TS01_CHAT)).splitlines()
    first = next(line for line in lines if "塔山村第一村民小组" in line)
    second = next(line for line in lines if "塔山村第二村民小组" in line)
    assert first.endswith("（已收到，未上报）")
    assert second.endswith("（未查看）")
    await h.send(-1002000000001, 6000000001, "/pending")  # HQ sees the village waiting
    await h.drain()
    village = next(
        line for line in (await h.last(-1002000000001)).splitlines() if "· 塔山村（" in line
    )
    assert village.endswith("（已收到，等下级）")
