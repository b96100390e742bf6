"""Errors come back with Telegram's codes and descriptions, and aiogram raises its
matching exceptions."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods.base import TelegramMethod
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters

from sandbox import ApiError, SandboxServer, SandboxState
from sandbox.models import OutgoingRequest
from tests.support.sandbox_helpers import BOT_ID, CHIEF_ID, GROUP_ID, MEMBER_ID, TOKEN, make_bot

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


async def raw_call(
    base_url: str, method: str, token: str = TOKEN, **params: Any
) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{base_url}/bot{token}/{method}", json=params) as response,
    ):
        return response.status, await response.json()


def one_button(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="收到", callback_data=data)]]
    )


class NoSuchMethod(TelegramMethod[bool]):
    __returning__ = bool
    __api_method__ = "noSuchMethod"


async def test_unknown_chat(server: SandboxServer, bot: Bot, world: SandboxState) -> None:
    with pytest.raises(TelegramBadRequest) as info:
        await bot.send_message(-1009999999999, "x")
    assert info.value.message == "Bad Request: chat not found"
    status, body = await raw_call(server.base_url, "sendMessage", chat_id=-1009999999999, text="x")
    assert (status, body) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
    )


@pytest.mark.parametrize("text", ["", "   \n ", "<b> </b>"])
async def test_empty_text(bot: Bot, world: SandboxState, text: str) -> None:
    with pytest.raises(TelegramBadRequest) as info:
        await bot.send_message(GROUP_ID, text, parse_mode="HTML")
    assert info.value.message == "Bad Request: message text is empty"


async def test_length_limit_counts_utf16_units(bot: Bot, world: SandboxState) -> None:
    await bot.send_message(GROUP_ID, "字" * 4096)
    await bot.send_message(GROUP_ID, "👍" * 2048)
    await bot.send_message(GROUP_ID, "<b>" + "字" * 4096 + "</b>", parse_mode="HTML")
    for text in ("字" * 4097, "👍" * 2048 + "字"):
        with pytest.raises(TelegramBadRequest) as info:
            await bot.send_message(GROUP_ID, text)
        assert info.value.message == "Bad Request: message is too long"


async def test_bad_html(bot: Bot, world: SandboxState) -> None:
    with pytest.raises(TelegramBadRequest) as info:
        await bot.send_message(GROUP_ID, "<b>收到", parse_mode="HTML")
    assert info.value.message == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )
    with pytest.raises(TelegramBadRequest) as info:
        await bot.send_message(GROUP_ID, "人数<5", parse_mode="HTML")
    assert (
        info.value.message
        == "Bad Request: can't parse entities: Unclosed start tag at byte offset 6"
    )
    with pytest.raises(TelegramBadRequest) as info:
        await bot.send_message(GROUP_ID, "人数 <br> 5", parse_mode="HTML")
    assert info.value.message == (
        'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 7'
    )


@pytest.mark.parametrize(
    "markup",
    ["{bad json", '"text"', '{"inline_keyboard": "x"}', '{"inline_keyboard": [[{"x": 1}]]}'],
)
async def test_bad_reply_markup(server: SandboxServer, world: SandboxState, markup: str) -> None:
    status, body = await raw_call(
        server.base_url, "sendMessage", chat_id=GROUP_ID, text="x", reply_markup=markup
    )
    assert (status, body["description"]) == (
        400,
        "Bad Request: can't parse reply keyboard markup JSON object",
    )


async def test_callback_data_over_64_bytes(bot: Bot, world: SandboxState) -> None:
    await bot.send_message(GROUP_ID, "x", reply_markup=one_button("a" * 64))
    for data in ("a" * 65, "收" * 22):  # 66 bytes in UTF-8
        with pytest.raises(TelegramBadRequest) as info:
            await bot.send_message(GROUP_ID, "x", reply_markup=one_button(data))
        assert info.value.message == "Bad Request: BUTTON_DATA_INVALID"


async def test_edit_errors(bot: Bot, world: SandboxState) -> None:
    with pytest.raises(TelegramBadRequest) as info:
        await bot.edit_message_text("x", chat_id=GROUP_ID, message_id=999)
    assert info.value.message == "Bad Request: message to edit not found"

    sent = await bot.send_message(GROUP_ID, "<b>进度</b> 1/2", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest) as info:
        await bot.edit_message_text(
            "<b>进度</b> 1/2", chat_id=GROUP_ID, message_id=sent.message_id, parse_mode="HTML"
        )
    assert info.value.message == NOT_MODIFIED
    # same text but different formatting is a modification
    await bot.edit_message_text("进度 1/2", chat_id=GROUP_ID, message_id=sent.message_id)

    with_button = await bot.send_message(GROUP_ID, "通知", reply_markup=one_button("ack"))
    with pytest.raises(TelegramBadRequest) as info:
        await bot.edit_message_reply_markup(
            chat_id=GROUP_ID, message_id=with_button.message_id, reply_markup=one_button("ack")
        )
    assert info.value.message == NOT_MODIFIED

    user_message = world.post_message(GROUP_ID, MEMBER_ID, "12")
    with pytest.raises(TelegramBadRequest) as info:
        await bot.edit_message_text("13", chat_id=GROUP_ID, message_id=user_message["message_id"])
    assert info.value.message == "Bad Request: message can't be edited"

    await bot.delete_message(GROUP_ID, sent.message_id)
    with pytest.raises(TelegramBadRequest) as info:
        await bot.edit_message_text("x", chat_id=GROUP_ID, message_id=sent.message_id)
    assert info.value.message == "Bad Request: message to edit not found"
    with pytest.raises(TelegramBadRequest) as info:
        await bot.delete_message(GROUP_ID, sent.message_id)
    assert info.value.message == "Bad Request: message to delete not found"


async def test_reply_to_missing_message(bot: Bot, world: SandboxState) -> None:
    with pytest.raises(TelegramBadRequest) as info:
        await bot.send_message(GROUP_ID, "x", reply_parameters=ReplyParameters(message_id=777))
    assert info.value.message == "Bad Request: message to be replied not found"
    sent = await bot.send_message(
        GROUP_ID,
        "x",
        reply_parameters=ReplyParameters(message_id=777, allow_sending_without_reply=True),
    )
    assert sent.reply_to_message is None


async def test_legacy_reply_to_message_id(server: SandboxServer, world: SandboxState) -> None:
    status, body = await raw_call(
        server.base_url, "sendMessage", chat_id=GROUP_ID, text="x", reply_to_message_id=5
    )
    assert (status, body["description"]) == (400, "Bad Request: message to be replied not found")
    status, body = await raw_call(
        server.base_url,
        "sendMessage",
        chat_id=GROUP_ID,
        text="x",
        reply_to_message_id=5,
        allow_sending_without_reply=True,
    )
    assert status == 200 and "reply_to_message" not in body["result"]


async def test_unknown_callback_query(bot: Bot, world: SandboxState) -> None:
    with pytest.raises(TelegramBadRequest) as info:
        await bot.answer_callback_query("123456789")
    assert info.value.message == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    sent = await bot.send_message(GROUP_ID, "x", reply_markup=one_button("ack"))
    query_id = world.press_button(GROUP_ID, sent.message_id, MEMBER_ID, "ack")
    await bot.answer_callback_query(query_id)
    with pytest.raises(TelegramBadRequest):  # answered already
        await bot.answer_callback_query(query_id)


async def test_unknown_method(server: SandboxServer, bot: Bot) -> None:
    status, body = await raw_call(server.base_url, "noSuchMethod")
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    with pytest.raises(TelegramNotFound):
        await bot(NoSuchMethod())


async def test_method_names_are_case_insensitive(server: SandboxServer) -> None:
    for name in ("getme", "GETME", "getMe"):
        status, body = await raw_call(server.base_url, name)
        assert status == 200 and body["result"]["id"] == BOT_ID


async def test_bad_token(server: SandboxServer) -> None:
    status, body = await raw_call(server.base_url, "getMe", token="123:short")
    assert (status, body) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    bot = make_bot(server.base_url, token="123:short")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await bot.get_me()
    finally:
        await bot.session.close()


async def test_unknown_token_when_registration_is_off(server: SandboxServer) -> None:
    server.state.auto_register_bots = False
    status, _ = await raw_call(server.base_url, "getMe")
    assert status == 401


async def test_forbidden_cases(bot: Bot, world: SandboxState) -> None:
    with pytest.raises(TelegramForbiddenError) as info:
        await bot.send_message(MEMBER_ID, "你好")  # never started the bot
    assert info.value.message == "Forbidden: bot can't initiate conversation with a user"

    world.set_chat_member(CHIEF_ID, BOT_ID, "kicked", by_id=CHIEF_ID)
    with pytest.raises(TelegramForbiddenError) as info:
        await bot.send_message(CHIEF_ID, "你好")
    assert info.value.message == "Forbidden: bot was blocked by the user"

    sent = await bot.send_message(GROUP_ID, "x")
    world.set_chat_member(GROUP_ID, BOT_ID, "kicked", by_id=CHIEF_ID)
    with pytest.raises(TelegramForbiddenError) as info:
        await bot.send_message(GROUP_ID, "x")
    assert info.value.message == "Forbidden: bot was kicked from the supergroup chat"
    with pytest.raises(TelegramForbiddenError):
        await bot.edit_message_text("y", chat_id=GROUP_ID, message_id=sent.message_id)

    world.set_chat_member(GROUP_ID, BOT_ID, "left", by_id=CHIEF_ID)
    with pytest.raises(TelegramForbiddenError) as info:
        await bot.send_message(GROUP_ID, "x")
    assert info.value.message == "Forbidden: bot is not a member of the supergroup chat"


async def test_outgoing_hooks_can_inject_telegram_failures(
    server: SandboxServer, bot: Bot, world: SandboxState
) -> None:
    seen: list[tuple[str, int]] = []

    async def fail(request: OutgoingRequest) -> None:
        seen.append((request.method, request.chat.id))
        if request.chat.id == GROUP_ID:
            raise ApiError.too_many_requests(3)
        if request.chat.id == CHIEF_ID:
            raise ApiError.migrated(-1002000000777)

    world.outgoing_hooks.append(fail)
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(GROUP_ID, "x")
    assert retry.value.retry_after == 3
    status, body = await raw_call(server.base_url, "sendMessage", chat_id=GROUP_ID, text="x")
    assert (status, body) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 3",
            "parameters": {"retry_after": 3},
        },
    )
    with pytest.raises(TelegramMigrateToChat) as migrate:
        await bot.send_message(CHIEF_ID, "x")
    assert migrate.value.migrate_to_chat_id == -1002000000777
    assert seen[0] == ("sendMessage", GROUP_ID)
    assert world.bot_messages(GROUP_ID) == []  # nothing was sent

    def bad_gateway(request: OutgoingRequest) -> None:  # a plain (non-async) hook works too
        raise ApiError(502, "Bad Gateway")

    world.outgoing_hooks[:] = [bad_gateway]
    with pytest.raises(TelegramServerError):
        await bot.send_message(GROUP_ID, "x")
