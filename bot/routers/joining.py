"""Joining: `/invite`, the `?startgroup=` binding, `/bind`, the `?start=` seat claim.

Telegram delivers a `?startgroup=TOKEN` link as "/start TOKEN" in the group the
bot was added to, from the person who added it; `?start=TOKEN` arrives the same
way in the private chat. The sheet of links goes to the person who asked, in
their private chat with the bot — never into a group, where any member could
open a commander's seat link. Moving a unit whose group is live asks for its
commander's confirmation with two buttons.
"""

from __future__ import annotations

import csv
import io

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.callbacks import MoveCallback
from bot.context import ChatContext
from bot.formatting import Formatter
from bot.replier import Replier
from cascade.errors import Refused
from cascade.joining import BindResult, JoiningService
from cascade.outgoing import Button

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
    unit_name = ctx.unit.name if ctx.unit else ""
    if not sheet:
        await replier.say(ctx, "invite-none", unit=unit_name)
        return
    me = await bot.me()
    base = f"https://t.me/{me.username}"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["code", "name", "level", "group_link", "person", "position", "person_link"])
    people = 0
    for line in sheet:
        unit = line.unit
        group_link = f"{base}?startgroup={line.group_token}"
        writer.writerow([unit.code, unit.name, unit.level, group_link, "", "", ""])
        for slot, token in line.people:
            people += 1
            writer.writerow(
                [
                    unit.code,
                    unit.name,
                    unit.level,
                    "",
                    slot.name,
                    slot.position.value,
                    f"{base}?start={token}",
                ]
            )
    caption = replier.texts.get(
        ctx.locale, "invite-caption", unit=unit_name, count=len(sheet), people=people
    )
    data = buffer.getvalue().encode("utf-8-sig")
    private = ctx.model_copy(update={"chat_id": ctx.user_id, "message_id": None})
    await replier.file(
        private, data, f"invites-{code or (ctx.unit.code if ctx.unit else 'tower')}.csv", caption
    )
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
        t = replier.texts
        buttons = [
            [
                Button(
                    text=t.plain(ctx.locale, "move-confirm"),
                    callback_data=MoveCallback(code=unit.code, go=True).pack(),
                ),
                Button(
                    text=t.plain(ctx.locale, "move-cancel"),
                    callback_data=MoveCallback(code=unit.code, go=False).pack(),
                ),
            ]
        ]
        await replier.text(ctx, t.get(ctx.locale, "move-ask", unit=unit.name), buttons=buttons)
        return
    if not result.bound:
        raise Refused("not-allowed-bind", unit=unit.name)
    await replier.say(ctx, "bind-done", unit=unit.name, level=fmt.level(unit.locale, unit.level))


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
        await query.answer(t.plain(ctx.locale, "move-cancelled"))
        return
    title = query.message.chat.title if query.message is not None else None
    unit = await joining.confirm_move(callback_data.code, ctx.chat_id, title or "", ctx.user_id)
    await query.answer(t.plain(ctx.locale, "move-done", unit=unit.name))
    await replier.say(ctx, "bind-done", unit=unit.name, level=fmt.level(unit.locale, unit.level))


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
    position = replier.texts.get(ctx.locale, f"position-{slot.position.value}")
    await replier.say(ctx, "claim-done", unit=unit.name, position=position, name=slot.name)


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="joining")
    router.message.register(invite, Command("invite"))
    router.callback_query.register(
        move_pressed, MoveCallback.filter(), F.message.chat.type.in_(GROUPS)
    )
    router.message.register(bind, Command("bind"), F.chat.type.in_(GROUPS))
    router.message.register(start_in_group, CommandStart(deep_link=True), F.chat.type.in_(GROUPS))
    router.message.register(
        start_in_private, CommandStart(deep_link=True), F.chat.type == "private"
    )
    return router
