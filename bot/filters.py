"""Filters shared by feature routers.

`RepliesTo` matches a reply to one of the bot's own messages made for one of the
given purposes (an order copy, an incident draft, ...) and hands the handler the
message's `ref`, so each feature only sees the replies meant for it.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.filters import Filter
from aiogram.types import Message

from cascade.ports import UnitOfWorkFactory


class RepliesTo(Filter):
    def __init__(self, *purposes: str) -> None:
        self.purposes = set(purposes)

    async def __call__(
        self, message: Message, bot: Bot, uow: UnitOfWorkFactory
    ) -> bool | dict[str, Any]:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or replied.from_user.id != bot.id:
            return False
        async with uow() as tx:
            ref = await tx.refs.lookup(message.chat.id, replied.message_id)
        if ref is None or ref.purpose not in self.purposes:
            return False
        return {"ref": ref}
