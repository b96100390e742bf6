"""Turning failures into one polite line: refusals are translated, crashes logged.

No traceback ever reaches a chat: a `Refused` becomes its sentence (an alert for
button presses), anything else is logged with the update and the person gets a
short apology.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot.context import ChatContext
from bot.replier import Replier
from cascade.errors import Refused

log = logging.getLogger(__name__)


async def refused(event: ErrorEvent, replier: Replier, ctx: ChatContext | None = None) -> None:
    assert isinstance(event.exception, Refused)
    if ctx is None:
        return
    text = replier.refusal(ctx, event.exception)
    if event.update.callback_query is not None:
        await event.update.callback_query.answer(text[:200], show_alert=True)
    else:
        await replier.text(ctx, text)


async def crashed(event: ErrorEvent, replier: Replier, ctx: ChatContext | None = None) -> None:
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    if ctx is None:
        return
    text = replier.texts.get(ctx.locale, "error-internal")
    if event.update.callback_query is not None:
        await event.update.callback_query.answer(text[:200], show_alert=True)
    else:
        await replier.text(ctx, text)


def build() -> Router:
    """A fresh router (a router attaches to one dispatcher only)."""
    router = Router(name="errors")
    router.errors.register(refused, ExceptionTypeFilter(Refused))
    router.errors.register(crashed)
    return router
