"""Who may ask: queries answer members of the tower only, within their subtree.

`/status`, `/pending`, `/tree`, `/chart`, `/stats`, `/map`, `/daily`,
`/incidents` and `/rank` in a unit's group answered anyone present, people outside the
tower included. This message middleware runs before those commands' handlers:
the person must hold a seat in the chat's unit or in a unit above it (an HQ
admin always may); `/export`, whose file names people, needs a commander or
deputy of the unit or above. Everything else (orders, answers, /whoami, /help)
is checked by its own service or is open to all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject

from bot.context import ChatContext
from bot.raw_updates import RawUpdate, field, object_field
from cascade.errors import Refused
from cascade.ports import UnitOfWorkFactory
from cascade.tower import ANSWERING

MEMBERS_ONLY = frozenset(
    {"status", "pending", "tree", "chart", "stats", "map", "daily", "incidents", "rank"}
)
COMMANDERS_ONLY = frozenset({"export"})


def command_of(message: Message) -> str | None:
    """`/status@bot 12` → "status"; None for anything that is not a command."""
    return command_in(message.text)


def command_in(text: str | None) -> str | None:
    """The command a message's text starts with (see `command_of`)."""
    if not text or not text.startswith("/"):
        return None
    return text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(text) > 1 else None


def is_query(raw: RawUpdate) -> bool:
    """A read-only question (`/status`, `/pending`, …): bot/dispatch.py lets it by
    the answers queued for the dispatcher's slots. Read from the update's JSON, as
    the poller takes it in (bot/raw_updates.py)."""
    text = field(object_field(raw, "message"), "text")
    return isinstance(text, str) and command_in(text) in MEMBERS_ONLY


class QueryAccess(BaseMiddleware):
    def __init__(self, uow: UnitOfWorkFactory, admins: frozenset[int]) -> None:
        self.uow = uow
        self.admins = admins

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        ctx = data.get("ctx")
        if isinstance(event, Message) and isinstance(ctx, ChatContext) and ctx.unit is not None:
            command = command_of(event)
            if command in MEMBERS_ONLY or command in COMMANDERS_ONLY:
                await self.check(ctx, command in COMMANDERS_ONLY)
        return await handler(event, data)

    async def check(self, ctx: ChatContext, commanding: bool) -> None:
        assert ctx.unit is not None
        if ctx.user_id in self.admins:
            return
        async with self.uow() as tx:
            # The unit and every unit above it (a child's commander sits in its parent).
            chain = await tx.tower.chain(ctx.unit.code)
            seats = [await tx.tower.position(u.code, ctx.user_id) for u in chain]
        if commanding and not any(p in ANSWERING for p in seats):
            raise Refused("commanders-only", unit=ctx.unit.name)
        if not any(p is not None for p in seats):
            raise Refused("members-only", unit=ctx.unit.name)
