"""A corrected value after the groups above were told a total is told to them too.

塔山村 finished and its group read 🎉 "…合计 N", HQ's group ☑️ "「塔山村」…合计 N";
then one of its units corrected its value. Only the boards moved: the people who
read "合计 N" were never told the number they hold is wrong. Each such group now
gets one line, old → new, naming the unit that corrected it; a value sent again
unchanged sends nothing.
"""

from __future__ import annotations

from tests.support.tgfake import HQ_CHAT, TS01_CHAT, TS01_COMMANDER, Harness


async def village_done(h: Harness, locale: str = "zh-Hans") -> list[tuple[int, int]]:
    """Every unit of 塔山村 answers 1 and 塔山村 presses 收到; its units' (chat, commander)."""
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute("UPDATE units SET locale = ? WHERE level <= 2", (locale,))
        village = [(u.chat_id, u.commander_id) for u in (await tx.tower.subtree("ts-01"))[1:]]
    await h.press(h.copy_in(TS01_CHAT), TS01_COMMANDER, "ack:1")
    for chat, commander in village:
        assert chat is not None and commander is not None
        await h.send(chat, commander, "1", reply_to=h.copy_in(chat))
    await h.drain()
    assert (await h.row_status("ts-01"))["done_at"] is not None
    return [(c, p) for c, p in village if c is not None and p is not None]


async def test_both_groups_told_the_new_total_once(issued: Harness) -> None:
    h = issued
    village = await village_done(h)
    n = len(village)
    assert f"合计 <b>{n}</b>" in await h.last(TS01_CHAT)
    chat, commander = village[0]
    async with h.app.db.transaction() as tx:
        name = (await tx.tower.by_chat(chat)).name  # type: ignore[union-attr]
    h.session.clear()
    await h.send(chat, commander, "3", reply_to=h.copy_in(chat))
    await h.drain()
    assert await h.last(TS01_CHAT) == (
        f"✏️ 指令 #1：本单元合计更正：{n} → <b>{n + 2}</b>（「{name}」更正）"
    )
    assert await h.last(HQ_CHAT) == (
        f"✏️ 指令 #1：「塔山村」合计更正：{n} → <b>{n + 2}</b>（「{name}」更正）"
    )
    await h.send(chat, commander, "3", reply_to=h.copy_in(chat))  # the same again
    await h.drain()
    for group in (TS01_CHAT, HQ_CHAT):
        assert len([t for t in await h.said(group) if "合计更正" in t]) == 1


async def test_corrections_still_queued_are_one_line(issued: Harness) -> None:
    h = issued
    village = await village_done(h)
    n = len(village)
    (chat, commander), (other, its_commander) = village[0], village[1]
    h.session.clear()
    await h.send(chat, commander, "3", reply_to=h.copy_in(chat))
    await h.send(other, its_commander, "4", reply_to=h.copy_in(other))
    await h.drain()
    fixed = [t for t in await h.said(HQ_CHAT) if "合计更正" in t]
    assert len(fixed) == 1 and f"{n} → <b>{n + 5}</b>" in fixed[0]


async def test_a_correction_undone_before_it_went_says_nothing(issued: Harness) -> None:
    h = issued
    village = await village_done(h)
    chat, commander = village[0]
    h.session.clear()
    await h.send(chat, commander, "3", reply_to=h.copy_in(chat))
    await h.send(chat, commander, "1", reply_to=h.copy_in(chat))
    await h.drain()
    for group in (TS01_CHAT, HQ_CHAT):
        assert not [t for t in await h.said(group) if "合计更正" in t]


async def test_in_english(issued: Harness) -> None:
    h = issued
    village = await village_done(h, "en")
    n = len(village)
    chat, commander = village[0]
    await h.send(chat, commander, "2", reply_to=h.copy_in(chat))
    await h.drain()
    assert (await h.last(TS01_CHAT)).startswith(
        f"✏️ Order #1: this unit's total corrected: {n} → <b>{n + 1}</b> (corrected by "
    )
    assert (await h.last(HQ_CHAT)).startswith(
        f'✏️ Order #1: "塔山村" total corrected: {n} → <b>{n + 1}</b> (corrected by '
    )
