"""What `towerbot run` checks before it polls, each failure one line.

Networks in the field drop: a Telegram server that cannot be reached at start
is named in one line and tried again with growing pauses (1 s, 2 s, 4 s … up to
a minute) instead of ending the process with a traceback. What retrying cannot
fix — a token the server refuses, a database without a tower, an extra bot
serving a unit that does not exist — stops the start with one line (exit 2).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import (
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import User

from storage.db import Database

NO_TOWER = "no tower imported: run `towerbot import FILE`"


class StartRefused(Exception):
    """Starting cannot succeed as configured; the message is the one line to print."""


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


async def wait_for_telegram(
    bot: Bot,
    api_url: str,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    report: Callable[[str], None] = say,
    first_pause: float = 1.0,
    longest_pause: float = 60.0,
) -> User:
    """`getMe` until the server answers; one line per failed try, pauses doubling."""
    pause = first_pause
    while True:
        try:
            return await bot.get_me()
        except TelegramUnauthorizedError:
            raise StartRefused(
                f"towerbot: {api_url} refused the token (401 Unauthorized): check BOT_TOKEN"
            ) from None
        except TelegramNotFound:
            raise StartRefused(
                f"towerbot: {api_url} answered 404 to getMe: is TELEGRAM_API_URL a Bot API "
                "server, and BOT_TOKEN complete?"
            ) from None
        except TelegramRetryAfter as exc:
            pause = max(pause, float(exc.retry_after))
            reason = f"asked to wait {exc.retry_after} s"
        except (TelegramNetworkError, TelegramServerError) as exc:
            reason = _short(str(exc.message), bot.token)
        report(f"towerbot: cannot reach Telegram at {api_url} ({reason}); retrying in {pause:g} s")
        await sleep(pause)
        pause = min(pause * 2, longest_pause)


def _short(message: str, token: str) -> str:
    """The network error's own words, one line, without the token."""
    text = message.removeprefix("HTTP Client says - ").replace(token, "<token>")
    return " ".join(text.split())[:160]


async def check_tower(db: Database, extra_codes: list[str]) -> None:
    """A tower is imported, and every unit an extra bot is to serve is in it."""
    async with db.transaction() as tx:
        refs = await tx.tower.all_refs()
    if not refs:
        raise StartRefused(f"towerbot: {NO_TOWER}")
    codes = {ref.code for ref in refs}
    unknown = [code for code in extra_codes if code not in codes]
    if unknown:
        raise StartRefused(
            f"towerbot: setting BOT_TOKENS names unit {unknown[0]}, which is not in the "
            "imported tower (see `towerbot tree`)"
        )
