"""The landlord 12-point score: who may score, automatic points, the weekly ranking."""

from __future__ import annotations

from datetime import UTC, datetime

from cascade.incidents import Incident
from tests.support.people_ids import (
    BLOCK_CHAT,
    BLOCK_COMMANDER,
    CC_ADMIN,
    HOUSE2_CHAT,
    HOUSE_CHAT,
    LANDLORD,
    LANDLORD2,
    LANDLORD3,
    TEAM1_CHAT,
    TEAM1_COMMANDER,
    TEAM2_CHAT,
    TEAM2_COMMANDER,
)
from tests.support.tgfake import Harness


async def score_of(h: Harness, code: str) -> int:
    async with h.app.db.transaction() as tx:
        totals = await tx.scores.totals("2020-02", [code])
    return 12 + totals.get(code, 0)


async def test_only_level_2_and_above_in_the_chain_score_and_never_oneself(cc: Harness) -> None:
    await cc.send(HOUSE_CHAT, LANDLORD, "/score 田晓强 +2 自己加分")
    await cc.send(BLOCK_CHAT, BLOCK_COMMANDER, "/score 田晓强 +2 调解租客纠纷")
    await cc.send(TEAM2_CHAT, TEAM2_COMMANDER, "/score 田晓强 +2 调解租客纠纷")
    await cc.send(TEAM1_CHAT, TEAM1_COMMANDER, "/score 刘美凤 +1 配合登记")
    await cc.send(TEAM1_CHAT, TEAM1_COMMANDER, "/score 田晓强 +20 太多")
    await cc.send(TEAM1_CHAT, TEAM1_COMMANDER, "/score 田晓强 +2")
    await cc.send(TEAM1_CHAT, TEAM1_COMMANDER, "/score 田晓强 两分 原因")
    await cc.drain()
    assert await cc.said(HOUSE_CHAT) == ["不能给自己加减分。"]
    only = "只有房东所在的2级单元及以上的指挥长、副指挥长可以加减分。"
    assert await cc.said(BLOCK_CHAT) == [only]
    assert await cc.said(TEAM2_CHAT) == [only]
    assert await cc.said(TEAM1_CHAT) == [
        "「刘美凤」不是房东（房东单元的指挥长）。",
        "分数请写 +1 到 +12 或 -1 到 -12，例如 /score 田晓强 +2 调解租客纠纷。",
        "请写上加减分的原因，例如 /score 田晓强 -1 未按时消毒公共区域。",
        "格式：/score 姓名 ±分 原因，例如 /score 田晓强 +2 调解租客纠纷。",
    ]
    assert await score_of(cc, "cc-01-01-01") == 12
    assert await cc.said(LANDLORD) == []


async def test_a_score_change_is_logged_and_told_to_the_landlord_privately(cc: Harness) -> None:
    await cc.send(TEAM1_CHAT, TEAM1_COMMANDER, "/score 田晓强 +2 调解租客纠纷")
    await cc.private(CC_ADMIN, "/score 田晓强 -1 未按时消毒公共区域")
    await cc.drain()
    assert await cc.last(TEAM1_CHAT) == (
        "✅ 已为 田晓强（25幢1号租客群）记 +2 分：调解租客纠纷。本期现为 14 分，已私信告知本人。"
    )
    told = await cc.said(LANDLORD)
    assert told == [
        "🏠 房东积分变动：<b>+2</b>（调解租客纠纷）\n25幢1号租客群 · 2020-02 现为 <b>14</b> 分",
        "🏠 房东积分变动：<b>-1</b>（未按时消毒公共区域）\n25幢1号租客群 · 2020-02 现为 <b>13</b> 分",
    ]
    async with cc.app.db.transaction() as tx:
        log = await tx.scores.entries("cc-01-01-01", "2020-02")
    assert [(e.delta, e.actor, e.source) for e in log] == [
        (2, TEAM1_COMMANDER, "manual"),
        (-1, CC_ADMIN, "manual"),
    ]


async def test_automatic_points_from_the_incident_loop(cc: Harness) -> None:
    app, clock = cc.app, cc.clock

    async def report(chat: int, landlord: int, text: str) -> Incident:
        incident = await app.incidents.draft(chat, landlord, text, None)
        return await app.incidents.confirm(incident.id, chat, landlord)

    early = await report(HOUSE_CHAT, LANDLORD, "租客刘美凤明天从湖南回来")  # before arrival: +1
    await report(HOUSE2_CHAT, LANDLORD2, "租客鲍素莉2月17日从湖南回来")  # 3 days late: -2
    await report(HOUSE2_CHAT, LANDLORD2, "租客邵月娜昨天从湖南回来")  # unclear: nothing
    clock.advance(hours=3)
    await report(HOUSE_CHAT, LANDLORD, "租客夏雪珍今天下午3点从湖南回来")  # 2 h late: nothing
    # A tenant reporting himself earns his landlord nothing.
    await report(HOUSE_CHAT, 6000020016, "租客楼玉娟明天从湖南回来")
    assert await score_of(cc, "cc-01-01-01") == 13
    assert await score_of(cc, "cc-01-01-02") == 10
    async with app.db.transaction() as tx:  # the same incident again scores nothing
        unit = await tx.tower.ref("cc-01-01-01")
        assert unit is not None
        await app.scores.on_incident(tx, early, unit)
    assert await score_of(cc, "cc-01-01-01") == 13
    await cc.drain()
    (plus,) = [t for t in await cc.said(LANDLORD) if "房东积分" in t]
    assert "+1" in plus and "到达前（或到达时）即上报" in plus and "13" in plus
    (minus,) = [t for t in await cc.said(LANDLORD2) if "房东积分" in t]
    assert "-2" in minus and "超过 24 小时后才上报" in minus and "10" in minus


async def test_weekly_ranking_at_its_time_with_ties(cc: Harness) -> None:
    app, clock = cc.app, cc.clock
    assert await app.scores.fire_due() == 0  # Thursday: only notes the time, sends nothing
    await cc.send(TEAM1_CHAT, TEAM1_COMMANDER, "/score 田晓强 +2 调解租客纠纷")
    await cc.send(TEAM1_CHAT, TEAM1_COMMANDER, "/score 俞慧燕 +2 协助登记")
    await cc.send(TEAM1_CHAT, TEAM1_COMMANDER, "/score 陶美艳 -3 隐瞒租客")
    await cc.drain()
    cc.session.clear()
    clock.set(datetime(2020, 2, 24, 0, 59, tzinfo=UTC))  # Monday 08:59 in Shanghai
    assert await app.scores.fire_due() == 0
    clock.set(datetime(2020, 2, 24, 1, 0, tzinfo=UTC))  # Monday 09:00
    assert await app.scores.fire_due() == 3  # one per level-2 group
    assert await app.scores.fire_due() == 0  # once only
    await cc.drain()
    (ranking,) = [t for t in await cc.said(TEAM1_CHAT) if "本周房东积分排名" in t]
    lines = ranking.splitlines()
    assert lines[0] == (
        "📣 <b>本周房东积分排名</b> · 长春社区第一作战小组(汽配专业街)（2020-02，共 8 位房东）"
    )
    assert lines[1] == "🌟 五好房东："
    best = lines[2 : lines.index("🚜 拖拉机房东：")]
    assert len(best) == 7  # two share first place, five share third: all named
    assert "第 1 名" in best[0] and "田晓强" in best[1] and "14 分" in best[1]
    assert "俞慧燕" in best[0] and all("第 3 名" in line and "12 分" in line for line in best[2:])
    worst = lines[lines.index("🚜 拖拉机房东：") + 1 : -1]
    assert len(worst) == 1 and "陶美艳" in worst[0] and "9 分" in worst[0]
    assert lines[-1] == "同分并列同一名次、全部列出（按姓名排序），同一人不同时列入两榜。"
    # The other groups: nobody scored, all tied.
    (other,) = [t for t in await cc.said(TEAM2_CHAT) if "本周房东积分排名" in t]
    assert "全部同分（12 分），不评拖拉机房东。" in other
    clock.set(datetime(2020, 3, 2, 1, 0, tzinfo=UTC))  # the next Monday, a new month
    assert await app.scores.fire_due() == 3


async def test_rank_on_demand_in_a_landlords_group_and_by_code(cc: Harness) -> None:
    await cc.send(TEAM1_CHAT, TEAM1_COMMANDER, "/score 陶美艳 +1 调解纠纷")
    await cc.send(HOUSE_CHAT, LANDLORD, "/rank")
    await cc.send(TEAM2_CHAT, TEAM2_COMMANDER, "/rank cc-01")
    await cc.send(-1002000020001, 6000020001, "/rank cc-01")
    await cc.drain()
    mine = await cc.last(HOUSE_CHAT)
    assert mine.startswith(
        "🏠 <b>长春社区第一作战小组(汽配专业街)</b> 房东积分排名（2020-02，共 8 位房东）"
    )
    assert "陶美艳" in mine.splitlines()[2] and "13 分" in mine.splitlines()[2]
    assert "不在" in await cc.last(TEAM2_CHAT)
    assert (await cc.last(-1002000020001)).startswith("🏠 <b>长春社区第一作战小组")
    assert LANDLORD3  # 陶美艳's id: the ranking mentions her by id
    assert f"tg://user?id={LANDLORD3}" in mine
