"""Questions: `/status`, `/pending`, `/tree`, `/help` (and `/start` in private).

`/whoami` (the three shows) lives with the other people commands in `people.py`.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from bot.colour_presenter import COLOUR_MARK
from bot.context import ChatContext
from bot.formatting import Formatter
from bot.html import mention
from bot.parsing import optional_order_id
from bot.presenter import BotPresenter
from bot.replier import Replier
from cascade.incidents import Colour
from cascade.orders import OrderKind, OrderStatus
from cascade.queries import QueryService

MAX_PENDING_LINES = 60
MAX_TREE_LINES = 80
MAX_TREE_CHARS = 3800  # Telegram takes 4,096 characters a message


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
    t, loc, order = replier.texts, ctx.locale, report.order
    levels = fmt.join(
        loc,
        [
            t.get(loc, "status-level", level=fmt.level(loc, s.level), done=s.done, total=s.total)
            for s in report.levels
        ],
    )
    value = ""
    if order.kind is not OrderKind.NOTICE:
        key = "status-total-count" if order.kind is OrderKind.COUNT else "status-total-list"
        value = t.get(loc, key, value=report.total_value) + "\n"
    remaining = (
        t.get(loc, "status-remaining", time=fmt.seconds(loc, report.remaining_seconds))
        if report.remaining_seconds > 0
        else t.get(loc, "status-overdue")
    )
    text = t.get(
        loc,
        "status",
        order=str(order.id),
        kind=presenter.kind(loc, order.kind),
        state=t.get(loc, f"status-{order.status.value}"),
        text=order.text,
        done=report.done,
        total=report.total,
        percent=fmt.percent(report.done, report.total),
        levels=levels,
        value=value,
        elapsed=fmt.seconds(loc, report.elapsed_seconds),
        remaining=remaining if order.status is OrderStatus.OPEN else "",
    )
    unreachable = await queries.unreachable(ctx.chat_id)
    if unreachable:
        names = fmt.join(loc, [u.name for u in unreachable[:MAX_TREE_LINES]])
        text = text.rstrip(" ·\n") + "\n" + t.get(loc, "status-unreachable", units=names)
    await replier.text(ctx, text.rstrip(" ·\n"))


async def tree(
    message: Message, ctx: ChatContext, queries: QueryService, replier: Replier, fmt: Formatter
) -> None:
    coloured = await queries.colours(ctx.chat_id)
    units, views = coloured.units, coloured.views
    t, loc = replier.texts, ctx.locale
    top = units[0]
    summary = views[top.code]
    lines = [
        t.get(loc, "tree-head", unit=top.name, count=len(units)),
        t.get(
            loc,
            "colour-tree-summary",
            mark=COLOUR_MARK[summary.rolled],
            total=summary.size,
            red=summary.counts[Colour.RED],
            yellow=summary.counts[Colour.YELLOW],
            green=summary.counts[Colour.GREEN],
        ),
    ]
    length = sum(len(line) + 1 for line in lines)
    shown = 0
    for unit in units[1 : MAX_TREE_LINES + 1]:
        view = views[unit.code]
        state = ""
        if view.size > 1:  # a unit with sub-units: how many of each colour below
            state = " " + t.get(
                loc,
                "colour-counts",
                red=view.counts[Colour.RED],
                yellow=view.counts[Colour.YELLOW],
                green=view.counts[Colour.GREEN],
            )
        if unit.chat_id is None:
            state += " " + t.get(loc, "tree-unbound")
        elif unit.unreachable:
            state += " " + t.get(loc, "tree-unreachable")
        line = t.get(
            loc,
            "tree-unit",
            indent="  " * max(0, unit.level - top.level - 1),
            mark=COLOUR_MARK[view.rolled],
            unit=unit.name,
            level=fmt.level(loc, unit.level),
            state=state,
        )
        if length + len(line) + 1 > MAX_TREE_CHARS:
            break
        lines.append(line)
        length += len(line) + 1
        shown += 1
    if len(units) - 1 > shown:
        lines.append(t.get(loc, "tree-more", count=len(units) - 1 - shown))
    await replier.text(ctx, "\n".join(lines))


async def pending(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    queries: QueryService,
    replier: Replier,
) -> None:
    view = await queries.pending(optional_order_id(command.args), ctx.chat_id)
    t, loc = replier.texts, ctx.locale
    order_id = str(view.report.order.id)
    count = view.total
    if count == 0:
        await replier.say(ctx, "pending-none", order=order_id)
        return
    lines = [t.get(loc, "pending-head", order=order_id, count=count)]
    shown = 0
    for group in view.groups:
        if shown >= MAX_PENDING_LINES:
            break
        lines.append(t.get(loc, "pending-group", parent=group.parent.name))
        for unit in group.units:
            if shown >= MAX_PENDING_LINES:
                break
            who = mention(unit.commander_name, unit.commander_id)
            line = t.get(loc, "pending-unit", unit=unit.name, commander=who)
            # Not seen at all, or seen (收到) without a value: different people to chase.
            if unit.code in view.seen:
                line += t.get(loc, "pending-seen")
            elif unit.code in view.waiting:
                line += t.get(loc, "pending-seen-below")
            else:
                line += t.get(loc, "pending-unseen")
            lines.append(line)
            shown += 1
    if count > shown:
        lines.append(t.get(loc, "pending-more", count=count - shown))
    await replier.text(ctx, "\n".join(lines))


async def help_command(message: Message, ctx: ChatContext, replier: Replier) -> None:
    t = replier.texts
    await replier.text(ctx, t.get(ctx.locale, "help") + "\n" + t.get(ctx.locale, "help-people"))


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="queries")
    router.message.register(status, Command("status"))
    router.message.register(pending, Command("pending"))
    router.message.register(tree, Command("tree"))
    router.message.register(help_command, Command("help"))
    router.message.register(help_command, CommandStart())
    return router
