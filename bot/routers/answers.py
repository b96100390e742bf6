"""Units answering orders: the "收到" button, replies to the order, `/report`.

An edited reply or `/report` counts as a re-report: Telegram sends it as an
`edited_message`, which the bot asks for (polling uses the update types its
handlers need).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.callbacks import AckCallback, ListSplitCallback
from bot.context import ChatContext
from bot.filters import Inline, RepliesTo
from bot.parsing import split_report_args
from bot.presenter import BotPresenter
from bot.press_watch import PressWatch, Shown, Told, answer_press
from cascade.order_service import OrderService
from cascade.outgoing import MessageRef

# Replies to these messages answer the order; replies to reports or boards are chat.
ANSWERABLE = {"order_copy", "answer_recorded", "reminder"}


async def ack_pressed(
    query: CallbackQuery,
    callback_data: AckCallback,
    ctx: ChatContext,
    orders: OrderService,
    presenter: BotPresenter,
    presses: PressWatch | None = None,
) -> None:
    outcome = await orders.acknowledge(
        callback_data.order_id, ctx.chat_id, ctx.user_id, query.from_user.full_name
    )
    # The copy's button line then shows who confirmed, when, and the copy itself asks
    # for the value (how-count, how-list): after an early toast, nothing to add.
    if presses is not None and presses.shown_late(query.id):
        return
    await answer_press(query, Shown(presenter.ack_toast(ctx.locale, outcome)))


async def list_split_pressed(
    query: CallbackQuery,
    callback_data: ListSplitCallback,
    ctx: ChatContext,
    orders: OrderService,
    presenter: BotPresenter,
) -> None:
    """分成 N 条 / 算作 1 条 under a list answer: a split is recorded as a re-report
    (its own line says the new count); keeping it whole changes nothing."""
    count = await orders.split_entry(
        callback_data.order_id,
        ctx.chat_id,
        ctx.user_id,
        callback_data.index,
        callback_data.count,
    )
    toast = presenter.t.plain(ctx.locale, "list-split-done", count=count)
    await answer_press(query, Shown(toast) if count > 1 else Told(toast))


async def report_command(
    message: Message, command: CommandObject, ctx: ChatContext, orders: OrderService
) -> None:
    order_id, value = split_report_args(command.args)
    await orders.report(order_id, ctx.chat_id, ctx.user_id, value, ctx.message_id)


async def edited_report_command(
    message: Message, command: CommandObject, ctx: ChatContext, orders: OrderService
) -> None:
    """An edited `/report VALUE` corrects the order it answered, even once answered."""
    order_id, value = split_report_args(command.args)
    await orders.report(order_id, ctx.chat_id, ctx.user_id, value, ctx.message_id, correction=True)


async def reply_to_bot(
    message: Message, ref: MessageRef, ctx: ChatContext, orders: OrderService
) -> None:
    assert ref.order_id is not None
    await orders.report(ref.order_id, ctx.chat_id, ctx.user_id, message.text or "", ctx.message_id)


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="answers")
    router.callback_query.register(ack_pressed, AckCallback.filter())
    router.callback_query.register(list_split_pressed, ListSplitCallback.filter())
    router.message.register(report_command, Command("report"))
    router.message.register(
        reply_to_bot, Inline(F.text), Inline(~F.text.startswith("/")), RepliesTo(*ANSWERABLE)
    )
    # An edited answer replaces the value like a re-report (and the reply says so).
    router.edited_message.register(edited_report_command, Command("report"))
    router.edited_message.register(
        reply_to_bot, Inline(F.text), Inline(~F.text.startswith("/")), RepliesTo(*ANSWERABLE)
    )
    return router
