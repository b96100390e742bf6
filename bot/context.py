"""Who is speaking and which unit this chat is, resolved once per update.

An outer update middleware puts a `ChatContext` into the shared data, so
handlers (and the error handlers, which see the same data) never look up the
chat's unit or the reply language themselves. The unit was usually read already,
with other updates' (storage/update_reads.py); it is looked up here otherwise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, InaccessibleMessage, Message, TelegramObject, Update
from pydantic import BaseModel

from bot.i18n import Texts
from cascade.ports import UnitOfWorkFactory
from cascade.tower import UnitRef
from storage import update_reads


class ChatContext(BaseModel):
    chat_id: int
    user_id: int
    unit: UnitRef | None
    locale: str
    message_id: int | None = None


def chat_locale(texts: Texts, unit: UnitRef | None, language_code: str | None) -> str:
    """The language of a reply: a unit's group speaks its unit's language; any other
    chat (a private chat, a group not bound) the person's own."""
    return locale_of(texts, unit.locale if unit is not None else None, language_code)


def locale_of(texts: Texts, unit_locale: str | None, language_code: str | None) -> str:
    """`chat_locale` from the language of the chat's unit alone (None: no unit)."""
    return texts.pick(unit_locale if unit_locale is not None else language_code)


class ContextMiddleware(BaseMiddleware):
    def __init__(self, uow: UnitOfWorkFactory, texts: Texts) -> None:
        self.uow = uow
        self.texts = texts

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        inner: object = event.event if isinstance(event, Update) else event
        message = inner.message if isinstance(inner, CallbackQuery) else inner
        user = getattr(inner, "from_user", None)
        # A press on a message too old for Telegram to include still names its chat.
        if not isinstance(message, Message | InaccessibleMessage) or user is None:
            return await handler(event, data)
        reads = update_reads.current()
        known, unit = reads.unit_of(message.chat.id) if reads is not None else (False, None)
        if not known:
            async with self.uow() as tx:
                unit = await tx.tower.by_chat(message.chat.id)
        data["ctx"] = ChatContext(
            chat_id=message.chat.id,
            user_id=user.id,
            unit=unit,
            locale=chat_locale(self.texts, unit, user.language_code),
            message_id=message.message_id if isinstance(inner, Message) else None,
        )
        return await handler(event, data)
