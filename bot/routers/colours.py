"""Unit colours: `/colour CODE COLOUR [REASON]` and `/map [CODE]`.

A superior commander (or an HQ admin) sets a unit's colour; the map shows the
asking chat's subtree coloured, as a picture for a phone. The words are in
bot/colour_presenter.py, the picture in bot/maps.py.
"""

from __future__ import annotations

import asyncio

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot import maps
from bot.colour_presenter import map_caption
from bot.context import ChatContext
from bot.formatting import Formatter
from bot.parsing import parse_colour_args
from bot.replier import Replier
from cascade.colours import ColourService
from cascade.queries import QueryService


async def colour(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    colours: ColourService,
) -> None:
    target, word, reason = parse_colour_args(command.args)
    await colours.set(
        ctx.chat_id,
        ctx.user_id,
        target,
        word,
        reason,
        message_id=ctx.message_id,
        fallback_locale=ctx.locale,
    )


async def map_command(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    queries: QueryService,
    replier: Replier,
    fmt: Formatter,
) -> None:
    tree = await queries.colours(ctx.chat_id, (command.args or "").strip() or None)
    when = queries.clock.now().astimezone(fmt.tz)
    layout, labels = await asyncio.to_thread(maps.pick, replier.texts, ctx.locale, tree, when)
    png = await asyncio.to_thread(maps.render, layout, labels)
    caption = map_caption(replier.texts, ctx.locale, tree)
    await replier.file(ctx, png, f"map-{tree.scope.code}.png", caption, photo=True)


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="colours")
    router.message.register(colour, Command("colour", "color"))
    router.message.register(map_command, Command("map"))
    return router
