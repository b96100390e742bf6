"""Turning failures into one polite line: refusals are translated, crashes logged.

No traceback ever reaches a chat: a `Refused` becomes its sentence (an alert for
button presses), anything else is logged with the update and the person gets a
short apology. A press is answered even when its chat is unknown, and the error
handler itself never raises: if even the apology cannot be queued, that is
logged once and the update is done.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot.context import ChatContext
from bot.html import plain
from bot.replier import Replier
from cascade.errors import Refused

log = logging.getLogger(__name__)


async def _tell(event: ErrorEvent, replier: Replier, ctx: ChatContext | None, text: str) -> None:
    query = event.update.callback_query
    try:
        if query is not None:
            await query.answer(plain(text)[:200], show_alert=True)
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


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="errors")
    router.errors.register(refused, ExceptionTypeFilter(Refused))
    router.errors.register(crashed)
    return router
