"""Returnee incidents: `/returnee TEXT`, the guided form, the buttons of the loop, `/incidents`.

In privacy mode the bot sees commands and replies to itself only, so a report
is a command (`/returnee ...`), the form asks with ForceReply, and a correction
is a reply to the bot's preview. The guided form asks for phones and addresses,
so it runs in the reporter's private chat with the bot; only the masked preview
goes to the unit's group.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import CallbackQuery, Message

from bot.callbacks import IncidentCallback, ReturneeFormCallback
from bot.context import ChatContext
from bot.filters import Inline, RepliesTo
from bot.formatting import Formatter
from bot.incident_presenter import form_question, incidents_text
from bot.parsing import parse_incidents_which
from bot.press_watch import Shown, Told, answer_press
from bot.replier import Replier
from cascade.errors import Refused
from cascade.incident_service import IncidentService
from cascade.incidents import Disposition
from cascade.numerals import is_approximate
from cascade.outgoing import MessageRef
from cascade.ports import UnitOfWorkFactory
from cascade.queries import QueryService
from cascade.returnee import is_skip, misfit

# The form's steps, in the order it asks.
STEPS = ("count", "origin", "via", "arrival", "address", "phone")


class ReturneeForm(StatesGroup):
    count = State()
    origin = State()
    via = State()
    arrival = State()
    address = State()
    phone = State()


async def returnee(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    incidents: IncidentService,
    state: FSMContext,
    replier: Replier,
    uow: UnitOfWorkFactory,
) -> None:
    private = ctx.chat_id == ctx.user_id
    unit_chat = await _home_chat(ctx, uow) if private else ctx.chat_id
    if command.args and command.args.strip():
        reply_to = None if private else ctx.message_id
        await incidents.draft(unit_chat, ctx.user_id, command.args, reply_to)
        return
    # The form asks for the phone and the address: it goes on in the private chat,
    # and the unit's group sees only the masked preview at the end.
    key = StorageKey(bot_id=state.key.bot_id, chat_id=ctx.user_id, user_id=ctx.user_id)
    form = FSMContext(storage=state.storage, key=key)
    await form.set_state(ReturneeForm.count)
    await form.set_data({"answers": {}, "unit_chat": unit_chat})
    # The first question first: the form's step is saved with it (bot/forms.py).
    await _ask(
        ctx.model_copy(update={"chat_id": ctx.user_id, "message_id": None}), replier, "count"
    )
    if not private:
        await replier.say(ctx, "returnee-continue-private")


async def _home_chat(ctx: ChatContext, uow: UnitOfWorkFactory) -> int:
    """The group of the one unit a person reporting from a private chat belongs to."""
    async with uow() as tx:
        memberships = await tx.tower.memberships(ctx.user_id)
    chats = {m.unit.chat_id for m in memberships if m.unit.chat_id is not None}
    if len(chats) != 1:
        raise Refused("returnee-start-in-group")
    return chats.pop()


async def _ask(ctx: ChatContext, replier: Replier, step: str) -> None:
    asked = form_question(replier.texts, ctx.locale, step)
    await replier.text(ctx, asked.text, buttons=asked.buttons, force_reply=asked.force_reply)


async def _next(
    ctx: ChatContext,
    state: FSMContext,
    replier: Replier,
    incidents: IncidentService,
    step: str,
    answer: str | None,
) -> None:
    data = await state.get_data()
    answers = dict(data.get("answers", {}))
    if answer:
        answers[step] = answer
    await state.update_data(answers=answers)
    following = STEPS.index(step) + 1
    if following < len(STEPS):
        await state.set_state(getattr(ReturneeForm, STEPS[following]))
        await _ask(ctx, replier, STEPS[following])
        return
    await state.clear()
    await incidents.draft_from_form(int(data.get("unit_chat", ctx.chat_id)), ctx.user_id, answers)


async def form_answer(
    message: Message,
    ctx: ChatContext,
    state: FSMContext,
    replier: Replier,
    incidents: IncidentService,
) -> None:
    current = await state.get_state()
    step = (current or "").split(":")[-1]
    if step not in STEPS:
        return
    answer = (message.text or "").strip()
    if step == "count" and is_approximate(answer) and not is_skip(answer):
        data = await state.get_data()
        if not data.get("count_again"):  # an estimate is asked again once, not moved past
            await state.update_data(count_again=True)
            again = replier.texts.get(ctx.locale, "returnee-form-count-again", value=answer[:40])
            asked = form_question(replier.texts, ctx.locale, "count")
            await replier.text(ctx, again + "\n" + asked.text, force_reply=asked.force_reply)
            return
    if not is_skip(answer) and misfit(step, answer, incidents.clock.now()):
        again = replier.texts.get(ctx.locale, f"returnee-form-{step}-again", value=answer[:40])
        asked = form_question(replier.texts, ctx.locale, step)
        await replier.text(ctx, again, buttons=asked.buttons, force_reply=asked.force_reply)
        return
    await _next(ctx, state, replier, incidents, step, None if is_skip(answer) else answer)


async def form_skip(
    query: CallbackQuery,
    callback_data: ReturneeFormCallback,
    ctx: ChatContext,
    state: FSMContext,
    replier: Replier,
    incidents: IncidentService,
) -> None:
    current = (await state.get_state() or "").split(":")[-1]
    if current != callback_data.step:
        expired = replier.texts.plain(ctx.locale, "returnee-form-expired")
        await answer_press(query, Told(expired, alert=True))
        return
    await answer_press(query, Shown())  # the next step's prompt follows
    await _next(ctx, state, replier, incidents, callback_data.step, None)


async def correction(
    message: Message, ref: MessageRef, ctx: ChatContext, incidents: IncidentService
) -> None:
    """A reply to the draft amends it; a reply to a later stage's message ("📨 已上报")
    is answered with the refusal that says how to put it right, never left unanswered."""
    assert ref.incident_id is not None
    await incidents.correct(
        ref.incident_id, ctx.chat_id, ctx.user_id, message.text or "", ctx.message_id
    )


async def pressed(
    query: CallbackQuery,
    callback_data: IncidentCallback,
    ctx: ChatContext,
    incidents: IncidentService,
    replier: Replier,
) -> None:
    action, incident_id = callback_data.action, callback_data.incident_id
    t = replier.texts
    if action == "confirm":
        await incidents.confirm(incident_id, ctx.chat_id, ctx.user_id)
        await answer_press(query, Shown(t.plain(ctx.locale, "returnee-confirmed")))
    elif action == "discard":
        await incidents.discard(incident_id, ctx.user_id)
        await answer_press(query, Told(t.plain(ctx.locale, "returnee-discarded")))
    elif action == "done":
        await incidents.done(incident_id, ctx.chat_id, ctx.user_id)
        await answer_press(query, Shown(t.plain(ctx.locale, "returnee-done")))
    elif action in {d.value for d in Disposition}:
        await incidents.dispose(incident_id, ctx.chat_id, ctx.user_id, Disposition(action))
        await answer_press(query, Shown(t.plain(ctx.locale, f"disposition-{action}")))
    else:
        raise Refused("form-expired")


async def incidents_command(
    message: Message,
    command: CommandObject,
    ctx: ChatContext,
    queries: QueryService,
    replier: Replier,
    fmt: Formatter,
) -> None:
    view = await queries.incident_list(ctx.chat_id, parse_incidents_which(command.args), fmt.tz)
    text = incidents_text(replier.texts, ctx.locale, view, queries.clock.now())
    await replier.text(ctx, text)


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="incidents")
    router.message.register(returnee, Command("returnee"))
    router.message.register(
        form_answer,
        StateFilter(*ReturneeForm.__all_states__),
        Inline(F.text),
        Inline(~F.text.startswith("/")),
    )
    router.callback_query.register(form_skip, ReturneeFormCallback.filter())
    router.message.register(
        correction,
        Inline(F.text),
        Inline(~F.text.startswith("/")),
        RepliesTo("incident_draft", "incident_stage"),
    )
    router.callback_query.register(pressed, IncidentCallback.filter())
    router.message.register(incidents_command, Command("incidents"))
    return router
