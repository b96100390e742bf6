"""The outermost update middleware: an update that already took effect is skipped.

It runs outside aiogram's error middleware, so the refusal or apology an error
handler queues is recorded with the update too, and a replayed update gets
neither twice. See storage/processed.py for how the record joins the decision.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.dispatcher.middlewares.error import ErrorsMiddleware
from aiogram.types import TelegramObject, Update

from storage import processed
from storage.conn import DatabaseError
from storage.db import Database

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


class OnceMiddleware(BaseMiddleware):
    def __init__(self, db: Database) -> None:
        self.db = db

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
        try:
            async with self.db.transaction() as tx:
                seen = await processed.already_handled(tx.conn, bot.id, event.update_id, key)
        except DatabaseError:
            # A failing database: the decision will fail too, and the error handler
            # inside tells the person in one line.
            log.exception("update %s: could not check whether it was handled", event.update_id)
            seen = False
        if seen:
            log.info("update %s (%s) already handled: skipped", event.update_id, key)
            return None
        with processed.handling(bot.id, event.update_id, key) as mark:
            try:
                result = await handler(event, data)
                if mark.riders:  # a form step whose handler queued nothing after it
                    async with self.db.transaction() as tx:
                        await processed.write_riders(tx.conn)
                return result
            except processed.AlreadyHandled:
                log.info("update %s (%s) handled concurrently: rolled back", event.update_id, key)
                return None


def install(dp: Dispatcher, db: Database) -> None:
    """Put the middleware outside aiogram's error middleware (the first outer one)."""
    outer = dp.update.outer_middleware
    errors = [m for m in outer if isinstance(m, ErrorsMiddleware)]
    for middleware in errors:
        outer.unregister(middleware)
    outer.register(OnceMiddleware(db))
    for middleware in errors:
        outer.register(middleware)
