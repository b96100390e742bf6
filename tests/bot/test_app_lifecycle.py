"""Starting and stopping `TowerBot`: commands menu, the running sender, clean shutdown.

Drills, the sandbox and end-to-end tests start several bots in one process and
stop them again; a bot that cannot be built twice, leaves its session open or
needs a manual drain to deliver a reply would make all of those flaky.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiogram.methods import SetMyCommands
from pydantic import SecretStr

from bot.app import COMMANDS, TowerBot
from bot.settings import SenderLimits, Settings
from cascade.clock import FakeClock
from storage.importer import import_units
from tests.support.pgserver import Engine
from tests.support.tgfake import (
    HQ_CHAT,
    HQ_COMMANDER,
    TOKEN,
    FakeSession,
    make_harness,
    tower_units,
)


def new_app(tmp_path: Path, name: str, session: FakeSession) -> TowerBot:
    return TowerBot(
        Settings(
            bot_token=SecretStr(TOKEN),
            db=tmp_path / f"{name}.db",
            limits=SenderLimits(per_second=1000, chat_interval=0, group_per_minute=10**6),
        ),
        session,
        clock=FakeClock(),
    )


async def test_two_apps_in_one_process(tmp_path: Path) -> None:
    # Routers used to be module globals: aiogram attaches a router to one parent only.
    first = new_app(tmp_path, "first", FakeSession())
    second = new_app(tmp_path, "second", FakeSession())
    assert first.dispatcher is not second.dispatcher
    await second.bot.session.close()
    await first.bot.session.close()


async def test_started_app_delivers_replies_by_itself(tmp_path: Path) -> None:
    session = FakeSession()
    app = new_app(tmp_path, "running", session)
    await app.open()
    await import_units(app.db, [u.model_copy(deep=True) for u in tower_units("tashan")])
    await app.start(polling=False)
    try:
        menus = [c for c in session.calls if isinstance(c, SetMyCommands)]
        assert [m.language_code for m in menus] == [None, "en"]
        for menu in menus:
            assert [c.command for c in menu.commands] == list(COMMANDS)
            assert all(c.description for c in menu.commands)

        from aiogram.types import Chat, Message, Update, User

        update = Update(
            update_id=1,
            message=Message(
                message_id=1,
                date=app.clock.now(),
                chat=Chat(id=HQ_CHAT, type="supergroup"),
                from_user=User(id=HQ_COMMANDER, is_bot=False, first_name="王建"),
                text="/help",
            ),
        )
        await app.dispatcher.feed_update(app.bot, update)

        # No drain here: the sender task started by app.start() delivers the reply.
        await asyncio.wait_for(session.delivered.wait(), timeout=10)
        assert session.texts(HQ_CHAT)[0].startswith("<b>塔群机器人</b>")
    finally:
        await app.stop()
    assert session.closed
    assert app._tasks == []
    with pytest.raises(RuntimeError):
        _ = app.db.conn


async def test_stop_without_start_closes_everything(engine: Engine, tmp_path: Path) -> None:
    h = await make_harness(tmp_path, engine=engine)
    await h.app.stop()
    assert h.session.closed
    with pytest.raises(RuntimeError):
        _ = h.app.db.conn
