"""Filters shared by feature routers.

`Inline` checks a magic filter (`F.text`, `~F.text.startswith("/")`) in the event's
own turn of the loop. aiogram runs a filter that is not a coroutine function through
`asyncio.to_thread` (aiogram/dispatcher/event/handler.py, `CallableObject.call`), magic
filters included: a hand-off to a worker thread and back for an attribute lookup,
four of them for every reply to an order copy. A `Filter` subclass is awaited in place.
Every filter the routers register is one of aiogram's own `Filter`s or wrapped so
(tests/bot/test_filters_inline.py).

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
from aiogram.types import Message, TelegramObject
from magic_filter import MagicFilter

from bot.callbacks import MAX_ID, AckCallback
from cascade.outgoing import MessageRef
from cascade.ports import UnitOfWorkFactory
from storage import update_reads


class Inline(Filter):
    """A magic filter resolved as aiogram resolves it (its value, a dict of data or a
    false value), awaited in place instead of in a worker thread."""

    def __init__(self, magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, event: TelegramObject) -> Any:
        return self.magic.resolve(event)

    def __str__(self) -> str:
        return f"Inline({self.magic!r})"


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
