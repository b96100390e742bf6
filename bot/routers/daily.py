"""Daily tallies on request: `/daily [DAYS]` for the asking chat's subtree.

The same numbers as the evening report to HQ (bot/daily.py), for any unit and
any 1-30 days: the text first, then the chart.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot import daily as tallies_text
from bot.context import ChatContext
from bot.formatting import Formatter
from bot.replier import Replier
from cascade.queries import QueryService


async def daily(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    queries: QueryService,
    replier: Replier,
    fmt: Formatter,
) -> None:
    days = tallies_text.daily_days(command.args)
    tally = await queries.daily(ctx.chat_id, days, fmt.tz)
    await replier.text(ctx, tallies_text.daily_text(replier.texts, ctx.locale, tally))
    png = await tallies_text.chart_png(replier.texts, ctx.locale, tally)
    caption = replier.texts.get(ctx.locale, "daily-caption", unit=tally.scope.name, days=days)
    filename = f"daily-{tally.scope.code}-{tally.last.day.isoformat()}.png"
    await replier.file(ctx, png, filename, caption, photo=True)


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="daily")
    router.message.register(daily, Command("daily"))
    return router
