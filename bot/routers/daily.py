"""Daily tallies on request: `/daily [DAYS]` for the asking chat's subtree.

The same numbers as the evening report to HQ (bot/daily_job.py), for any unit and
any 1-30 days: the text first, then the chart.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.context import ChatContext
from bot.daily_presenter import chart_png, daily_caption, daily_text
from bot.formatting import Formatter
from bot.parsing import parse_days
from bot.replier import Replier
from cascade.queries import QueryService
from cascade.tallies import DEFAULT_DAYS, MAX_DAYS


def daily_days(args: str | None) -> int:
    """`/daily`, `/daily 14`, `/daily 14d`, `/daily 14天` → days, within 1..MAX_DAYS."""
    return parse_days(args, DEFAULT_DAYS, MAX_DAYS, "daily-bad-days")


async def daily(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    queries: QueryService,
    replier: Replier,
    fmt: Formatter,
) -> None:
    days = daily_days(command.args)
    tally = await queries.daily(ctx.chat_id, days, fmt.tz)
    await replier.text(ctx, daily_text(replier.texts, ctx.locale, tally))
    png = await chart_png(replier.texts, ctx.locale, tally)
    caption = daily_caption(replier.texts, ctx.locale, tally)
    filename = f"daily-{tally.scope.code}-{tally.last.day.isoformat()}.png"
    await replier.file(ctx, png, filename, caption, photo=True)


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="daily")
    router.message.register(daily, Command("daily"))
    return router
