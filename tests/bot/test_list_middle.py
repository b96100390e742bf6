"""A list order's unit in the middle of the tower says 收到 or 无 by a reply.

Its list comes from its sub-units, so it only acknowledges; it finished only by
pressing 收到, and its "/report 无" or a reply 无 / none / 收到 to the copy was refused
(the list comes from below), then it was named at the deadline. Such a reply now is its
press of 收到, shown as the press shows it (the copy's button line names who); a reply
with entries keeps the refusal. The merged, de-duplicated list still reaches the issuer
with the final report. A bottom unit's 无 (or 0) is a list of no entries (it was one entry
无 or 0), and a number alone is refused: a list is its entries.
"""

from __future__ import annotations

import pytest
from aiogram.methods import EditMessageText

from tests.support.tgfake import (
    HQ_CHAT,
    HQ_COMMANDER,
    TS01_CHAT,
    TS01_COMMANDER,
    Harness,
    tower_units,
)

TASHAN = tower_units("tashan")
MIDDLE = [u for u in TASHAN if u.level == 2]
BOTTOM = [u for u in TASHAN if u.level == 3]


async def listed(h: Harness, within: str = "1h") -> None:
    await h.send(HQ_CHAT, HQ_COMMANDER, f"/order {within} list 上报返乡人员名单")
    await h.drain()


def copy_edits(h: Harness, chat_id: int) -> list[EditMessageText]:
    return [c for c in h.session.calls if isinstance(c, EditMessageText) and c.chat_id == chat_id]


@pytest.mark.parametrize("word", ["无", "没有", "收到", "已收到", "None", "received", "无。"])
async def test_a_reply_meaning_nothing_of_its_own_is_its_收到(harness: Harness, word: str) -> None:
    h = harness
    await listed(h)
    copy = h.copy_in(TS01_CHAT)
    before = len(await h.said(TS01_CHAT))
    said = await h.send(TS01_CHAT, TS01_COMMANDER, word, reply_to=copy)
    await h.drain()
    row = await h.row_status("ts-01")
    assert row["acked_at"] is not None and row["acked_by"] == TS01_COMMANDER
    assert row["items"] is None and row["value"] is None
    # As a press shows it: the copy's button line names who; 👌 on the reply, no line.
    (edit,) = copy_edits(h, TS01_CHAT)
    assert edit.message_id == copy.message_id and edit.reply_markup is not None
    assert edit.reply_markup.inline_keyboard[0][0].text.startswith("✅ 已收到 · ")
    assert h.session.reactions(TS01_CHAT) == [(said.message_id, "👌")]
    assert len(await h.said(TS01_CHAT)) == before


async def test_report_无_without_the_order_number_means_the_newest_list(harness: Harness) -> None:
    h = harness
    await listed(h)
    said = await h.send(TS01_CHAT, TS01_COMMANDER, "/report 无")
    await h.drain()
    assert (await h.row_status("ts-01"))["acked_at"] is not None
    assert h.session.reactions(TS01_CHAT) == [(said.message_id, "👌")]
    # Again, with the number: still acknowledged once, the copy edited once.
    await h.send(TS01_CHAT, TS01_COMMANDER, "/report 1 none")
    await h.drain()
    assert len(copy_edits(h, TS01_CHAT)) == 1


async def test_entries_from_the_middle_are_still_refused(harness: Harness) -> None:
    h = harness
    await listed(h)
    before = len(await h.said(TS01_CHAT))
    await h.send(TS01_CHAT, TS01_COMMANDER, "张三\n李四", reply_to=h.copy_in(TS01_CHAT))
    await h.drain()
    (line,) = (await h.said(TS01_CHAT))[before:]
    assert (
        line == "「塔山村」有下级单元：指令 #1 的清单由下级上报后自动汇总，本单元只需点「收到」。"
    )
    row = await h.row_status("ts-01")
    assert row["acked_at"] is None and row["items"] is None


async def test_无_from_the_middle_of_a_count_order_is_still_refused(harness: Harness) -> None:
    """A count's 无 could be read as 0 for the whole village: not taken as 收到."""
    h = harness
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 1h count 统计外地人数")
    await h.drain()
    before = len(await h.said(TS01_CHAT))
    await h.send(TS01_CHAT, TS01_COMMANDER, "无", reply_to=h.copy_in(TS01_CHAT))
    await h.drain()
    (line,) = (await h.said(TS01_CHAT))[before:]
    assert line.startswith("「塔山村」有下级单元：指令 #1 的数字由下级上报")
    assert (await h.row_status("ts-01"))["acked_at"] is None


async def test_无_from_a_bottom_unit_of_a_list_order_is_not_taken_as_收到(
    harness: Harness,
) -> None:
    """The bottom unit's own list is asked: its reply is read as before."""
    h = harness
    await listed(h)
    await h.send(TS01_CHAT, TS01_COMMANDER, "无", reply_to=h.copy_in(TS01_CHAT))
    await h.drain()
    bottom = BOTTOM[0]
    assert bottom.chat_id is not None and bottom.commander is not None
    await h.send(
        bottom.chat_id,
        bottom.commander.telegram_id or 0,
        "溪西村12号",
        reply_to=h.copy_in(bottom.chat_id),
    )
    await h.drain()
    assert (await h.row_status(bottom.code))["items"] == '["溪西村12号"]'


async def test_the_middle_saying_无_lets_the_loop_close_with_the_merged_list(
    harness: Harness,
) -> None:
    """No unit in the middle presses; each says 无 / 收到 / none its own way. The loop
    closes and HQ gets the final report and the merged, de-duplicated list."""
    h = harness
    await listed(h)
    words = ["无", "收到", "/report 无", "none", "没有", "已收到"]
    for index, unit in enumerate(MIDDLE):
        assert unit.chat_id is not None and unit.commander is not None
        word = words[index % len(words)]
        reply_to = None if word.startswith("/") else h.copy_in(unit.chat_id)
        await h.send(unit.chat_id, unit.commander.telegram_id or 0, word, reply_to=reply_to)
    for index, unit in enumerate(BOTTOM):
        assert unit.chat_id is not None and unit.commander is not None
        text = ["无", "张三\n溪西村12号", "溪西村12号"][index % 3]
        await h.send(
            unit.chat_id, unit.commander.telegram_id or 0, text, reply_to=h.copy_in(unit.chat_id)
        )
    await h.drain()
    assert all([(await h.row_status(u.code))["acked_at"] for u in MIDDLE])
    said = await h.said(HQ_CHAT)
    report = next(t for t in said if "总结报告" in t)
    merged = said[said.index(report) + 1]
    assert merged.startswith("📋 指令 #1 合并清单（去重后 2 条")
    assert merged.count("溪西村**号") == 1 and merged.count("张*") == 1  # masked in a group
    assert "· 无（" not in merged  # a unit's 无 is no entry
    whole = next(t for t in await h.said(HQ_COMMANDER) if "合并清单" in t)
    assert whole.count("溪西村12号") == 1 and whole.count("张三") == 1
    assert "· 无（" not in whole


@pytest.mark.parametrize("word", ["无", "没有", "none", "暂无。", "0", "零", "0个", "0条"])
async def test_无_from_a_bottom_unit_is_a_list_of_no_entries(harness: Harness, word: str) -> None:
    """Not one entry "无", counted in the list and the reports."""
    h = harness
    await listed(h)
    bottom = BOTTOM[0]
    assert bottom.chat_id is not None and bottom.commander is not None
    who = bottom.commander.telegram_id or 0
    await h.send(bottom.chat_id, who, word, reply_to=h.copy_in(bottom.chat_id))
    await h.drain()
    row = await h.row_status(bottom.code)
    assert row["items"] == "[]" and row["answered_at"] is not None
    assert await h.last(bottom.chat_id) == f"✅ 已记录「{bottom.name}」上报：无（清单 0 条）"
    await h.send(bottom.chat_id, who, "溪西村12号", reply_to=h.copy_in(bottom.chat_id))
    await h.drain()
    assert (await h.row_status(bottom.code))["items"] == '["溪西村12号"]'


@pytest.mark.parametrize("word", ["5", "五", "3个"])
async def test_a_number_alone_to_a_list_is_refused_in_one_line(harness: Harness, word: str) -> None:
    """Five of what? Not one entry "5": a list is its entries, one a line."""
    h = harness
    await listed(h)
    bottom = BOTTOM[0]
    assert bottom.chat_id is not None and bottom.commander is not None
    who = bottom.commander.telegram_id or 0
    await h.send(bottom.chat_id, who, word, reply_to=h.copy_in(bottom.chat_id))
    await h.drain()
    assert (await h.row_status(bottom.code))["items"] is None
    assert await h.last(bottom.chat_id) == (
        f"指令 #1 要上报清单，「{word}」只是一个数字：请写出具体内容，每行一条（没有请回复「无」）。"
    )


async def test_a_unit_in_the_middle_that_said_无_is_not_reminded(harness: Harness) -> None:
    """Its own part is in, as after a press: the reminder chases only its sub-units."""
    h = harness
    await listed(h, "15m")
    h.session.clear()
    h.clock.advance(minutes=10, seconds=1)
    await h.app.deadlines.fire_due()  # queued for every pending unit, not sent yet
    await h.send(TS01_CHAT, TS01_COMMANDER, "无", reply_to=h.copy_in(TS01_CHAT))
    await h.drain()
    chats = {c.chat_id for c in h.session.sends() if c.text.startswith("⏰ 指令")}
    assert TS01_CHAT not in chats
    assert MIDDLE[1].chat_id in chats  # another village's 收到 is still missing


async def test_收到_from_a_bottom_unit_is_its_press_and_asks_for_its_list(
    harness: Harness,
) -> None:
    """Not one entry 收到: acknowledged as by the button, whose toast it says."""
    h = harness
    await listed(h)
    bottom = BOTTOM[0]
    assert bottom.chat_id is not None and bottom.commander is not None
    who = bottom.commander.telegram_id or 0
    await h.send(bottom.chat_id, who, "收到", reply_to=h.copy_in(bottom.chat_id))
    await h.drain()
    row = await h.row_status(bottom.code)
    assert row["acked_at"] is not None and row["items"] is None and row["answered_at"] is None
    assert await h.last(bottom.chat_id) == "已收到。请回复指令消息上报清单。"
    (edit,) = copy_edits(h, bottom.chat_id)
    assert edit.reply_markup is not None
    assert edit.reply_markup.inline_keyboard[0][0].text.startswith("✅ 已收到 · ")
    await h.send(bottom.chat_id, who, "溪西村12号", reply_to=h.copy_in(bottom.chat_id))
    await h.drain()
    assert (await h.row_status(bottom.code))["items"] == '["溪西村12号"]'
