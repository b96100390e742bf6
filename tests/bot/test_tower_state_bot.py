"""`/colour`, `/tree`, `/map`, `/daily`, `/incidents` and the evening report, end to end.

Through the real dispatcher, outbox and sender on the fake Telegram session, in
the Tashan tower (HQ → 12 villages/compounds → 224 groups). Incidents are
written straight through the repository with the stages each test needs.
Groups are large and screenshots travel, so the last test checks that nothing a
landlord wrote about a person (name, phone, ID number, house number) reaches
any group, whatever was asked.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiogram.methods import SendDocument, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile
from PIL import Image

from bot.daily_job import DEFAULT_AT, install_daily
from bot.i18n import Texts
from bot.incident_presenter import age
from bot.maps import FILL
from cascade.incidents import Colour, Disposition, Incident, Stage
from cascade.masking import personal_values
from tests.support.colour_builders import PERSONAL, incident
from tests.support.tgfake import (
    HQ_ADMIN,
    HQ_CHAT,
    HQ_COMMANDER,
    HQ_MEMBER,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    TS0102_CHAT,
    Harness,
)

TS02_CHAT = -1002000000025  # 塔下洲村
TS0201_CHAT = -1002000000026
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def insert(h: Harness, item: Incident) -> Incident:
    async with h.app.db.transaction() as tx:
        unit = await tx.tower.ref(item.unit_code)
        assert unit is not None and unit.chat_id is not None
        added = await tx.incidents.add(item.model_copy(update={"chat_id": unit.chat_id}))
        await tx.incidents.save(added)
    return added


async def colour_log(h: Harness) -> list[tuple[str, str, str | None, int]]:
    sql = "SELECT unit_code, colour, reason, set_by FROM colour_log ORDER BY id"
    async with h.app.db.conn.execute(sql) as cur:
        return [tuple(r) for r in await cur.fetchall()]  # type: ignore[misc]


async def manual(h: Harness) -> dict[str, str]:
    async with h.app.db.conn.execute("SELECT unit_code, colour FROM unit_colours") as cur:
        return {r[0]: r[1] for r in await cur.fetchall()}


async def ask(h: Harness, chat_id: int, user_id: int, text: str) -> str:
    before = len(await h.said(chat_id))
    await h.send(chat_id, user_id, text)
    await h.drain()
    new = (await h.said(chat_id))[before:]
    assert new, f"no answer to {text!r}"
    return new[0]


def photos(h: Harness, chat_id: int) -> list[SendPhoto]:
    return [c for c in h.session.calls if isinstance(c, SendPhoto) and c.chat_id == chat_id]


def png_of(method: SendPhoto) -> tuple[str | None, Image.Image, bytes]:
    upload = method.photo
    assert isinstance(upload, BufferedInputFile)
    image = Image.open(io.BytesIO(upload.data))
    image.load()
    return upload.filename, image, upload.data


def pixels(image: Image.Image, hex_colour: str) -> int:
    """How many pixels have exactly this fill colour."""
    rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    colours = image.convert("RGB").getcolors(maxcolors=1 << 22) or []
    return sum(n for n, c in colours if c == rgb)


# The legend's swatch of each colour is always drawn (about 40x33 px); a cell is far larger.
SWATCH = 2_000


# ---------------------------------------------------------------- /colour


async def test_a_superior_sets_a_colour_both_groups_hear_and_it_is_logged(
    harness: Harness,
) -> None:
    h = harness
    answer = await ask(h, TS01_CHAT, TS01_COMMANDER, "/colour ts-01-02 red 发现湖北返回人员")
    assert answer == "🔴 已将「塔山村第二村民小组」设为红色。原因：发现湖北返回人员"
    assert await h.last(TS0102_CHAT) == (
        "🔴 上级「塔山村」将本单元「塔山村第二村民小组」设为红色。原因：发现湖北返回人员"
    )
    assert await colour_log(h) == [("ts-01-02", "red", "发现湖北返回人员", TS01_COMMANDER)]
    assert await manual(h) == {"ts-01-02": "red"}
    # The HQ commander is above every unit; a Chinese colour word and the name work too.
    answer = await ask(h, HQ_CHAT, HQ_COMMANDER, "/colour 塔下洲村 黄 两户未排查")
    assert answer == "🟡 已将「塔下洲村」设为黄色。原因：两户未排查"
    assert "上级「塔山区块指挥部」" in await h.last(TS02_CHAT)
    assert await manual(h) == {"ts-01-02": "red", "ts-02": "yellow"}
    assert len(await colour_log(h)) == 2


REFUSALS = [
    (TS01_CHAT, TS01_COMMANDER, "/colour", "格式：/colour 单元代码"),
    (TS01_CHAT, TS01_COMMANDER, "/colour ts-01-02", "格式：/colour 单元代码"),
    (TS01_CHAT, TS01_COMMANDER, "/colour ts-01-02 blue 原因", "颜色「blue」不对"),
    (TS01_CHAT, TS01_COMMANDER, "/colour ts-99 red 原因", "没有代码或名称为「ts-99」的单元"),
    (
        TS01_CHAT,
        TS01_COMMANDER,
        "/colour <b>x red 原因",
        "没有代码或名称为「&lt;b&gt;x」的单元",
    ),
    (TS01_CHAT, TS01_COMMANDER, "/colour ts-01-02 red", "设为红色需要写明原因"),
    (TS01_CHAT, TS01_COMMANDER, "/colour ts-01-02 yellow  ", "设为黄色需要写明原因"),
    # A sibling, one's own unit, a plain HQ member: none of them is a superior.
    (
        TS0101_CHAT,
        TS0101_COMMANDER,
        "/colour ts-01-02 red 原因",
        "只有「塔山村第二村民小组」上级",
    ),
    (TS01_CHAT, TS01_COMMANDER, "/colour ts-01 red 原因", "只有「塔山村」上级"),
    (HQ_CHAT, HQ_MEMBER, "/colour ts-01 red 原因", "只有「塔山村」上级"),
    (TS01_CHAT, TS01_COMMANDER, "/colour ts-01-02 red " + "长" * 201, "原因太长"),
]


async def test_colour_refusals_are_one_line_and_change_nothing(harness: Harness) -> None:
    h = harness
    for chat_id, user_id, text, expected in REFUSALS:
        answer = await ask(h, chat_id, user_id, text)
        assert expected in answer, text
        assert "\n" not in answer
    assert await colour_log(h) == []
    assert await manual(h) == {}
    assert await h.said(TS0102_CHAT) == []


async def test_an_hq_admin_sets_and_green_clears(harness: Harness) -> None:
    h = harness
    await ask(h, HQ_CHAT, HQ_ADMIN, "/colour ts-01 yellow 检查")
    assert await manual(h) == {"ts-01": "yellow"}
    answer = await ask(h, HQ_CHAT, HQ_ADMIN, "/colour ts-01 green 已整改")
    assert answer == "🟢 已解除「塔山村」的颜色标记。说明：已整改"
    assert await h.last(TS01_CHAT) == (
        "🟢 上级「塔山区块指挥部」已解除本单元「塔山村」的颜色标记。说明：已整改"
    )
    assert await manual(h) == {}
    await ask(h, HQ_CHAT, HQ_ADMIN, "/colour red ts-01-05 复查")  # colour first: forgiven
    assert await manual(h) == {"ts-01-05": "red"}
    assert [(c, colour) for c, colour, _, _ in (await colour_log(h))[:2]] == [
        ("ts-01", "yellow"),
        ("ts-01", "green"),
    ]
    # Green needs no reason; an open incident still keeps the unit yellow, and says so.
    await insert(h, incident("ts-01-03", h.clock.now() - timedelta(minutes=5), 2))
    answer = await ask(h, TS01_CHAT, TS01_COMMANDER, "/colour ts-01-03 green")
    assert answer == (
        "🟢 已解除「塔山村第三村民小组」的颜色标记。\n"
        "（「塔山村第三村民小组」仍有 1 起未结事件，仍显示为黄色。）"
    )


# ---------------------------------------------------------------- /tree


async def test_tree_shows_rolled_colours_and_counts(harness: Harness) -> None:
    h = harness
    await insert(h, incident("ts-01-01", h.clock.now(), 6, high_risk=True))
    await insert(h, incident("ts-01-05", h.clock.now(), 1, stage=Stage.DONE, high_risk=True))
    await ask(h, HQ_CHAT, HQ_COMMANDER, "/colour ts-01-02 yellow 有发热人员")
    async with h.app.db.transaction() as tx:
        await tx.tower.set_reachable("ts-01-04", False, "bot removed")
    text = await ask(h, HQ_CHAT, HQ_COMMANDER, "/tree")
    lines = text.split("\n")
    assert lines[0] == "🌳「塔山区块指挥部」及下属单元（共 237 个）："
    assert lines[1] == "🔴 全部 237 个单元：🔴 红 1 · 🟡 黄 1 · 🟢 绿 235"
    # Indented by level below the top (HQ is level 0, villages level 2).
    assert lines[2] == "  🔴 塔山村（2级） · 🔴1 🟡1 🟢21"
    assert "    🔴 塔山村第一村民小组（3级）" in lines
    assert "    🟡 塔山村第二村民小组（3级）" in lines
    assert "    🟢 塔山村第三村民小组（3级）" in lines
    assert "    🟢 塔山村第四村民小组（3级） · ⚠️无法送达" in lines
    assert "    🟢 塔山村第五村民小组（3级）" in lines  # its incident is closed
    assert "  🟢 塔下洲村（2级） · 🔴0 🟡0 🟢16" in lines
    assert lines[-1].startswith("……另有")
    assert len(text) < 4096
    village = await ask(h, TS01_CHAT, TS01_COMMANDER, "/tree")
    assert village.split("\n")[1] == "🔴 全部 23 个单元：🔴 红 1 · 🟡 黄 1 · 🟢 绿 21"


# ---------------------------------------------------------------- /map


async def test_map_is_a_png_of_the_subtree_sent_as_a_photo(harness: Harness) -> None:
    h = harness
    await insert(h, incident("ts-05-03", h.clock.now(), 4, high_risk=True))
    await insert(h, incident("ts-08-01", h.clock.now(), 1))
    await h.send(HQ_CHAT, HQ_COMMANDER, "/map")
    await h.drain()
    (sent,) = photos(h, HQ_CHAT)
    assert sent.caption == "🗺「塔山区块指挥部」单元状态图：🔴 1 · 🟡 1 · 🟢 235"
    filename, image, data = png_of(sent)
    assert filename == "map-tashan.png" and image.format == "PNG"
    assert 1500 <= image.width <= 4000 and 800 <= image.height <= 3000
    assert len(data) < 5_000_000
    assert pixels(image, FILL[Colour.RED]) > 3 * SWATCH  # a village header and a group cell
    assert pixels(image, FILL[Colour.YELLOW]) > 3 * SWATCH
    # A village's map from HQ, by code; only green there.
    await h.send(HQ_CHAT, HQ_COMMANDER, "/map ts-02")
    await h.drain()
    sent = photos(h, HQ_CHAT)[-1]
    assert sent.caption == "🗺「塔下洲村」单元状态图：🔴 0 · 🟡 0 · 🟢 16"
    _, image, _ = png_of(sent)
    assert pixels(image, FILL[Colour.RED]) < SWATCH
    assert pixels(image, FILL[Colour.GREEN]) > 10 * SWATCH
    # Another village's map is not the village's business.
    answer = await ask(h, TS01_CHAT, TS01_COMMANDER, "/map ts-02")
    assert answer == "「塔下洲村」不在「塔山村」的范围内。"
    assert photos(h, TS01_CHAT) == []


# ---------------------------------------------------------------- /daily and the evening report


async def three_days_of_reports(h: Harness) -> None:
    """Now is 2020-02-20 16:00 in Shanghai (08:00 UTC)."""
    utc = UTC
    await insert(  # 23:59 on Feb 19 in Shanghai; isolated at 00:10 on Feb 20
        h,
        incident(
            "ts-01-01",
            datetime(2020, 2, 19, 15, 59, tzinfo=utc),
            6,
            stage=Stage.DONE,
            high_risk=True,
            disposition=Disposition.CENTRAL,
            disposed_at=datetime(2020, 2, 19, 16, 10, tzinfo=utc),
            report=PERSONAL,
        ),
    )
    await insert(  # 00:00 on Feb 20 in Shanghai
        h,
        incident(
            "ts-02-01",
            datetime(2020, 2, 19, 16, 0, tzinfo=utc),
            3,
            stage=Stage.DISPOSED,
            disposition=Disposition.HOME,
            disposed_at=datetime(2020, 2, 19, 17, 0, tzinfo=utc),
        ),
    )
    await insert(h, incident("ts-01", datetime(2020, 2, 20, 2, 0, tzinfo=utc), 2))
    await insert(
        h, incident("ts-03", datetime(2020, 2, 20, 2, 0, tzinfo=utc), 9, stage=Stage.DRAFT)
    )


async def test_daily_gives_numbers_per_shanghai_day_and_a_chart(harness: Harness) -> None:
    h = harness
    await three_days_of_reports(h)
    text = await ask(h, HQ_CHAT, HQ_COMMANDER, "/daily 3")
    assert text.split("\n") == [
        "📊 <b>「塔山区块指挥部」每日统计</b>（近 3 天）",
        "02-18：返回 0 人（0 起）· 集中隔离 0 · 居家观察 0 · 登记 0",
        "02-19：返回 6 人（1 起）· 集中隔离 0 · 居家观察 0 · 登记 0",
        "02-20：返回 5 人（2 起）· 集中隔离 6 · 居家观察 3 · 登记 0",
        "<b>合计</b>：返回 11 人（3 起）· 集中隔离 6 · 居家观察 3 · 登记 0",
        "按单元（02-18 至 02-20）：",
        "· 塔山村：返回 8 人 · 集中隔离 6 · 居家观察 0 · 登记 0",
        "· 塔下洲村：返回 3 人 · 集中隔离 0 · 居家观察 3 · 登记 0",
    ]
    (sent,) = photos(h, HQ_CHAT)
    assert sent.caption == "📈「塔山区块指挥部」近 3 天每日返回人员与隔离"
    filename, image, _ = png_of(sent)
    assert filename == "daily-tashan-2020-02-20.png"
    assert image.size == (1200, 800)
    # A village sees its own subtree, by its groups.
    text = await ask(h, TS01_CHAT, TS01_COMMANDER, "/daily")
    assert "近 7 天" in text
    assert "<b>合计</b>：返回 8 人（2 起）· 集中隔离 6 · 居家观察 0 · 登记 0" in text
    assert "· 塔山村第一村民小组：返回 6 人 · 集中隔离 6 · 居家观察 0 · 登记 0" in text
    assert "· 塔山村（本级）：返回 2 人 · 集中隔离 0 · 居家观察 0 · 登记 0" in text


async def test_daily_says_a_report_without_a_count_is_not_in_the_sum(harness: Harness) -> None:
    """A report confirmed with "还缺：人数" put "返回 0 人（1 起）" on screen: a number
    nobody gave, read as no one."""
    h = harness
    await insert(h, incident("ts-02-01", datetime(2020, 2, 20, 2, 0, tzinfo=UTC), None))
    text = await ask(h, HQ_CHAT, HQ_COMMANDER, "/daily 1")
    assert "02-20：返回 0 人（1 起，其中 1 起人数待核实）" in text
    assert "· 塔下洲村：返回 0 人（另有 1 起人数待核实） · 集中隔离 0" in text


async def test_daily_refuses_bad_days(harness: Harness) -> None:
    for args in ["0", "31", "abc", "7 days please", "<i>"]:
        answer = await ask(harness, HQ_CHAT, HQ_COMMANDER, f"/daily {args}")
        assert "请写 1 到 30 之间的整数" in answer
    assert answer.startswith("天数「&lt;i&gt;」不对")
    assert photos(harness, HQ_CHAT) == []


async def test_the_evening_report_goes_to_the_hq_group(harness: Harness) -> None:
    h = harness
    await three_days_of_reports(h)
    assert await h.app.daily.run() is True
    await h.drain()
    text, _caption = await h.said(HQ_CHAT)
    assert text.split("\n") == [
        "📊 <b>2020-02-20 每日统计</b>（塔山区块指挥部）",
        "今日新增返回人员 <b>5</b> 人（报告 2 起）",
        "今日集中隔离 6 人 · 居家观察 3 人 · 服务站登记 0 人",
        "较昨日：返回人员 -1，集中隔离 +6",
        "近 7 天返回人员：02-14 0 · 02-15 0 · 02-16 0 · 02-17 0 · 02-18 0 · 02-19 6 · 02-20 5",
        "今日按单元：",
        "· 塔下洲村：返回 3 人 · 集中隔离 0 · 居家观察 3 · 登记 0",  # most returnees first
        "· 塔山村：返回 2 人 · 集中隔离 6 · 居家观察 0 · 登记 0",
    ]
    (sent,) = photos(h, HQ_CHAT)
    assert sent.caption == "📈「塔山区块指挥部」近 7 天每日返回人员与隔离"
    _, image, _ = png_of(sent)
    assert image.size == (1200, 800)
    assert [m for m in h.session.messages if m.chat.id != HQ_CHAT] == []


async def test_the_evening_report_is_a_cron_job_on_the_timer_scheduler(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    await h.app.timers.start()
    assert h.app.timers.scheduler is not None
    job = install_daily(h.app.timers, h.app.daily, at="07:30")
    assert job is not None and job.id == "daily-report"
    assert job.misfire_grace_time is None and job.coalesce is True
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["hour"], fields["minute"]) == ("7", "30")
    assert str(job.trigger.timezone) == "Asia/Shanghai"
    job = install_daily(h.app.timers, h.app.daily, at="21:15")
    assert job is not None
    assert {f.name: str(f) for f in job.trigger.fields}["hour"] == "21"
    assert len([j for j in h.app.timers.scheduler.get_jobs() if j.id == "daily-report"]) == 1
    # Without a time the default; the environment is read only by Settings.
    monkeypatch.setenv("TOWERBOT_DAILY_AT", "25:61")
    job = install_daily(h.app.timers, h.app.daily)
    assert job is not None
    hour = {f.name: str(f) for f in job.trigger.fields}["hour"]
    assert hour == DEFAULT_AT.split(":")[0]
    h.app.timers.stop()


# ---------------------------------------------------------------- /incidents


async def some_incidents(h: Harness) -> list[Incident]:
    now = h.clock.now()
    return [
        await insert(
            h,
            incident(
                "ts-01-01",
                now - timedelta(days=1, hours=2),
                6,
                stage=Stage.DONE,
                disposition=Disposition.CENTRAL,
                disposed_at=now - timedelta(days=1),
                report=PERSONAL,
                high_risk=True,
            ),
        ),
        await insert(
            h,
            incident(
                "ts-02-01",
                now - timedelta(hours=3, minutes=5),
                3,
                stage=Stage.DISPOSED,
                disposition=Disposition.HOME,
                disposed_at=now - timedelta(hours=3),
                report=PERSONAL.model_copy(update={"origin": "浙江", "via": []}),
            ),
        ),
        await insert(
            h,
            incident("ts-01-02", now - timedelta(minutes=12), 6, report=PERSONAL, high_risk=True),
        ),
    ]


async def test_incidents_lists_the_subtree_newest_first_masked(harness: Harness) -> None:
    h = harness
    first, second, third = await some_incidents(h)
    async with h.app.db.transaction() as tx:
        await tx.incidents.save(third.model_copy(update={"escalations": 1}))
    text = await ask(h, HQ_CHAT, HQ_COMMANDER, "/incidents")
    assert text.split("\n") == [
        "📋「塔山区块指挥部」最近的返回人员事件，共 3 起（🔴 高风险 · 🟡 一般）：",
        f"🔴 #{third.id} 塔山村第二村民小组 · 6 人 · 湖南（途经 武汉） · 待处置 · 12 分钟前"
        " · ⏫ 已上报 1 级",
        f"🟡 #{second.id} 塔下洲村第一村民小组 · 3 人 · 浙江 · 已定：居家观察，待落实"
        " · 3 小时 5 分钟前",
        f"🔴 #{first.id} 塔山村第一村民小组 · 6 人 · 湖南（途经 武汉） · 已落实：集中隔离 · 1 天 2 小时前",
    ]
    text = await ask(h, HQ_CHAT, HQ_COMMANDER, "/incidents open")
    assert f"#{first.id} " not in text and f"#{second.id} " in text and "共 2 起" in text
    # Today in Shanghai began at 16:00 UTC yesterday: the 26-hour-old report is not today's.
    text = await ask(h, HQ_CHAT, HQ_COMMANDER, "/incidents today")
    assert "今日的" in text and f"#{first.id} " not in text and "共 2 起" in text
    text = await ask(h, TS02_CHAT, HQ_COMMANDER, "/incidents")
    assert "共 1 起" in text and f"#{second.id} " in text
    assert await ask(h, TS0102_CHAT, HQ_COMMANDER, "/incidents today") == (
        f"📋「塔山村第二村民小组」今日的返回人员事件，共 1 起（🔴 高风险 · 🟡 一般）：\n"
        f"🔴 #{third.id} 塔山村第二村民小组 · 6 人 · 湖南（途经 武汉） · 待处置 · 12 分钟前"
        " · ⏫ 已上报 1 级"
    )
    assert await ask(h, TS0201_CHAT, HQ_COMMANDER, "/incidents open") == (
        "📋「塔下洲村第一村民小组」未结的返回人员事件，共 1 起（🔴 高风险 · 🟡 一般）："
        f"\n🟡 #{second.id} 塔下洲村第一村民小组 · 3 人 · 浙江 · 已定：居家观察，待落实"
        " · 3 小时 5 分钟前"
    )
    assert await ask(h, TS0101_CHAT, HQ_COMMANDER, "/incidents open") == (
        "「塔山村第一村民小组」没有未结的返回人员事件。"
    )


async def test_an_incident_of_under_a_minute_ago_is_just_now(harness: Harness) -> None:
    """Not "0 分钟前" / "0m ago"."""
    h = harness
    now = h.clock.now()
    item = await insert(h, incident("ts-01-02", now - timedelta(seconds=40), 2, report=PERSONAL))
    text = await ask(h, TS0102_CHAT, HQ_COMMANDER, "/incidents")
    assert text.split("\n")[1].endswith(
        f"#{item.id} 塔山村第二村民小组 · 2 人 · 湖南（途经 武汉） · 待处置 · 刚刚"
    )
    texts = Texts()
    assert age(texts, "en", timedelta(seconds=59)) == "just now"
    assert age(texts, "en", timedelta(minutes=1)) == "1m ago"
    assert "格式：/incidents" in await ask(h, HQ_CHAT, HQ_COMMANDER, "/incidents everything")


async def test_no_personal_value_reaches_any_group(harness: Harness) -> None:
    h = harness
    await some_incidents(h)
    await three_days_of_reports(h)
    for chat_id, user_id, text in [
        (HQ_CHAT, HQ_COMMANDER, "/incidents"),
        (HQ_CHAT, HQ_COMMANDER, "/incidents open"),
        (HQ_CHAT, HQ_COMMANDER, "/incidents today"),
        (TS01_CHAT, TS01_COMMANDER, "/incidents"),
        (TS0101_CHAT, TS0101_COMMANDER, "/incidents"),
        (HQ_CHAT, HQ_COMMANDER, "/daily 2"),
        (TS01_CHAT, TS01_COMMANDER, "/tree"),
        (TS01_CHAT, TS01_COMMANDER, "/map"),
        (TS01_CHAT, TS01_COMMANDER, "/colour ts-01-01 red 湖南返回6人"),
    ]:
        await h.send(chat_id, user_id, text)
    assert await h.app.daily.run()
    await h.drain()
    group_texts = [
        (c.text if isinstance(c, SendMessage) else c.caption) or ""
        for c in h.session.calls
        if isinstance(c, SendMessage | SendPhoto | SendDocument)
        and isinstance(c.chat_id, int)
        and c.chat_id < 0
    ]
    assert len(group_texts) >= 12
    secrets = [*personal_values(PERSONAL), "13812345678", "1234", "12号", "李秀英", "老李"]
    for text in group_texts:
        for secret in secrets:
            assert secret not in text, (secret, text)
    assert any("湖南（途经 武汉）" in t for t in group_texts)
