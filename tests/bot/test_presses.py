"""Item 6 of "proven reliable": every press is answered, none raises.

Late presses (Telegram: "query is too old"), repeated, forged and malformed
callback data, ids past SQLite's 64-bit range and presses on messages Telegram
no longer includes each get one short answer — and nothing is logged as a crash.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from aiogram.types import Chat, InaccessibleMessage

from tests.support.tgfake import TS01_CHAT, TS01_COMMANDER, TS0101_CHAT, TS0101_COMMANDER, Harness
from tests.support.updates import press


def _crashes(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_press_too_old_to_answer_is_still_recorded_and_logs_no_traceback(
    issued: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    real = issued.session.make_request

    async def too_old(bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:  # noqa: ASYNC109
        if isinstance(method, AnswerCallbackQuery):
            raise TelegramBadRequest(
                method=method,
                message="Bad Request: query is too old and response timeout expired "
                "or query ID is invalid",
            )
        return await real(bot, method, timeout)

    issued.session.make_request = too_old  # type: ignore[method-assign]
    await issued.press(issued.copy_in(TS0101_CHAT), TS0101_COMMANDER, "ack:1")
    assert (await issued.row_status("ts-01-01"))["acked_at"] is not None
    assert _crashes(caplog) == []


@pytest.mark.parametrize(
    "data",
    [
        "ack:99999999999999999999",
        "ack:-1",
        "ack:0",
        "ACK:1",
        "ack:1:2",
        "ack:",
        "ack:x",
        "inc:99999999999999999999:done",
        "of:kind",
        "rf:" + "x" * 60,
        "nothing-we-made",
        "",
    ],
)
async def test_forged_or_malformed_data_gets_one_short_answer(
    issued: Harness, data: str, caplog: pytest.LogCaptureFixture
) -> None:
    issued.session.clear()
    await issued.press(issued.copy_in(TS0101_CHAT), TS0101_COMMANDER, data)
    answers = issued.session.answers()
    assert len(answers) == 1
    assert answers[0].text == "此按钮已失效，请以最新消息为准。"
    assert _crashes(caplog) == []
    assert (await issued.row_status("ts-01-01"))["acked_at"] is None


async def test_an_order_that_does_not_exist_is_refused_politely(
    issued: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    issued.session.clear()
    await issued.press(issued.copy_in(TS0101_CHAT), TS0101_COMMANDER, "ack:424242")
    (answer,) = issued.session.answers()
    assert answer.text and "424242" in answer.text
    assert _crashes(caplog) == []


async def test_a_repeated_press_says_so(issued: Harness) -> None:
    copy = issued.copy_in(TS01_CHAT)
    await issued.press(copy, TS01_COMMANDER, "ack:1")
    issued.session.clear()
    await issued.press(copy, TS01_COMMANDER, "ack:1")
    (answer,) = issued.session.answers()
    assert answer.text == "本单元已确认收到。"


async def test_a_press_on_a_message_telegram_no_longer_includes_is_handled(
    issued: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    issued.session.clear()
    gone = InaccessibleMessage(
        chat=Chat(id=TS0101_CHAT, type="supergroup"),
        message_id=issued.copy_in(TS0101_CHAT).message_id,
    )
    pressed = press(900_001, issued.user(TS0101_COMMANDER), "ack:1", gone)
    await issued.app.dispatcher.feed_update(issued.app.bot, pressed)
    (answer,) = issued.session.answers()
    assert answer.text and answer.text.startswith("已收到")
    assert _crashes(caplog) == []


async def test_a_press_without_a_message_is_answered(
    issued: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    issued.session.clear()
    pressed = press(900_002, issued.user(TS0101_COMMANDER), "ack:1", inline_message_id="abc")
    await issued.app.dispatcher.feed_update(issued.app.bot, pressed)
    assert len(issued.session.answers()) == 1
