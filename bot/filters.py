"""Filters shared by feature routers.

`RepliesTo` matches a reply to one of the bot's own messages made for one of the
given purposes (an order copy, an incident draft, ...) and hands the handler the
message's `ref`, so each feature only sees the replies meant for it. A bot
message that carries an order is answerable even if its id was never recorded.
"""

from __future__ import annotations

import re
from typing import Any

from aiogram import Bot
from aiogram.filters import Filter
from aiogram.types import Message

from bot.callbacks import MAX_ID, AckCallback
from cascade.outgoing import MessageRef
from cascade.ports import UnitOfWorkFactory
from storage import update_reads


class RepliesTo(Filter):
    def __init__(self, *purposes: str) -> None:
        self.purposes = set(purposes)

    async def __call__(
        self, message: Message, bot: Bot, uow: UnitOfWorkFactory
    ) -> bool | dict[str, Any]:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or replied.from_user.id != bot.id:
            return False
        reads = update_reads.current()
        known, ref = (
            reads.ref_of(message.chat.id, replied.message_id)
            if reads is not None
            else (False, None)
        )
        if not known:
            async with uow() as tx:
                ref = await tx.refs.lookup(message.chat.id, replied.message_id)
        if ref is None and "order_copy" in self.purposes:
            ref = order_copy_ref(replied)
        if ref is None or ref.purpose not in self.purposes:
            return False
        return {"ref": ref}


# The first line of an order copy only ("📢 指令 #12（计数）", "📢 Order #12 (count)"):
# reports and query answers that name an order are not answerable.
_ORDER_TITLE = re.compile(r"^📢 (?:指令|Order) #(\d{1,18}) ?[（(]")


def order_copy_ref(replied: Message) -> MessageRef | None:
    """The order a bot message carries, read from the message itself.

    A copy sent just before a crash reached the group but its message id was
    never recorded; its "收到" button (callback data) or its first line
    ("指令 #12") still says which order it is. The order service checks that
    the chat's unit is one of the order's targets.
    """
    markup = replied.reply_markup
    for row in markup.inline_keyboard if markup is not None else []:
        for button in row:
            data = button.callback_data or ""
            if data.startswith(AckCallback.__prefix__ + ":"):
                try:
                    return MessageRef(
                        purpose="order_copy", order_id=AckCallback.unpack(data).order_id
                    )
                except (TypeError, ValueError):
                    continue
    first_line = (replied.text or replied.caption or "").split("\n", 1)[0]
    match = _ORDER_TITLE.match(first_line)
    if match is not None and int(match.group(1)) <= MAX_ID:
        return MessageRef(purpose="order_copy", order_id=int(match.group(1)))
    return None
