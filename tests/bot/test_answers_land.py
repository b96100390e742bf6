"""Answers land where they belong, and every command is answered.

`/report VALUE` without an order number goes to the newest open order that
still needs a value from the unit; a value for a notice, a non-number for a
count, an order that does not exist or does not concern the unit each get one
line naming the order and what it needs. `/cancel` answers the person and the
cancel report names who cancelled.
"""

from __future__ import annotations

import pytest

from sandbox.entities import parse_html
from tests.support.tgfake import (
    HQ_ADMIN,
    HQ_CHAT,
    HQ_COMMANDER,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    Harness,
)


async def say(h: Harness, chat_id: int, user_id: int, text: str) -> str:
    before = len(await h.said(chat_id))
    await h.send(chat_id, user_id, text)
    await h.drain()
    (line,) = (await h.said(chat_id))[before:]
    return line


async def confirmed(h: Harness, chat_id: int, user_id: int, text: str) -> None:
    """`text` is recorded: a reaction on it, and no new line in the group."""
    before = len(await h.said(chat_id))
    message = await h.send(chat_id, user_id, text)
    await h.drain()
    assert len(await h.said(chat_id)) == before
    assert h.session.reactions(chat_id)[-1] == (message.message_id, "👌")


async def count_then_notice(h: Harness) -> None:
    """Order #1 counts (from the fixture), order #2 is a newer notice from HQ."""
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m notice 今晚开会")
    await h.drain()


async def test_a_bare_value_goes_to_the_count_order_not_the_newer_notice(
    issued: Harness,
) -> None:
    h = issued
    await count_then_notice(h)
    await confirmed(h, TS0101_CHAT, TS0101_COMMANDER, "/report 7")
    assert (await h.row_status("ts-01-01", 1))["value"] == 7
    assert (await h.row_status("ts-01-01", 2))["acked_at"] is None


async def test_a_non_number_names_the_count_order_and_acknowledges_nothing(
    issued: Harness,
) -> None:
    h = issued
    await count_then_notice(h)
    line = await say(h, TS0101_CHAT, TS0101_COMMANDER, "/report xyz")
    assert line.startswith("指令 #1 要上报一个数字：「xyz」不是有效的数字。")
    assert (await h.row_status("ts-01-01", 2))["acked_at"] is None
    assert (await h.row_status("ts-01-01", 1))["value"] is None


async def test_a_value_for_a_notice_says_what_the_notice_needs(issued: Harness) -> None:
    h = issued
    await count_then_notice(h)
    line = await say(h, TS0101_CHAT, TS0101_COMMANDER, "/report 2 7")
    assert line == "指令 #2 是通知，不需要上报数值：请点指令消息上的「收到」。"
    assert (await h.row_status("ts-01-01", 2))["acked_at"] is None


async def test_收到_to_a_notice_is_recorded_and_answered(issued: Harness) -> None:
    h = issued
    await count_then_notice(h)
    await confirmed(h, TS0101_CHAT, TS0101_COMMANDER, "/report 2 收到")
    assert (await h.row_status("ts-01-01", 2))["acked_at"] is not None


async def test_once_answered_a_bare_value_asks_for_the_order_number(issued: Harness) -> None:
    h = issued
    await confirmed(h, TS0101_CHAT, TS0101_COMMANDER, "/report 5")
    line = await say(h, TS0101_CHAT, TS0101_COMMANDER, "/report 6")
    assert line == (
        "「塔山村第一村民小组」已上报了所有进行中指令要的数值。"
        "如需更正，请写上指令号，例如 /report 1 数值。"
    )
    assert (await h.row_status("ts-01-01"))["value"] == 5
    # Naming the order corrects it.
    line = await say(h, TS0101_CHAT, TS0101_COMMANDER, "/report 1 6")
    assert line == "✅ 已记录「塔山村第一村民小组」上报：6（已更正，以本次为准）"


@pytest.mark.parametrize(
    ("chat_id", "user_id", "text", "expected"),
    [
        (TS0101_CHAT, TS0101_COMMANDER, "/report 99 5", "没有编号为 #99 的指令。"),
        (HQ_CHAT, HQ_COMMANDER, "/report 1 5", "「塔山区块指挥部」不在指令 #1 的下达范围内。"),
        (HQ_CHAT, HQ_COMMANDER, "/report 5", "「塔山区块指挥部」不在指令 #1 的下达范围内。"),
        (
            TS01_CHAT,
            TS01_COMMANDER,
            "/report 5",
            "「塔山村」有下级单元：指令 #1 的数字由下级上报后自动汇总，本单元只需点「收到」。",
        ),
        (TS0101_CHAT, TS0101_COMMANDER, "/report 1 <b>", "指令 #1 要上报一个数字：「<b>」"),
    ],
)
async def test_wrong_targets_get_one_line_naming_the_order(
    issued: Harness, chat_id: int, user_id: int, text: str, expected: str
) -> None:
    line = await say(issued, chat_id, user_id, text)
    shown, _ = parse_html(line)
    assert shown.startswith(expected), shown


async def test_a_bare_value_with_only_a_notice_open(harness: Harness) -> None:
    h = harness
    await count_then_notice(h)
    line = await say(h, TS0101_CHAT, TS0101_COMMANDER, "/report 7")
    assert line == "指令 #1 是通知，不需要上报数值：请点指令消息上的「收到」。"


async def test_a_reply_to_a_notice_copy(harness: Harness) -> None:
    h = harness
    await count_then_notice(h)
    copy = h.copy_in(TS0101_CHAT)
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "3", reply_to=copy)
    ack = await h.send(TS0101_CHAT, TS0101_COMMANDER, "收到！", reply_to=copy)
    await h.drain()
    assert (await h.said(TS0101_CHAT))[-1].startswith("指令 #1 是通知")
    assert h.session.reactions(TS0101_CHAT) == [(ack.message_id, "👌")]


# ---------------------------------------------------------------- /cancel


async def test_cancel_answers_the_person_and_names_who_cancelled(issued: Harness) -> None:
    h = issued
    before = len(await h.said(HQ_CHAT))
    await h.send(HQ_CHAT, HQ_COMMANDER, "/cancel")
    await h.drain()
    (report,) = (await h.said(HQ_CHAT))[before:]
    assert "总结报告（已撤销）" in report
    assert '撤销人：<a href="tg://user?id=6000000001">王建</a>' in report
    # The report answers the command: it quotes it.
    sent = h.session.sends(HQ_CHAT)[-1]
    assert sent.reply_parameters is not None


async def test_cancel_from_a_lower_group_answers_there(issued: Harness) -> None:
    h = issued
    before = len(await h.said(TS01_CHAT))
    await h.send(TS01_CHAT, HQ_ADMIN, "/cancel 1")
    await h.drain()
    (line,) = (await h.said(TS01_CHAT))[before:]
    assert line == (
        "⛔ 指令 #1 已撤销，已通知 236 个未完成单元；总结报告已发到「塔山区块指挥部」群。"
    )
    report = await h.last(HQ_CHAT)
    assert "撤销人：" in report and "王嘉峰" in report


async def test_a_list_from_a_unit_with_sub_units_is_told_lists_not_numbers(
    harness: Harness,
) -> None:
    h = harness
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m list 上报返乡人员名单")
    await h.drain()
    assert h.copy_in(TS01_CHAT).text is not None
    assert "清单由下级单元上报后自动合并" in h.copy_in(TS01_CHAT).text  # not 数字
    line = await say(h, TS01_CHAT, TS01_COMMANDER, "/report 张三")
    assert line == (
        "「塔山村」有下级单元：指令 #1 的清单由下级上报后自动汇总，本单元只需点「收到」。"
    )


@pytest.mark.parametrize("text", ["/report 1 024", "/report 1 000 500"])
async def test_digits_after_an_order_number_that_start_with_0_are_asked_not_summed(
    issued: Harness, text: str
) -> None:
    """Digits "1 024" may be 1024 typed with a space: order #1's 24 is not recorded."""
    line = await say(issued, TS0101_CHAT, TS0101_COMMANDER, text)
    shown, _ = parse_html(line)
    assert shown.startswith(f"「{text[8:]}」有两种读法：指令 #1 上报 "), shown
    assert (await issued.row_status("ts-01-01", 1))["value"] is None


async def test_an_order_number_with_its_hash_keeps_a_leading_0(issued: Harness) -> None:
    await confirmed(issued, TS0101_CHAT, TS0101_COMMANDER, "/report #1 024")
    assert (await issued.row_status("ts-01-01", 1))["value"] == 24


async def test_a_number_above_the_limit_is_refused_as_too_large(issued: Harness) -> None:
    line = await say(issued, TS0101_CHAT, TS0101_COMMANDER, "/report 1 两千万")
    shown, _ = parse_html(line)
    assert shown.startswith("「两千万」超过了上限 "), shown
    assert "10,000,000" in shown and "#1" in shown, shown
    assert (await issued.row_status("ts-01-01", 1))["value"] is None


async def village_notice(h: Harness) -> None:
    """Order #1, a notice issued by the village (level 2), not by HQ."""
    await h.send(TS01_CHAT, TS01_COMMANDER, "/order 15m notice 今晚开会")
    await h.drain()


async def test_an_hq_admin_cancels_an_order_issued_below_from_the_hq_group(
    harness: Harness,
) -> None:
    h = harness
    await village_notice(h)
    line = await say(h, HQ_CHAT, HQ_ADMIN, "/cancel 1")
    assert line.startswith("⛔ 指令 #1 已撤销，已通知 "), line
    assert line.endswith("总结报告已发到「塔山村」群。"), line
    assert "撤销人：" in await h.last(TS01_CHAT)


async def test_a_commander_above_who_is_no_admin_cannot_cancel_it(harness: Harness) -> None:
    h = harness
    await village_notice(h)
    line = await say(h, HQ_CHAT, HQ_COMMANDER, "/cancel 1")
    assert line == "指令 #1 与「塔山区块指挥部」无关。"
