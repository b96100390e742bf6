"""Fixtures for the sandbox tests: a started server, the real aiogram bot, a small world."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot

from sandbox import SandboxServer, SandboxState
from sandbox.models import BotRecord
from tests.support.sandbox_helpers import (
    BASIC_GROUP_ID,
    CHIEF_ID,
    GROUP_ID,
    MEMBER_ID,
    OUTSIDER_ID,
    TOKEN,
    make_bot,
)


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer() as srv:
        yield srv


@pytest.fixture
def state(server: SandboxServer) -> SandboxState:
    return server.state


@pytest.fixture
def bot_record(state: SandboxState) -> BotRecord:
    return state.add_bot(TOKEN)


@pytest.fixture
def world(state: SandboxState, bot_record: BotRecord) -> SandboxState:
    """Two people in a supergroup and a basic group; the chief has started the bot."""
    state.add_user(CHIEF_ID, "王建", username="wangjian", language_code="zh-hans")
    state.add_user(MEMBER_ID, "李强", last_name="李")
    state.add_user(OUTSIDER_ID, "张红")
    state.add_chat(GROUP_ID, "塔山区块指挥部", "supergroup", [MEMBER_ID], creator_id=CHIEF_ID)
    state.add_chat(BASIC_GROUP_ID, "塔山村", "group", [CHIEF_ID, MEMBER_ID])
    state.add_chat(CHIEF_ID, type="private")
    return state


@pytest.fixture
async def bot(server: SandboxServer) -> AsyncIterator[Bot]:
    bot = make_bot(server.base_url)
    try:
        yield bot
    finally:
        await bot.session.close()
