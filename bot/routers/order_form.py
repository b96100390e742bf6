"""The guided `/order` form: text → kind → time allowed → preview → confirm.

Bots in privacy mode only see replies to themselves in groups, so the text is
asked for with ForceReply and every other step is a button. Nothing is decided
until "下达" is pressed; the step a person is at is kept in the database
(bot/forms.py). The questions and the preview are built in
bot/order_form_presenter.py.
"""

from __future__ import annotations

from datetime import timedelta

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.callbacks import FormCallback
from bot.context import ChatContext
from bot.filters import Inline
from bot.formatting import Formatter
from bot.order_form_presenter import ask_text, duration_question, kind_question, preview
from bot.parsing import read_filter
from bot.press_watch import Shown, Told, answer_press
from bot.replier import Replier
from cascade.errors import Refused
from cascade.numerals import parse_duration
from cascade.order_service import OrderService
from cascade.orders import MAX_ORDER_TEXT, OrderKind
from cascade.queries import QueryService
from cascade.targeting import OrderFilter


class OrderForm(StatesGroup):
    text = State()
    kind = State()
    duration = State()
    confirm = State()


async def start_form(
    message: Message,
    ctx: ChatContext,
    state: FSMContext,
    orders: OrderService,
    queries: QueryService,
    replier: Replier,
) -> None:
    await orders.check_can_order(ctx.chat_id, ctx.user_id)
    if ctx.unit is not None and not sum((await queries.reach(ctx.chat_id)).values()):
        # Nothing below: say so now rather than open a form that can only fail.
        raise Refused("no-units-below", unit=ctx.unit.name)
    await state.set_state(OrderForm.text)
    await replier.text(ctx, ask_text(replier.texts, ctx.locale), force_reply=True)


async def form_text(
    message: Message, ctx: ChatContext, state: FSMContext, replier: Replier
) -> None:
    # Scope words may lead the text, as in /order: L3 #shop_row +market @health.
    flt, text = read_filter(message.text or "")
    if not text:
        raise Refused("order-text-missing")
    if len(text) > MAX_ORDER_TEXT:
        raise Refused("order-text-too-long", max=MAX_ORDER_TEXT)
    await state.update_data(text=text, filter=flt.model_dump_json())
    await state.set_state(OrderForm.kind)
    asked = kind_question(replier.texts, ctx.locale)
    await replier.text(ctx, asked.text, buttons=asked.buttons)


async def form_kind(
    query: CallbackQuery,
    callback_data: FormCallback,
    ctx: ChatContext,
    state: FSMContext,
    replier: Replier,
    fmt: Formatter,
) -> None:
    await state.update_data(kind=OrderKind(callback_data.value).value)
    await state.set_state(OrderForm.duration)
    asked = duration_question(replier.texts, fmt, ctx.locale)
    await answer_press(query, Shown())
    await replier.text(ctx, asked.text, buttons=asked.buttons)


async def form_duration(
    query: CallbackQuery,
    callback_data: FormCallback,
    ctx: ChatContext,
    state: FSMContext,
    replier: Replier,
    queries: QueryService,
    fmt: Formatter,
) -> None:
    duration = parse_duration(callback_data.value)
    await state.update_data(duration=int(duration.total_seconds()))
    await state.set_state(OrderForm.confirm)
    data = await state.get_data()
    flt = OrderFilter.model_validate_json(data.get("filter") or "{}")
    by_level, holders = await queries.reach_targeted(ctx.chat_id, flt)
    shown = preview(
        replier.texts,
        fmt,
        ctx.locale,
        OrderKind(data["kind"]),
        duration,
        data["text"],
        flt,
        by_level,
        holders,
    )
    await answer_press(query, Shown())
    await replier.text(ctx, shown.text, buttons=shown.buttons)


async def form_confirm(
    query: CallbackQuery, ctx: ChatContext, state: FSMContext, orders: OrderService
) -> None:
    data = await state.get_data()
    await state.clear()
    await orders.issue(
        ctx.chat_id,
        ctx.user_id,
        OrderKind(data["kind"]),
        data["text"],
        timedelta(seconds=data["duration"]),
        flt=OrderFilter.model_validate_json(data.get("filter") or "{}"),
    )
    await answer_press(query, Shown())  # the issuer's group gets the order's confirmation


async def form_cancel(
    query: CallbackQuery, ctx: ChatContext, state: FSMContext, replier: Replier
) -> None:
    await state.clear()
    await answer_press(query, Told(replier.texts.plain(ctx.locale, "form-cancelled")))


async def form_expired(query: CallbackQuery, ctx: ChatContext, replier: Replier) -> None:
    await answer_press(query, Told(replier.texts.plain(ctx.locale, "form-expired"), alert=True))


KINDS = frozenset(kind.value for kind in OrderKind)


def is_duration(value: str) -> bool:
    """A button's value the form can turn into a time allowed (forged data cannot)."""
    try:
        parse_duration(value)
    except ValueError:
        return False
    return True


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only).

    A kind or duration button whose value the form does not offer (forged or
    from an old version) is not the step's: it falls to `form_expired`, one
    alert, instead of failing in the handler.
    """
    router = Router(name="order_form")
    router.message.register(
        start_form, Command("order"), Inline(F.text.func(lambda t: len(t.split(maxsplit=1)) == 1))
    )
    router.message.register(
        form_text, StateFilter(OrderForm.text), Inline(F.text), Inline(~F.text.startswith("/"))
    )
    router.callback_query.register(
        form_kind,
        FormCallback.filter((F.step == "kind") & F.value.in_(KINDS)),
        StateFilter(OrderForm.kind),
    )
    router.callback_query.register(
        form_duration,
        FormCallback.filter((F.step == "duration") & F.value.func(is_duration)),
        StateFilter(OrderForm.duration),
    )
    router.callback_query.register(
        form_confirm, FormCallback.filter(F.step == "confirm"), StateFilter(OrderForm.confirm)
    )
    router.callback_query.register(
        form_cancel, FormCallback.filter(F.step == "cancel"), ~StateFilter(None)
    )
    router.callback_query.register(form_expired, FormCallback.filter())
    return router
