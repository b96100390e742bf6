"""Item 2 of "proven reliable": every copy of an order is answerable.

A crash while a copy is in flight leaves the group with a copy whose message id
the bot never recorded. A reply to it is still attributed to its order, read
from the copy's "收到" button or, failing that, from its first line.
"""

from __future__ import annotations

from aiogram.types import Message

from bot.html import plain
from tests.support.tgfake import TS0101_CHAT, TS0101_COMMANDER, TS0102_CHAT, Harness


def _orphan(copy: Message, keep_markup: bool = True) -> Message:
    """The same copy under a message id the bot has no record of, as Telegram
    shows it in `reply_to_message` (plain text: the markup became entities)."""
    return copy.model_copy(
        update={
            "message_id": 987_654,
            "text": plain(copy.text or ""),
            "reply_markup": copy.reply_markup if keep_markup else None,
        }
    )


async def _refs(h: Harness, message_id: int) -> int:
    async with h.app.db.conn.execute(
        "SELECT COUNT(*) FROM message_refs WHERE message_id = ?", (message_id,)
    ) as cur:
        row = await cur.fetchone()
    assert row is not None
    return int(row[0])


async def test_a_reply_to_an_unrecorded_copy_is_stored(issued: Harness) -> None:
    orphan = _orphan(issued.copy_in(TS0101_CHAT))
    assert await _refs(issued, orphan.message_id) == 0
    answer = await issued.send(TS0101_CHAT, TS0101_COMMANDER, "9", reply_to=orphan)
    await issued.drain()
    assert (await issued.row_status("ts-01-01"))["value"] == 9
    assert issued.session.reactions(TS0101_CHAT) == [(answer.message_id, "👌")]


async def test_a_copy_without_its_button_is_known_by_its_first_line(issued: Harness) -> None:
    orphan = _orphan(issued.copy_in(TS0101_CHAT), keep_markup=False)
    await issued.send(TS0101_CHAT, TS0101_COMMANDER, "11", reply_to=orphan)
    assert (await issued.row_status("ts-01-01"))["value"] == 11


async def test_a_copy_carried_into_another_group_answers_only_for_that_group(
    issued: Harness,
) -> None:
    """The copy names the order, never the unit: the chat decides which unit answers."""
    orphan = _orphan(issued.copy_in(TS0101_CHAT))
    await issued.send(TS0101_CHAT, TS0101_COMMANDER, "4", reply_to=orphan)
    await issued.send(TS0102_CHAT, TS0101_COMMANDER, "6", reply_to=orphan)
    await issued.drain()
    assert (await issued.row_status("ts-01-01"))["value"] == 4
    assert (await issued.row_status("ts-01-02"))["value"] is None


async def test_a_reply_to_an_unrecorded_bot_message_without_an_order_is_not_an_answer(
    issued: Harness,
) -> None:
    other = _orphan(issued.copy_in(TS0101_CHAT), keep_markup=False).model_copy(
        update={"text": "完成 1/236 (0%) 指令 #1"}
    )
    await issued.send(TS0101_CHAT, TS0101_COMMANDER, "9", reply_to=other)
    assert (await issued.row_status("ts-01-01"))["value"] is None
