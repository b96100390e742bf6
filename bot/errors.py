"""Turning failures into one polite line: refusals are translated, crashes logged.

No traceback ever reaches a chat: a `Refused` becomes its sentence (an alert for
button presses), anything else is logged with the update and the person gets a
short apology. A press is answered even when its chat is unknown, and the error
handler itself never raises: if even the apology cannot be queued, that is
logged once and the update is done.

When the database cannot be written (disk full, read-only file, I/O error) the
outbox cannot take the apology either, so that one line — "暂时无法保存，请稍后再试",
or for an order "指令未下达：…" so its issuer knows — is sent straight through
the Bot API: the one message that does not go through the outbox, because
there is no outbox to go through.
"""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot.context import ChatContext
from bot.html import plain
from bot.press_watch import Told, answer_press
from bot.replier import Replier
from cascade.errors import Refused
from storage import processed
from storage.conn import DatabaseError

log = logging.getLogger(__name__)


async def _tell(event: ErrorEvent, replier: Replier, ctx: ChatContext | None, text: str) -> None:
    processed.drop_riders()  # the failed handler's form step is not saved with this line
    query = event.update.callback_query
    try:
        if query is not None:
            await answer_press(query, Told(plain(text), alert=True))
        elif ctx is not None:
            await replier.text(ctx, text)
    except Exception:
        log.exception("update %s: the error reply failed too", event.update.update_id)


def _locale(event: ErrorEvent, replier: Replier, ctx: ChatContext | None) -> str:
    if ctx is not None:
        return ctx.locale
    query = event.update.callback_query
    return replier.texts.pick(query.from_user.language_code if query else None)


async def refused(event: ErrorEvent, replier: Replier, ctx: ChatContext | None = None) -> None:
    assert isinstance(event.exception, Refused)
    locale = _locale(event, replier, ctx)
    refusal = event.exception
    text = replier.texts.get(locale, f"error-{refusal.key}", **refusal.params)
    await _tell(event, replier, ctx, text)


async def crashed(event: ErrorEvent, replier: Replier, ctx: ChatContext | None = None) -> None:
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    text = replier.texts.get(_locale(event, replier, ctx), "error-internal")
    await _tell(event, replier, ctx, text)


_WRITE_FAILURES = ("full", "readonly", "read-only", "disk i/o", "unable to open", "no space left")


def cannot_write(exception: BaseException) -> bool:
    """The database refused a write: out of space, read-only, or failing underneath."""
    if not isinstance(exception, DatabaseError):
        return False
    message = str(exception).lower()
    return any(word in message for word in _WRITE_FAILURES)


def _issues_order(event: ErrorEvent) -> bool:
    message = event.update.message
    if message is not None and (message.text or "").startswith("/order"):
        return True
    query = event.update.callback_query
    return query is not None and (query.data or "").startswith("of:confirm")


async def cannot_save(
    event: ErrorEvent, bot: Bot, replier: Replier, ctx: ChatContext | None = None
) -> None:
    log.error(
        "update %s: the database cannot be written: %s", event.update.update_id, event.exception
    )
    processed.drop_riders()
    locale = _locale(event, replier, ctx)
    key = "error-storage-order" if _issues_order(event) else "error-storage"
    text = replier.texts.plain(locale, key)
    query = event.update.callback_query
    message = event.update.message or event.update.edited_message
    try:
        if query is not None:
            await answer_press(query, Told(text, alert=True))
        elif message is not None:
            await bot.send_message(
                message.chat.id, text, reply_to_message_id=message.message_id, parse_mode=None
            )
    except Exception:
        log.exception("update %s: could not say the database is failing", event.update.update_id)


async def _storage_failed(event: ErrorEvent) -> bool:
    """A coroutine, so aiogram checks it in place, not in a worker thread (bot/filters.py)."""
    return cannot_write(event.exception)


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="errors")
    router.errors.register(refused, ExceptionTypeFilter(Refused))
    router.errors.register(cannot_save, _storage_failed)
    router.errors.register(crashed)
    return router
