"""The outermost update middleware: an update that already took effect is skipped.

It runs outside aiogram's error middleware, so the refusal or apology an error
handler queues is recorded with the update too, and a replayed update gets
neither twice. See storage/processed.py for how the record joins the decision.

It also reads, with the other updates in flight, what the middlewares and filters
after it will ask (storage/update_reads.py): the chat's unit, the person's form
and what a replied message was made for. One batch of reads for many updates,
beside the writers, instead of three or four transactions per update.

With several bot tokens (storage/lanes.py) a group holding several of our bots
delivers each member's message to each of them; only the bot that serves the
group's unit handles it, the others skip it (it is not dropped: the serving bot
answers). Button presses go only to the bot whose button was pressed, and chats
bound to no unit (private chats, a group joining) go to whichever bot received
them, so those are handled as they come.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.dispatcher.middlewares.user_context import UserContextMiddleware
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.types import CallbackQuery, InaccessibleMessage, Message, TelegramObject, Update

from bot.forms import key_text
from cascade.outgoing import Lane
from storage import lanes, processed, update_reads
from storage.conn import DatabaseError
from storage.db import Database
from storage.update_reads import UpdateQuestion, UpdateReader, UpdateReads

log = logging.getLogger(__name__)


def update_key(update: Update) -> str | None:
    """What the update carries, independent of its update id."""
    if update.callback_query is not None:
        return f"press:{update.callback_query.id}"
    message = update.message or update.edited_message
    if message is not None:
        edit = message.edit_date
        edited = int(edit.timestamp()) if isinstance(edit, datetime) else int(edit or 0)
        return f"msg:{message.chat.id}:{message.message_id}:{edited}"
    return None


def question_of(update: Update, bot: Bot, fsm: FSMContextMiddleware | None) -> UpdateQuestion:
    """What the update's middlewares and filters will read (bot/context.py, the form
    storage's key as `fsm` resolves it, bot/filters.py's replied message), made once
    (three `dataclasses.replace` copies of it cost ~half of this per update)."""
    context = UserContextMiddleware.resolve_event_context(update)
    inner = update.callback_query or update.message or update.edited_message
    message = inner.message if isinstance(inner, CallbackQuery) else inner
    chat_id = form_key = replied = None
    if (
        isinstance(message, Message | InaccessibleMessage)
        and getattr(inner, "from_user", None) is not None
    ):
        chat_id = message.chat.id
    if fsm is not None:
        form = fsm.resolve_context(
            bot,
            chat_id=context.chat_id,
            user_id=context.user_id,
            thread_id=context.thread_id,
            business_connection_id=context.business_connection_id,
        )
        if form is not None:
            form_key = key_text(form.key)
    if isinstance(inner, Message):
        to = inner.reply_to_message
        if to is not None and to.from_user is not None and to.from_user.id == bot.id:
            replied = (inner.chat.id, to.message_id)
    return UpdateQuestion(bot.id, update.update_id, update_key(update), chat_id, form_key, replied)


def group_message(update: Update) -> Message | None:
    """A message or its edit in a group: several of our bots may receive it."""
    message = update.message or update.edited_message
    if message is None or message.chat.type == "private":
        return None
    return message


class OnceMiddleware(BaseMiddleware):
    def __init__(
        self,
        db: Database,
        reader: UpdateReader | None = None,
        fsm: FSMContextMiddleware | None = None,
        lane: Callable[[], Lane | None] = lambda: None,
    ) -> None:
        """`lane` is this bot's sending lane as it is now (the sender's, which a
        process may set after the dispatcher is built)."""
        self.db = db
        self.reader = reader
        self.fsm = fsm
        self.lane = lane

    async def _others(self, update: Update, bot: Bot, reads: UpdateReads | None) -> bool:
        """Whether the update is a group message that another bot of the tower handles."""
        lane = self.lane()
        message = group_message(update)
        if message is None or not lanes.shared(lane):
            return False  # one token: every message is this bot's
        chat_id = message.chat.id
        if reads is not None and reads.unit_of(chat_id)[0]:
            bound, serving = reads.unit is not None, reads.serving
        else:
            async with self.db.lookup() as conn:  # a read, beside the writers
                bound, serving = await lanes.serving_of(conn, chat_id)
        if not bound or lanes.handles(lane, bot.id, serving):
            return False
        if serving == lanes.ELSEWHERE and not (lane is not None and lane.serves):
            log.warning(
                "update %s: chat %s is served by a bot not started yet; it handles the "
                "message when it starts",
                update.update_id,
                chat_id,
            )
        else:
            log.debug("update %s: chat %s is served by bot %s", update.update_id, chat_id, serving)
        return True

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        bot = data.get("bot")
        if not isinstance(event, Update) or not isinstance(bot, Bot):
            return await handler(event, data)
        key = update_key(event)
        reads: UpdateReads | None = None
        try:
            if self.reader is not None:
                reads = await self.reader.read(question_of(event, bot, self.fsm))
                seen = reads.seen
            else:
                async with self.db.transaction() as tx:
                    seen = await processed.already_handled(tx.conn, bot.id, event.update_id, key)
        except DatabaseError:
            # A failing database: the decision will fail too, and the error handler
            # inside tells the person in one line.
            log.exception("update %s: could not check whether it was handled", event.update_id)
            seen, reads = False, None
        if seen:
            log.info("update %s (%s) already handled: skipped", event.update_id, key)
            return None
        try:
            if await self._others(event, bot, reads):
                return None
        except DatabaseError:
            log.exception("update %s: could not read which bot serves its chat", event.update_id)
        with (
            processed.handling(bot.id, event.update_id, key) as mark,
            update_reads.reading(reads) if reads is not None else contextlib.nullcontext(),
        ):
            try:
                result = await handler(event, data)
                if mark.riders:  # a form step whose handler queued nothing after it
                    async with self.db.transaction() as tx:
                        await processed.write_riders(tx.conn)
                return result
            except processed.AlreadyHandled:
                log.info("update %s (%s) handled concurrently: rolled back", event.update_id, key)
                return None


def install(
    dp: Dispatcher,
    db: Database,
    reader: UpdateReader | None = None,
    lane: Callable[[], Lane | None] = lambda: None,
) -> None:
    """Put the middleware first, outside aiogram's own (its error middleware, and the
    form state lookup, which with `reader` takes what this one read ahead); `lane`:
    see OnceMiddleware."""
    outer = dp.update.outer_middleware
    builtin = list(outer)
    for middleware in builtin:
        outer.unregister(middleware)
    outer.register(OnceMiddleware(db, reader, dp.fsm, lane))
    for middleware in builtin:
        outer.register(middleware)
