"""getUpdates: control API -> update -> bot, long polling, offsets, a real Dispatcher."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.exceptions import TelegramConflictError
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from sandbox import SandboxServer, SandboxState
from sandbox.models import BotRecord
from tests.support.sandbox_helpers import BOT_ID, CHIEF_ID, GROUP_ID, MEMBER_ID, TOKEN, make_bot


async def test_message_posted_through_control_api_reaches_get_updates(
    server: SandboxServer, bot: Bot, world: SandboxState
) -> None:
    async with aiohttp.ClientSession() as http:
        response = await http.post(
            f"{server.base_url}/control/messages",
            json={
                "chat_id": GROUP_ID,
                "from_id": MEMBER_ID,
                "text": "/status@towerbot_sandbox_bot",
            },
        )
        assert response.status == 200
        posted = await response.json()
    updates = await bot.get_updates(timeout=1)
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None
    assert message.message_id == posted["message_id"]
    assert message.chat.id == GROUP_ID
    assert message.from_user is not None and message.from_user.id == MEMBER_ID
    assert message.text == "/status@towerbot_sandbox_bot"
    assert [(e.type, e.offset, e.length) for e in message.entities or []] == [
        ("bot_command", 0, 28)
    ]


async def test_offset_confirms_earlier_updates(bot: Bot, world: SandboxState) -> None:
    for text in ("/a", "/b", "/c"):
        world.post_message(GROUP_ID, MEMBER_ID, text)
    first = await bot.get_updates()
    assert [u.message.text for u in first if u.message] == ["/a", "/b", "/c"]
    ids = [u.update_id for u in first]
    assert ids == sorted(ids) and len(set(ids)) == 3
    # unconfirmed updates come again
    assert [u.update_id for u in await bot.get_updates()] == ids
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
    # the earlier ones are gone for good
    assert [u.update_id for u in await bot.get_updates()] == ids[1:]
    assert [u.update_id for u in await bot.get_updates(limit=1)] == ids[1:2]
    assert await bot.get_updates(offset=ids[-1] + 1) == []
    world.post_message(GROUP_ID, MEMBER_ID, "/d")
    assert [u.update_id for u in await bot.get_updates()] == [ids[-1] + 1]


async def test_negative_offset_keeps_the_last_updates(bot: Bot, world: SandboxState) -> None:
    for text in ("/a", "/b", "/c"):
        world.post_message(GROUP_ID, MEMBER_ID, text)
    assert [u.message.text for u in await bot.get_updates(offset=-1) if u.message] == ["/c"]
    assert len(await bot.get_updates()) == 1


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    bot: Bot, world: SandboxState
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.2)
    assert not poll.done()
    world.post_message(GROUP_ID, MEMBER_ID, "/ping")
    updates = await asyncio.wait_for(poll, 3)
    assert len(updates) == 1
    assert time.monotonic() - started < 2


async def test_long_poll_times_out_empty(bot: Bot, world: SandboxState) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    assert 0.9 < time.monotonic() - started < 3


async def test_stopping_the_server_ends_a_pending_long_poll(
    server: SandboxServer, bot: Bot, bot_record: BotRecord
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await server.state.wait_for(lambda: bot_record.active_poll is not None, 3)
    started = time.monotonic()
    await server.stop()
    assert await asyncio.wait_for(poll, 3) == []
    assert time.monotonic() - started < 2


async def test_a_second_poller_ends_the_first_with_conflict(
    server: SandboxServer, bot: Bot, bot_record: BotRecord
) -> None:
    other = make_bot(server.base_url)
    try:
        first = asyncio.create_task(bot.get_updates(timeout=10))
        await server.state.wait_for(lambda: bot_record.active_poll is not None, 3)
        second = asyncio.create_task(other.get_updates(timeout=0))
        with pytest.raises(TelegramConflictError) as info:
            await asyncio.wait_for(first, 3)
        assert "terminated by other getUpdates request" in info.value.message
        assert await asyncio.wait_for(second, 3) == []
    finally:
        await other.session.close()


async def test_allowed_updates_filter_and_chat_member_opt_in(bot: Bot, world: SandboxState) -> None:
    world.set_chat_member(GROUP_ID, MEMBER_ID, "administrator", by_id=CHIEF_ID)
    # chat_member updates are opt-in; the bot is not even an admin here
    assert await bot.get_updates() == []
    world.set_chat_member(GROUP_ID, BOT_ID, "administrator", by_id=CHIEF_ID)
    got = await bot.get_updates(allowed_updates=["message"])
    assert [u.my_chat_member is not None for u in got] == [True]
    await bot.get_updates(offset=got[-1].update_id + 1, allowed_updates=["message"])
    world.set_chat_member(GROUP_ID, BOT_ID, "member", by_id=CHIEF_ID)  # filtered out now
    world.post_message(GROUP_ID, MEMBER_ID, "/x")
    assert [u.message is not None for u in await bot.get_updates()] == [True]


async def test_privacy_mode_in_groups(bot: Bot, world: SandboxState) -> None:
    order = await bot.send_message(GROUP_ID, "上报人数")
    world.post_message(GROUP_ID, MEMBER_ID, "大家好")  # not for the bot
    world.post_message(GROUP_ID, MEMBER_ID, "12", reply_to_message_id=order.message_id)
    world.post_message(GROUP_ID, MEMBER_ID, "@towerbot_sandbox_bot 在吗")
    world.post_message(GROUP_ID, MEMBER_ID, "/status@other_bot")  # another bot's command
    world.post_message(GROUP_ID, MEMBER_ID, "/status")
    texts = [u.message.text for u in await bot.get_updates() if u.message]
    assert texts == ["12", "@towerbot_sandbox_bot 在吗", "/status"]
    # every message is in the chat history all the same
    assert len(world.chat_messages(GROUP_ID)) == 6


async def test_admin_bot_sees_every_group_message(bot: Bot, world: SandboxState) -> None:
    world.set_chat_member(GROUP_ID, BOT_ID, "administrator", by_id=CHIEF_ID)
    world.post_message(GROUP_ID, MEMBER_ID, "大家好")
    texts = [u.message.text for u in await bot.get_updates() if u.message]
    assert texts == ["大家好"]


async def test_removed_bot_gets_my_chat_member_and_no_messages(
    bot: Bot, world: SandboxState
) -> None:
    world.set_chat_member(GROUP_ID, BOT_ID, "kicked", by_id=CHIEF_ID)
    world.post_message(GROUP_ID, MEMBER_ID, "/status")
    updates = await bot.get_updates()
    assert len(updates) == 1
    event = updates[0].my_chat_member
    assert event is not None
    assert event.chat.id == GROUP_ID
    assert event.from_user.id == CHIEF_ID
    assert (event.old_chat_member.status, event.new_chat_member.status) == ("member", "kicked")


async def test_dispatcher_polls_the_sandbox(
    server: SandboxServer, world: SandboxState, bot_record: BotRecord
) -> None:
    router = Router()

    @router.message(Command("ping"))
    async def ping(message: Message) -> None:
        await message.answer(
            "pong",
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[[InlineKeyboardButton(text="收到", callback_data="ack")]]
            ),
        )

    @router.callback_query(F.data == "ack")
    async def ack(callback: CallbackQuery) -> None:
        await callback.answer("已收到")
        assert isinstance(callback.message, Message)
        await callback.message.edit_text("pong ✓")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    bot = make_bot(server.base_url, TOKEN)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
    )
    try:
        await world.wait_for(lambda: bot_record.poll_count > 0, 5)
        world.post_message(GROUP_ID, MEMBER_ID, "/ping")
        pongs = await world.wait_for(
            lambda: [m for m in world.bot_messages(GROUP_ID) if m["text"] == "pong"], 5
        )
        query_id = world.press_button(GROUP_ID, pongs[0]["message_id"], MEMBER_ID, "ack")
        answer = await world.wait_for(lambda: world.callback_answer(query_id), 5)
        assert answer["text"] == "已收到"
        edited = await world.wait_for(
            lambda: world.message(GROUP_ID, pongs[0]["message_id"])["edit_count"] == 1, 5
        )
        assert edited
        assert world.message(GROUP_ID, pongs[0]["message_id"])["text"] == "pong ✓"
    finally:
        await asyncio.wait_for(dispatcher.stop_polling(), 5)
        await asyncio.wait_for(polling, 5)
