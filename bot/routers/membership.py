"""The life of real groups: the bot removed or added back, groups upgraded.

`my_chat_member` tells the bot it was removed (the unit becomes unreachable and
its parent is told) or added back (held messages go out). A group upgraded to a
supergroup announces its new id in a service message; the unit follows it.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import ChatMemberUpdated, Message

from bot.filters import Inline
from cascade.reachability import ReachabilityService

GONE = ("left", "kicked")
PRESENT = ("member", "administrator", "creator", "restricted")


async def bot_membership(event: ChatMemberUpdated, reach: ReachabilityService) -> None:
    status = event.new_chat_member.status
    if status in GONE:
        await reach.unreachable(event.chat.id, f"bot {status}")
    elif status in PRESENT:
        await reach.reachable(event.chat.id)


async def migrated_to(message: Message, reach: ReachabilityService) -> None:
    assert message.migrate_to_chat_id is not None
    await reach.migrated(message.chat.id, message.migrate_to_chat_id)


async def migrated_from(message: Message, reach: ReachabilityService) -> None:
    assert message.migrate_from_chat_id is not None
    await reach.migrated(message.migrate_from_chat_id, message.chat.id)


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="membership")
    router.my_chat_member.register(bot_membership)
    router.message.register(migrated_to, Inline(F.migrate_to_chat_id))
    router.message.register(migrated_from, Inline(F.migrate_from_chat_id))
    return router
