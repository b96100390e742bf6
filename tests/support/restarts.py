"""Restarting the bot on the same database, as after a crash (tests only)."""

from __future__ import annotations

from pydantic import SecretStr

from bot.app import TowerBot
from bot.settings import SenderLimits, Settings
from tests.support.tgfake import TOKEN, FakeSession, Harness, StepClock


async def restart(h: Harness) -> Harness:
    """Stop the bot and start a new one on the same database file, as after a crash.

    The new bot gets a fresh fake Telegram session (what was sent before is gone
    from memory, as in a new process); the clock goes on where it was.
    """
    db_path = h.app.db.path  # a file or a postgresql:// URL
    await h.app.stop()
    session = FakeSession()
    app = TowerBot(
        Settings(
            bot_token=SecretStr(TOKEN),
            db=db_path,
            admins=h.app.orders.admins,
            limits=SenderLimits(per_second=1000, chat_interval=0, group_per_minute=10**6),
        ),
        session,
        clock=h.clock,
    )
    await app.open()
    app.sender.monotonic = StepClock()
    again = Harness(app, session, h.clock)
    again._incoming = h._incoming
    again._updates = h._updates
    return again
