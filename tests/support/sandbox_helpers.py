"""Constants and helpers shared by the sandbox tests (a uniquely named module, so it
never clashes with other test directories' helpers)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

TOKEN = "6123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"
BOT_ID = 6123456789
BOT_USERNAME = "towerbot_sandbox_bot"
GROUP_ID = -1002000000001  # supergroup, ids beyond 2**32 on purpose
BASIC_GROUP_ID = -4000000001
CHIEF_ID = 6000000001
MEMBER_ID = 6000000002
OUTSIDER_ID = 6000000003


class QuickCloseSession(AiohttpSession):
    """aiogram's session, minus the 0.25 s sleep on close (keeps the suite fast)."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def make_bot(base_url: str, token: str = TOKEN) -> Bot:
    """The real aiogram Bot, talking HTTP to the sandbox at `base_url`."""
    return Bot(token, session=QuickCloseSession(api=TelegramAPIServer.from_base(base_url)))
