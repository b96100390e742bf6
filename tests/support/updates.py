"""A bare group message as a Telegram `Update`, for tests of the dispatching machinery
(chat ordering, poller offsets) that need updates but no tower or harness, and an
update as the Bot API sends it (the JSON object the poller takes in)."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Chat, MaybeInaccessibleMessage, Message, Update, User

from bot.dispatch import ChatOrderedRunner, Taken, payload


def update(update_id: int, chat_id: int, text: str = "x") -> Update:
    message = Message(
        message_id=update_id,
        date=0,
        chat=Chat(id=chat_id, type="supergroup"),
        from_user=User(id=1, is_bot=False, first_name="u"),
        text=text,
    )
    return Update(update_id=update_id, message=message)


def press(
    update_id: int,
    user: User,
    data: str | None = None,
    message: MaybeInaccessibleMessage | None = None,
    inline_message_id: str | None = None,
) -> Update:
    """A button pressed, as an update in hand (`Harness.press` sends one at once; these
    tests need it unsent): on `message`, or on an inline message, or on neither."""
    query = CallbackQuery(
        id=f"press-{update_id}",
        from_user=user,
        chat_instance="ci",
        message=message,
        inline_message_id=inline_message_id,
        data=data,
    )
    return Update(update_id=update_id, callback_query=query)


def as_json(update: Update) -> dict[str, Any]:
    """An update as the Bot API sends it (decoded)."""
    return update.model_dump(mode="json", by_alias=True, exclude_none=True)


def text_of(update: Update) -> str:
    """An update's JSON as the inbox keeps it."""
    return payload(as_json(update))


def submit(runner: ChatOrderedRunner, update: Update) -> int:
    """Queue `update` as the poller takes one in: its JSON object read, its text kept."""
    raw = as_json(update)
    return runner.keep(update.update_id, raw, payload(raw))


def taken(update: Update) -> Taken:
    """`update` as it comes in: its id, its JSON object and the text kept."""
    raw = as_json(update)
    return Taken(update.update_id, raw, payload(raw))
