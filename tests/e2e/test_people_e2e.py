"""The card and the map of a person in the changchun tower, through the sandbox.

A tenant's landlord asks for her card in the landlord + tenants group (phone
masked) and the work-team commander privately (phone whole); the landlord shows
his identity, duties and map with /whoami, as text and as a PNG picture.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.settings import SenderLimits
from bot.world import SandboxWorld
from cascade.clock import FakeClock
from fixtures import fixture_path
from tests.support.pgserver import Engine

FAST = SenderLimits(per_second=1000.0, chat_interval=0.0, group_per_minute=10**6)
HOUSE_CHAT, LANDLORD, TENANT = -1002000020005, 6000020013, 6000020014
TEAM1_COMMANDER = 6000020007


@pytest.fixture
async def world(engine: Engine, tmp_path: Path) -> AsyncIterator[SandboxWorld]:
    async with SandboxWorld(
        fixture_path("changchun"),
        tmp_path,
        db=await engine.new_target(tmp_path),
        limits=FAST,
        clock=FakeClock(),
    ) as w:
        for person in (LANDLORD, TEAM1_COMMANDER):
            w.state.add_chat(person, type="private")
        yield w


async def eventually(world: SandboxWorld, chat_id: int, check: Any) -> list[dict[str, Any]]:
    loop = asyncio.get_running_loop()
    end = loop.time() + 15.0
    while loop.time() < end:
        found = [m for m in world.state.bot_messages(chat_id) if check(m)]
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"not seen in {chat_id}")


async def test_card_of_a_tenant_masked_in_the_group_whole_in_private(world: SandboxWorld) -> None:
    state = world.state
    state.post_message(HOUSE_CHAT, LANDLORD, "/card 刘美凤")
    state.post_message(TEAM1_COMMANDER, TEAM1_COMMANDER, "/card 刘美凤")
    (group,) = await eventually(world, HOUSE_CHAT, lambda m: "🪪" in (m["text"] or ""))
    (private,) = await eventually(world, TEAM1_COMMANDER, lambda m: "🪪" in (m["text"] or ""))
    assert "刘美凤" in group["text"] and "25幢1号租客群" in group["text"]
    assert "139****0014" in group["text"] and "13900020014" not in group["text"]
    assert "13900020014" in private["text"]
    # Bold name as a real entity, UTF-16 offsets computed by the sandbox from the HTML.
    assert any(e["type"] == "bold" for e in group["entities"])


async def test_whoami_shows_identity_duties_and_the_map_as_text_and_png(
    world: SandboxWorld,
) -> None:
    world.state.post_message(LANDLORD, LANDLORD, "/whoami")
    (text,) = await eventually(world, LANDLORD, lambda m: "亮身份" in (m["text"] or ""))
    lines = text["text"].splitlines()
    assert "• 25幢1号租客群（4级，指挥长）角色：无" in lines
    assert any(line.startswith("• 指挥长：") for line in lines)
    assert (
        "指挥链：福田街道长春片作战指挥部 → 长春社区 → 长春社区第一作战小组(汽配专业街) → "
        "第一作战小组汽配街25-27幢房东群 → 25幢1号租客群"
    ) in lines
    (picture,) = await eventually(world, LANDLORD, lambda m: m["photo"] is not None)
    assert picture["caption"] == "🗺 田晓强 在塔群中的位置"
    stored = next(iter(f for f in world.state.files.values() if f.kind == "photo"))
    assert stored.width > 0 and stored.height > stored.width // 4


async def test_a_health_order_answered_by_the_health_officers_through_the_sandbox(
    world: SandboxWorld,
) -> None:
    state = world.state
    hq_chat, hq_commander = -1002000020001, 6000020001
    teams = {-1002000020003: 6000020009, -1002000020015: 6000020055, -1002000020023: 6000020081}
    state.post_message(hq_chat, hq_commander, "/order 20m count @health 统计体温异常人数")
    await eventually(world, hq_chat, lambda m: "由健康员回复，共 3 人" in (m["text"] or ""))
    for chat, officer in teams.items():
        (copy,) = await eventually(world, chat, lambda m: "统计体温异常人数" in (m["text"] or ""))
        state.post_message(chat, officer, "2", reply_to_message_id=copy["message_id"])
    # Only the three teams got the order: not the community, no landlord groups.
    for quiet in (-1002000020002, -1002000020004, HOUSE_CHAT):
        assert not [m for m in state.bot_messages(quiet) if "统计体温异常人数" in (m["text"] or "")]
    (final,) = await eventually(world, hq_chat, lambda m: "总结报告" in (m["text"] or ""))
    assert "完成 3/3（100%）· 准确率 3/3" in final["text"]
    assert "合计数字：6（各级汇总一致）" in final["text"]
