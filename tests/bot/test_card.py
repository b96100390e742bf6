"""One person, one card: who may see it, and who sees the phone whole."""

from __future__ import annotations

from cascade.incidents import Disposition
from tests.support.people_ids import (
    HOUSE2_CHAT,
    HOUSE_CHAT,
    LANDLORD,
    OTHER_TENANT,
    TEAM1_COMMANDER,
    TEAM1_PATROLLER,
    TENANT,
)
from tests.support.tgfake import Harness

FULL, MASKED = "13900020014", "139****0014"


async def test_a_commander_up_the_chain_sees_the_phone_only_in_private(cc: Harness) -> None:
    await cc.private(TEAM1_COMMANDER, "/card 刘美凤")
    await cc.send(HOUSE_CHAT, LANDLORD, "/card 刘美凤")
    await cc.drain()
    card = await cc.last(TEAM1_COMMANDER)
    assert card.startswith("🪪 <b>刘美凤</b>\n• 25幢1号租客群（4级，成员）角色：无")
    assert "指挥链：福田街道长春片作战指挥部 → 长春社区 → " in card
    assert f"📞 电话：{FULL}" in card and MASKED not in card
    assert "状态：正常" in card and "最近回复：无" in card and "相关上报：无" in card
    in_group = await cc.last(HOUSE_CHAT)
    assert MASKED in in_group and FULL not in in_group


async def test_nobody_outside_the_chain_sees_the_whole_phone(cc: Harness) -> None:
    await cc.send(HOUSE_CHAT, TENANT, "/card 田晓强")  # a tenant looks up his landlord
    await cc.private(TENANT, "/card 夏雪珍")  # and a fellow tenant, privately
    await cc.private(TEAM1_PATROLLER, "/card 刘美凤")  # a plain member of the level-2 unit
    await cc.send(HOUSE2_CHAT, OTHER_TENANT, "/card 刘美凤")  # a tenant of another house
    await cc.drain()
    landlord = await cc.last(HOUSE_CHAT)
    assert "🪪 <b>田晓强</b>" in landlord and "139****0013" in landlord
    assert "房东积分（2020-02）：<b>12</b> 分" in landlord
    fellow = await cc.last(TENANT)
    assert "139****0015" in fellow and "13900020015" not in fellow
    refused = "不在您的指挥链内"
    assert refused in await cc.last(TEAM1_PATROLLER)
    assert refused in await cc.last(HOUSE2_CHAT)


async def test_a_card_by_reply_and_ones_own_card(cc: Harness) -> None:
    said = await cc.send(HOUSE_CHAT, TENANT, "明天回来")
    await cc.send(HOUSE_CHAT, LANDLORD, "/card", reply_to=said)
    await cc.private(TENANT, "/card")
    await cc.drain()
    assert (await cc.last(HOUSE_CHAT)).startswith("🪪 <b>刘美凤</b>")
    own = await cc.last(TENANT)
    assert own.startswith("🪪 <b>刘美凤</b>") and FULL in own


async def test_unknown_and_ambiguous_names_are_refused(cc: Harness) -> None:
    await cc.send(HOUSE_CHAT, LANDLORD, "/card 不存在")
    await cc.drain()
    assert await cc.last(HOUSE_CHAT) == "塔群里没有「不存在」。"


async def test_a_card_shows_answers_and_observation_from_an_incident(cc: Harness) -> None:
    app = cc.app
    incident = await app.incidents.draft(HOUSE_CHAT, LANDLORD, "租客刘美凤明天从湖南回来", None)
    await app.incidents.confirm(incident.id, HOUSE_CHAT, LANDLORD)
    block_chat = -1002000020004
    await app.incidents.dispose(incident.id, block_chat, 6000020011, Disposition.HOME)
    await cc.private(TEAM1_COMMANDER, "/card 刘美凤")
    await cc.drain()
    card = await cc.last(TEAM1_COMMANDER)
    assert f"状态：🟡 居家观察至 03-05（上报 #{incident.id}）" in card
    assert f"#{incident.id} 02-20 16:00 25幢1号租客群 1人 处置中" in card


async def test_a_report_without_a_count_shows_it_unknown_not_0(cc: Harness) -> None:
    """ "还缺：人数" confirmed as it was: the card said "0人", a number nobody gave."""
    app = cc.app
    incident = await app.incidents.draft(
        HOUSE_CHAT, LANDLORD, "租客刘美凤带几个家人明天从湖南回来", None
    )
    assert incident.report.count is None
    await app.incidents.confirm(incident.id, HOUSE_CHAT, LANDLORD)
    await cc.private(TEAM1_COMMANDER, "/card 刘美凤")
    await cc.drain()
    card = await cc.last(TEAM1_COMMANDER)
    assert f"#{incident.id} 02-20 16:00 25幢1号租客群 人数待核实 " in card
    assert " 0人 " not in card
