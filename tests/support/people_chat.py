"""Sending as a person in a private chat with the bot (the harness sends in groups)."""

from __future__ import annotations

import itertools

from aiogram.types import Chat, Message, MessageEntity, Update

from tests.support.tgfake import Harness

_ids = itertools.count(900_000)


async def private(h: Harness, user_id: int, text: str) -> None:
    entities = [MessageEntity(type="bot_command", offset=0, length=len(text.split()[0]))]
    message = Message(
        message_id=next(_ids),
        date=h.clock.now(),
        chat=Chat(id=user_id, type="private"),
        from_user=h.user(user_id),
        text=text,
        entities=entities,
    )
    await h.app.dispatcher.feed_update(h.app.bot, Update(update_id=next(_ids), message=message))
