"""Every button press gets an answer, and answering one can never crash a handler.

Telegram refuses `answerCallbackQuery` once a press is ~15 s old ("query is too
old") or its id is unknown ("query ID is invalid"). The press was handled all
the same — the decision is in the database — so such a refusal is noise: this
request middleware turns it into a logged line instead of an exception, for the
handlers and for the error handler alike (which used to fail on the same call
and log a second traceback).
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from aiogram.methods.base import Response

log = logging.getLogger(__name__)


class PressAnswerGuard(BaseRequestMiddleware):
    """Swallows Telegram's refusal to answer a press that is too old or unknown."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Response[Any]:
        if not isinstance(method, AnswerCallbackQuery):
            return await make_request(bot, method)
        try:
            return await make_request(bot, method)
        except TelegramBadRequest as exc:
            log.info("press %s not answered: %s", method.callback_query_id, exc.message)
            # The session hands the middleware chain's value back as the result.
            return False  # type: ignore[return-value]
