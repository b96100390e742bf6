"""Questions: `/status`, `/pending`, `/tree`, `/help` (and `/start` in private).

The words are built in bot/status_presenter.py (/status, /pending),
bot/colour_presenter.py (/tree) and bot/help_presenter.py (/help); this module
parses, asks and replies.

`/whoami` (the three shows) lives with the other people commands in `people.py`.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from bot.colour_presenter import tree_text
from bot.context import ChatContext
from bot.formatting import Formatter
from bot.help_presenter import help_text
from bot.parsing import optional_order_id
from bot.presenter import BotPresenter
from bot.replier import Replier
from bot.status_presenter import pending_text, status_text
from cascade.queries import QueryService


async def status(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    queries: QueryService,
    replier: Replier,
    fmt: Formatter,
    presenter: BotPresenter,
) -> None:
    _, report = await queries.summary(optional_order_id(command.args), ctx.chat_id)
    unreachable = await queries.unreachable(report.scope)
    text = status_text(replier.texts, fmt, presenter, ctx.locale, report, unreachable)
    await replier.text(ctx, text)


async def tree(
    message: Message, ctx: ChatContext, queries: QueryService, replier: Replier, fmt: Formatter
) -> None:
    coloured = await queries.colours(ctx.chat_id)
    await replier.text(ctx, tree_text(replier.texts, fmt, ctx.locale, coloured))


async def pending(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    queries: QueryService,
    replier: Replier,
) -> None:
    view = await queries.pending(optional_order_id(command.args), ctx.chat_id)
    await replier.text(ctx, pending_text(replier.texts, ctx.locale, view))


async def help_command(message: Message, ctx: ChatContext, replier: Replier) -> None:
    await replier.text(ctx, help_text(replier.texts, ctx.locale))


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="queries")
    router.message.register(status, Command("status"))
    router.message.register(pending, Command("pending"))
    router.message.register(tree, Command("tree"))
    router.message.register(help_command, Command("help"))
    router.message.register(help_command, CommandStart())
    return router
