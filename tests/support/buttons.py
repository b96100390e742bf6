"""Every inline button of the bot, set up the way people meet it (tests only).

The access matrix presses each of these as every kind of actor. A scenario
brings a fresh tower to the moment the button is on screen — the guided
/order form at each step, a returnee draft, an incident alert before and after
its disposition and once it climbed to HQ, a /member preview, a unit move asking for confirmation — and
returns the message carrying it and its callback data. What a press may change
is read back by `state_of` (on either engine): every table of the database but
the update and lease bookkeeping, and every open form.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram.methods import EditMessageText
from aiogram.types import Chat, InlineKeyboardMarkup, Message

from bot.callbacks import FormCallback
from tests.support.tgfake import (
    HQ_CHAT,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_MEMBER,
    UNBOUND_CHAT,
    Harness,
)

HQ_ADMIN = 6000000005
REPORTER = 6000000009  # 任宁, commander of ts-01-01 and so a member of ts-01
RETURNEE = "/returnee 租客老李带5位家人从湖南回来，住溪西村12号，电话13800001111"
# Not what a person's action stores: the update record, the run and sender leases,
# SQLite's id counters.
BOOKKEEPING = frozenset({"processed_updates", "leases", "sqlite_sequence"})
TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
}

Show = Callable[[Harness], Awaitable[Message]]  # brings a button's message up
Scenario = Callable[[Harness], Awaitable[tuple[Message, str]]]  # and picks the button


@dataclass(frozen=True)
class Button:
    """One button, where it is shown, and whose press it takes."""

    setup: Scenario
    # The actor who may always press it: the follow-up check after a refusal (None:
    # nobody may press it there, so there is no one to follow up with).
    owner: str | None
    changes_state: bool = True  # a press that only closes a dialog changes nothing stored


def button_data(message: Message, prefix: str, suffix: str = "") -> str:
    """The callback data of the one button on `message` with that prefix and suffix."""
    markup = message.reply_markup
    assert isinstance(markup, InlineKeyboardMarkup), message.text
    found = [
        b.callback_data
        for row in markup.inline_keyboard
        for b in row
        if b.callback_data and b.callback_data.startswith(prefix)
        if b.callback_data.endswith(suffix)
    ]
    assert len(found) == 1, (prefix, suffix, found)
    return found[0]


def shown_by(show: Show, prefix: str, suffix: str) -> Scenario:
    """The scenario of the button (`prefix`…`suffix`) on the message `show` brings up."""

    async def setup(h: Harness) -> tuple[Message, str]:
        message = await show(h)
        return message, button_data(message, prefix, suffix)

    return setup


def with_button(h: Harness, chat_id: int, prefix: str) -> Message:
    """The last message in a chat with a button whose data starts with `prefix`."""
    for message in reversed(h.session.sent_messages(chat_id)):
        markup = message.reply_markup
        if isinstance(markup, InlineKeyboardMarkup) and any(
            (b.callback_data or "").startswith(prefix)
            for row in markup.inline_keyboard
            for b in row
        ):
            return message
    raise AssertionError(f"no message with a {prefix!r} button in {chat_id}")


async def state_of(h: Harness) -> dict[str, Any]:
    """Everything a press could change: the database's rows, open forms included
    (their steps are rows of `form_states`)."""
    db = h.app.db.conn
    async with db.execute(TABLES["postgresql" if h.app.db.is_postgres else "sqlite"]) as cur:
        tables = sorted(r[0] for r in await cur.fetchall() if r[0] not in BOOKKEEPING)
    state: dict[str, Any] = {}
    for table in tables:
        async with db.execute(f'SELECT * FROM "{table}"') as cur:
            state[table] = sorted(repr(tuple(r)) for r in await cur.fetchall())
    return state


# ------------------------------------------------------------------ /order form


def form_at(step: str, press: str, value: str) -> Scenario:
    """李强's guided /order in 塔山村's group, open at `step` ("kind", "duration" or
    "confirm"); the button is `press` with `value` (e.g. "cancel" at "duration")."""

    async def setup(h: Harness) -> tuple[Message, str]:
        await h.send(TS01_CHAT, TS01_COMMANDER, "/order")
        await h.drain()
        await h.send(TS01_CHAT, TS01_COMMANDER, "村内自查", reply_to=h.prompt_in(TS01_CHAT))
        await h.drain()
        for name, choice in (("kind", "notice"), ("duration", "15m")):
            if name == step:
                break
            data = FormCallback(step=name, value=choice).pack()
            await h.press(h.prompt_in(TS01_CHAT), TS01_COMMANDER, data)
            await h.drain()
        return h.prompt_in(TS01_CHAT), FormCallback(step=press, value=value).pack()

    return setup


form_kind = form_at("kind", "kind", "notice")
form_duration = form_at("duration", "duration", "15m")
form_confirm = form_at("confirm", "confirm", "-")
form_cancel = form_at("duration", "cancel", "-")


# ------------------------------------------------------------- returnee reports


def answer_to(chat_id: int, user: int, text: str, prefix: str) -> Show:
    """What `user` sending `text` in `chat_id` brings up: the message with a `prefix` button."""

    async def show(h: Harness) -> Message:
        await h.send(chat_id, user, text)
        await h.drain()
        return with_button(h, chat_id, prefix)

    return show


_draft = answer_to(TS01_CHAT, REPORTER, RETURNEE, "inc:")  # 任宁's report in 塔山村, to confirm


draft_confirm = shown_by(_draft, "inc:", ":confirm")
draft_discard = shown_by(_draft, "inc:", ":discard")


async def _returnee_form(h: Harness) -> Message:
    """任宁's guided /returnee, at the step after the count, in his private chat."""
    await h.send(TS01_CHAT, REPORTER, "/returnee")
    await h.drain()
    await h.send(REPORTER, REPORTER, "3", reply_to=h.prompt_in(REPORTER))
    await h.drain()
    return h.prompt_in(REPORTER)


returnee_skip = shown_by(_returnee_form, "rf:", "")


async def _alert(h: Harness) -> Message:
    """王梦红's confirmed report in ts-01-01: its alert in the parent's (塔山村's) group."""
    draft = await answer_to(TS0101_CHAT, TS0101_MEMBER, RETURNEE, "inc:")(h)
    await h.press(draft, TS0101_MEMBER, button_data(draft, "inc:", ":confirm"))
    await h.drain()
    return with_button(h, TS01_CHAT, "inc:")


disposition = shown_by(_alert, "inc:", ":home")


async def _escalated_alert(h: Harness) -> Message:
    """The alert once nobody in 塔山村 acted for 20 minutes: climbed to HQ's group."""
    await _alert(h)
    h.clock.advance(minutes=21)
    await h.app.incidents.fire_due()
    await h.drain()
    return with_button(h, HQ_CHAT, "inc:")


async def _alert_in_hq_too_early(h: Harness) -> Message:
    """The alert's buttons pressed in HQ's group before the incident climbed there
    (a forged or stale press: HQ's group has not been shown this alert)."""
    alert = await _alert(h)
    return alert.model_copy(update={"chat": Chat(id=HQ_CHAT, type="supergroup", title="HQ")})


escalated_disposition = shown_by(_escalated_alert, "inc:", ":home")
early_disposition_in_hq = shown_by(_alert_in_hq_too_early, "inc:", ":home")


async def _disposed_alert(h: Harness) -> Message:
    """The alert once 塔山村's commander chose home observation."""
    alert = await _alert(h)
    await h.press(alert, TS01_COMMANDER, button_data(alert, "inc:", ":home"))
    await h.drain()
    # The alert is edited in place: its new buttons are in the last edit of it.
    edits = [
        c
        for c in h.session.calls
        if isinstance(c, EditMessageText)
        and c.chat_id == TS01_CHAT
        and c.message_id == alert.message_id
    ]
    assert edits, "the alert was not updated after the disposition"
    return alert.model_copy(update={"reply_markup": edits[-1].reply_markup})


carried_out = shown_by(_disposed_alert, "inc:", ":done")  # 落实


# ------------------------------------------------------------ /member and moves


_member_preview = answer_to(TS01_CHAT, TS01_COMMANDER, "/member add 张三", "mem:")


member_confirm = shown_by(_member_preview, "mem:", ":ok")
member_cancel = shown_by(_member_preview, "mem:", ":no")


# An HQ admin binds 塔山村 to a new group while its old one is live: asked to confirm.
_move_question = answer_to(UNBOUND_CHAT, HQ_ADMIN, "/bind ts-01", "mv:")


move_confirm = shown_by(_move_question, "mv:", ":1")
move_cancel = shown_by(_move_question, "mv:", ":0")


async def _copy(h: Harness) -> Message:
    """The copy of HQ's order #1 in 塔山村's group."""
    return h.copy_in(TS01_CHAT)


ack = shown_by(_copy, "ack:", "")  # 收到
