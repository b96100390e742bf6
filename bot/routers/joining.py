"""Joining: `/invite`, the `?startgroup=` binding, `/bind`, the `?start=` seat claim.

Telegram delivers a `?startgroup=TOKEN` link as "/start TOKEN" in the group the
bot was added to, from the person who added it; `?start=TOKEN` arrives the same
way in the private chat. The sheet of links goes to the person who asked, in
their private chat with the bot — never into a group, where any member could
open a commander's seat link. Moving a unit whose group is live asks for its
commander's confirmation with two buttons. The sheet, its caption and the
lines are built in bot/joining_presenter.py.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.callbacks import MoveCallback
from bot.context import ChatContext
from bot.filters import Inline
from bot.formatting import Formatter
from bot.joining_presenter import bound_text, claimed_text, invite_file, invite_none, move_question
from bot.press_watch import Shown, Told, answer_press
from bot.replier import Replier
from cascade.errors import Refused
from cascade.joining import BindResult, JoiningService

GROUPS = {"group", "supergroup"}


async def invite(
    message: Message,
    command: CommandObject,
    bot: Bot,
    ctx: ChatContext,
    joining: JoiningService,
    replier: Replier,
) -> None:
    code = (command.args or "").strip() or None
    sheet = await joining.invite_sheet(ctx.chat_id, ctx.user_id, code)
    if not sheet:
        await replier.text(ctx, invite_none(replier.texts, ctx.locale, ctx.unit))
        return
    me = await bot.me()
    built = invite_file(replier.texts, ctx.locale, me.username, sheet, code, ctx.unit)
    # Seat links open a commander's seat: only to the person who asked, privately.
    private = ctx.model_copy(update={"chat_id": ctx.user_id, "message_id": None})
    await replier.file(private, built.data, built.filename, built.caption)
    if ctx.chat_id != ctx.user_id:
        await replier.say(ctx, "invite-sent-private")


async def start_in_group(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    joining: JoiningService,
    replier: Replier,
    fmt: Formatter,
) -> None:
    user = message.from_user
    result = await joining.bind_by_token(
        ctx.chat_id,
        message.chat.title or "",
        ctx.user_id,
        command.args or "",
        user.full_name if user is not None else None,
    )
    await _bound_or_ask(ctx, result, replier, fmt)


async def _bound_or_ask(
    ctx: ChatContext, result: BindResult, replier: Replier, fmt: Formatter
) -> None:
    unit = result.unit
    if result.needs_move:
        asked = move_question(replier.texts, ctx.locale, unit)
        await replier.text(ctx, asked.text, buttons=asked.buttons)
        return
    if not result.bound:
        raise Refused("not-allowed-bind", unit=unit.name)
    await replier.text(ctx, bound_text(replier.texts, fmt, ctx.locale, unit))


async def move_pressed(
    query: CallbackQuery,
    callback_data: MoveCallback,
    ctx: ChatContext,
    joining: JoiningService,
    replier: Replier,
    fmt: Formatter,
) -> None:
    t = replier.texts
    if not callback_data.go:
        await joining.decline_move(callback_data.code, ctx.user_id)
        await answer_press(query, Told(t.plain(ctx.locale, "move-cancelled")))
        return
    title = query.message.chat.title if query.message is not None else None
    unit = await joining.confirm_move(callback_data.code, ctx.chat_id, title or "", ctx.user_id)
    await answer_press(query, Shown(t.plain(ctx.locale, "move-done", unit=unit.name)))
    await replier.text(ctx, bound_text(t, fmt, ctx.locale, unit))


async def bind(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    joining: JoiningService,
    replier: Replier,
    fmt: Formatter,
) -> None:
    code = (command.args or "").strip()
    if not code:
        raise Refused("bind-usage")
    result = await joining.bind_by_code(ctx.chat_id, ctx.user_id, code)
    await _bound_or_ask(ctx, result, replier, fmt)


async def start_in_private(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    joining: JoiningService,
    replier: Replier,
) -> None:
    unit, slot = await joining.claim(ctx.user_id, command.args or "")
    await replier.text(ctx, claimed_text(replier.texts, ctx.locale, unit, slot))


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="joining")
    router.message.register(invite, Command("invite"))
    router.callback_query.register(
        move_pressed, MoveCallback.filter(), Inline(F.message.chat.type.in_(GROUPS))
    )
    router.message.register(bind, Command("bind"), Inline(F.chat.type.in_(GROUPS)))
    router.message.register(
        start_in_group, CommandStart(deep_link=True), Inline(F.chat.type.in_(GROUPS))
    )
    router.message.register(
        start_in_private, CommandStart(deep_link=True), Inline(F.chat.type == "private")
    )
    return router
