"""A unit without a group of its own answers in the group of the unit above it.

Its commander sits in the parent's group, and the reminders send people to him
("it has no group the bot can remind it in, please contact …"); but his `/report 1 3`
there was refused as the parent's answer (「塔山村」有下级单元…), so the unit stayed
pending until the end and the order never reached 100 %.
"""

from __future__ import annotations

from tests.support.tgfake import (
    HQ_CHAT,
    HQ_COMMANDER,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_COMMANDER,
    Harness,
)


async def unbind_first_group(h: Harness) -> None:
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute("UPDATE units SET chat_id = NULL WHERE code = 'ts-01-01'")


async def test_the_commander_of_a_unit_without_a_group_reports_in_the_group_above(
    issued: Harness,
) -> None:
    h = issued
    await unbind_first_group(h)
    await h.send(TS01_CHAT, TS0101_COMMANDER, "/report 1 3")
    await h.drain()
    assert (await h.row_status("ts-01-01"))["value"] == 3
    await h.send(TS01_CHAT, TS0101_COMMANDER, "4", reply_to=h.copy_in(TS01_CHAT))
    await h.drain()
    assert (await h.row_status("ts-01-01"))["value"] == 4
    assert await h.last(TS01_CHAT) == "✅ 已记录「塔山村第一村民小组」上报：4（已更正，以本次为准）"


async def test_the_parents_own_commander_still_answers_for_the_parent(issued: Harness) -> None:
    h = issued
    await unbind_first_group(h)
    await h.send(TS01_CHAT, TS01_COMMANDER, "/report 1 3")
    await h.drain()
    assert (await h.last(TS01_CHAT)).startswith("「塔山村」有下级单元")
    assert (await h.row_status("ts-01-01"))["value"] is None


async def test_a_middle_unit_without_a_group_says_received_in_the_group_above(
    harness: Harness,
) -> None:
    """塔山村 has no group and sits right below HQ, whose own group has no copy of HQ's
    order to press: its commander's "/report 收到" there is its 收到, and once its units
    have answered it is done."""
    h = harness
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute("UPDATE units SET chat_id = NULL WHERE code = 'ts-01'")
        village = (await tx.tower.subtree("ts-01"))[1:]
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m count 统计外地人数")
    await h.drain()
    await h.send(HQ_CHAT, TS01_COMMANDER, "/report 收到")
    await h.drain()
    assert (await h.row_status("ts-01"))["acked_at"] is not None
    for unit in village:
        assert unit.chat_id is not None and unit.commander_id is not None
        await h.send(unit.chat_id, unit.commander_id, "1", reply_to=h.copy_in(unit.chat_id))
    await h.drain()
    assert (await h.row_status("ts-01"))["done_at"] is not None


async def test_his_press_of_the_copy_above_is_his_units_received(issued: Harness) -> None:
    h = issued
    await unbind_first_group(h)
    await h.press(h.copy_in(TS01_CHAT), TS0101_COMMANDER, "ack:1")
    await h.drain()
    assert (await h.row_status("ts-01-01"))["acked_at"] is not None
    assert (await h.row_status("ts-01"))["acked_at"] is None  # the village's own press is due


async def test_his_answers_line_is_in_the_language_of_the_group_it_is_said_in(
    issued: Harness,
) -> None:
    """The group above reads the line: its language, not the groupless unit's."""
    h = issued
    await unbind_first_group(h)
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute("UPDATE units SET locale = 'en' WHERE code = 'ts-01-01'")
    await h.send(TS01_CHAT, TS0101_COMMANDER, "/report 1 3")
    await h.send(TS01_CHAT, TS0101_COMMANDER, "4", reply_to=h.copy_in(TS01_CHAT))
    await h.drain()
    assert (await h.row_status("ts-01-01"))["value"] == 4
    assert await h.last(TS01_CHAT) == "✅ 已记录「塔山村第一村民小组」上报：4（已更正，以本次为准）"
