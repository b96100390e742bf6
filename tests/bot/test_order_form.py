"""The guided `/order` form: text → kind → time allowed → preview → confirm.

Officials who do not remember the command syntax send `/order` alone. Bots in
privacy mode only see replies to themselves, so the text is asked for with
ForceReply and every other step is a button. These tests walk the form through
the real dispatcher (its FSM included) and check that nothing is decided before
"下达" and that the preview says how many units the order will reach.
"""

from __future__ import annotations

from aiogram.types import ForceReply, InlineKeyboardMarkup, Message

from bot.callbacks import AckCallback, FormCallback
from tests.support.tgfake import (
    HQ_CHAT,
    HQ_COMMANDER,
    HQ_MEMBER,
    TS01_CHAT,
    TS01_COMMANDER,
    Harness,
)


def buttons(message: Message) -> dict[str, str]:
    """callback data → label of every button on a message."""
    markup = message.reply_markup
    assert isinstance(markup, InlineKeyboardMarkup), message.text
    return {b.callback_data or "": b.text for row in markup.inline_keyboard for b in row}


def data(step: str, value: str) -> str:
    return FormCallback(step=step, value=value).pack()


async def order_rows(h: Harness) -> int:
    async with h.app.db.conn.execute("SELECT COUNT(*) FROM orders") as cur:
        row = await cur.fetchone()
    return int(row[0])


async def open_form(h: Harness, chat_id: int = HQ_CHAT, user: int = HQ_COMMANDER) -> Message:
    await h.send(chat_id, user, "/order")
    await h.drain()
    return h.prompt_in(chat_id)


async def kind_step_for(
    h: Harness, text: str, chat_id: int = HQ_CHAT, user: int = HQ_COMMANDER
) -> Message:
    """Open the form, give it its text, and return the step that asks for the kind."""
    prompt = await open_form(h, chat_id, user)
    await h.send(chat_id, user, text, reply_to=prompt)
    await h.drain()
    return h.prompt_in(chat_id)


async def test_the_whole_form_issues_the_order(harness: Harness) -> None:
    h = harness
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order")
    await h.drain()
    (ask,) = h.session.sends(HQ_CHAT)
    assert isinstance(ask.reply_markup, ForceReply)
    assert "回复本消息" in ask.text
    prompt = h.prompt_in(HQ_CHAT)

    await h.send(HQ_CHAT, HQ_COMMANDER, "统计返乡人员 <b>今晚</b>", reply_to=prompt)
    await h.drain()
    kind_step = h.prompt_in(HQ_CHAT)
    assert kind_step.text == "指令类型？"
    kinds = buttons(kind_step)
    assert {data("kind", k) for k in ("notice", "count", "list")} <= set(kinds)
    assert kinds[data("kind", "count")] == "统计数字"

    await h.press(kind_step, HQ_COMMANDER, data("kind", "count"))
    await h.drain()
    duration_step = h.prompt_in(HQ_CHAT)
    assert duration_step.text == "时限？"
    assert data("duration", "20m") in buttons(duration_step)

    await h.press(duration_step, HQ_COMMANDER, data("duration", "20m"))
    await h.drain()
    preview = h.prompt_in(HQ_CHAT)
    assert preview.text is not None
    assert "将发往 236 个单元" in preview.text
    assert "2级 12 个" in preview.text and "3级 224 个" in preview.text
    assert "统计数字" in preview.text and "20分钟内" in preview.text
    assert "&lt;b&gt;今晚&lt;/b&gt;" in (h.session.sends(HQ_CHAT)[-1].text)  # escaped
    assert await order_rows(h) == 0, "nothing is decided before the confirmation"
    assert h.session.copies() == []

    await h.press(preview, HQ_COMMANDER, data("confirm", "-"))
    await h.drain()
    assert await order_rows(h) == 1
    copies = h.session.copies()
    assert len(copies) == 236
    assert all("统计返乡人员" in c.text for c in copies)
    markup = copies[0].reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    assert AckCallback.unpack(markup.inline_keyboard[0][0].callback_data or "").order_id == 1
    confirmation = (await h.said(HQ_CHAT))[-1]
    assert "指令 #1 已下达（统计数字，20分钟内" in confirmation
    assert "发往 236 个单元" in confirmation
    # Every button press was answered (no endless spinner in the client).
    assert len(h.session.answers()) == 3

    # Pressing "下达" again does not issue a second order.
    await h.press(preview, HQ_COMMANDER, data("confirm", "-"))
    await h.drain()
    assert await order_rows(h) == 1
    assert h.session.answers()[-1].show_alert is True


async def test_a_member_may_not_open_the_form(harness: Harness) -> None:
    h = harness
    await h.send(HQ_CHAT, HQ_MEMBER, "/order")
    await h.drain()
    (line,) = await h.said(HQ_CHAT)
    assert line.startswith("只有「塔山区块指挥部」的指挥长")
    # No form was opened: a later text is not taken as an order text.
    await h.send(HQ_CHAT, HQ_MEMBER, "随便说一句")
    await h.drain()
    assert len(await h.said(HQ_CHAT)) == 1


async def test_the_form_belongs_to_the_person_who_opened_it(harness: Harness) -> None:
    h = harness
    kind_step = await kind_step_for(h, "开会")
    await h.press(kind_step, HQ_MEMBER, data("kind", "notice"))
    await h.drain()
    assert h.session.answers()[-1].show_alert is True
    assert h.prompt_in(HQ_CHAT).message_id == kind_step.message_id


async def test_cancel_button_drops_the_form(harness: Harness) -> None:
    h = harness
    kind_step = await kind_step_for(h, "村里开会", TS01_CHAT, TS01_COMMANDER)
    await h.press(kind_step, TS01_COMMANDER, data("kind", "notice"))
    await h.drain()
    duration_step = h.prompt_in(TS01_CHAT)
    await h.press(duration_step, TS01_COMMANDER, data("duration", "15m"))
    await h.drain()
    preview = h.prompt_in(TS01_CHAT)
    assert preview.text is not None and "将发往 22 个单元" in preview.text
    await h.press(preview, TS01_COMMANDER, data("cancel", "-"))
    await h.drain()
    assert h.session.answers()[-1].text == "已取消，未下达。"
    await h.press(preview, TS01_COMMANDER, data("confirm", "-"))
    await h.drain()
    assert h.session.answers()[-1].text == "此表单已失效或不是您发起的，请发送 /order 重新开始。"
    assert h.session.answers()[-1].show_alert is True
    assert await order_rows(h) == 0
    assert h.session.copies() == []


async def test_a_forged_kind_or_duration_gets_one_alert_and_keeps_the_step(
    harness: Harness,
) -> None:
    h = harness
    kind_step = await kind_step_for(h, "开会")
    await h.press(kind_step, HQ_COMMANDER, data("kind", "nonsense"))
    await h.drain()
    answer = h.session.answers()[-1]
    assert answer.show_alert is True
    assert answer.text == "此表单已失效或不是您发起的，请发送 /order 重新开始。"
    assert h.prompt_in(HQ_CHAT).message_id == kind_step.message_id

    await h.press(kind_step, HQ_COMMANDER, data("kind", "count"))
    await h.drain()
    duration_step = h.prompt_in(HQ_CHAT)
    await h.press(duration_step, HQ_COMMANDER, data("duration", "99x"))
    await h.drain()
    assert h.session.answers()[-1].show_alert is True
    assert h.prompt_in(HQ_CHAT).message_id == duration_step.message_id
    assert await order_rows(h) == 0


async def test_an_empty_or_command_text_is_refused(harness: Harness) -> None:
    h = harness
    prompt = await open_form(h)
    await h.send(HQ_CHAT, HQ_COMMANDER, "   ", reply_to=prompt)
    await h.drain()
    assert (await h.last(HQ_CHAT)).startswith("请写上指令内容。")
    # The form is still waiting for its text.
    await h.send(HQ_CHAT, HQ_COMMANDER, "开会", reply_to=prompt)
    await h.drain()
    assert await h.last(HQ_CHAT) == "指令类型？"


async def test_commands_still_work_while_a_form_waits_for_its_text(harness: Harness) -> None:
    h = harness
    await open_form(h)
    await h.send(HQ_CHAT, HQ_COMMANDER, "/whoami")
    await h.drain()
    assert "• 塔山区块指挥部（指挥部，指挥长）" in (await h.said(HQ_CHAT))[-2]


def test_form_callback_data_fits_telegram() -> None:
    for step, value in [("kind", "notice"), ("duration", "1h"), ("confirm", "-")]:
        assert len(data(step, value).encode()) <= 64
    assert len(AckCallback(order_id=10**12).pack().encode()) <= 64
