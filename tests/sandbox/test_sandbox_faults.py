"""Injected faults per chat: each kind reaches the real aiogram Bot as the exception
Telegram's own answer would raise, and the control API switches them on and off."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramServerError,
)

from sandbox import SandboxServer, SandboxState
from tests.support.sandbox_helpers import BASIC_GROUP_ID, BOT_ID, CHIEF_ID, GROUP_ID, TOKEN

NEW_SUPERGROUP_ID = -1002000000999


async def raw(base_url: str, http_method: str, path: str, body: Any = None) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.request(http_method, f"{base_url}{path}", json=body) as response,
    ):
        return response.status, await response.json()


async def fault(server: SandboxServer, **body: Any) -> Any:
    status, answer = await raw(server.base_url, "POST", "/control/faults", body)
    assert status == 200, answer
    return answer


@pytest.mark.parametrize(
    ("chat_id", "description"),
    [
        (GROUP_ID, "Forbidden: bot was kicked from the supergroup chat"),
        (BASIC_GROUP_ID, "Forbidden: bot was kicked from the group chat"),
        (CHIEF_ID, "Forbidden: bot was blocked by the user"),
    ],
)
async def test_forbidden(
    server: SandboxServer, bot: Bot, world: SandboxState, chat_id: int, description: str
) -> None:
    await fault(server, chat_id=chat_id, kind="forbidden")
    with pytest.raises(TelegramForbiddenError) as info:
        await bot.send_message(chat_id, "x")
    assert info.value.message == description
    status, body = await raw(
        server.base_url, "POST", f"/bot{TOKEN}/sendMessage", {"chat_id": chat_id, "text": "x"}
    )
    assert (status, body) == (403, {"ok": False, "error_code": 403, "description": description})
    assert await raw(server.base_url, "DELETE", f"/control/faults/{chat_id}") == (
        200,
        {"cleared": 1},
    )
    await bot.send_message(chat_id, "back")


async def test_not_found(server: SandboxServer, bot: Bot, world: SandboxState) -> None:
    sent = await bot.send_message(GROUP_ID, "x")
    await fault(server, chat_id=GROUP_ID, kind="not_found")
    with pytest.raises(TelegramBadRequest) as info:
        await bot.send_message(GROUP_ID, "x")
    assert info.value.message == "Bad Request: chat not found"
    with pytest.raises(TelegramBadRequest):  # edits and deletions too
        await bot.edit_message_text("y", chat_id=GROUP_ID, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest):
        await bot.delete_message(GROUP_ID, sent.message_id)
    assert world.faults.stats()["by_kind"] == {"not_found": 3}


async def test_migrate(server: SandboxServer, bot: Bot, world: SandboxState) -> None:
    await bot.get_updates()  # nothing pending before the upgrade
    old = world.chats[BASIC_GROUP_ID]
    members = dict(old.members)
    assert await fault(
        server, chat_id=BASIC_GROUP_ID, kind="migrate", to_chat_id=NEW_SUPERGROUP_ID
    ) == {"chat_id": BASIC_GROUP_ID, "kind": "migrate", "to_chat_id": NEW_SUPERGROUP_ID}

    with pytest.raises(TelegramMigrateToChat) as info:
        await bot.send_message(BASIC_GROUP_ID, "x")
    assert info.value.migrate_to_chat_id == NEW_SUPERGROUP_ID
    assert "Bad Request: group chat was upgraded to a supergroup chat" in info.value.message
    status, body = await raw(
        server.base_url,
        "POST",
        f"/bot{TOKEN}/sendMessage",
        {"chat_id": BASIC_GROUP_ID, "text": "x"},
    )
    assert (status, body) == (
        400,
        {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: group chat was upgraded to a supergroup chat",
            "parameters": {"migrate_to_chat_id": NEW_SUPERGROUP_ID},
        },
    )

    assert BASIC_GROUP_ID not in world.chats
    new = world.chats[NEW_SUPERGROUP_ID]
    assert (new.type, new.title, new.members) == ("supergroup", old.title, members)
    sent = await bot.send_message(NEW_SUPERGROUP_ID, "resent")
    assert sent.chat.type == "supergroup" and sent.chat.title == old.title

    updates = await bot.get_updates()
    service = [u.message for u in updates if u.message is not None]
    assert [(m.chat.id, m.migrate_to_chat_id, m.migrate_from_chat_id) for m in service] == [
        (BASIC_GROUP_ID, NEW_SUPERGROUP_ID, None),
        (NEW_SUPERGROUP_ID, None, BASIC_GROUP_ID),
    ]
    assert service[0].from_user is not None and service[0].from_user.id == CHIEF_ID

    status, error = await raw(
        server.base_url,
        "POST",
        "/control/faults",
        {"chat_id": GROUP_ID, "kind": "migrate", "to_chat_id": -1002000000998},
    )
    assert status == 400 and "only a basic group" in error["error"]


@pytest.mark.parametrize(("status", "description"), [(502, "Bad Gateway"), (500, None)])
async def test_server_error_for_the_next_requests(
    server: SandboxServer, bot: Bot, world: SandboxState, status: int, description: str | None
) -> None:
    await fault(server, chat_id=GROUP_ID, kind="server_error", count=2, status=status)
    for _ in range(2):
        with pytest.raises(TelegramServerError) as info:
            await bot.send_message(GROUP_ID, "x")
        assert info.value.message == (description or "Internal Server Error")
    await bot.send_message(GROUP_ID, "third time lucky")
    assert world.faults.active() == []
    assert [m["text"] for m in world.bot_messages(GROUP_ID)] == ["third time lucky"]


async def test_slow(server: SandboxServer, bot: Bot, world: SandboxState) -> None:
    await fault(server, chat_id=GROUP_ID, kind="slow", seconds=0.3)
    started = time.monotonic()
    slow = asyncio.create_task(bot.send_message(GROUP_ID, "slow"))
    await bot.send_message(BASIC_GROUP_ID, "not held up")
    assert time.monotonic() - started < 0.25
    await slow
    assert time.monotonic() - started >= 0.3
    assert world.faults.active() == [{"chat_id": GROUP_ID, "kind": "slow", "seconds": 0.3}]


@pytest.mark.parametrize(
    ("chat_id", "new_status", "description"),
    [
        (GROUP_ID, "kicked", "Forbidden: bot was kicked from the supergroup chat"),
        (BASIC_GROUP_ID, "left", "Forbidden: bot was kicked from the group chat"),
        (CHIEF_ID, "kicked", "Forbidden: bot was blocked by the user"),
    ],
)
async def test_removed(
    server: SandboxServer,
    bot: Bot,
    world: SandboxState,
    chat_id: int,
    new_status: str,
    description: str,
) -> None:
    await bot.get_updates()
    await fault(server, chat_id=chat_id, kind="removed")
    updates = await bot.get_updates()
    assert len(updates) == 1 and updates[0].my_chat_member is not None
    change = updates[0].my_chat_member
    assert change.chat.id == chat_id
    assert change.old_chat_member.status == "member"
    assert change.new_chat_member.status == new_status
    assert change.new_chat_member.user.id == BOT_ID
    with pytest.raises(TelegramForbiddenError) as info:
        await bot.send_message(chat_id, "x")
    assert info.value.message == description
    world.set_chat_member(chat_id, BOT_ID, "member", by_id=CHIEF_ID)  # added back
    await bot.send_message(chat_id, "back")


async def test_control_api_validation_and_listing(
    server: SandboxServer, world: SandboxState
) -> None:
    base = server.base_url
    status, error = await raw(base, "POST", "/control/faults", {"chat_id": GROUP_ID, "kind": "x"})
    assert status == 400
    status, error = await raw(
        base, "POST", "/control/faults", {"chat_id": -1009, "kind": "forbidden"}
    )
    assert status == 404
    status, error = await raw(
        base, "POST", "/control/faults", {"chat_id": BASIC_GROUP_ID, "kind": "migrate"}
    )
    assert status == 400 and "to_chat_id" in error["error"]
    await fault(server, chat_id=GROUP_ID, kind="slow", seconds=2)
    await fault(server, chat_id=GROUP_ID, kind="server_error", count=3)
    await fault(server, chat_id=CHIEF_ID, kind="forbidden")
    status, active = await raw(base, "GET", "/control/faults")
    assert status == 200
    assert active == [
        {"chat_id": GROUP_ID, "kind": "slow", "seconds": 2},
        {"chat_id": GROUP_ID, "kind": "server_error", "count": 3, "status": 502},
        {"chat_id": CHIEF_ID, "kind": "forbidden"},
    ]
    assert await raw(base, "DELETE", f"/control/faults/{GROUP_ID}") == (200, {"cleared": 2})
    assert await raw(base, "DELETE", "/control/faults") == (200, {"cleared": 1})
    assert world.faults.active() == []
