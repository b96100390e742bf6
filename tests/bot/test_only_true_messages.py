"""Only what is true, by name: reminders, handled incidents, people.

A reminder never arrives after the deadline it counts down to and goes only
where an answer is missing; every alert of a handled incident shows its final
state in every group that saw it (an escalated alert keeps its heading); people
are named, never shown as ids.
"""

from __future__ import annotations

from aiogram.methods import EditMessageText, SendMessage

from cascade.ports import PersonRef
from cascade.tower import UnitRef
from tests.support.tgfake import (
    HQ_CHAT,
    HQ_COMMANDER,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    TS0101_MEMBER,
    TS0102_CHAT,
    Harness,
)


def reminders(h: Harness) -> list[SendMessage]:
    return [c for c in h.session.sends() if c.text.startswith("⏰ 指令")]


async def test_a_reminder_goes_where_the_answer_is_missing(issued: Harness) -> None:
    h = issued
    await h.press(h.copy_in(TS01_CHAT), TS01_COMMANDER, "ack:1")  # 塔山村's own 收到 is in
    await h.drain()
    h.session.clear()
    h.clock.advance(minutes=10, seconds=1)
    await h.app.deadlines.fire_due()
    await h.drain()
    chats = {c.chat_id for c in reminders(h)}
    assert TS0101_CHAT in chats  # its value is missing
    assert TS01_CHAT not in chats  # pending only because of its sub-units
    assert HQ_CHAT not in chats
    text = next(c.text for c in reminders(h) if c.chat_id == TS0101_CHAT)
    assert "还剩5分钟" in text or "还剩4分" in text


async def test_a_unit_without_a_group_is_reminded_through_the_group_above(
    harness: Harness,
) -> None:
    """Its reminder had nowhere to go and was dropped: the parent, whose own 收到 was
    in, was never told which of its units was still missing before the deadline."""
    h = harness
    async with h.app.db.transaction() as tx:  # its group not bound yet
        await tx.tower.conn.execute("UPDATE units SET chat_id = NULL WHERE code = 'ts-01-02'")
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m count 统计外地人数")
    await h.drain()
    await h.press(h.copy_in(TS01_CHAT), TS01_COMMANDER, "ack:1")
    await h.drain()
    h.session.clear()
    h.clock.advance(minutes=10, seconds=1)
    await h.app.deadlines.fire_due()
    await h.drain()
    (told,) = [c.text for c in reminders(h) if c.chat_id == TS01_CHAT]
    assert "下级单元「塔山村第二村民小组」尚未完成，它没有绑定群" in told
    assert TS0101_CHAT in {c.chat_id for c in reminders(h)}  # the others as before


async def test_units_without_a_group_are_named_in_one_reminder_to_the_group_above(
    harness: Harness,
) -> None:
    """One reminder each spent the group's ~20 messages a minute on a single list."""
    h = harness
    ungrouped = ("ts-01-02", "ts-01-03", "ts-01-04")
    async with h.app.db.transaction() as tx:
        for code in ungrouped:
            await tx.tower.conn.execute("UPDATE units SET chat_id = NULL WHERE code = ?", (code,))
        names = [u.name for u in (await tx.tower.refs(list(ungrouped))).values()]
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m count 统计外地人数")
    await h.drain()
    await h.press(h.copy_in(TS01_CHAT), TS01_COMMANDER, "ack:1")
    await h.drain()
    h.session.clear()
    h.clock.advance(minutes=10, seconds=1)
    await h.app.deadlines.fire_due()
    await h.drain()
    (told,) = [c.text for c in reminders(h) if c.chat_id == TS01_CHAT]
    assert "以下 3 个下级单元尚未完成，它们没有绑定群" in told
    assert all(name in told for name in names)
    assert told.count("tg://user?id=") == 3  # each one's commander mentioned
    assert TS0101_CHAT in {c.chat_id for c in reminders(h)}  # the grouped as before


async def test_no_reminder_fires_after_the_deadline(issued: Harness) -> None:
    h = issued
    h.session.clear()
    h.clock.advance(minutes=16)  # both timers due at once (e.g. after a restart)
    await h.app.deadlines.fire_due()
    await h.drain()
    assert reminders(h) == []
    assert any("已到截止时间" in c.text for c in h.session.sends())


async def test_a_queued_reminder_is_dropped_at_the_deadline(issued: Harness) -> None:
    h = issued
    h.session.clear()
    h.clock.advance(minutes=10, seconds=1)
    await h.app.deadlines.fire_due()  # queued, not sent yet (a congested outbox)
    h.clock.advance(minutes=5)
    await h.app.deadlines.fire_due()
    await h.drain()
    assert reminders(h) == []
    assert any("已到截止时间" in c.text for c in h.session.sends())


# ---------------------------------------------------------------- incidents


async def report_returnees(h: Harness) -> int:
    await h.send(TS0101_CHAT, TS0101_MEMBER, "/returnee 租客老李带2位家人从温州回来，住溪西村12号")
    await h.drain()
    confirm = await h.confirm_draft(TS0101_CHAT, TS0101_MEMBER)
    return int(confirm.split(":")[1])


def alerts(h: Harness, chat_id: int) -> list[SendMessage]:
    return [c for c in h.session.sends(chat_id) if "返回人员 #" in c.text and c.reply_markup]


async def test_a_handled_incident_updates_every_alert_it_raised(harness: Harness) -> None:
    h = harness
    incident = await report_returnees(h)
    (first,) = alerts(h, TS01_CHAT)
    assert first.text.startswith("🚨")
    h.clock.advance(minutes=21)
    await h.app.incidents.fire_due()  # nobody in 塔山村 acted: up to HQ
    await h.drain()
    (escalated,) = alerts(h, HQ_CHAT)
    assert escalated.text.startswith("⏫")
    hq_alert = h.session.sent_messages(HQ_CHAT)[-1]
    await h.press(hq_alert, HQ_COMMANDER, f"inc:{incident}:home")
    await h.press(hq_alert, HQ_COMMANDER, f"inc:{incident}:done")
    await h.drain()
    edits = [c for c in h.session.calls if isinstance(c, EditMessageText)]
    last = {c.chat_id: c for c in edits}
    assert set(last) >= {TS01_CHAT, HQ_CHAT}
    for chat_id in (TS01_CHAT, HQ_CHAT):
        final = last[chat_id]
        assert "✅ 已落实" in final.text
        assert final.reply_markup is None or final.reply_markup.inline_keyboard == []
    assert last[HQ_CHAT].text.startswith("⏫")  # keeps its escalation heading
    assert last[TS01_CHAT].text.startswith("🚨")


async def test_an_escalated_alert_keeps_its_heading_word_for_word(harness: Harness) -> None:
    """The escalation ran a minute late (a busy scheduler, a restart): the alert said
    "已21分钟未落实" and its edit after the disposition "已20分钟" for the same moment."""
    h = harness
    incident = await report_returnees(h)
    h.clock.advance(minutes=21)
    await h.app.incidents.fire_due()
    await h.drain()
    (escalated,) = alerts(h, HQ_CHAT)
    await h.press(h.session.sent_messages(HQ_CHAT)[-1], HQ_COMMANDER, f"inc:{incident}:home")
    await h.drain()
    (edit,) = [
        c for c in h.session.calls if isinstance(c, EditMessageText) and c.chat_id == HQ_CHAT
    ]
    assert edit.text.splitlines()[0] == escalated.text.splitlines()[0]
    assert "已20分钟未落实" in escalated.text  # the rule's 20 minutes, not the timer's lateness


async def test_the_reporter_is_named_in_the_commanders_details(harness: Harness) -> None:
    h = harness
    await report_returnees(h)
    (details,) = [c for c in h.session.sends(TS01_COMMANDER) if "返回人员" in c.text]
    assert f'上报人：<a href="tg://user?id={TS0101_MEMBER}">王梦红</a>' in details.text


async def test_a_refused_binding_names_the_person(harness: Harness) -> None:
    unit = UnitRef(
        code="u",
        name="菊坊楼道",
        level=3,
        kind="building",
        parent="p",
        chat_id=-5,
        locale="zh-Hans",
    )
    who = PersonRef(name="陌生人", telegram_id=6000019998)
    text = harness.app.presenter.bind_refused(unit, unit, "新群", who).text
    assert "有人（<a href=" in text and ">陌生人</a>）" in text


# ---------------------------------------------------------------- visible acknowledgement


async def test_an_acknowledgement_shows_on_the_order_copy(issued: Harness) -> None:
    h = issued
    copy = h.copy_in(TS01_CHAT)
    h.clock.advance(minutes=2)
    await h.press(copy, TS01_COMMANDER, "ack:1")
    await h.drain()
    (edit,) = [
        c for c in h.session.calls if isinstance(c, EditMessageText) and c.chat_id == TS01_CHAT
    ]
    assert edit.message_id == copy.message_id
    assert edit.text == copy.html_text or "统计外地人数" in edit.text
    assert edit.reply_markup is not None
    (row,) = edit.reply_markup.inline_keyboard
    assert row[0].text == "✅ 已收到 · 李强 16:02"
    assert row[0].callback_data == "ack:1"
    # A second press edits nothing more.
    await h.press(copy, TS01_COMMANDER, "ack:1")
    await h.drain()
    edits = [
        c for c in h.session.calls if isinstance(c, EditMessageText) and c.chat_id == TS01_CHAT
    ]
    assert len(edits) == 1


async def test_收到_written_to_a_notice_also_shows_on_the_copy(harness: Harness) -> None:
    h = harness
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m notice 今晚开会")
    await h.drain()
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "/report 收到")
    await h.drain()
    (edit,) = [
        c for c in h.session.calls if isinstance(c, EditMessageText) and c.chat_id == TS0101_CHAT
    ]
    assert edit.reply_markup is not None
    assert edit.reply_markup.inline_keyboard[0][0].text.startswith("✅ 已收到 · ")


async def test_a_queued_reminder_is_dropped_when_its_unit_answers(issued: Harness) -> None:
    h = issued
    h.session.clear()
    h.clock.advance(minutes=10, seconds=1)
    await h.app.deadlines.fire_due()  # queued for every pending unit, not sent yet
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=h.copy_in(TS0101_CHAT))
    await h.drain()
    chats = {c.chat_id for c in reminders(h)}
    assert TS0101_CHAT not in chats  # its answer is in: the reminder is never sent
    assert TS0102_CHAT in chats  # another unit's answer is still missing
    assert TS01_CHAT in chats  # the village's own 收到 is still missing
    assert (await h.row_status("ts-01-01"))["value"] == 5  # the answer itself is kept
