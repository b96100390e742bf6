"""The life of real groups, through the sandbox's injected faults over real HTTP.

The bot removed from a group (my_chat_member) or refused with 403: the unit is
unreachable, its parent is told once, its messages wait and go out when the bot
is back. A group upgraded to a supergroup: the unit follows the new id and the
message is resent there. 5xx: retried with back-off. 429: waited out, nothing lost.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.settings import SenderLimits
from bot.world import DRILL_TOKEN, SandboxWorld
from cascade.tower import Unit
from fixtures import fixture_path
from sandbox.limits import SandboxLimits
from tests.support.pgserver import Engine

FAST = SenderLimits(per_second=1000.0, chat_interval=0.0, group_per_minute=10**6)
BOT_ID = int(DRILL_TOKEN.split(":")[0])


@pytest.fixture
async def world(engine: Engine, tmp_path: Path):
    async with SandboxWorld(
        fixture_path("futian-shangcheng"),
        tmp_path,
        db=await engine.new_target(tmp_path),
        limits=FAST,
    ) as w:
        yield w


async def until(predicate, seconds: float = 10.0):  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while loop.time() < end:
        value = await predicate()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def unit_ref(world: SandboxWorld, code: str):  # type: ignore[no-untyped-def]
    async with world.bot.db.transaction() as tx:
        return await tx.tower.ref(code)


async def order(world: SandboxWorld, text: str) -> int:
    root = world.tower.root()
    assert root.chat_id and root.commander and root.commander.telegram_id
    before = len(world.state.bot_messages(root.chat_id))
    world.state.post_message(root.chat_id, root.commander.telegram_id, f"/order 15m notice {text}")

    async def issued() -> int | None:
        if len(world.state.bot_messages(root.chat_id)) <= before:
            return None
        async with world.bot.db.transaction() as tx:
            found = await tx.orders.latest_for_unit(root.code)
        return found.id if found else None

    return await until(issued)


def leaf(world: SandboxWorld) -> tuple[Unit, Unit]:
    tower = world.tower
    unit = next(u for u in tower.walk() if not tower.children[u.code] and u.level == 3)
    assert unit.parent is not None
    return unit, tower.units[unit.parent]


async def test_removed_bot_holds_messages_and_tells_the_parent_once(world: SandboxWorld) -> None:
    unit, parent = leaf(world)
    assert unit.chat_id and parent.chat_id
    world.state.faults.remove_bot(unit.chat_id, bot_id=BOT_ID)

    async def marked() -> bool:
        ref = await unit_ref(world, unit.code)
        return bool(ref and ref.unreachable)

    await until(marked)
    order_id = await order(world, "第一次演练")
    await order(world, "第二次演练")
    await until(lambda: _true(len(world.order_copies(parent.chat_id, order_id)) == 1))
    warnings = [
        m for m in world.state.bot_messages(parent.chat_id) if "无法送达" in (m["text"] or "")
    ]
    assert len(warnings) == 1 and unit.name in warnings[0]["text"]
    assert world.order_copies(unit.chat_id, order_id) == []

    async def held() -> bool:
        async with world.bot.db.transaction() as tx:
            return (await tx.outbox.counts()).get("held", 0) >= 2

    await until(held)

    world.state.faults.clear(unit.chat_id)
    world.state.set_chat_member(unit.chat_id, BOT_ID, "member")  # added back
    await until(lambda: _true(len(world.order_copies(unit.chat_id, order_id)) == 1))
    assert not (await unit_ref(world, unit.code)).unreachable


async def test_forbidden_marks_unreachable(world: SandboxWorld) -> None:
    unit, parent = leaf(world)
    assert unit.chat_id and parent.chat_id
    world.state.faults.forbid(unit.chat_id, bot_id=BOT_ID)
    order_id = await order(world, "演练")

    async def marked() -> bool:
        ref = await unit_ref(world, unit.code)
        return bool(ref and ref.unreachable)

    await until(marked)
    await until(
        lambda: _true(
            any("无法送达" in (m["text"] or "") for m in world.state.bot_messages(parent.chat_id))
        )
    )
    assert world.order_copies(unit.chat_id, order_id) == []
    tree_msg = world.state.post_message(parent.chat_id, parent.commander.telegram_id, "/tree")
    reply = await until(
        lambda: _true(
            [
                m
                for m in world.state.bot_messages(parent.chat_id)
                if m["reply_to_message_id"] == tree_msg["message_id"]
            ]
        )
    )
    assert "⚠️" in reply[0]["text"] and unit.name in reply[0]["text"]


async def test_migration_rekeys_the_unit_and_resends(world: SandboxWorld) -> None:
    unit, _ = leaf(world)
    assert unit.chat_id
    new_id = unit.chat_id - 500_000_000
    world.state.chats[unit.chat_id].type = "group"  # only a basic group can be upgraded
    world.state.faults.migrate(unit.chat_id, new_id)
    order_id = await order(world, "升级后的群")
    await until(lambda: _true(len(world.order_copies(new_id, order_id)) == 1))
    ref = await unit_ref(world, unit.code)
    assert ref is not None and ref.chat_id == new_id


async def test_server_errors_are_retried(world: SandboxWorld) -> None:
    unit, _ = leaf(world)
    assert unit.chat_id
    world.state.faults.server_error(unit.chat_id, count=2)
    order_id = await order(world, "网络抖动")
    await until(lambda: _true(len(world.order_copies(unit.chat_id, order_id)) == 1), seconds=20)


async def test_rate_limits_are_waited_out_nothing_lost(world: SandboxWorld) -> None:
    # The bot is told it may go faster than the server allows: every 429 must be waited out.
    world.state.set_limits(SandboxLimits(per_second=200, chat_per_second=5, group_per_minute=300))
    order_id = await order(world, "限流演练")
    targets = [u for u in world.tower.walk() if u.parent is not None]
    await until(
        lambda: _true(all(len(world.order_copies(u.chat_id, order_id)) == 1 for u in targets)),
        seconds=30,
    )
    async with world.bot.db.transaction() as tx:
        counts = await tx.outbox.counts()
    assert counts.get("failed", 0) == 0


async def _true(value: object) -> object:
    return value
