"""A returnee alert's escalation past a unit without a group reaches the group above it.

In changchun a tenant group's (cc-01-01-01) grandparent is cc-01. Without a group of
its own, the 20-minute escalation to it was only a private details message to its
commander, with no buttons: nobody could act, and no group heard anything until the
next round. It now goes, with its buttons, to the nearest group above (the community),
and a press there disposes it; every group that saw it shows the final state.
"""

from __future__ import annotations

from aiogram.methods import EditMessageText, SendMessage

from tests.support.tgfake import Harness

HOUSE_CHAT, HOUSE_LANDLORD = -1002000020005, 6000020013  # cc-01-01-01, 田晓强
PARENT_CHAT = -1002000020004  # cc-01-01, the alert's first group
CC01_COMMANDER = 6000020007  # 何建军: cc-01, left without a group
CC01_CHAT = -1002000020003  # cc-01's group, when it keeps it
CC0101_COMMANDER = 6000020011  # cc-01-01's commander, when it is left without a group
COMMUNITY_CHAT, COMMUNITY_COMMANDER = -1002000020002, 6000020003  # cc-community
HQ_CHAT = -1002000020001


def alerts(h: Harness, chat_id: int) -> list[SendMessage]:
    return [c for c in h.session.sends(chat_id) if "返回人员 #" in c.text and c.reply_markup]


async def report_with_cc01_ungrouped(h: Harness) -> int:
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute("UPDATE units SET chat_id = NULL WHERE code = 'cc-01'")
    await h.send(HOUSE_CHAT, HOUSE_LANDLORD, "/returnee 租客老李带2位家人从温州回来，住25幢1号")
    await h.drain()
    confirm = await h.confirm_draft(HOUSE_CHAT, HOUSE_LANDLORD)
    return int(confirm.split(":")[1])


async def test_the_escalation_reaches_the_nearest_group_above_and_is_disposed_there(
    cc: Harness,
) -> None:
    h = cc
    incident = await report_with_cc01_ungrouped(h)
    assert len(alerts(h, PARENT_CHAT)) == 1  # the first group, with its buttons
    h.session.clear()
    h.clock.advance(minutes=20, seconds=1)
    await h.app.incidents.fire_due()
    await h.drain()
    (escalated,) = alerts(h, COMMUNITY_CHAT)
    assert escalated.text.startswith("⏫")
    assert "已20分钟未落实" in escalated.text
    assert h.session.sends(CC01_COMMANDER)  # cc-01's commander is still told privately
    community_alert = h.session.sent_messages(COMMUNITY_CHAT)[-1]
    await h.press(community_alert, COMMUNITY_COMMANDER, f"inc:{incident}:home")
    await h.press(community_alert, COMMUNITY_COMMANDER, f"inc:{incident}:done")
    await h.drain()
    last = {c.chat_id: c for c in h.session.calls if isinstance(c, EditMessageText)}
    assert set(last) >= {PARENT_CHAT, COMMUNITY_CHAT}
    for chat_id in (PARENT_CHAT, COMMUNITY_CHAT):
        final = last[chat_id]
        assert "✅ 已落实" in final.text
        assert final.reply_markup is None or final.reply_markup.inline_keyboard == []
    assert last[COMMUNITY_CHAT].text.splitlines()[0] == escalated.text.splitlines()[0]
    assert last[PARENT_CHAT].text.startswith("🚨")


async def test_the_next_round_climbs_from_where_the_alert_is(cc: Harness) -> None:
    h = cc
    await report_with_cc01_ungrouped(h)
    h.clock.advance(minutes=20, seconds=1)
    await h.app.incidents.fire_due()
    await h.drain()
    h.session.clear()
    h.clock.advance(minutes=20)
    await h.app.incidents.fire_due()
    await h.drain()
    (escalated,) = alerts(h, HQ_CHAT)
    assert "已40分钟未落实" in escalated.text
    assert not alerts(h, COMMUNITY_CHAT)


async def test_the_first_alert_passes_a_parent_without_a_group(cc: Harness) -> None:
    """At the report, a parent without a group is passed the same way: the alert with its
    buttons goes to the nearest group above at once (its commander told privately), not
    only 20 minutes later, and the next round climbs from there."""
    h = cc
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute("UPDATE units SET chat_id = NULL WHERE code = 'cc-01-01'")
    await h.send(HOUSE_CHAT, HOUSE_LANDLORD, "/returnee 租客老李带2位家人从温州回来，住25幢1号")
    await h.drain()
    await h.confirm_draft(HOUSE_CHAT, HOUSE_LANDLORD)
    (first,) = alerts(h, CC01_CHAT)
    assert first.text.startswith("🚨")
    assert h.session.sends(CC0101_COMMANDER)  # the passed parent's commander, privately
    h.session.clear()
    h.clock.advance(minutes=20, seconds=1)
    await h.app.incidents.fire_due()
    await h.drain()
    (escalated,) = alerts(h, COMMUNITY_CHAT)
    assert "已20分钟未落实" in escalated.text
    assert not alerts(h, CC01_CHAT)
