"""The 15-minute clock with a fake clock, through the sandbox over real HTTP.

Reminder at two thirds of the time in the groups still pending (none in units
that are done), escalation at the deadline into each parent group (one message
per group), the interim report to the issuer, later rounds one level higher —
and a restart in the middle: nothing doubled, nothing skipped, late ones marked.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.settings import SenderLimits
from bot.world import SandboxWorld
from cascade.clock import FakeClock
from cascade.tower import Tower, Unit
from fixtures import fixture_path
from tests.support.pgserver import Engine

FAST = SenderLimits(per_second=1000.0, chat_interval=0.0, group_per_minute=10**6)
START = datetime(2020, 2, 20, 0, 0, tzinfo=UTC)


@pytest.fixture
async def world(engine: Engine, tmp_path: Path):
    clock = FakeClock(START)
    async with SandboxWorld(
        fixture_path("changchun"),
        tmp_path,
        db=await engine.new_target(tmp_path),
        limits=FAST,
        clock=clock,
    ) as w:
        yield w


async def settle(world: SandboxWorld) -> None:
    """Wait until the sender has sent everything queued (and recorded it as sent)."""
    for _ in range(400):
        async with world.bot.db.transaction() as tx:
            counts = await tx.outbox.counts()
        if counts.get("pending", 0) + counts.get("sending", 0) == 0:
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"outbox not drained: {counts}")


async def issued(world: SandboxWorld, code: str) -> int:
    """The id of the newest order of `code`, once the bot has taken it in."""
    for _ in range(400):
        async with world.bot.db.transaction() as tx:
            order = await tx.orders.latest_for_unit(code)
        if order is not None:
            await settle(world)
            return order.id
        await asyncio.sleep(0.025)
    raise AssertionError("the order was not issued")


async def sent(world: SandboxWorld, order_id: int, purpose: str) -> list[tuple[int, int]]:
    async with world.bot.db.transaction() as tx:
        return await tx.refs.sent(order_id, purpose)


def ancestors(tower: Tower, unit: Unit) -> list[Unit]:
    return tower.chain(unit.code)[1:]


async def start_order(world: SandboxWorld) -> tuple[int, set[str]]:
    """Issue a count order; every unit answers except three landlords far apart."""
    tower, state = world.tower, world.state
    root = tower.root()
    assert root.chat_id and root.commander and root.commander.telegram_id
    state.post_message(root.chat_id, root.commander.telegram_id, "/order 15m count 统计返回人数")
    order_id = await issued(world, root.code)
    landlords = [u for u in tower.walk() if not tower.children[u.code]]
    silent = {landlords[0].code, landlords[len(landlords) // 2].code, landlords[-1].code}
    for unit in tower.walk():
        if unit.code == root.code or unit.code in silent:
            continue
        assert unit.chat_id and unit.commander and unit.commander.telegram_id
        copy = world.order_copies(unit.chat_id, order_id)[0]
        who = unit.commander.telegram_id
        state.press_button(unit.chat_id, copy["message_id"], who, f"ack:{order_id}")
        if not tower.children[unit.code]:
            state.post_message(unit.chat_id, who, "3", reply_to_message_id=copy["message_id"])
    pending = set(silent)
    for code in silent:
        pending |= {u.code for u in ancestors(tower, tower.units[code]) if u.code != root.code}
    for _ in range(200):
        _, report = await world.bot.queries.status(order_id, root.chat_id)
        if report.done == report.total - len(pending):
            break
        await asyncio.sleep(0.05)
    assert report.done == report.total - len(pending)
    await settle(world)
    return order_id, pending


def expected_groups(tower: Tower, pending: set[str], round_: int) -> set[int]:
    """Chats told in escalation round r: the ancestor r+1 levels up, up to the issuer."""
    chats = set()
    for code in pending:
        chain = tower.chain(code)
        if round_ + 1 < len(chain):
            chat = chain[round_ + 1].chat_id
            assert chat is not None
            chats.add(chat)
    return chats


async def test_reminder_escalation_and_restart(world: SandboxWorld) -> None:
    tower = world.tower
    clock = world.clock
    assert isinstance(clock, FakeClock)
    root = tower.root()
    order_id, pending = await start_order(world)
    pending_chats = {tower.units[c].chat_id for c in pending}

    clock.advance(minutes=9)
    assert await world.bot.deadlines.fire_due() == []
    clock.advance(minutes=1, seconds=1)  # two thirds of 15 minutes
    await world.bot.deadlines.fire_due()
    await settle(world)
    reminders = await sent(world, order_id, "reminder")
    # Only where an answer is missing: the silent landlords, not their ancestors,
    # whose commanders pressed 收到 and are pending only because of them.
    silent_chats = {tower.units[c].chat_id for c in pending if not tower.children[c]}
    assert silent_chats < pending_chats
    assert Counter(chat for chat, _ in reminders) == Counter(silent_chats)
    text = world.state.message(*reminders[0])["text"]
    assert "⏰" in text and f"#{order_id}" in text

    await world.restart_bot()  # a new process on the same database file
    await world.bot.deadlines.fire_due()
    await settle(world)
    assert len(await sent(world, order_id, "reminder")) == len(reminders)

    clock.advance(minutes=5)  # the deadline: round 0
    await world.bot.deadlines.fire_due()
    await settle(world)
    round0 = await sent(world, order_id, "escalation")
    assert Counter(chat for chat, _ in round0) == Counter(expected_groups(tower, pending, 0))
    for chat, message_id in round0:
        text = world.state.message(chat, message_id)["text"]
        named = [
            c
            for c in pending
            if tower.units[c].parent and tower.units[tower.units[c].parent].chat_id == chat
        ]
        assert all(tower.units[c].name in text for c in named)
        assert "补发" not in text
    interim = await sent(world, order_id, "interim_report")
    assert [chat for chat, _ in interim] == [root.chat_id]

    # The bot is down while rounds 1 and 2 fall due; at start they go out once, marked late.
    await world.bot.stop()
    clock.advance(minutes=11)
    await world.restart_bot()
    await world.bot.deadlines.fire_due()
    await settle(world)
    rounds = await sent(world, order_id, "escalation")
    later = sorted(set(rounds) - set(round0))
    expected = Counter(expected_groups(tower, pending, 1)) + Counter(
        expected_groups(tower, pending, 2)
    )
    assert Counter(chat for chat, _ in later) == expected
    assert all("补发" in world.state.message(c, m)["text"] for c, m in later)

    await world.bot.deadlines.fire_due()  # nothing is fired twice
    await settle(world)
    assert len(await sent(world, order_id, "escalation")) == len(rounds)


async def test_no_reminder_or_escalation_when_all_done(world: SandboxWorld) -> None:
    tower, state = world.tower, world.state
    root = tower.root()
    assert root.chat_id and root.commander and root.commander.telegram_id
    state.post_message(root.chat_id, root.commander.telegram_id, "/order 15m notice 全员到岗")
    order_id = await issued(world, root.code)
    for unit in tower.walk():
        if unit.code == root.code:
            continue
        copy = world.order_copies(unit.chat_id or 0, order_id)[0]
        state.press_button(
            unit.chat_id, copy["message_id"], unit.commander.telegram_id, f"ack:{order_id}"
        )
    for _ in range(200):
        _, report = await world.bot.queries.status(order_id, root.chat_id)
        if report.done == report.total:
            break
        await asyncio.sleep(0.05)
    world.clock.advance(minutes=30)
    await world.bot.deadlines.fire_due()
    await settle(world)
    assert await sent(world, order_id, "reminder") == []
    assert await sent(world, order_id, "escalation") == []
    assert await sent(world, order_id, "interim_report") == []
    assert len(await sent(world, order_id, "final_report")) == 1
