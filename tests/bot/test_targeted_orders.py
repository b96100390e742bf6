"""Targeted orders: filters pick the units, role holders answer, every view counts only them."""

from __future__ import annotations

from tests.support.people_ids import (
    COMMUNITY_CHAT,
    HEALTH1,
    HEALTH2,
    HEALTH3,
    HQ_CHAT,
    HQ_COMMANDER,
    TEAM1_CHAT,
    TEAM1_COMMANDER,
    TEAM2_CHAT,
    TEAM3_CHAT,
)
from tests.support.tgfake import Harness


def copies_to(h: Harness) -> set[int]:
    return {int(c.chat_id) for c in h.session.copies()}


async def test_a_role_order_goes_to_units_with_that_role_and_its_holders_answer(
    cc: Harness,
) -> None:
    h = cc
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 20m count @health 统计体温异常人数")
    await h.drain()
    issued = await h.last(HQ_CHAT)
    assert "发往 3 个单元" in issued
    assert "🎯 范围：@health，由健康员回复，共 3 人" in issued
    assert copies_to(h) == {TEAM1_CHAT, TEAM2_CHAT, TEAM3_CHAT}  # not the community, no blocks
    copy = h.copy_in(TEAM1_CHAT)
    assert copy.text is not None and "请本单元健康员代表本单元点「收到」和上报" in copy.text

    await h.send(TEAM1_CHAT, TEAM1_COMMANDER, "5", reply_to=copy)
    await h.drain()
    assert (
        await h.last(TEAM1_CHAT)
        == "本指令由「长春社区第一作战小组(汽配专业街)」的 @health 代表本单元回复。"
    )
    for chat, officer, value in ((TEAM1_CHAT, HEALTH1, "2"), (TEAM2_CHAT, HEALTH2, "零")):
        await h.send(chat, officer, value, reply_to=h.copy_in(chat))
    await h.send(HQ_CHAT, HQ_COMMANDER, "/status")
    await h.drain()
    status = await h.last(HQ_CHAT)
    assert "完成 2/3" in status and "<b>2</b>" in status
    await h.send(TEAM3_CHAT, HEALTH3, "4", reply_to=h.copy_in(TEAM3_CHAT))
    await h.drain()
    final = [t for t in await h.said(HQ_CHAT) if "最终" in t or "100%" in t]
    assert final and "6" in final[-1]
    async with h.app.db.transaction() as tx:
        states = await tx.orders.targets(1)
    assert {s.unit_code for s in states} == {"changchun", "cc-01", "cc-02", "cc-03"}
    assert next(s for s in states if s.is_root).subtotal == 6


async def test_a_level_filter_counts_only_those_units_in_every_view(cc: Harness) -> None:
    h = cc
    await h.send(TEAM1_CHAT, TEAM1_COMMANDER, "/order L4 检查公共区域消毒")
    await h.drain()
    assert "发往 8 个单元：4级 8 个" in await h.last(TEAM1_CHAT)
    houses = {-1002000020005 - i for i in range(3)}
    assert houses <= copies_to(h) and len(copies_to(h)) == 8
    assert -1002000020004 not in copies_to(h)  # the block between is not targeted
    for chat in sorted(houses):
        copy = h.copy_in(chat)
        assert copy.reply_markup is not None
        landlord = {-1002000020005: 6000020013, -1002000020006: 6000020017}.get(chat, 6000020022)
        await h.press(copy, landlord, copy.reply_markup.inline_keyboard[0][0].callback_data or "")
    await h.send(TEAM1_CHAT, TEAM1_COMMANDER, "/status")
    await h.send(TEAM1_CHAT, TEAM1_COMMANDER, "/pending")
    await h.drain()
    status, pending = (await h.said(TEAM1_CHAT))[-2:]
    assert "完成 3/8" in status
    assert pending.startswith("⏳ 指令 #1 未完成 5 个单元：")
    assert "房东群" not in pending  # the untargeted blocks are not counted as pending
    # The counters boards and reports read: the root's subtree and the levels hold 8.
    async with h.app.db.transaction() as tx:
        assert await tx.orders.levels(1) == {4: (3, 8)}
        (root,) = [s for s in await tx.orders.targets(1) if s.is_root]
    assert (root.sub_total, root.children_total) == (8, 8)


async def test_bad_and_empty_filters_are_refused(cc: Harness) -> None:
    h = cc
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order @厨师 做饭")
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order #shop_row 统计")
    await h.send(COMMUNITY_CHAT, 6000020003, "/order L1 开会")
    await h.drain()
    bad, none = (await h.said(HQ_CHAT))[-2:]
    assert bad.startswith("「@厨师」不是有效的范围。")
    assert none == "「福田街道长春片作战指挥部」下没有符合「#shop_row」的单元，指令未下达。"
    assert (await h.last(COMMUNITY_CHAT)).startswith("「长春社区」下没有符合「L1」")
    assert h.session.copies() == []


async def test_the_guided_form_takes_the_same_filters_and_previews_units_and_people(
    cc: Harness,
) -> None:
    from bot.callbacks import FormCallback

    def data(step: str, value: str) -> str:
        return FormCallback(step=step, value=value).pack()

    h = cc
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order")
    await h.drain()
    prompt = h.prompt_in(HQ_CHAT)
    assert prompt.text is not None and "@健康员" in prompt.text
    await h.send(HQ_CHAT, HQ_COMMANDER, "@health 统计体温异常人数", reply_to=prompt)
    await h.drain()
    await h.press(h.prompt_in(HQ_CHAT), HQ_COMMANDER, data("kind", "count"))
    await h.drain()
    await h.press(h.prompt_in(HQ_CHAT), HQ_COMMANDER, data("duration", "20m"))
    await h.drain()
    preview = h.prompt_in(HQ_CHAT)
    assert preview.text is not None
    assert "将发往 3 个单元：2级 3 个" in preview.text
    assert "范围：@health（健康员 3 人回复）" in preview.text
    await h.press(preview, HQ_COMMANDER, data("confirm", "-"))
    await h.drain()
    assert copies_to(h) == {TEAM1_CHAT, TEAM2_CHAT, TEAM3_CHAT}


async def test_reminders_and_pending_chase_the_role_holders(cc: Harness) -> None:
    h = cc
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m count @health 统计体温异常人数")
    await h.drain()
    h.clock.advance(minutes=10, seconds=1)
    await h.app.deadlines.fire_due()
    await h.send(HQ_CHAT, HQ_COMMANDER, "/pending")
    await h.drain()
    reminder = await h.last(TEAM1_CHAT)
    assert reminder.startswith("⏰") and f"tg://user?id={HEALTH1}" in reminder
    assert f"tg://user?id={TEAM1_COMMANDER}" not in reminder
    pending = await h.last(HQ_CHAT)
    assert pending.startswith("⏳ 指令 #1 未完成 3 个单元：")
    assert all(f"tg://user?id={who}" in pending for who in (HEALTH1, HEALTH2, HEALTH3))


async def test_a_role_holders_answer_drops_the_reminder_queued_for_the_unit(cc: Harness) -> None:
    h = cc
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m count @health 统计体温异常人数")
    await h.drain()
    h.session.clear()
    h.clock.advance(minutes=10, seconds=1)
    await h.app.deadlines.fire_due()  # queued for the three units, not sent yet
    await h.send(TEAM1_CHAT, HEALTH1, "2", reply_to=h.copy_in(TEAM1_CHAT))
    await h.drain()
    reminded = {int(c.chat_id) for c in h.session.sends() if c.text.startswith("⏰")}
    assert reminded == {TEAM2_CHAT, TEAM3_CHAT}  # team 1's answer is in: never chased
