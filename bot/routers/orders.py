"""Issuing and cancelling orders: `/order ARGS` and `/cancel [ORDER]`."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.context import ChatContext
from bot.filters import Inline
from bot.parsing import optional_order_id, parse_order_args
from cascade.order_service import OrderService


async def order_command(
    message: Message, command: CommandObject, ctx: ChatContext, orders: OrderService
) -> None:
    args = parse_order_args(command.args or "")
    await orders.issue(
        ctx.chat_id,
        ctx.user_id,
        args.kind,
        args.text,
        args.duration,
        ctx.message_id,
        flt=args.filter,
    )


async def cancel_command(
    message: Message, command: CommandObject, ctx: ChatContext, orders: OrderService
) -> None:
    user = message.from_user
    await orders.cancel(
        optional_order_id(command.args),
        ctx.chat_id,
        ctx.user_id,
        user.full_name if user is not None else None,
        ctx.message_id,
    )


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="orders")
    router.message.register(
        order_command, Command("order"), Inline(F.text.func(lambda t: len(t.split(maxsplit=1)) > 1))
    )
    router.message.register(cancel_command, Command("cancel"))
    return router
