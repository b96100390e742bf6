"""The control API over HTTP, parameter encodings, and the state's plain methods."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest
from aiogram import Bot

from sandbox import ControlError, SandboxServer, SandboxState
from sandbox.models import BotRecord
from tests.support.sandbox_helpers import BOT_ID, CHIEF_ID, GROUP_ID, MEMBER_ID, TOKEN


async def control(
    server: SandboxServer, method: str, path: str, body: Any = None
) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, f"{server.base_url}/control{path}", json=body) as response,
    ):
        return response.status, await response.json()


async def test_people_chats_messages_buttons_over_http(
    server: SandboxServer, bot: Bot, bot_record: BotRecord
) -> None:
    status, user = await control(
        server, "POST", "/users", {"id": 6000000001, "first_name": "王建", "username": "wangjian"}
    )
    assert status == 200
    assert user == {"id": 6000000001, "is_bot": False, "first_name": "王建", "username": "wangjian"}
    status, chat = await control(
        server,
        "POST",
        "/chats",
        {"id": GROUP_ID, "title": "塔山区块指挥部", "type": "supergroup", "members": [CHIEF_ID]},
    )
    assert (status, chat) == (
        200,
        {"id": GROUP_ID, "title": "塔山区块指挥部", "type": "supergroup"},
    )

    status, posted = await control(
        server, "POST", "/messages", {"chat_id": GROUP_ID, "from_id": CHIEF_ID, "text": "/ping"}
    )
    assert status == 200 and posted["text"] == "/ping"
    assert posted["entities"] == [{"offset": 0, "length": 5, "type": "bot_command"}]

    sent = await bot.send_message(
        GROUP_ID,
        "pong",
        reply_to_message_id=posted["message_id"],
        reply_markup={"inline_keyboard": [[{"text": "收到", "callback_data": "ack"}]]},
    )
    status, error = await control(
        server,
        "POST",
        "/callbacks",
        {"chat_id": GROUP_ID, "message_id": sent.message_id, "from_id": CHIEF_ID, "data": "nope"},
    )
    assert status == 400 and "no button" in error["error"]
    status, pressed = await control(
        server,
        "POST",
        "/callbacks",
        {"chat_id": GROUP_ID, "message_id": sent.message_id, "from_id": CHIEF_ID, "data": "ack"},
    )
    assert status == 200
    query_id = pressed["callback_query_id"]
    status, _ = await control(server, "GET", f"/callback_answers/{query_id}")
    assert status == 404
    await bot.answer_callback_query(query_id, text="好")
    status, answer = await control(server, "GET", f"/callback_answers/{query_id}")
    assert status == 200 and (answer["text"], answer["show_alert"]) == ("好", False)

    status, messages = await control(server, "GET", f"/chats/{GROUP_ID}/messages")
    assert status == 200
    assert [(m["from_id"], m["text"], m["is_bot"]) for m in messages] == [
        (CHIEF_ID, "/ping", False),
        (BOT_ID, "pong", True),
    ]
    bot_view = messages[1]
    assert bot_view["reply_to_message_id"] == posted["message_id"]
    assert bot_view["reply_markup"] == {
        "inline_keyboard": [[{"text": "收到", "callback_data": "ack"}]]
    }
    assert (bot_view["edit_count"], bot_view["deleted"], bot_view["document"]) == (0, False, None)

    status, _ = await control(server, "GET", "/chats/-1/messages")
    assert status == 404


async def test_control_validation_errors(server: SandboxServer, bot_record: BotRecord) -> None:
    status, body = await control(server, "POST", "/users", {"id": "x", "first_name": "a"})
    assert status == 400 and body["error"]
    status, body = await control(
        server, "POST", "/messages", {"chat_id": GROUP_ID, "from_id": 1, "text": "hi"}
    )
    assert status == 400 and "not registered" in body["error"]
    status, body = await control(server, "POST", "/chats", {"id": 5, "title": "x"})
    assert status == 400 and "negative" in body["error"]


async def test_bulk_registration_of_thousands(server: SandboxServer) -> None:
    users = [{"id": 6_000_000_000 + i, "first_name": f"人{i}"} for i in range(1, 3001)]
    chats = [
        {
            "id": -1_002_000_000_000 - i,
            "title": f"楼道{i}",
            "type": "supergroup",
            "members": [6_000_000_000 + i, 6_000_000_000 + i % 3000 + 1],
        }
        for i in range(1, 3001)
    ]
    status, counts = await control(server, "POST", "/chats/bulk", {"chats": chats, "users": users})
    assert (status, counts) == (200, {"users": 3000, "chats": 3000})
    state = server.state
    assert state.chats[-1_002_000_003_000].title == "楼道3000"
    assert state.member_status(state.chats[-1_002_000_000_001], 6_000_000_001) == "member"


async def test_bot_added_to_a_new_group_creates_it(
    server: SandboxServer, bot: Bot, bot_record: BotRecord
) -> None:
    await control(server, "POST", "/users", {"id": CHIEF_ID, "first_name": "王建"})
    status, event = await control(
        server,
        "POST",
        "/chat_member",
        {
            "chat_id": -1002000000555,
            "user_id": BOT_ID,
            "status": "member",
            "by_id": CHIEF_ID,
            "chat_type": "supergroup",
            "title": "新建楼道群",
        },
    )
    assert status == 200
    assert (event["old_chat_member"]["status"], event["new_chat_member"]["status"]) == (
        "left",
        "member",
    )
    updates = await bot.get_updates()
    added = updates[0].my_chat_member
    assert added is not None
    assert (added.chat.id, added.chat.type, added.chat.title) == (
        -1002000000555,
        "supergroup",
        "新建楼道群",
    )
    assert added.new_chat_member.user.id == BOT_ID
    await bot.send_message(-1002000000555, "大家好")


async def test_bot_commands_and_reset(server: SandboxServer, bot: Bot, world: SandboxState) -> None:
    await bot.set_my_commands([{"command": "order", "description": "下达指令"}], language_code="zh")
    status, commands = await control(server, "GET", "/bot_commands")
    assert status == 200
    assert commands == [
        {
            "bot_id": BOT_ID,
            "scope": {"type": "default"},
            "language_code": "zh",
            "commands": [{"command": "order", "description": "下达指令"}],
        }
    ]
    world.post_message(GROUP_ID, MEMBER_ID, "/status")
    last_update = world.pending_updates(TOKEN)[-1]["update_id"]
    status, _ = await control(server, "POST", "/reset")
    assert status == 200
    assert world.chats == {} and world.users == {} and world.pending_updates(TOKEN) == []
    assert (await control(server, "GET", "/bot_commands"))[1] == []
    # update ids keep counting, so a polling bot with a high offset still gets new ones
    world.add_user(CHIEF_ID, "王建")
    world.post_message(CHIEF_ID, CHIEF_ID, "/start")
    assert [u.update_id for u in await bot.get_updates(offset=last_update + 1)] == [last_update + 1]


async def test_events_long_poll(server: SandboxServer, world: SandboxState) -> None:
    after = world.events[-1]["seq"]

    async def post_later() -> None:
        await asyncio.sleep(0.1)
        world.post_message(GROUP_ID, MEMBER_ID, "hello")

    task = asyncio.create_task(post_later())
    status, events = await control(server, "GET", f"/events?after={after}&timeout=5")
    await task
    assert status == 200
    assert events[0]["type"] == "message" and events[0]["chat_id"] == GROUP_ID


async def test_parameter_encodings(server: SandboxServer, world: SandboxState) -> None:
    url = f"{server.base_url}/bot{TOKEN}/sendMessage"
    markup = json.dumps({"inline_keyboard": [[{"text": "收到", "callback_data": "ack"}]]})
    async with aiohttp.ClientSession() as http:
        # JSON body with typed values
        async with http.post(
            url, json={"chat_id": GROUP_ID, "text": "<b>json</b>", "parse_mode": "HTML"}
        ) as response:
            body = await response.json()
            assert body["ok"] and body["result"]["entities"][0]["type"] == "bold"
        # query string
        async with http.get(url, params={"chat_id": str(GROUP_ID), "text": "query"}) as response:
            assert (await response.json())["result"]["text"] == "query"
        # x-www-form-urlencoded
        async with http.post(
            url, data={"chat_id": str(GROUP_ID), "text": "form", "reply_markup": markup}
        ) as response:
            result = (await response.json())["result"]
            assert result["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ack"
        # multipart/form-data with a file part and an attach:// reference
        form = aiohttp.FormData()
        form.add_field("chat_id", str(GROUP_ID))
        form.add_field("caption", "multipart")
        form.add_field("disable_notification", "true")
        form.add_field("document", "attach://up1")
        form.add_field("up1", b"a,b\n", filename="t.csv", content_type="application/octet-stream")
        async with http.post(f"{server.base_url}/bot{TOKEN}/sendDocument", data=form) as response:
            result = (await response.json())["result"]
            assert result["document"]["file_name"] == "t.csv"
            assert result["caption"] == "multipart"
        # multipart with the file under the parameter's own name
        form = aiohttp.FormData()
        form.add_field("chat_id", str(GROUP_ID))
        form.add_field("document", b"x", filename="x.txt")
        async with http.post(f"{server.base_url}/bot{TOKEN}/sendDocument", data=form) as response:
            assert (await response.json())["result"]["document"]["mime_type"] == "text/plain"
    assert [m["text"] or m["caption"] for m in world.bot_messages(GROUP_ID)] == [
        "json",
        "query",
        "form",
        "multipart",
        None,
    ]


def test_state_methods_without_http() -> None:
    state = SandboxState(clock=lambda: 1_700_000_000.0)
    bot = state.add_bot(TOKEN)
    state.add_user(CHIEF_ID, "王建")
    state.add_chat(GROUP_ID, "塔山", "supergroup", [CHIEF_ID])
    message = state.post_message(GROUP_ID, CHIEF_ID, "/order@towerbot 15m 排查")
    assert message["date"] == 1_700_000_000
    assert message["entities"] == [
        {"offset": 0, "length": len("/order@towerbot"), "type": "bot_command"}
    ]
    assert message["chat"]["id"] == GROUP_ID and message["from"]["id"] == CHIEF_ID
    assert state.chat_messages(GROUP_ID)[0]["text"] == "/order@towerbot 15m 排查"
    assert state.bot_messages(GROUP_ID) == []
    # "/order@towerbot" names another bot than ours, so privacy mode keeps it away
    assert state.pending_updates(bot.token) == []
    with pytest.raises(ControlError):
        state.press_button(GROUP_ID, 1, CHIEF_ID, "ack")
    with pytest.raises(ControlError):
        state.post_message(GROUP_ID, 12345, "x")
    assert state.callback_answer("nope") is None


async def test_sent_feed_and_batched_actions(
    server: SandboxServer, bot: Bot, world: SandboxState
) -> None:
    """What a process playing thousands of people uses: the feed of bot messages
    (long-polled, from a sequence number) and many presses and replies per request."""
    status, empty = await control(server, "GET", "/sent?after=0&timeout=0")
    assert (status, empty) == (200, [])
    markup = {"inline_keyboard": [[{"text": "收到", "callback_data": "ack:1"}]]}
    first = await bot.send_message(GROUP_ID, "指令", reply_markup=markup)
    await bot.send_message(
        GROUP_ID, f'请 <a href="tg://user?id={CHIEF_ID}">王建</a> 回复', parse_mode="HTML"
    )
    status, feed = await control(server, "GET", "/sent?after=0&timeout=5")
    assert [(m["seq"], m["chat_id"], m["message_id"], m["data"]) for m in feed] == [
        (1, GROUP_ID, first.message_id, ["ack:1"]),
        (2, GROUP_ID, first.message_id + 1, []),
    ]
    assert feed[0]["bot_id"] == BOT_ID
    # Whom each message names (a reminder names the commander it is for).
    assert [m["mentions"] for m in feed] == [[], [CHIEF_ID]]
    _, later = await control(server, "GET", "/sent?after=1&timeout=0&limit=5")
    assert [m["seq"] for m in later] == [2]

    actions = [
        {
            "chat_id": GROUP_ID,
            "from_id": MEMBER_ID,
            "message_id": first.message_id,
            "data": "ack:1",
        },
        {
            "chat_id": GROUP_ID,
            "from_id": MEMBER_ID,
            "text": "5",
            "reply_to_message_id": first.message_id,
        },
        {"chat_id": GROUP_ID, "from_id": MEMBER_ID, "message_id": first.message_id, "data": "x"},
    ]
    status, results = await control(server, "POST", "/actions", {"actions": actions})
    assert status == 200
    assert "callback_query_id" in results[0]
    assert isinstance(results[1], int)
    assert "error" in results[2] and "callback_data" in results[2]["error"]
    updates = world.pending_updates(TOKEN)
    kinds = [next(k for k in u if k != "update_id") for u in updates]
    assert kinds[-2:] == ["callback_query", "message"]  # in the order they were acted
