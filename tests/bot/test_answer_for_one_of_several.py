"""A person commanding several units without a group under one parent names the unit.

He sits in the parent's group for both; a bare `/report 1 3` there could be either
unit's, and it was refused with the line meant for the parent's own commander
(「塔山村」有下级单元…), which told him neither what was wrong nor how to answer.
Now that line names his units and the form that works: the unit's name before the
value, in a reply or after `/report`.
"""

from __future__ import annotations

from tests.support.tgfake import TS01_CHAT, TS0101_COMMANDER, Harness

BOTH = ("ts-01-01", "ts-01-02")


async def two_units_one_commander(h: Harness) -> None:
    """塔山村's first two groups unbound, TS0101_COMMANDER commanding both."""
    async with h.app.db.transaction() as tx:
        for code in BOTH:
            await tx.tower.conn.execute("UPDATE units SET chat_id = NULL WHERE code = ?", (code,))
        await tx.tower.conn.execute(
            "UPDATE units SET commander_id = ? WHERE code = 'ts-01-02'", (TS0101_COMMANDER,)
        )
        await tx.tower.conn.execute(
            "UPDATE members SET telegram_id = ? WHERE unit_code = 'ts-01-02'"
            " AND position = 'commander'",
            (TS0101_COMMANDER,),
        )


async def test_a_bare_value_is_refused_naming_his_units_and_the_form(issued: Harness) -> None:
    h = issued
    await two_units_one_commander(h)
    await h.send(TS01_CHAT, TS0101_COMMANDER, "/report 1 3")
    await h.drain()
    assert await h.last(TS01_CHAT) == (
        "您负责多个没有群的单元（塔山村第一村民小组、塔山村第二村民小组），"
        "这里的上报不知是哪一个的：请在数值前写上单元名，"
        "例如回复「塔山村第一村民小组 5」或发送 /report 塔山村第一村民小组 5。"
    )
    for code in BOTH:
        assert (await h.row_status(code))["value"] is None


async def test_the_refusal_in_english(issued: Harness) -> None:
    h = issued
    await two_units_one_commander(h)
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute("UPDATE units SET locale = 'en' WHERE code = 'ts-01'")
    await h.send(TS01_CHAT, TS0101_COMMANDER, "/report 1 3", language="en")
    await h.drain()
    assert await h.last(TS01_CHAT) == (
        "You answer for several units without a group of their own "
        "(塔山村第一村民小组、塔山村第二村民小组), so this answer could be any of them: "
        "write the unit's name before the value, "
        'e.g. reply "塔山村第一村民小组 5" or send /report 塔山村第一村民小组 5.'
    )


async def test_the_unit_named_before_the_value_gets_it(issued: Harness) -> None:
    h = issued
    await two_units_one_commander(h)
    await h.send(TS01_CHAT, TS0101_COMMANDER, "/report 1 塔山村第二村民小组 3")
    await h.drain()
    assert (await h.row_status("ts-01-02"))["value"] == 3
    assert (await h.row_status("ts-01-01"))["value"] is None
    await h.send(
        TS01_CHAT, TS0101_COMMANDER, "塔山村第一村民小组：4", reply_to=h.copy_in(TS01_CHAT)
    )
    await h.drain()
    assert (await h.row_status("ts-01-01"))["value"] == 4
    assert (await h.row_status("ts-01-02"))["value"] == 3
