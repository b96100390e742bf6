"""Commands nobody handles get one line pointing to /help, never silence.

Commands addressed to another bot (`/start@otherbot`) are left alone.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import Message

from bot.context import ChatContext
from bot.html import esc
from bot.replier import Replier


async def unknown_command(message: Message, bot: Bot, ctx: ChatContext, replier: Replier) -> None:
    command = (message.text or "").split(maxsplit=1)[0]
    _, _, addressee = command.partition("@")
    if addressee:
        me = await bot.me()
        if addressee.lower() != (me.username or "").lower():
            return
    await replier.say(ctx, "error-unknown-command", command=esc(command[:40]))


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="fallback")
    router.message.register(unknown_command, F.text.startswith("/"))
    return router
