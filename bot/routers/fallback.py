"""Commands and presses nobody handles get one line, never silence.

Commands addressed to another bot (`/start@otherbot`) are left alone. A reply
to the bot's prompt after its form timed out is told so. A text in a private chat
that no form waits for (a phone typed after the form had closed) is told what to
send instead: in a group, chatter stays unanswered; in a private chat, silence
reads as a lost answer. A press
whose data no handler matches — an old button, forged or malformed data such
as ``ACK:1`` or ``ack:1:2``, an id out of range — is answered "no longer valid".
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.context import ChatContext
from bot.filters import Inline
from bot.forms import DatabaseFormStorage
from bot.i18n import Texts
from bot.press_watch import Told, answer_press
from bot.replier import Replier


async def unknown_command(message: Message, bot: Bot, ctx: ChatContext, replier: Replier) -> None:
    command = (message.text or "").split(maxsplit=1)[0]
    _, _, addressee = command.partition("@")
    if addressee:
        me = await bot.me()
        if addressee.lower() != (me.username or "").lower():
            return
    await replier.say(ctx, "error-unknown-command", command=command[:40])


async def stale_form_reply(
    message: Message, state: FSMContext, ctx: ChatContext, replier: Replier
) -> None:
    """A reply to the bot after the person's form timed out: say so, once."""
    storage = state.storage
    if isinstance(storage, DatabaseFormStorage) and await storage.expired_just_now(state.key):
        await replier.say(ctx, "form-timed-out")


async def private_text(message: Message, ctx: ChatContext, replier: Replier) -> None:
    """A text in a private chat that nothing waits for."""
    await replier.say(ctx, "private-nothing-open")


async def unknown_press(query: CallbackQuery, texts: Texts, ctx: ChatContext | None = None) -> None:
    locale = ctx.locale if ctx is not None else texts.pick(query.from_user.language_code)
    await answer_press(query, Told(texts.plain(locale, "press-stale")))


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="fallback")
    router.message.register(unknown_command, Inline(F.text.startswith("/")))
    router.message.register(stale_form_reply, Inline(F.text), Inline(F.reply_to_message))
    router.message.register(private_text, Inline(F.text), Inline(F.chat.type == "private"))
    router.callback_query.register(unknown_press)
    return router
