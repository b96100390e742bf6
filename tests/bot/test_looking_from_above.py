"""`/status`, `/pending`, `/export` and `/chart` from above for an order issued below.

An HQ asking `/status 1` after a village's order was told 与「HQ」无关: a unit may
look at an order sent to it (its own part), and at one issued by itself or by any
unit below it (the whole order); a sibling is still refused naming the order.
"""

from __future__ import annotations

from aiogram.methods import SendDocument, SendPhoto

from cascade.tower import Unit
from tests.support.tgfake import (
    HQ_CHAT,
    HQ_COMMANDER,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    Harness,
    tower_units,
)

TASHAN = list(tower_units("tashan"))
TS01_CHILDREN = [u for u in TASHAN if u.parent == "ts-01"]
SIBLING = next(u for u in TASHAN if u.code == "ts-02")  # 塔山村's sibling


def chat(unit: Unit) -> int:
    assert unit.chat_id is not None
    return unit.chat_id


def commander(unit: Unit) -> int:
    assert unit.commander is not None and unit.commander.telegram_id is not None
    return unit.commander.telegram_id


async def village_order(h: Harness) -> None:
    """塔山村's count order #1, answered by its first group."""
    await h.send(TS01_CHAT, TS01_COMMANDER, "/order 15m count 统计外地人数")
    await h.drain()
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=h.copy_in(TS0101_CHAT))
    await h.drain()


async def asked(h: Harness, chat_id: int, user_id: int, command: str) -> str:
    await h.send(chat_id, user_id, command)
    await h.drain()
    return await h.last(chat_id)


async def test_hq_sees_a_village_order_whole_as_the_village_does(harness: Harness) -> None:
    h = harness
    await village_order(h)
    for command in ("/status 1", "/pending 1"):
        village = await asked(h, TS01_CHAT, TS01_COMMANDER, command)
        hq = await asked(h, HQ_CHAT, HQ_COMMANDER, command)
        assert hq == village
        assert "指令 #1" in hq and "无关" not in hq
    status = await asked(h, HQ_CHAT, HQ_COMMANDER, "/status 1")
    assert f"1/{len(TS01_CHILDREN)}" in status and "<b>5</b>" in status
    pending = await asked(h, HQ_CHAT, HQ_COMMANDER, "/pending 1")
    assert f"未完成 {len(TS01_CHILDREN) - 1} 个单元" in pending


async def test_hq_exports_and_charts_a_village_order_named_by_its_issuer(
    harness: Harness,
) -> None:
    h = harness
    await village_order(h)
    h.session.clear()
    await h.send(HQ_CHAT, HQ_COMMANDER, "/export 1")
    await h.send(HQ_CHAT, HQ_COMMANDER, "/chart 1")
    await h.drain()
    (document,) = [c for c in h.session.calls if isinstance(c, SendDocument)]
    assert document.chat_id == HQ_COMMANDER
    assert document.caption == f"📄 指令 #1 明细（塔山村范围）：{len(TS01_CHILDREN)} 个单元"
    (photo,) = [c for c in h.session.calls if isinstance(c, SendPhoto)]
    assert photo.chat_id == HQ_CHAT
    assert photo.caption is not None
    assert photo.caption.startswith("📈 指令 #1 完成曲线（塔山村范围）：完成 1/")


async def test_a_sibling_is_refused_and_the_village_groups_see_their_own_part(
    harness: Harness,
) -> None:
    h = harness
    await village_order(h)
    for command in ("/status 1", "/pending 1", "/export 1", "/chart 1"):
        line = await asked(h, chat(SIBLING), commander(SIBLING), command)
        assert line == f"指令 #1 与「{SIBLING.name}」无关。"
    own = await asked(h, TS0101_CHAT, TS0101_COMMANDER, "/status 1")
    assert "1/1" in own and f"/{len(TS01_CHILDREN)}" not in own
