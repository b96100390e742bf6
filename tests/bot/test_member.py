"""`/member`: guided changes with a confirmation, the tower's rules, the audit trail."""

from __future__ import annotations

from aiogram.types import Message

from tests.support.people_ids import (
    BLOCK_CHAT,
    BLOCK_COMMANDER,
    HOUSE_CHAT,
    LANDLORD,
    TEAM1_CHAT,
    TEAM1_COMMANDER,
    TEAM2_CHAT,
    TEAM2_COMMANDER,
    TENANT,
)
from tests.support.tgfake import Harness


def buttons(message: Message) -> dict[str, str]:
    assert message.reply_markup is not None
    return {
        b.text: b.callback_data or "" for row in message.reply_markup.inline_keyboard for b in row
    }


async def confirm(h: Harness, chat: int, user: int, text: str) -> str:
    """Send a /member change, check its preview, press ✅; returns the preview's text."""
    await h.send(chat, user, text)
    await h.drain()
    preview = h.prompt_in(chat)
    assert preview.text is not None and preview.text.startswith("请确认：")
    await h.press(preview, user, buttons(preview)["✅ 确认"])
    await h.drain()
    return preview.text


async def roll(h: Harness, code: str) -> list[tuple[str, list[str], str | None]]:
    async with h.app.db.transaction() as tx:
        return [
            (s.name, [r.value for r in s.roles], s.phone) for s in await tx.people.seats_in(code)
        ]


async def test_add_a_tenant_with_roles_and_phone_after_confirmation(cc: Harness) -> None:
    preview = await confirm(
        cc, BLOCK_CHAT, BLOCK_COMMANDER, "/member add cc-01-01-01 张三 健康员 138 1234 5678"
    )
    assert preview == (
        "请确认：添加成员\n单元：25幢1号租客群\n改前：—\n"
        "改后：张三（成员，角色：健康员，电话 138****5678）"
    )
    assert await cc.last(BLOCK_CHAT) == "✅ 已完成：添加成员 — 25幢1号租客群 张三（已记录）"
    assert ("张三", ["health"], "13812345678") in await roll(cc, "cc-01-01-01")
    # The unit's document follows, so the tower as stored is the tower as edited.
    async with cc.app.db.transaction() as tx:
        unit = await tx.tower.unit("cc-01-01-01")
    assert unit is not None and unit.members[-1].name == "张三"


async def test_change_roles_and_remove_with_an_audit_trail(cc: Harness) -> None:
    await confirm(cc, TEAM1_CHAT, TEAM1_COMMANDER, "/member roles cc-01-01-01 刘美凤 健康员,巡查员")
    await confirm(cc, HOUSE_CHAT, LANDLORD, "/member remove 夏雪珍")
    names = [r[0] for r in await roll(cc, "cc-01-01-01")]
    assert "夏雪珍" not in names
    assert ("刘美凤", ["health", "patroller"], "13900020014") in await roll(cc, "cc-01-01-01")
    await cc.send(TEAM1_CHAT, TEAM1_COMMANDER, "/member log")
    await cc.drain()
    log = (await cc.last(TEAM1_CHAT)).splitlines()
    assert (
        log[0] == "📝 <b>长春社区第一作战小组(汽配专业街)</b> 及下级单元的成员变更（最近 2 条）："
    )
    assert "「25幢1号租客群」移除成员：夏雪珍（成员，角色：无，电话 139****0015） → —" in log[1]
    assert f"tg://user?id={LANDLORD}" in log[1]
    assert (
        "修改角色：刘美凤（成员，角色：无，电话 139****0014） → 刘美凤（成员，角色：健康员、巡查员"
        in log[2]
    )


async def test_who_may_change_members(cc: Harness) -> None:
    await cc.send(HOUSE_CHAT, TENANT, "/member add 张三")
    await cc.send(TEAM2_CHAT, TEAM2_COMMANDER, "/member add cc-01-01-01 张三")
    await cc.drain()
    assert await cc.last(HOUSE_CHAT) == (
        "只有「25幢1号租客群」或其上级单元的指挥长、副指挥长可以修改成员。"
    )
    assert await cc.last(TEAM2_CHAT) == await cc.last(HOUSE_CHAT)
    # Only the one who asked can confirm.
    await cc.send(HOUSE_CHAT, LANDLORD, "/member add 张三")
    await cc.drain()
    preview = cc.prompt_in(HOUSE_CHAT)
    await cc.press(preview, TENANT, buttons(preview)["✅ 确认"])
    await cc.press(preview, LANDLORD, buttons(preview)["✖ 取消"])
    await cc.drain()
    alert = cc.session.answers()[0]
    assert alert.text == "只有发起修改的人可以确认或取消。"
    assert await cc.last(HOUSE_CHAT) == "已取消，成员未改动。"
    assert "张三" not in [r[0] for r in await roll(cc, "cc-01-01-01")]


async def test_the_level_3_cap_and_the_child_commander_rule(cc: Harness) -> None:
    cc.app.members.policy.cap = 5  # configurable; cc-01-01 holds 戴荣林, 王晓福 and 3 landlords
    await cc.send(BLOCK_CHAT, BLOCK_COMMANDER, "/member add 李四")
    await cc.send(BLOCK_CHAT, BLOCK_COMMANDER, "/member remove 戴荣林")
    await cc.drain()
    cap, commander = (await cc.said(BLOCK_CHAT))[-2:]
    assert cap == (
        "「第一作战小组汽配街25-27幢房东群」是3级单元，最多 5 人，现有 5 人，不能再添加。"
        "请拆分单元或先移除成员。"
    )
    assert commander.startswith("戴荣林 是「第一作战小组汽配街25-27幢房东群」的指挥长，不能移除")
    # The landlord listed in the block by hand cannot be removed from it.
    cc.app.members.policy.cap = 30
    said = await cc.send(BLOCK_CHAT, LANDLORD, "收到")
    await cc.send(BLOCK_CHAT, BLOCK_COMMANDER, "/member add 田晓强", reply_to=said)
    await cc.drain()
    preview = cc.prompt_in(BLOCK_CHAT)
    await cc.press(preview, BLOCK_COMMANDER, buttons(preview)["✅ 确认"])
    await cc.send(BLOCK_CHAT, BLOCK_COMMANDER, "/member remove 田晓强")
    await cc.drain()
    assert await cc.last(BLOCK_CHAT) == (
        "田晓强 是下级单元「25幢1号租客群」的指挥长；按塔群规则，下级指挥长必须是"
        "「第一作战小组汽配街25-27幢房东群」的成员，不能移除。"
    )


async def test_usage_roll_and_bad_input(cc: Harness) -> None:
    await cc.send(HOUSE_CHAT, LANDLORD, "/member")
    await cc.send(HOUSE_CHAT, LANDLORD, "/member list")
    await cc.send(HOUSE_CHAT, LANDLORD, "/member roles 刘美凤 厨师")
    await cc.send(HOUSE_CHAT, LANDLORD, "/member roles 刘美凤")
    await cc.send(HOUSE_CHAT, LANDLORD, "/member remove 不存在")
    await cc.drain()
    usage, listing, bad, missing, unknown = await cc.said(HOUSE_CHAT)
    assert usage.startswith("<b>成员与角色</b>")
    assert listing.splitlines()[0] == "👥 <b>25幢1号租客群</b> 成员（4 人）："
    assert "• 田晓强（指挥长） 📞139****0013" in listing
    assert bad == "看不懂这条命令。厨师"
    assert missing.startswith("请写上角色：")
    assert unknown == "「25幢1号租客群」没有叫「不存在」的人员。"
