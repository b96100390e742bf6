"""Files and figures for chiefs: `/export` (CSV), `/chart` (PNG), `/stats` (a summary).

These answer "show me the evidence" after a loop: the spreadsheet of every
unit's answer, the completion curve against the deadline, and which units keep
everyone waiting. The scope is the asking chat's unit's subtree, as for
`/status`. The files go through the outbox like any reply; building them is CPU
work (a 30,000-row CSV, a matplotlib figure), so it runs in a worker thread and
the event loop keeps serving other chats meanwhile.
"""

from __future__ import annotations

import asyncio
import math

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot import charts
from bot.context import ChatContext
from bot.formatting import Formatter
from bot.i18n import Texts
from bot.parsing import optional_order_id, parse_days
from bot.replier import Replier
from cascade.export import to_csv
from cascade.queries import QueryService
from cascade.stats import DEFAULT_DAYS, MAX_DAYS, MAX_SCANNED_ORDERS, Completion, StatsView


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
    caption = replier.texts.get(
        ctx.locale,
        "export-caption",
        order=str(view.order.id),
        unit=unit.name,
        count=len(view.rows),
    )
    # The file names people and holds their answers: only to the person who asked.
    private = ctx.model_copy(update={"chat_id": ctx.user_id, "message_id": None})
    await replier.file(private, data, f"order-{view.order.id}.csv", caption)
    if ctx.chat_id != ctx.user_id:
        await replier.say(ctx, "export-sent-private")


def chart_labels(
    texts: Texts, locale: str, completion: Completion, unit: str | None
) -> charts.ChartLabels:
    """The chart's texts in `locale`; `unit` (a name or a code) goes in the title if given."""
    order = str(completion.order.id)
    title = texts.plain(locale, "chart-title", order=order)
    if unit:
        title = texts.plain(locale, "chart-title-unit", title=title, unit=unit)
    lines: dict[int | None, str] = {
        line.level: texts.plain(
            locale, "chart-level", level=line.level, done=line.done, total=line.total
        )
        for line in completion.levels
    }
    overall = completion.overall
    lines[None] = texts.plain(locale, "chart-total", done=overall.done, total=overall.total)
    return charts.ChartLabels(
        title=title,
        xlabel=texts.plain(locale, "chart-xlabel"),
        ylabel=texts.plain(locale, "chart-ylabel"),
        deadline=texts.plain(locale, "chart-deadline"),
        lines=lines,
    )


def pick_labels(
    texts: Texts, locale: str, completion: Completion, name: str, code: str
) -> charts.ChartLabels:
    """The first set of labels every glyph of which the installed fonts can draw.

    Without a CJK font, Chinese labels would come out as boxes: then English
    with the unit's code, and as a last resort English without the unit.
    """
    return charts.first_drawable(
        [
            lambda: chart_labels(texts, locale, completion, name),
            lambda: chart_labels(texts, "en", completion, code),
            lambda: chart_labels(texts, "en", completion, None),
        ],
        charts.ChartLabels.texts,
    )


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
    overall = completion.overall
    caption = replier.texts.get(
        ctx.locale,
        "chart-caption",
        order=str(completion.order.id),
        unit=unit.name,
        done=overall.done,
        total=overall.total,
        percent=fmt.percent(overall.done, overall.total),
    )
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


def stats_text(texts: Texts, fmt: Formatter, locale: str, view: StatsView) -> str:
    summary, unit = view.summary, view.unit.name
    if summary.orders == 0:
        return texts.get(locale, "stats-none", days=view.days, unit=unit)
    lines = [
        texts.get(locale, "stats-head", days=view.days, unit=unit),
        texts.get(locale, "stats-orders", orders=summary.orders, finished=summary.finished),
        texts.get(locale, "stats-median", time=fmt.seconds(locale, summary.median_seconds_to_full)),
    ]
    if summary.on_time_percent is None:
        lines.append(texts.get(locale, "stats-on-time-none"))
    else:
        lines.append(
            texts.get(
                locale,
                "stats-on-time",
                on_time=summary.on_time,
                decided=summary.decided,
                percent=summary.on_time_percent,
            )
        )
    if summary.slowest:
        lines.append(texts.get(locale, "stats-slowest-head"))
    for rank, slow in enumerate(summary.slowest, start=1):
        ref = view.units.get(slow.code)
        time = (
            fmt.seconds(locale, slow.median_seconds)
            if math.isfinite(slow.median_seconds)
            else texts.get(locale, "stats-no-answer")
        )
        lines.append(
            texts.get(
                locale,
                "stats-slowest",
                rank=rank,
                unit=ref.name if ref else slow.code,
                level=fmt.level(locale, slow.level),
                time=time,
                answered=slow.answered,
                asked=slow.asked,
            )
        )
    if view.truncated:
        lines.append(texts.get(locale, "stats-truncated", count=str(MAX_SCANNED_ORDERS)))
    return "\n".join(lines)


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="exports")
    router.message.register(export, Command("export"))
    router.message.register(chart, Command("chart"))
    router.message.register(stats, Command("stats"))
    return router
