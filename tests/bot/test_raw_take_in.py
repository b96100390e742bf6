"""By long polling an update is made into aiogram's models once, when it is handled.

The poller asks getUpdates, through the bot's session, for its updates as JSON
objects (bot/raw_updates.py): the fake server answers with JSON text that the
session reads as aiogram's HTTP session does. The inbox keeps each update as the
object the server sent, and the take-in reads only its id, chat, lane and press.
Here the bot's own poller takes in a press, a reply, a service message, an update of
a type this aiogram does not know, one aiogram cannot read and an item without an
update id: what the inbox stored, what was handled, and where the offset went.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from aiogram.types import Update

from bot.access import is_query
from bot.press_watch import Press, press_of
from bot.raw_updates import chat_key, update_id_of
from storage.inbox import Inbox
from tests.bot.test_poller_offsets import until
from tests.bot.test_press_watch import answers_to, polling
from tests.support.tgfake import (
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    Harness,
)
from tests.support.updates import as_json, press


class Recording(Inbox):
    """The bot's inbox, noting every row it is asked to store."""

    def __init__(self, h: Harness) -> None:
        super().__init__(h.app.db, h.app.bot.id)
        self.stored: list[tuple[tuple[int, str], int]] = []  # (row, its chat key)

    async def keep(
        self,
        updates: Sequence[tuple[int, str]],
        handled: Sequence[int] = (),
        chats: Sequence[int] = (),
    ) -> None:
        await super().keep(updates, handled, chats)
        self.stored.extend(zip(updates, chats, strict=True))


def person(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"u{user_id}"}


async def test_each_update_is_stored_as_sent_and_parsed_only_when_handled(
    issued: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = issued
    inbox = Recording(h)
    h.app.poller.inbox = inbox
    copy = h.copy_in(TS01_CHAT)
    pressed = as_json(press(70_001, h.user(TS01_COMMANDER), "ack:1", copy))
    answer = h.message(TS0101_CHAT, TS0101_COMMANDER, "7", reply_to=h.copy_in(TS0101_CHAT))
    reply = as_json(Update(update_id=70_002, message=answer))
    service = {
        "update_id": 70_003,
        "message": {
            "message_id": 9001,
            "date": 1_700_000_000,
            "chat": {"id": TS01_CHAT, "type": "supergroup", "title": "塔山村"},
            "from": person(TS01_COMMANDER),
            "new_chat_title": "塔山村",
        },
    }
    unknown = {"update_id": 70_004, "future_event": {"chat": {"id": TS01_CHAT}, "x": 1}}
    unreadable = {"update_id": 70_005, "message": {"text": "no chat, no date"}}
    without_id = {"message": {"message_id": 1, "text": "no update id"}}
    sent = [pressed, reply, service, unknown, unreadable]
    h.session.inbound.extend([pressed, reply, service, without_id, unknown, unreadable])

    runner = h.app.poller.runner
    async with polling(h):
        await until(lambda: runner.handled == 5 and not h.session.inbound)
    # Stored as the server sent them (the same JSON objects), the one without an id not.
    assert [update_id for (update_id, _), _ in inbox.stored] == [u["update_id"] for u in sent]
    assert [json.loads(text) for (_, text), _ in inbox.stored] == sent
    # Each under its chat, read from the JSON (an update of an unknown type too).
    assert [chat for _, chat in inbox.stored] == [TS01_CHAT, TS0101_CHAT, TS01_CHAT, TS01_CHAT, 0]
    # Handled: the press by its handler, the answer counted, the others let through.
    assert answers_to(h.session, "press-70001")
    assert (await h.row_status("ts-01-01"))["value"] == 7
    assert runner.failed == 1  # the update aiogram cannot read, alone
    assert "update 70005 in chat 0 is unreadable" in caplog.text
    assert "getUpdates gave an item without an update id: dropped" in caplog.text
    # Every update confirmed and its row deleted once handled.
    assert [row.update_id for row in await inbox.replayable()] == []


def test_the_take_in_reads_an_updates_chat_lane_and_press_from_its_json() -> None:
    on = {"message_id": 3, "chat": {"id": -1002000000001, "type": "supergroup"}}
    query = {"id": "q1", "from": {**person(5), "last_name": "王"}, "message": on}
    assert press_of({"update_id": 2**40, "callback_query": query}) == Press(
        "q1", 2**40, -1002000000001, 3, 5, "u5 王", None
    )
    assert chat_key({"update_id": 1, "callback_query": query}) == -1002000000001
    inline = {"id": "q2", "from": {**person(6), "language_code": "en"}}  # no message
    assert chat_key({"update_id": 1, "callback_query": inline}) == 6
    assert press_of({"update_id": 1, "callback_query": inline}) == Press(
        "q2", 1, None, None, 6, "u6", "en"
    )
    assert chat_key({"update_id": 1, "my_chat_member": {"chat": {"id": -9}}}) == -9
    assert chat_key({"update_id": 1, "message_reaction": {"user": person(8)}}) == 8
    # Fields of the wrong type are read as missing, never as a wrong chat.
    assert chat_key({"update_id": 1, "message": {"chat": {"id": "-9"}}}) == 0
    assert chat_key({"update_id": 1, "message": {"chat": {"id": True}}}) == 0
    assert press_of({"update_id": 1, "callback_query": {"id": "q3"}}) is None
    assert press_of({"update_id": 1, "message": on}) is None
    assert update_id_of({"update_id": "7"}) is None and update_id_of([7]) is None
    assert is_query({"update_id": 1, "message": {**on, "text": "/status@towerbot"}})
    assert not is_query({"update_id": 1, "edited_message": {**on, "text": "/status"}})
