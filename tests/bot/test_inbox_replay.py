"""Rows a crash left in the inbox go through the real dispatcher at the next start.

tests/bot/test_poller_offsets.py shows the poller's bookkeeping with a stand-in
dispatcher; here the stored JSON is read back by the real bot: a press (whose
update carries the whole copy it was pressed on) is answered and counted, and a
reply handled before the crash (its decision committed, its row not yet deleted)
is skipped by the record of processed updates instead of taking effect twice --
on both engines. A row set aside tells its chat once, also when (SQLite: the line in
the database, the mark in the inbox's own file) the process dies between the two.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from aiogram.types import CallbackQuery, Chat, Update

from bot.dispatch import UpdatePoller
from storage.inbox import ASIDE, Inbox
from tests.support.restarts import restart
from tests.support.tgfake import (
    TS0101_CHAT,
    TS0101_COMMANDER,
    TS0102_CHAT,
    TS0102_COMMANDER,
    Harness,
)
from tests.support.updates import text_of


async def test_what_a_crash_left_in_the_inbox_takes_effect_once(issued: Harness) -> None:
    h = issued
    five = Update(
        update_id=700,
        message=h.message(TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=h.copy_in(TS0101_CHAT)),
    )
    seven = Update(
        update_id=701,
        message=h.message(TS0101_CHAT, TS0101_COMMANDER, "7", reply_to=h.copy_in(TS0101_CHAT)),
    )
    press = Update(
        update_id=702,
        callback_query=CallbackQuery(
            id="cq-inbox",
            from_user=h.user(TS0102_COMMANDER),
            chat_instance="ci",
            message=h.copy_in(TS0102_CHAT),
            data="ack:1",
        ),
    )
    for handled in (five, seven):  # both decided before the crash, in order
        await h.app.dispatcher.feed_update(h.app.bot, handled)
    await h.drain()
    h.session.clear()
    inbox = Inbox(h.app.db, h.app.bot.id)
    # Left by the crash: the row of "5" (handled, not yet deleted) and the press.
    await inbox.keep([(u.update_id, text_of(u)) for u in (five, press)])

    poller = UpdatePoller(h.app.bot, h.app.dispatcher, inbox)
    assert await poller.replay() == 703
    await poller.runner.wait_idle()
    await poller.forget()
    await h.drain()

    assert (await h.row_status("ts-01-01"))["value"] == 7  # "5" did not come back over it
    assert h.session.sends(TS0101_CHAT) == [] and h.session.reactions(TS0101_CHAT) == []
    assert (await h.row_status("ts-01-02"))["acked_at"] is not None
    assert [a.callback_query_id for a in h.session.answers()] == ["cq-inbox"]
    assert await inbox.waiting() == []


ZH = "⚠️ 抱歉，刚才的消息或按键未能处理，请重新发送或再按一次。"
EN = (
    "⚠️ Sorry, your last message or button press could not be processed; "
    "please send it again or press once more."
)


async def replayed_three_times(h: Harness, poison: Update) -> Inbox:
    """`poison` in the inbox as three replays left it (each began it, none finished),
    then the bot's start handles the inbox; its inbox."""
    inbox = Inbox(h.app.db, h.app.bot.id)
    await inbox.keep([(poison.update_id, text_of(poison))])
    for _ in range(3):
        await inbox.attempt([poison.update_id])
    h.session.clear()
    await h.app.poller.catch_up()
    await h.drain()
    return inbox


async def test_an_update_set_aside_tells_its_chat_to_send_it_again(issued: Harness) -> None:
    """The real bot's poller: a row three replays began without finishing is not
    handled again; the person's group gets one line, replying to the message."""
    h = issued
    poison = Update(
        update_id=710,
        message=h.message(TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=h.copy_in(TS0101_CHAT)),
    )
    inbox = await replayed_three_times(h, poison)

    assert (await h.row_status("ts-01-01"))["value"] is None  # not handled
    (told,) = h.session.sends(TS0101_CHAT)
    assert told.text == ZH
    assert told.reply_parameters is not None
    assert told.reply_parameters.message_id == poison.message.message_id
    assert await inbox.waiting() == [] and await inbox.aside() == [710]


@pytest.mark.parametrize(
    ("where", "unit_locale", "language", "press", "said"),
    [
        ("group", "zh-Hans", "en", False, ZH),  # a unit's group speaks its unit's language
        ("group", "en", "zh-hans", False, EN),
        ("group", "en", None, True, EN),  # a press: nothing to reply to, same language
        ("private", None, "en-GB", False, EN),  # a private chat: the person's own
        ("private", None, "en", True, EN),
        ("private", None, "zh-hans", False, ZH),
        ("private", None, None, False, ZH),  # no tag: the default, Chinese
    ],
    ids=["zh-group", "en-group", "en-group-press", "en-gb", "en-press", "zh", "no-tag"],
)
async def test_the_set_aside_line_is_in_the_chats_language(
    issued: Harness,
    where: str,
    unit_locale: str | None,
    language: str | None,
    press: bool,
    said: str,
) -> None:
    """The line asking to send again uses the language any other reply in that chat
    would: the unit's in a unit's group, else the person's language tag."""
    h = issued
    chat = TS0101_CHAT if where == "group" else TS0101_COMMANDER
    if unit_locale is not None:
        async with h.app.db.transaction() as tx:
            sql = "UPDATE units SET locale = ? WHERE code = ?"
            await tx.conn.execute(sql, (unit_locale, "ts-01-01"))
    message = h.message(TS0101_CHAT, TS0101_COMMANDER, "5", language=language)
    message = message.model_copy(
        update={"chat": Chat(id=chat, type="supergroup" if chat < 0 else "private")}
    )
    if press:
        poison = Update(
            update_id=720,
            callback_query=CallbackQuery(
                id="cq-aside",
                from_user=h.user(TS0101_COMMANDER, language),
                chat_instance="ci",
                message=message,
                data="ack:1",
            ),
        )
    else:
        poison = Update(update_id=720, message=message)
    inbox = await replayed_three_times(h, poison)

    (told,) = h.session.sends(chat)
    assert told.text == said
    replied = told.reply_parameters.message_id if told.reply_parameters else None
    assert replied == (None if press else message.message_id)
    assert await inbox.aside() == [720]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_a_crash_between_the_line_and_the_mark_tells_the_chat_once(
    issued: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite the line is queued in the database and the row marked in the inbox's
    own file (storage/inbox_file.py): the process dies between the two; the next
    start sets the row aside again and the chat gets no second line."""
    h = issued
    poison = Update(
        update_id=730,
        message=h.message(TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=h.copy_in(TS0101_CHAT)),
    )
    store = await h.app.db.inbox()
    write = store.write_at_once

    async def dies_at_the_mark(steps: Any, urgent: bool = False) -> None:
        if steps[0][0] == ASIDE:
            raise sqlite3.OperationalError("the process died here")
        await write(steps, urgent)

    monkeypatch.setattr(store, "write_at_once", dies_at_the_mark)
    with pytest.raises(sqlite3.OperationalError):
        await replayed_three_times(h, poison)
    await h.drain()
    (told,) = h.session.sends(TS0101_CHAT)
    assert told.text == ZH

    again = await restart(h)  # a new handle on the same files: the mark was never written
    try:
        await again.app.poller.catch_up()
        await again.drain()
        assert again.session.sends(TS0101_CHAT) == []  # not told twice
        inbox = Inbox(again.app.db, again.app.bot.id)
        assert await inbox.waiting() == [] and await inbox.aside() == [730]
        assert (await again.row_status("ts-01-01"))["value"] is None  # never handled
    finally:
        await again.app.stop()
