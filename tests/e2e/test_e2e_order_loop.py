"""The seeds' 15-minute loop end to end over real HTTP.

The sandbox server, the bot with aiogram's real session against it, the Tashan
tower (HQ → 12 → 224): the HQ commander orders a count, all 236 units answer in
random order (some twice), and HQ sees 100 % and the exact total.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest

from bot.settings import SenderLimits
from bot.world import SandboxWorld
from fixtures import fixture_path
from tests.support.pgserver import Engine

FAST = SenderLimits(per_second=1000.0, chat_interval=0.0, group_per_minute=10**6)


@pytest.fixture
async def world(engine: Engine, tmp_path: Path):
    async with SandboxWorld(
        fixture_path("tashan"), tmp_path, db=await engine.new_target(tmp_path), limits=FAST
    ) as started:
        yield started


async def _latest_order(world: SandboxWorld, code: str) -> int:
    async with world.bot.db.transaction() as tx:
        order = await tx.orders.latest_for_unit(code)
    assert order is not None
    return order.id


async def test_tashan_count_order_loop(world: SandboxWorld) -> None:
    state, tower = world.state, world.tower
    root = tower.root()
    assert root.chat_id is not None and root.commander and root.commander.telegram_id
    hq_chat, hq = root.chat_id, root.commander.telegram_id
    targets = [u for u in tower.walk() if u.code != root.code]
    assert len(targets) == 236

    state.post_message(hq_chat, hq, "/order 15m count 统计外地人数")
    await state.wait_for(lambda: state.bot_messages(hq_chat), timeout=15)
    order_id = await _latest_order(world, root.code)
    await state.wait_for(
        lambda: all(world.order_copies(u.chat_id or 0, order_id) for u in targets), timeout=30
    )

    rng = random.Random(20200220)
    values: dict[str, int] = {}
    actions = []
    for unit in targets:
        actions.append(("ack", unit))
        if not tower.children[unit.code]:
            actions.append(("value", unit))
    rng.shuffle(actions)
    twice = {u.code for u in rng.sample([u for u in targets if not tower.children[u.code]], 20)}

    def act(kind: str, unit) -> None:
        copy = world.order_copies(unit.chat_id, order_id)[0]
        who = unit.commander.telegram_id
        if kind == "ack":
            state.press_button(unit.chat_id, copy["message_id"], who, f"ack:{order_id}")
        else:
            values[unit.code] = rng.randint(0, 30)
            text = str(values[unit.code])
            state.post_message(unit.chat_id, who, text, reply_to_message_id=copy["message_id"])

    for kind, unit in actions:
        act(kind, unit)
    for code in sorted(twice):  # corrections, some arriving after 100 %
        act("value", tower.units[code])
    expected = sum(values.values())

    async def settled() -> bool:
        _, report = await world.bot.queries.status(order_id, hq_chat)
        return report.done == 236 and report.total_value == expected

    for _ in range(900):  # a hang guard: a loaded machine or server answers slower
        if await settled():
            break
        await asyncio.sleep(0.1)
    assert await settled()

    for unit in targets:
        assert len(world.order_copies(unit.chat_id, order_id)) == 1, unit.code

    before = len(state.bot_messages(hq_chat))
    status_msg = state.post_message(hq_chat, hq, "/status")
    replies = await state.wait_for(
        lambda: [
            m
            for m in state.bot_messages(hq_chat)[before:]
            if m["reply_to_message_id"] == status_msg["message_id"]
        ],
        timeout=10,
    )
    text = replies[0]["text"]
    assert "236/236" in text and "100%" in text
    assert str(expected) in text

    async def final_text() -> str:
        async with world.bot.db.transaction() as tx:
            finals = await tx.refs.sent(order_id, "final_report")
        last = state.message(*finals[-1]) if finals else None
        return str(last["text"]) if last else ""

    for _ in range(100):  # a correction after 100 % sends a corrected final report
        if str(expected) in await final_text():
            break
        await asyncio.sleep(0.1)
    final = await final_text()
    assert "236/236" in final and str(expected) in final
