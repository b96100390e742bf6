"""The seeds' 20-minute incident loop through the sandbox, with a fake clock.

A landlord reports five returnees in one message; the bot shows what it
understood (masked) and he confirms; the work-team commander gets the alert with
disposition buttons (and the full details privately), chooses central isolation
and marks it done inside 20 minutes; the landlord's group sees every stage.
Unresolved, the alert climbs one level after 20 minutes and again after 40.
No group message ever contains the name, phone or house number.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.settings import SenderLimits
from bot.world import SandboxWorld
from cascade.clock import FakeClock
from cascade.incidents import Stage
from cascade.tower import Unit
from fixtures import fixture_path
from tests.support.pgserver import Engine

FAST = SenderLimits(per_second=1000.0, chat_interval=0.0, group_per_minute=10**6)
REPORT = "/returnee 租客老李带5位家人从湖南回来，途经武汉，住溪西村12号，电话138 1234 5678"
PERSONAL = ("老李", "13812345678", "138 1234 5678", "溪西村12号")


@pytest.fixture
async def world(engine: Engine, tmp_path: Path):
    clock = FakeClock()
    async with SandboxWorld(
        fixture_path("changchun"),
        tmp_path,
        db=await engine.new_target(tmp_path),
        limits=FAST,
        clock=clock,
    ) as w:
        for unit in w.tower.walk():  # commanders have started the bot privately
            if unit.commander and unit.commander.telegram_id:
                w.state.add_chat(unit.commander.telegram_id, type="private")
        yield w


def landlord(world: SandboxWorld) -> tuple[Unit, list[Unit]]:
    tower = world.tower
    unit = next(u for u in tower.walk() if u.kind == "landlord")
    return unit, tower.chain(unit.code)


async def eventually(check, seconds: float = 10.0):  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while loop.time() < end:
        value = check()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError("not seen in time")


def with_button(world: SandboxWorld, chat_id: int, prefix: str) -> list[dict]:
    return [
        m
        for m in world.state.bot_messages(chat_id)
        if m["reply_markup"]
        and any(
            b.get("callback_data", "").startswith(prefix)
            for row in m["reply_markup"]["inline_keyboard"]
            for b in row
        )
    ]


def group_texts(world: SandboxWorld) -> list[str]:
    return [
        m["text"] or ""
        for chat_id, chat in world.state.chats.items()
        if chat.type != "private"
        for m in world.state.bot_messages(chat_id)
    ]


async def report_and_confirm(world: SandboxWorld) -> tuple[int, Unit, list[Unit]]:
    unit, chain = landlord(world)
    state = world.state
    assert unit.chat_id and unit.commander and unit.commander.telegram_id
    state.post_message(unit.chat_id, unit.commander.telegram_id, REPORT)
    draft = (await eventually(lambda: with_button(world, unit.chat_id, "inc:")))[0]
    assert "6" in draft["text"] and "湖南" in draft["text"] and "武汉" in draft["text"]
    data = next(
        b["callback_data"]
        for row in draft["reply_markup"]["inline_keyboard"]
        for b in row
        if b["callback_data"].endswith(":confirm")
    )
    state.press_button(unit.chat_id, draft["message_id"], unit.commander.telegram_id, data)
    incident_id = int(data.split(":")[1])
    return incident_id, unit, chain


async def test_report_dispose_done_inside_20_minutes(world: SandboxWorld) -> None:
    state, clock = world.state, world.clock
    assert isinstance(clock, FakeClock)
    incident_id, unit, chain = await report_and_confirm(world)
    parent = chain[1]
    assert parent.chat_id and parent.commander and parent.commander.telegram_id
    alert = (await eventually(lambda: with_button(world, parent.chat_id, f"inc:{incident_id}:")))[0]
    assert "🔴" in alert["text"]  # through 武汉 (湖北): high risk, central isolation suggested
    details = await eventually(
        lambda: [m for m in state.bot_messages(parent.commander.telegram_id) if "🔒" in m["text"]]
    )
    assert "13812345678" in details[0]["text"] and "老李" in details[0]["text"]

    clock.advance(minutes=6)
    state.press_button(
        parent.chat_id,
        alert["message_id"],
        parent.commander.telegram_id,
        f"inc:{incident_id}:central",
    )
    await eventually(
        lambda: any("集中隔离" in t for t in [m["text"] for m in state.bot_messages(unit.chat_id)])
    )
    edited = await eventually(
        lambda: [
            m
            for m in state.bot_messages(parent.chat_id)
            if m["message_id"] == alert["message_id"] and m["edit_count"] > 0
        ]
    )
    assert any(
        b["callback_data"] == f"inc:{incident_id}:done"
        for row in edited[0]["reply_markup"]["inline_keyboard"]
        for b in row
    )
    clock.advance(minutes=8)
    state.press_button(
        parent.chat_id, alert["message_id"], parent.commander.telegram_id, f"inc:{incident_id}:done"
    )
    done = await eventually(
        lambda: [m for m in state.bot_messages(unit.chat_id) if "已落实" in (m["text"] or "")]
    )
    assert "14" in done[0]["text"]
    async with world.bot.db.transaction() as tx:
        incident = await tx.incidents.get(incident_id)
    assert incident is not None and incident.stage is Stage.DONE
    assert incident.report.count == 6
    for text in group_texts(world):
        assert not any(value in text for value in PERSONAL), text


async def test_unresolved_incident_escalates_every_20_minutes(world: SandboxWorld) -> None:
    clock = world.clock
    assert isinstance(clock, FakeClock)
    incident_id, unit, chain = await report_and_confirm(world)
    await eventually(lambda: with_button(world, chain[1].chat_id, f"inc:{incident_id}:"))
    clock.advance(minutes=19)
    assert await world.bot.incidents.fire_due() == []
    clock.advance(minutes=2)
    assert len(await world.bot.incidents.fire_due()) == 1
    await eventually(lambda: with_button(world, chain[2].chat_id, f"inc:{incident_id}:"))
    clock.advance(minutes=20)
    assert len(await world.bot.incidents.fire_due()) == 1
    third = (await eventually(lambda: with_button(world, chain[3].chat_id, f"inc:{incident_id}:")))[
        0
    ]
    assert "⏫" in third["text"]
    # The level that gets it may act on it: the community commander decides and closes it.
    boss = chain[3].commander
    assert boss and boss.telegram_id
    world.state.press_button(
        chain[3].chat_id, third["message_id"], boss.telegram_id, f"inc:{incident_id}:home"
    )
    await eventually(
        lambda: any("居家观察" in (m["text"] or "") for m in world.state.bot_messages(unit.chat_id))
    )
    for text in group_texts(world):
        assert not any(value in text for value in PERSONAL), text


async def test_colours_and_daily_tally_follow_the_report(world: SandboxWorld) -> None:
    state = world.state
    incident_id, _unit, chain = await report_and_confirm(world)
    root, parent = chain[-1], chain[1]
    assert root.chat_id and root.commander and root.commander.telegram_id
    await eventually(lambda: with_button(world, parent.chat_id, f"inc:{incident_id}:"))

    async def reply_to(text: str) -> str:
        asked = state.post_message(root.chat_id, root.commander.telegram_id, text)
        found = await eventually(
            lambda: [
                m
                for m in state.bot_messages(root.chat_id)
                if m["reply_to_message_id"] == asked["message_id"]
            ]
        )
        return str(found[0]["text"] or found[0]["caption"] or "")

    assert "🔴" in await reply_to("/tree")  # an open high-risk incident below HQ
    daily = await reply_to("/daily 1")
    assert "6" in daily
    assert not any(value in daily for value in PERSONAL)
