"""People in the tower: `/card`, `/whoami`, `/member` (with its confirmation), `/score`, `/rank`.

A person is named by replying to their message, by a mention that carries
their id, by their Telegram id, or by name (with a unit code after it when two
people share the name). Ambiguity is refused in one line, never guessed.
The words are built in bot/people_presenter.py.
"""

from __future__ import annotations

import asyncio
import re

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message

from bot import chain_map
from bot.context import ChatContext
from bot.html import esc
from bot.people_presenter import PeoplePresenter
from bot.press_watch import Shown, answer_press
from bot.replier import Replier
from cascade.errors import Refused
from cascade.member_service import MemberAction, MemberRequest, MemberService
from cascade.people import normalise_phone, parse_roles
from cascade.people_service import PeopleService, PersonTarget
from cascade.score_service import ScoreService

ACTIONS = {
    "add": MemberAction.ADD,
    "添加": MemberAction.ADD,
    "roles": MemberAction.ROLES,
    "role": MemberAction.ROLES,
    "角色": MemberAction.ROLES,
    "phone": MemberAction.PHONE,
    "电话": MemberAction.PHONE,
    "remove": MemberAction.REMOVE,
    "移除": MemberAction.REMOVE,
}
LISTS = {"list": "list", "名册": "list", "log": "log", "记录": "log"}
_POINTS = re.compile(r"^([+＋\-－])\s*(\d{1,3})$")


class MemberCallback(CallbackData, prefix="mem"):
    """Confirm (`ok`) or cancel (`no`) a planned /member change."""

    token: str
    answer: str


def replied_person(message: Message) -> tuple[int, str] | None:
    """The author of the message replied to (not a bot), as (id, name)."""
    reply = message.reply_to_message
    if reply is None or reply.from_user is None or reply.from_user.is_bot:
        return None
    return reply.from_user.id, reply.from_user.full_name


def mentioned_person(message: Message) -> int | None:
    for entity in message.entities or []:
        if entity.type == "text_mention" and entity.user is not None:
            return entity.user.id
    return None


def person_target(message: Message, words: list[str]) -> tuple[PersonTarget, list[str]]:
    """Who is meant, and the words left after naming them."""
    replied = replied_person(message)
    if replied is not None:
        return PersonTarget(telegram_id=replied[0]), words
    mentioned = mentioned_person(message)
    if mentioned is not None:
        return PersonTarget(telegram_id=mentioned), words[1:]
    if not words:
        raise Refused("person-missing")
    first = words[0].lstrip("@")
    if re.fullmatch(r"\d{5,20}", first):
        return PersonTarget(telegram_id=int(first)), words[1:]
    return PersonTarget(name=first), words[1:]


# ------------------------------------------------------------ /card and /whoami


async def card(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    people: PeopleService,
    people_words: PeoplePresenter,
    replier: Replier,
) -> None:
    words = (command.args or "").split()
    if not words and replied_person(message) is None and mentioned_person(message) is None:
        target = PersonTarget(telegram_id=ctx.user_id)
        rest: list[str] = []
    else:
        target, rest = person_target(message, words)
    if rest and target.name is not None:
        target.unit_code = rest[0]
    shown = await people.card(ctx.user_id, target, private=message.chat.type == "private")
    await replier.text(ctx, people_words.card(ctx.locale, shown))


async def whoami(
    message: Message,
    ctx: ChatContext,
    people: PeopleService,
    people_words: PeoplePresenter,
    replier: Replier,
) -> None:
    identity = await people.identity(ctx.user_id)
    if not identity.seats:
        await replier.say(ctx, "whoami-none")
        return
    await replier.text(ctx, people_words.identity(ctx.locale, identity))
    title, title_en = people_words.map_titles(ctx.locale, identity, ctx.user_id)
    png = await asyncio.to_thread(chain_map.picture, identity, title, title_en)
    caption = people_words.map_caption(ctx.locale, identity)
    await replier.file(ctx, png, "whoami.png", caption, photo=True)


# ------------------------------------------------------------ /member


def member_request(message: Message, words: list[str], has_unit: bool) -> MemberRequest:
    """Read `/member ACTION [CODE] NAME [ROLES] [PHONE]` (the code already checked)."""
    action = ACTIONS[words[0].lower()]
    code = words[1] if has_unit else None
    rest = words[2:] if has_unit else words[1:]
    replied = replied_person(message)
    telegram_id = replied[0] if replied else None
    if replied is not None and (
        not rest or parse_roles(rest[0]) is not None or normalise_phone(rest[0]) is not None
    ):
        name = replied[1]
    elif rest:
        name, rest = rest[0], rest[1:]
    else:
        raise Refused("member-bad-args", hint="")
    roles = None
    phone = None
    for word in joined_phones(rest):
        if (number := normalise_phone(word)) is not None and phone is None:
            phone = number
        elif (found := parse_roles(word)) is not None and roles is None:
            roles = found
        else:
            raise Refused("member-bad-args", hint=esc(word[:20]))
    return MemberRequest(
        action=action, unit_code=code, name=name, roles=roles, phone=phone, telegram_id=telegram_id
    )


def joined_phones(words: list[str]) -> list[str]:
    """`138 1234 5678` typed with spaces is one phone number, not three words."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + 4), i + 1, -1):
            if normalise_phone("".join(words[i:j])) is not None:
                out.append("".join(words[i:j]))
                i = j
                break
        else:
            out.append(words[i])
            i += 1
    return out


async def member(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    members: MemberService,
    people_words: PeoplePresenter,
    replier: Replier,
) -> None:
    words = (command.args or "").split()
    if not words or (words[0].lower() not in ACTIONS and words[0].lower() not in LISTS):
        await replier.say(ctx, "member-usage")
        return
    has_unit = len(words) > 1 and await members.unit_exists(words[1])
    if words[0].lower() in LISTS:
        code = words[1] if has_unit else None
        if len(words) > 1 and not has_unit:
            raise Refused("unknown-unit", code=esc(words[1][:32]))
        if LISTS[words[0].lower()] == "list":
            roll = await members.roll(ctx.chat_id, ctx.user_id, code)
            await replier.text(ctx, people_words.roll(ctx.locale, roll))
        else:
            unit, changes, units = await members.log(ctx.chat_id, ctx.user_id, code)
            await replier.text(ctx, people_words.log(ctx.locale, unit, changes, units))
        return
    request = member_request(message, words, has_unit)
    plan = await members.plan(ctx.chat_id, ctx.user_id, request)
    rendered = people_words.plan(ctx.locale, plan)
    await replier.text(ctx, rendered.text, rendered.buttons)


async def member_pressed(
    query: CallbackQuery,
    callback_data: MemberCallback,
    ctx: ChatContext,
    members: MemberService,
    people_words: PeoplePresenter,
    replier: Replier,
) -> None:
    if callback_data.answer == "no":
        members.cancel(callback_data.token, ctx.user_id)
        await answer_press(query, Shown(replier.texts.plain(ctx.locale, "member-cancelled")))
        await replier.say(ctx, "member-cancelled")
        return
    plan = await members.apply(callback_data.token, ctx.user_id)
    text = people_words.done(ctx.locale, plan)
    await answer_press(query, Shown())
    await replier.text(ctx, text)


# ------------------------------------------------------------ /score and /rank


async def score(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    scores: ScoreService,
    people_words: PeoplePresenter,
    replier: Replier,
) -> None:
    words = (command.args or "").split()
    target, rest = person_target(message, words)
    if rest and target.name is not None and not _POINTS.match(rest[0]):
        target.unit_code, rest = rest[0], rest[1:]
    match = _POINTS.match(rest[0]) if rest else None
    if match is None:
        raise Refused("score-usage")
    sign = -1 if match.group(1) in "-－" else 1
    change = await scores.manual(
        ctx.user_id, target, sign * int(match.group(2)), " ".join(rest[1:])
    )
    await replier.text(ctx, people_words.score_done(ctx.locale, change))


async def rank(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    scores: ScoreService,
    people_words: PeoplePresenter,
    replier: Replier,
) -> None:
    code = (command.args or "").strip() or None
    ranking = await scores.rank_here(ctx.chat_id, code)
    ranking.locale = ctx.locale
    await replier.text(ctx, people_words.ranking(ranking, weekly=False).text)


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="people")
    router.message.register(card, Command("card"))
    router.message.register(whoami, Command("whoami"))
    router.message.register(member, Command("member"))
    router.message.register(score, Command("score"))
    router.message.register(rank, Command("rank"))
    router.callback_query.register(member_pressed, MemberCallback.filter())
    return router
