"""A bare group message as a Telegram `Update`, for tests of the dispatching machinery
(chat ordering, poller offsets) that need updates but no tower or harness."""

from __future__ import annotations

from aiogram.types import Chat, Message, Update, User


def update(update_id: int, chat_id: int, text: str = "x") -> Update:
    message = Message(
        message_id=update_id,
        date=0,
        chat=Chat(id=chat_id, type="supergroup"),
        from_user=User(id=1, is_bot=False, first_name="u"),
        text=text,
    )
    return Update(update_id=update_id, message=message)
