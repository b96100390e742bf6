"""The outermost update middleware: an update that already took effect is skipped.

It runs outside aiogram's error middleware, so the refusal or apology an error
handler queues is recorded with the update too, and a replayed update gets
neither twice. See storage/processed.py for how the record joins the decision.

It also reads, with the other updates in flight, what the middlewares and filters
after it will ask (storage/update_reads.py): the chat's unit, the person's form
and what a replied message was made for. One batch of reads for many updates,
beside the writers, instead of three or four transactions per update.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.dispatcher.middlewares.user_context import UserContextMiddleware
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.types import CallbackQuery, InaccessibleMessage, Message, TelegramObject, Update

from bot.forms import key_text
from storage import processed, update_reads
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
    storage's key as `fsm` resolves it, bot/filters.py's replied message)."""
    question = UpdateQuestion(bot.id, update.update_id, update_key(update))
    context = UserContextMiddleware.resolve_event_context(update)
    inner = update.callback_query or update.message or update.edited_message
    message = inner.message if isinstance(inner, CallbackQuery) else inner
    if (
        isinstance(message, Message | InaccessibleMessage)
        and getattr(inner, "from_user", None) is not None
    ):
        question = replace(question, chat_id=message.chat.id)
    if fsm is not None:
        form = fsm.resolve_context(
            bot,
            chat_id=context.chat_id,
            user_id=context.user_id,
            thread_id=context.thread_id,
            business_connection_id=context.business_connection_id,
        )
        if form is not None:
            question = replace(question, form_key=key_text(form.key))
    if isinstance(inner, Message):
        replied = inner.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
            question = replace(question, replied=(inner.chat.id, replied.message_id))
    return question


class OnceMiddleware(BaseMiddleware):
    def __init__(
        self,
        db: Database,
        reader: UpdateReader | None = None,
        fsm: FSMContextMiddleware | None = None,
    ) -> None:
        self.db = db
        self.reader = reader
        self.fsm = fsm

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


def install(dp: Dispatcher, db: Database, reader: UpdateReader | None = None) -> None:
    """Put the middleware first, outside aiogram's own (its error middleware, and the
    form state lookup, which with `reader` takes what this one read ahead)."""
    outer = dp.update.outer_middleware
    builtin = list(outer)
    for middleware in builtin:
        outer.unregister(middleware)
    outer.register(OnceMiddleware(db, reader, dp.fsm))
    for middleware in builtin:
        outer.register(middleware)
