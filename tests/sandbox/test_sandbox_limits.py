"""The sandbox's Telegram limits: 429s worded and timed as Telegram's, what counts
and what does not, paid broadcasts, and the control API that switches them on.

Time is a hand-moved clock (the state's), so nothing here sleeps.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters

from sandbox import SandboxServer, SandboxState
from sandbox.limits import SandboxLimits
from tests.support.sandbox_helpers import BASIC_GROUP_ID, BOT_ID, CHIEF_ID, GROUP_ID, TOKEN

START = 1_700_000_000.0


class Clock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(world: SandboxState) -> Clock:
    clock = Clock()
    world.clock = clock
    return clock


def many_groups(state: SandboxState, count: int, first: int = -1003000000000) -> list[int]:
    ids = [first - i for i in range(count)]
    state.add_bulk(chats=[{"id": i, "title": f"G{i}", "type": "supergroup"} for i in ids])
    return ids


async def raw(base_url: str, http_method: str, path: str, body: Any = None) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.request(http_method, f"{base_url}{path}", json=body) as response,
    ):
        return response.status, await response.json()


async def test_off_by_default(bot: Bot, world: SandboxState) -> None:
    assert world.limiter.view() == {"enabled": False}
    for _ in range(40):
        await bot.send_message(GROUP_ID, "x")
    stats = world.limiter.stats()
    assert stats["accepted"]["by_chat"] == {GROUP_ID: 40}
    assert stats["too_many_requests"]["total"] == 0


async def test_overall_limit_answers_exactly_as_telegram(
    server: SandboxServer, bot: Bot, world: SandboxState, clock: Clock
) -> None:
    world.set_limits(SandboxLimits(per_second=5, chat_per_second=100, group_per_minute=1000))
    groups = many_groups(world, 7)
    for chat_id in groups[:5]:
        await bot.send_message(chat_id, "x")
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(groups[5], "x")
    assert info.value.retry_after == 1
    status, body = await raw(
        server.base_url, "POST", f"/bot{TOKEN}/sendMessage", {"chat_id": groups[6], "text": "x"}
    )
    assert (status, body) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )
    clock.now += 0.999
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(groups[5], "x")
    clock.now += 0.001  # the first five leave the 1 s window
    await bot.send_message(groups[5], "x")
    stats = world.limiter.stats()
    assert stats["too_many_requests"] == {
        "total": 3,
        "by_chat": {groups[5]: 2, groups[6]: 1},
    }
    assert stats["accepted"]["total"] == 6
    assert world.bot_messages(groups[6]) == []


async def test_one_message_per_second_per_chat(bot: Bot, world: SandboxState, clock: Clock) -> None:
    world.set_limits(SandboxLimits())
    await bot.send_message(CHIEF_ID, "1")
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(CHIEF_ID, "2")
    assert info.value.retry_after == 1
    await bot.send_message(GROUP_ID, "another chat is not held back")
    clock.now += 1
    await bot.send_message(CHIEF_ID, "2")
    for _ in range(25):  # a private chat has no per-minute cap
        clock.now += 1
        await bot.send_message(CHIEF_ID, "again")
    assert world.limiter.accepted_by_chat[CHIEF_ID] == 27


async def test_group_per_minute_counts_edits_and_retry_after_is_whole_seconds(
    bot: Bot, world: SandboxState, clock: Clock
) -> None:
    world.set_limits(SandboxLimits(group_per_minute=3))
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="收到", callback_data="ack")]]
    )
    sent = await bot.send_message(BASIC_GROUP_ID, "board", reply_markup=keyboard)  # t = 0
    clock.now += 10
    await bot.edit_message_text(
        "board 1", chat_id=BASIC_GROUP_ID, message_id=sent.message_id, reply_markup=keyboard
    )
    clock.now += 10
    await bot.edit_message_reply_markup(chat_id=BASIC_GROUP_ID, message_id=sent.message_id)
    clock.now += 5  # t = 25: the t = 0 send leaves the minute at t = 60
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(BASIC_GROUP_ID, "too soon")
    assert info.value.retry_after == 35
    clock.now = START + 59.5
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.edit_message_text("board 2", chat_id=BASIC_GROUP_ID, message_id=sent.message_id)
    assert info.value.retry_after == 1  # 0.5 s rounds up, never 0
    clock.now = START + 60
    await bot.edit_message_text("board 2", chat_id=BASIC_GROUP_ID, message_id=sent.message_id)
    await bot.delete_message(BASIC_GROUP_ID, sent.message_id)  # deletions do not count
    assert world.limiter.too_many_by_chat[BASIC_GROUP_ID] == 2


async def test_rejected_requests_do_not_count(bot: Bot, world: SandboxState, clock: Clock) -> None:
    world.set_limits(SandboxLimits(per_second=2, chat_per_second=100))
    await bot.send_message(GROUP_ID, "1")
    with pytest.raises(TelegramBadRequest):  # fails after the limit check
        await bot.send_message(GROUP_ID, "reply", reply_parameters=ReplyParameters(message_id=999))
    world.set_chat_member(BASIC_GROUP_ID, BOT_ID, "kicked", by_id=CHIEF_ID)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(BASIC_GROUP_ID, "x")
    await bot.send_message(GROUP_ID, "2")
    for _ in range(3):  # 429s do not count either
        with pytest.raises(TelegramRetryAfter):
            await bot.send_message(GROUP_ID, "3")
    clock.now += 1
    await bot.send_message(GROUP_ID, "3")
    await bot.send_message(GROUP_ID, "4")
    assert world.limiter.accepted_by_chat[GROUP_ID] == 4


async def test_paid_broadcast_has_its_own_budget(
    server: SandboxServer, bot: Bot, world: SandboxState, clock: Clock
) -> None:
    world.set_limits(
        SandboxLimits(per_second=2, chat_per_second=100, group_per_minute=100, paid_per_second=5)
    )
    groups = many_groups(world, 8)
    await bot.send_message(groups[0], "x")
    await bot.send_message(groups[1], "x")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(groups[2], "x")
    for chat_id in groups[2:6]:  # aiogram sends multipart form data
        await bot.send_message(chat_id, "paid", allow_paid_broadcast=True)
    status, _ = await raw(  # and JSON bodies are read as well
        server.base_url,
        "POST",
        f"/bot{TOKEN}/sendMessage",
        {"chat_id": groups[6], "text": "paid", "allow_paid_broadcast": True},
    )
    assert status == 200
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(groups[7], "paid", allow_paid_broadcast=True)
    stats = world.limiter.stats()["accepted"]
    assert (stats["total"], stats["paid"]) == (7, 5)


async def test_control_api(
    server: SandboxServer, bot: Bot, world: SandboxState, clock: Clock
) -> None:
    """On the hand-moved clock: three sends in the same instant, the third refused."""
    base = server.base_url
    assert await raw(base, "GET", "/control/limits") == (200, {"enabled": False})
    status, view = await raw(base, "POST", "/control/limits", {"per_second": 3, "scale": 2})
    assert status == 200
    assert view == {
        "enabled": True,
        "per_second": 6,
        "chat_per_second": 2,
        "group_per_minute": 40,
        "paid_per_second": 2000,
    }
    assert world.limiter.limits == SandboxLimits(6, 2, 40, 2000)
    await bot.send_message(GROUP_ID, "1")
    await bot.send_message(GROUP_ID, "2")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(GROUP_ID, "3")
    status, stats = await raw(base, "GET", "/control/stats")
    assert status == 200
    assert stats["accepted"] == {"total": 2, "paid": 0, "by_chat": {str(GROUP_ID): 2}}
    assert stats["too_many_requests"] == {"total": 1, "by_chat": {str(GROUP_ID): 1}}
    assert stats["limits"]["enabled"] is True
    assert stats["faults"] == {"total": 0, "by_kind": {}, "by_chat": {}}
    assert await raw(base, "DELETE", "/control/stats") == (200, {"ok": True})
    assert world.limiter.accepted_total == 0
    assert await raw(base, "POST", "/control/limits", {"enabled": False}) == (
        200,
        {"enabled": False},
    )
    await bot.send_message(GROUP_ID, "3")
    status, error = await raw(base, "POST", "/control/limits", {"per_second": 0})
    assert status == 400 and "error" in error
    status, error = await raw(base, "POST", "/control/limits", {"burst": 1})
    assert status == 400


async def test_limits_given_to_the_state_and_reset() -> None:
    state = SandboxState(clock=Clock(), limits=SandboxLimits().scaled(10))
    assert state.limiter.view()["per_second"] == 300
    state.limiter.too_many_by_chat[GROUP_ID] += 1
    state.reset()
    assert state.limiter.stats()["too_many_requests"]["total"] == 0
    assert state.limiter.enabled
    with pytest.raises(ValueError):
        SandboxLimits(per_second=0)
