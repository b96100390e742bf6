"""Live progress boards: one message per internal group, edited in place, coalesced.

A burst of 200 answers into one group must not become 200 edits (Telegram allows
about 20 messages or edits a minute per group): answers only mark the board
dirty, each flush queues one edit that replaces any still queued, and the board
ends showing the latest state.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import yaml

from bot.settings import SenderLimits
from bot.world import SandboxWorld
from cascade.clock import FakeClock
from tests.support.pgserver import Engine

FAST = SenderLimits(per_second=1000.0, chat_interval=0.0, group_per_minute=10**6)


def wide_tower(path: Path, children: int) -> Path:
    """An HQ with `children` units right below it, each with its own group."""
    units = [
        {
            "code": f"u-{i:03d}",
            "name": f"第{i}网格",
            "level": 1,
            "kind": "grid",
            "chat_id": -1003000000000 - i,
            "commander": {"name": f"网格长{i}", "telegram_id": 7100000000 + i},
        }
        for i in range(1, children + 1)
    ]
    tower = {
        "code": "hq",
        "name": "演练指挥部",
        "level": 0,
        "chat_id": -1003000000000,
        "commander": {"name": "总指挥", "telegram_id": 7100000000},
        "units": units,
    }
    file = path / "wide.yaml"
    file.write_text(yaml.safe_dump(tower, allow_unicode=True), encoding="utf-8")
    return file


async def drained(world: SandboxWorld) -> None:
    for _ in range(400):
        async with world.bot.db.transaction() as tx:
            counts = await tx.outbox.counts()
        # 'sending' too: the sender records what came back every few milliseconds.
        if counts.get("pending", 0) + counts.get("sending", 0) == 0:
            return
        await asyncio.sleep(0.025)
    raise AssertionError("outbox not drained")


async def test_burst_of_200_answers_gives_few_edits(engine: Engine, tmp_path: Path) -> None:
    clock = FakeClock()
    async with SandboxWorld(
        wide_tower(tmp_path, 200),
        tmp_path,
        db=await engine.new_target(tmp_path),
        limits=FAST,
        clock=clock,
    ) as world:
        state, tower = world.state, world.tower
        hq = tower.root()
        assert hq.chat_id and hq.commander and hq.commander.telegram_id
        state.post_message(hq.chat_id, hq.commander.telegram_id, "/order 20m notice 全员到岗")
        for _ in range(200):
            async with world.bot.db.transaction() as tx:
                order = await tx.orders.latest_for_unit("hq")
            if order:
                break
            await asyncio.sleep(0.025)
        assert order is not None
        await drained(world)
        async with world.bot.db.transaction() as tx:
            board = await tx.refs.find_purpose(order.id, "progress", "hq")
        assert board is not None
        board_chat, board_id = board

        flushes = 0
        started = asyncio.get_running_loop().time()
        for index, unit in enumerate(tower.walk()):
            if unit.code == "hq":
                continue
            copy = world.order_copies(unit.chat_id or 0, order.id)[0]
            state.press_button(
                unit.chat_id, copy["message_id"], unit.commander.telegram_id, f"ack:{order.id}"
            )
            if index % 50 == 0:  # the periodic refresh, in the middle of the burst
                await asyncio.sleep(0.2)
                await world.bot.progress.flush()
                flushes += 1
        for _ in range(1200):  # a hang guard: a loaded machine or server answers slower
            _, report = await world.bot.queries.status(order.id, hq.chat_id)
            if report.done == 200:
                break
            await asyncio.sleep(0.05)
        assert report.done == 200
        await world.bot.progress.flush()
        flushes += 1
        await drained(world)
        elapsed = asyncio.get_running_loop().time() - started

        message = state.message(board_chat, board_id)
        assert message is not None
        # Our flushes plus the bot's own 3-second refresh: a handful, never one per answer,
        # and within Telegram's 20 edits a minute for a group.
        assert 1 <= message["edit_count"] <= min(20, flushes + 1 + int(elapsed / 3))
        assert "200/200" in message["text"]
        async with world.bot.db.transaction() as tx:
            assert await tx.timers.take_dirty() == []
