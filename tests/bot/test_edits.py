"""Item 7 of "proven reliable": an edited answer counts.

"5" edited to "7" replaces the stored value like a re-report, and the bot's
reply says it was corrected; the bot asks Telegram for edited messages.
"""

from __future__ import annotations

from aiogram.types import Message, Update

from tests.support.tgfake import TS0101_CHAT, TS0101_COMMANDER, Harness


def _edited(original: Message, text: str) -> Message:
    return original.model_copy(update={"text": text, "edit_date": 1_582_185_900})


async def test_an_edited_reply_replaces_the_value_and_says_so(issued: Harness) -> None:
    five = await issued.send(
        TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=issued.copy_in(TS0101_CHAT)
    )
    await issued.drain()
    assert (await issued.row_status("ts-01-01"))["value"] == 5
    await issued.app.dispatcher.feed_update(
        issued.app.bot, Update(update_id=700, edited_message=_edited(five, "7"))
    )
    await issued.drain()
    assert (await issued.row_status("ts-01-01"))["value"] == 7
    last = await issued.last(TS0101_CHAT)
    assert "7" in last and "已更正" in last


async def test_an_edited_report_command_replaces_the_value(issued: Harness) -> None:
    five = await issued.send(TS0101_CHAT, TS0101_COMMANDER, "/report 5")
    await issued.app.dispatcher.feed_update(
        issued.app.bot, Update(update_id=701, edited_message=_edited(five, "/report 8"))
    )
    assert (await issued.row_status("ts-01-01"))["value"] == 8


async def test_the_same_edit_delivered_twice_counts_once(issued: Harness) -> None:
    five = await issued.send(
        TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=issued.copy_in(TS0101_CHAT)
    )
    edit = Update(update_id=702, edited_message=_edited(five, "7"))
    await issued.app.dispatcher.feed_update(issued.app.bot, edit)
    await issued.drain()
    # The first delivery counted (else "nothing happened twice" would prove nothing) ...
    counted = await issued.row_status("ts-01-01")
    assert counted["value"] == 7
    assert len([t for t in await issued.said(TS0101_CHAT) if "已更正" in t]) == 1
    issued.session.clear()
    await issued.app.dispatcher.feed_update(issued.app.bot, edit)
    await issued.drain()
    # ... and the second changed nothing and said nothing, anywhere.
    assert await issued.row_status("ts-01-01") == counted
    assert issued.session.calls == []


async def test_the_bot_asks_for_edited_messages(harness: Harness) -> None:
    wanted = harness.app.dispatcher.resolve_used_update_types()
    assert {"message", "edited_message", "callback_query", "my_chat_member"} <= set(wanted)
