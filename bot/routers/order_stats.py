"""An order's record for chiefs: `/export` (CSV), `/chart` (PNG), `/stats` (a summary).

These answer "show me the evidence" after a loop: the spreadsheet of every
unit's answer, the completion curve against the deadline, and which units keep
everyone waiting. The scope is the asking chat's unit's subtree, as for
`/status`. The files go through the outbox like any reply; building them is CPU
work (a 30,000-row CSV, a matplotlib figure), so it runs in a worker thread and
the event loop keeps serving other chats meanwhile. The words are in
bot/stats_presenter.py.
"""

from __future__ import annotations

import asyncio

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot import charts
from bot.context import ChatContext
from bot.formatting import Formatter
from bot.parsing import optional_order_id, parse_days
from bot.replier import Replier
from bot.stats_presenter import chart_caption, export_caption, pick_labels, stats_text
from cascade.export import to_csv
from cascade.queries import QueryService
from cascade.stats import DEFAULT_DAYS, MAX_DAYS


def stats_days(args: str | None) -> int:
    """`/stats`, `/stats 30`, `/stats 30d`, `/stats 30天` → days, within 1..MAX_DAYS."""
    return parse_days(args, DEFAULT_DAYS, MAX_DAYS, "bad-days")


async def export(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    queries: QueryService,
    replier: Replier,
    fmt: Formatter,
) -> None:
    unit, view = await queries.export(optional_order_id(command.args), ctx.chat_id)
    data = await asyncio.to_thread(to_csv, view.rows, fmt.tz)
    caption = export_caption(replier.texts, ctx.locale, unit, view)
    # The file names people and holds their answers: only to the person who asked.
    private = ctx.model_copy(update={"chat_id": ctx.user_id, "message_id": None})
    await replier.file(private, data, f"order-{view.order.id}.csv", caption)
    if ctx.chat_id != ctx.user_id:
        await replier.say(ctx, "export-sent-private")


async def chart(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    queries: QueryService,
    replier: Replier,
    fmt: Formatter,
) -> None:
    unit, completion = await queries.completion(optional_order_id(command.args), ctx.chat_id)
    labels = await asyncio.to_thread(
        pick_labels, replier.texts, ctx.locale, completion, unit.name, unit.code
    )
    png = await asyncio.to_thread(charts.render, completion, labels)
    caption = chart_caption(replier.texts, fmt, ctx.locale, unit, completion)
    await replier.file(ctx, png, f"order-{completion.order.id}.png", caption, photo=True)


async def stats(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    queries: QueryService,
    replier: Replier,
    fmt: Formatter,
) -> None:
    view = await queries.stats(ctx.chat_id, stats_days(command.args))
    await replier.text(ctx, stats_text(replier.texts, fmt, ctx.locale, view))


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="order_stats")
    router.message.register(export, Command("export"))
    router.message.register(chart, Command("chart"))
    router.message.register(stats, Command("stats"))
    return router
