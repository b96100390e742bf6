"""The 15-minute order loop end to end through the real dispatcher, outbox and sender.

These tests drive `TowerBot` the way Telegram would — updates in, Bot API calls
out (recorded by a fake session) — on the 237-unit tashan tower: an order goes
to every group below HQ, units answer by button and by reply, totals roll up,
HQ sees `/status`, `/pending`, the final report and `/cancel`. Each person
only gets to do what their seat allows, and every refusal is one line.
"""

from __future__ import annotations

import pytest
from aiogram.types import Message

from bot.callbacks import AckCallback
from cascade.tower import Unit
from tests.support.tgfake import (
    HQ_ADMIN,
    HQ_CHAT,
    HQ_COMMANDER,
    HQ_MEMBER,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    TS0101_MEMBER,
    TS0102_CHAT,
    TS0102_COMMANDER,
    Harness,
    tower_units,
)

TASHAN = list(tower_units("tashan"))
BELOW_HQ = [u for u in TASHAN if u.parent is not None]
LEVEL2 = [u for u in TASHAN if u.level == 2]
LEVEL3 = [u for u in TASHAN if u.level == 3]


def commander(unit: Unit) -> int:
    assert unit.commander is not None and unit.commander.telegram_id is not None
    return unit.commander.telegram_id


def chat(unit: Unit) -> int:
    assert unit.chat_id is not None
    return unit.chat_id


def ack_data(copy: Message) -> str:
    assert copy.reply_markup is not None
    data = copy.reply_markup.inline_keyboard[0][0].callback_data
    assert data is not None
    return data


async def issue(h: Harness, text: str) -> None:
    """HQ's commander sends `text` in the HQ group; everything it causes is sent."""
    await h.send(HQ_CHAT, HQ_COMMANDER, text)
    await h.drain()


async def only_new_line(h: Harness, chat_id: int, before: int) -> str:
    await h.drain()
    texts = (await h.said(chat_id))[before:]
    assert len(texts) == 1, texts
    return texts[0]


# ---------------------------------------------------------------- issuing


async def test_order_reaches_every_group_below_hq_once(issued: Harness) -> None:
    h = issued

    (confirmation,) = await h.said(HQ_CHAT)
    assert "指令 #1 已下达" in confirmation
    assert "发往 236 个单元" in confirmation
    assert "2级 12 个" in confirmation and "3级 224 个" in confirmation

    copies = h.session.copies()
    assert sorted(c.chat_id for c in copies) == sorted(chat(u) for u in BELOW_HQ)
    for call in copies:
        assert "统计外地人数" in call.text
        assert call.parse_mode == "HTML"
        (row,) = call.reply_markup.inline_keyboard  # type: ignore[union-attr]
        (button,) = row
        assert "收到" in button.text
        assert AckCallback.unpack(button.callback_data or "") == AckCallback(order_id=1)
    # Bottom units are asked for a number; units with sub-units only confirm.
    bottom_copy = (await h.said(TS0101_CHAT))[0]
    middle_copy = (await h.said(TS01_CHAT))[0]
    assert "回复本消息" in bottom_copy and "/report 1" in bottom_copy
    assert "自动汇总" in middle_copy
    # The confirmation answers the command (it goes first and quotes it).
    first = h.session.sends()[0]
    assert first.chat_id == HQ_CHAT
    assert first.reply_parameters is not None and first.reply_parameters.message_id == 1


async def test_a_notice_order_by_default(harness: Harness) -> None:
    await issue(harness, "/order 开会")
    assert "通知" in (await harness.said(HQ_CHAT))[0]
    assert "请本单元指挥长点「收到」" in (await harness.said(TS0101_CHAT))[0]


async def test_level3_commander_cannot_order_in_the_hq_group(harness: Harness) -> None:
    h = harness
    await h.send(HQ_CHAT, TS0101_COMMANDER, "/order 15m count 越级")
    await h.drain()
    assert await h.said(HQ_CHAT) == [
        "只有「塔山区块指挥部」的指挥长、副指挥长或指挥部管理员可以下达指令。"
    ]
    assert len(h.session.sends()) == 1
    assert await h.outbox_counts() == {"sent": 1}


async def test_level2_commander_is_a_member_of_hq_but_cannot_order_there(
    harness: Harness,
) -> None:
    await harness.send(HQ_CHAT, TS01_COMMANDER, "/order 15m count 越级")
    await harness.drain()
    assert "只有「塔山区块指挥部」的指挥长" in await harness.last(HQ_CHAT)
    assert len(harness.session.sends()) == 1


async def test_hq_admin_may_order(harness: Harness) -> None:
    await harness.send(HQ_CHAT, HQ_ADMIN, "/order 20m notice 开会")
    await harness.drain()
    assert "发往 236 个单元" in (await harness.said(HQ_CHAT))[0]
    assert len(harness.session.copies()) == 236


async def test_deputy_may_order_from_a_level2_group(harness: Harness) -> None:
    deputy = LEVEL2[0].deputies[0].telegram_id
    assert deputy is not None
    await harness.send(TS01_CHAT, deputy, "/order 1h list 列出空房")
    await harness.drain()
    children = [u for u in LEVEL3 if u.parent == "ts-01"]
    assert f"发往 {len(children)} 个单元" in (await harness.said(TS01_CHAT))[0]
    assert len(harness.session.copies()) == len(children)
    assert {c.chat_id for c in harness.session.copies()} == {chat(u) for u in children}
    assert await harness.said(HQ_CHAT) == []


async def test_a_bottom_unit_has_nowhere_to_send_an_order(harness: Harness) -> None:
    await harness.send(TS0101_CHAT, TS0101_COMMANDER, "/order 15m notice 测试")
    await harness.drain()
    assert await harness.said(TS0101_CHAT) == ["「塔山村第一村民小组」没有下级单元，指令无处下达。"]


# ---------------------------------------------------------------- answering


async def test_member_pressing_received_gets_an_alert_and_nothing_is_recorded(
    issued: Harness,
) -> None:
    h = issued
    copy = h.copy_in(TS0101_CHAT)
    h.session.clear()
    await h.press(copy, TS0101_MEMBER, ack_data(copy))
    await h.drain()
    (answer,) = h.session.answers()
    assert answer.show_alert is True
    assert answer.text == "只有「塔山村第一村民小组」的指挥长或副指挥长可以代表本单元回复。"
    assert h.session.sends() == []
    row = await h.row_status("ts-01-01")
    assert row["acked_at"] is None and row["done_at"] is None


async def test_commander_pressing_received(issued: Harness) -> None:
    h = issued
    bottom, middle = h.copy_in(TS0101_CHAT), h.copy_in(TS01_CHAT)
    h.session.clear()
    await h.press(bottom, TS0101_COMMANDER, ack_data(bottom))
    await h.press(middle, TS01_COMMANDER, ack_data(middle))
    await h.press(middle, TS01_COMMANDER, ack_data(middle))
    texts = [(a.text, a.show_alert) for a in h.session.answers()]
    assert texts == [
        ("已收到。请回复指令消息上报统计数字。", None),
        ("已收到，谢谢！", None),
        ("本单元已确认收到。", None),
    ]
    bottom_row = await h.row_status("ts-01-01")
    assert bottom_row["acked_by"] == TS0101_COMMANDER and bottom_row["done_at"] is None
    assert (await h.row_status("ts-01"))["acked_by"] == TS01_COMMANDER


async def test_reply_with_a_chinese_numeral_is_recorded(issued: Harness) -> None:
    h = issued
    copy = h.copy_in(TS0101_CHAT)
    before = len(await h.said(TS0101_CHAT))
    reply = await h.send(TS0101_CHAT, TS0101_COMMANDER, "五", reply_to=copy)
    await h.drain()
    # Confirmed by a reaction on the person's own message: no new line in the group.
    assert len(await h.said(TS0101_CHAT)) == before
    assert h.session.reactions(TS0101_CHAT) == [(reply.message_id, "👌")]
    row = await h.row_status("ts-01-01")
    assert (row["value"], row["answered_by"], row["late"]) == (5, TS0101_COMMANDER, 0)
    assert row["done_at"] is not None
    assert (await h.row_status("ts-01"))["subtotal"] == 5
    assert (await h.row_status("tashan"))["subtotal"] == 5


async def test_report_command_records_a_value(issued: Harness) -> None:
    h = issued
    first = await h.send(TS0101_CHAT, TS0101_COMMANDER, "/report 1 1,024")
    second = await h.send(TS0102_CHAT, TS0102_COMMANDER, "/report 共12人")
    await h.drain()
    assert h.session.reactions(TS0101_CHAT) == [(first.message_id, "👌")]
    assert h.session.reactions(TS0102_CHAT) == [(second.message_id, "👌")]
    assert (await h.row_status("ts-01-01"))["value"] == 1024
    assert (await h.row_status("tashan"))["subtotal"] == 1036


async def test_re_report_replaces_the_value_and_status_follows(issued: Harness) -> None:
    h = issued
    copy = h.copy_in(TS0101_CHAT)
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=copy)
    other = h.copy_in(TS0102_CHAT)
    await h.send(TS0102_CHAT, TS0102_COMMANDER, "十二", reply_to=other)
    await h.drain()
    before = len(await h.said(TS0101_CHAT))
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "7", reply_to=copy)
    line = await only_new_line(h, TS0101_CHAT, before)
    assert line == "✅ 已记录「塔山村第一村民小组」上报：7（已更正，以本次为准）"
    assert (await h.row_status("ts-01-01"))["value"] == 7

    before = len(await h.said(HQ_CHAT))
    await h.send(HQ_CHAT, HQ_COMMANDER, "/status")
    status = await only_new_line(h, HQ_CHAT, before)
    assert "目前合计：<b>19</b>" in status
    assert "完成 2/236（&lt;1%）" in status
    assert "3级：2/224" in status and "2级：0/12" in status
    assert "进行中" in status and "剩余15分钟" in status


async def test_commander_of_another_unit_cannot_answer_here(issued: Harness) -> None:
    h = issued
    copy = h.copy_in(TS0101_CHAT)
    before = len(await h.said(TS0101_CHAT))
    await h.send(TS0101_CHAT, TS0102_COMMANDER, "5", reply_to=copy)
    line = await only_new_line(h, TS0101_CHAT, before)
    assert line == "只有「塔山村第一村民小组」的指挥长或副指挥长可以代表本单元回复。"
    assert (await h.row_status("ts-01-01"))["value"] is None
    assert (await h.row_status("tashan"))["subtotal"] == 0


async def test_hq_admin_does_not_answer_for_a_unit(issued: Harness) -> None:
    h = issued
    copy = h.copy_in(TS0101_CHAT)
    await h.press(copy, HQ_ADMIN, ack_data(copy))
    assert h.session.answers()[-1].show_alert is True
    assert (await h.row_status("ts-01-01"))["acked_at"] is None


async def test_late_answer_counts_and_is_marked(issued: Harness) -> None:
    h = issued
    h.clock.advance(minutes=16)
    copy = h.copy_in(TS0101_CHAT)
    before = len(await h.said(TS0101_CHAT))
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "3", reply_to=copy)
    line = await only_new_line(h, TS0101_CHAT, before)
    assert line == "✅ 已记录「塔山村第一村民小组」上报：3（超时上报，已计入并标记迟报）"
    assert (await h.row_status("ts-01-01"))["late"] == 1
    await h.send(HQ_CHAT, HQ_COMMANDER, "/status")
    await h.drain()
    assert "已超时" in await h.last(HQ_CHAT) and "目前合计：<b>3</b>" in await h.last(HQ_CHAT)


# ---------------------------------------------------------------- one line per bad input


@pytest.mark.parametrize(
    ("chat_id", "user_id", "text", "expected"),
    [
        (
            HQ_CHAT,
            HQ_COMMANDER,
            "/order 99x count t",
            "时限「99x」看不懂。请写 15m、20m、1h 这样的时限（1 分钟到 30 天）。",
        ),
        (HQ_CHAT, HQ_COMMANDER, "/order 45d count t", "时限「45d」看不懂"),
        (HQ_CHAT, HQ_COMMANDER, "/order 15m", "请写上指令内容。"),
        (HQ_CHAT, HQ_COMMANDER, "/order 15m count", "请写上指令内容。"),
        (HQ_CHAT, HQ_COMMANDER, "/status abc", "指令号「abc」不对，应为数字，例如 /status 12。"),
        (HQ_CHAT, HQ_COMMANDER, "/status", "「塔山区块指挥部」还没有收到或发出过指令。"),
        (HQ_CHAT, HQ_COMMANDER, "/status 99", "没有编号为 #99 的指令。"),
        (HQ_CHAT, HQ_COMMANDER, "/cancel", "「塔山区块指挥部」没有进行中的指令。"),
        (HQ_CHAT, HQ_COMMANDER, "/report", "格式：/report [指令号] 数值，例如 /report 12 5"),
        (HQ_CHAT, HQ_MEMBER, "/foo", "没有这个命令：/foo。发送 /help 查看可用命令。"),
        (
            HQ_CHAT,
            HQ_MEMBER,
            f"/foo@{'tower_test_bot'}",
            "没有这个命令：/foo@tower_test_bot。发送 /help 查看可用命令。",
        ),
    ],
)
async def test_bad_input_gets_one_line(
    harness: Harness, chat_id: int, user_id: int, text: str, expected: str
) -> None:
    await harness.send(chat_id, user_id, text)
    await harness.drain()
    (line,) = await harness.said(chat_id)
    assert line.startswith(expected), line
    assert "Traceback" not in line
    assert await harness.outbox_counts() == {"sent": 1}


@pytest.mark.parametrize("text", ["/status", "/order 15m count t", "/pending", "/cancel"])
async def test_command_in_an_unbound_chat_gets_one_line(harness: Harness, text: str) -> None:
    from tests.support.tgfake import UNBOUND_CHAT

    await harness.send(UNBOUND_CHAT, HQ_COMMANDER, text)
    await harness.drain()
    assert await harness.said(UNBOUND_CHAT) == [
        "本群尚未绑定到任何单元，无法使用此命令。请联系指挥部绑定。"
    ]


@pytest.mark.parametrize("text", ["/status", "/report 4", "/pending", "/cancel", "/tree"])
async def test_a_group_command_in_a_private_chat_says_where_it_works(
    harness: Harness, text: str
) -> None:
    """Not "本群尚未绑定" (this group is not bound): there is no group to bind."""
    await harness.private(TS0101_COMMANDER, text)
    await harness.drain()
    assert await harness.said(TS0101_COMMANDER) == ["这个命令要在单元的群里发送，私聊中无法使用。"]


async def test_command_for_another_bot_is_left_alone(harness: Harness) -> None:
    await harness.send(HQ_CHAT, HQ_MEMBER, "/foo@some_other_bot")
    await harness.drain()
    assert harness.session.sends() == []


@pytest.mark.parametrize(
    ("who", "text", "expected"),
    [
        (
            TS0101_COMMANDER,
            "abc",
            "指令 #1 要上报一个数字：「abc」不是有效的数字。请回复一个整数，例如 5、十二、1,024。",
        ),
        (TS0101_COMMANDER, "1.5", "指令 #1 要上报一个数字：「1.5」不是有效的数字。"),
        (TS0101_COMMANDER, "-3", "指令 #1 要上报一个数字：「-3」不是有效的数字。"),
        (TS0101_COMMANDER, "七八", "「七八」是估计数，汇总需要确切数字。"),
        (TS0101_COMMANDER, "两三个", "「两三个」是估计数，汇总需要确切数字。"),
        (TS0101_COMMANDER, "3-5", "「3-5」是估计数，汇总需要确切数字。"),
        (TS0101_COMMANDER, "十几人", "「十几人」是估计数，汇总需要确切数字。"),
        (TS0101_COMMANDER, "大概五个", "「大概五个」是估计数，汇总需要确切数字。"),
    ],
)
async def test_bad_count_reply_gets_one_line(
    issued: Harness, who: int, text: str, expected: str
) -> None:
    h = issued
    copy = h.copy_in(TS0101_CHAT)
    before = len(await h.said(TS0101_CHAT))
    await h.send(TS0101_CHAT, who, text, reply_to=copy)
    line = await only_new_line(h, TS0101_CHAT, before)
    assert line.startswith(expected), line
    assert (await h.row_status("ts-01-01"))["answered_at"] is None


async def test_value_from_a_unit_with_sub_units_is_refused(issued: Harness) -> None:
    h = issued
    copy = h.copy_in(TS01_CHAT)
    before = len(await h.said(TS01_CHAT))
    await h.send(TS01_CHAT, TS01_COMMANDER, "5", reply_to=copy)
    line = await only_new_line(h, TS01_CHAT, before)
    assert (
        line == "「塔山村」有下级单元：指令 #1 的数字由下级上报后自动汇总，本单元只需点「收到」。"
    )
    row = await h.row_status("ts-01")
    assert row["value"] is None and row["subtotal"] == 0


async def test_status_of_an_order_that_does_not_concern_the_unit(harness: Harness) -> None:
    h = harness
    await h.send(TS01_CHAT, TS01_COMMANDER, "/order 15m notice 村里开会")
    await h.drain()
    await h.send(TS0102_CHAT, TS0102_COMMANDER, "/status 1")
    await h.drain()
    # ts-01-02 is under ts-01, so order 1 concerns it; a unit of ts-02 is not.
    assert "指令 #1" in await h.last(TS0102_CHAT)
    other = next(u for u in LEVEL3 if u.parent == "ts-02")
    await h.send(chat(other), commander(other), "/status 1")
    await h.drain()
    assert await h.last(chat(other)) == f"指令 #1 与「{other.name}」无关。"


# ---------------------------------------------------------------- pending, completion, cancel


async def test_pending_lists_units_grouped_by_parent_with_mentions(issued: Harness) -> None:
    h = issued
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "4", reply_to=h.copy_in(TS0101_CHAT))
    await h.drain()
    children = [u for u in LEVEL3 if u.parent == "ts-01"]
    before = len(await h.said(TS01_CHAT))
    await h.send(TS01_CHAT, TS01_COMMANDER, "/pending")
    text = await only_new_line(h, TS01_CHAT, before)
    lines = text.split("\n")
    # ts-01 itself (its "收到" is missing) and all its children but the one that answered.
    assert lines[0] == f"⏳ 指令 #1 未完成 {len(children)} 个单元："
    assert lines[1] == "<b>塔山区块指挥部</b>："
    # Nobody pressed 收到 in 塔山村 yet: "not seen" (issue 12's pending marks).
    assert lines[2] == f'· 塔山村（<a href="tg://user?id={TS01_COMMANDER}">李强</a>）（未查看）'
    assert lines[3] == "<b>塔山村</b>："
    listed = lines[4:]
    assert len(listed) == len(children) - 1
    assert "塔山村第一村民小组" not in text
    second = children[1]
    assert f'· {second.name}（<a href="tg://user?id={commander(second)}">' in text
    assert all(line.startswith("· ") and "tg://user?id=" in line for line in listed)


async def test_pending_in_hq_is_capped_and_counts_the_rest(issued: Harness) -> None:
    h = issued
    await h.send(HQ_CHAT, HQ_COMMANDER, "/pending")
    await h.drain()
    text = await h.last(HQ_CHAT)
    assert text.startswith("⏳ 指令 #1 未完成 236 个单元：\n<b>塔山区块指挥部</b>：\n· 塔山村（")
    unit_lines = [line for line in text.split("\n") if line.startswith("· ")]
    assert len(unit_lines) == 60
    assert text.endswith(f"……另有 {236 - 60} 个未列出")


async def test_all_units_answering_brings_the_final_report(issued: Harness) -> None:
    h = issued
    expected_total = 0
    for index, unit in enumerate(LEVEL3):
        value = index % 7
        expected_total += value
        await h.send(chat(unit), commander(unit), str(value), reply_to=h.copy_in(chat(unit)))
    await h.drain()
    assert not [t for t in await h.said(HQ_CHAT) if "总结报告" in t]

    for unit in LEVEL2:
        copy = h.copy_in(chat(unit))
        await h.press(copy, commander(unit), ack_data(copy))
    await h.drain()

    hq = await h.said(HQ_CHAT)
    finals = [t for t in hq if "总结报告" in t]
    assert len(finals) == 1
    final = finals[0]
    assert "完成 236/236（100%）" in final and "准确率 236/236" in final
    assert f"合计数字：<b>{expected_total}</b>（各级汇总一致）" in final
    assert "无迟报单元。" in final
    # Each level-2 group hears its own subtree is done, HQ hears of each child once:
    # the notices still queued at the last answer follow the report, merged into one.
    told = [t for t in hq if t.startswith("☑️ 指令 #1")]
    assert all(f"「{unit.name}」" in "".join(told) for unit in LEVEL2)
    assert sum(t.count("」") for t in told) == 12
    assert hq.index(final) < hq.index(told[-1])
    for unit in LEVEL2:
        assert any(t.startswith("🎉 指令 #1") for t in await h.said(chat(unit)))

    before = len(hq)
    await h.send(HQ_CHAT, HQ_COMMANDER, "/status")
    status = await only_new_line(h, HQ_CHAT, before)
    assert "236/236" in status and "100%" in status and "已完成" in status
    assert f"目前合计：<b>{expected_total}</b>" in status
    assert "剩余" not in status

    await h.send(HQ_CHAT, HQ_COMMANDER, "/pending")
    await h.drain()
    assert await h.last(HQ_CHAT) == "✅ 指令 #1：本单元范围内全部完成。"

    # A re-report after 100 % sends a corrected final report.
    unit = LEVEL3[0]
    await h.send(chat(unit), commander(unit), "100", reply_to=h.copy_in(chat(unit)))
    await h.drain()
    corrected = await h.last(HQ_CHAT)
    assert "总结报告（更正）" in corrected
    assert f"合计数字：<b>{expected_total + 100}</b>" in corrected


async def test_cancel_by_a_non_commander_is_refused(issued: Harness) -> None:
    h = issued
    before = len(h.session.sends())
    await h.send(HQ_CHAT, HQ_MEMBER, "/cancel")
    await h.drain()
    assert len(h.session.sends()) == before + 1
    assert await h.last(HQ_CHAT) == (
        "只有发令单元「塔山区块指挥部」的指挥长、副指挥长或指挥部管理员可以撤销。"
    )
    # A level-3 commander cannot cancel HQ's order from his own group either.
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "/cancel 1")
    await h.drain()
    assert (await h.last(TS0101_CHAT)).startswith("只有发令单元「塔山区块指挥部」")


async def test_cancel_by_the_commander_tells_the_pending_groups(issued: Harness) -> None:
    h = issued
    done_copy = h.copy_in(TS0101_CHAT)
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "2", reply_to=done_copy)
    await h.drain()
    h.session.clear()
    before = len(await h.said(HQ_CHAT))

    await h.send(HQ_CHAT, HQ_COMMANDER, "/cancel")
    await h.drain()
    notices = [c for c in h.session.sends() if c.text.startswith("⛔ 指令 #1 已撤销")]
    assert len(notices) == 235
    assert TS0101_CHAT not in {c.chat_id for c in notices}
    assert HQ_CHAT not in {c.chat_id for c in notices}
    (report,) = (await h.said(HQ_CHAT))[before:]
    assert "总结报告（已撤销）" in report and "完成 1/236" in report

    # Answers after the cancel are refused; /status shows the order cancelled.
    copy = h.copy_in(TS0102_CHAT)
    await h.send(TS0102_CHAT, TS0102_COMMANDER, "3", reply_to=copy)
    await h.press(copy, TS0102_COMMANDER, ack_data(copy))
    await h.send(HQ_CHAT, HQ_COMMANDER, "/status 1")
    await h.send(HQ_CHAT, HQ_COMMANDER, "/cancel 1")
    await h.drain()
    assert await h.last(TS0102_CHAT) == "指令 #1 已撤销。"
    assert h.session.answers()[-1].text == "指令 #1 已撤销。"
    status, again = (await h.said(HQ_CHAT))[-2:]
    assert "已撤销" in status
    assert again == "指令 #1 已结束，无法撤销。"
    assert (await h.row_status("ts-01-02"))["value"] is None


async def test_replies_to_other_bot_messages_are_ignored(issued: Harness) -> None:
    h = issued
    confirmation = h.session.sent_messages(HQ_CHAT)[0]
    before = len(h.session.calls)
    await h.send(HQ_CHAT, HQ_COMMANDER, "好的", reply_to=confirmation)
    await h.drain()
    assert len(h.session.calls) == before


async def test_deadline_and_duration_are_shown(harness: Harness) -> None:
    h = harness
    await issue(h, "/order 1h count 统计")
    # FakeClock starts 2020-02-20 08:00 UTC = 16:00 in Asia/Shanghai.
    assert "截止 17:00" in (await h.said(HQ_CHAT))[0]
    assert "截止 17:00" in (await h.said(TS0101_CHAT))[0]


async def test_list_answers_roll_up_deduplicated_per_unit(harness: Harness) -> None:
    h = harness
    await h.send(TS01_CHAT, TS01_COMMANDER, "/order 1h list 列出空房")
    await h.drain()
    first, second = [u for u in LEVEL3 if u.parent == "ts-01"][:2]
    one = await h.send(
        chat(first),
        commander(first),
        "溪西村12号\n塔山路3号\n溪西村12号",
        reply_to=h.copy_in(chat(first)),
    )
    two = await h.send(
        chat(second),
        commander(second),
        "- 塔山路3号；商城大厦A座",
        reply_to=h.copy_in(chat(second)),
    )
    await h.send(TS01_CHAT, TS01_COMMANDER, "/status")
    await h.drain()
    # A list answer's line says what was recorded (the repeat counted once; numbers
    # masked), where a reaction alone hid the count (tests/bot/test_list_entries.py).
    for unit, said, line in (
        (first, one, "清单 2 条：溪西村**号；塔山路*号"),
        (second, two, "清单 2 条：塔山路*号；商城大厦A座"),
    ):
        assert h.session.reactions(chat(unit)) == []
        (reply,) = [c for c in h.session.sends(chat(unit)) if line in c.text]
        assert reply.reply_parameters is not None
        assert reply.reply_parameters.message_id == said.message_id
    assert "目前清单：<b>4</b> 条" in await h.last(TS01_CHAT)
