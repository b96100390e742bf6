"""A whole tower running locally: the sandbox server, the bot against it over
real HTTP, and every person and group of a tower file registered in the sandbox.

Drills, end-to-end tests and the demo all start from here, so they exercise the
same path a real deployment does (aiogram's real session, the outbox, the sender).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.app import TowerBot, telegram_session
from bot.settings import SenderLimits, Settings
from cascade.clock import Clock
from cascade.deadlines import ClockPolicy
from cascade.tower import Tower
from cascade.towerfile import load_path
from sandbox import SandboxServer, SandboxState
from storage.importer import import_units

DRILL_TOKEN = "7000000001:SANDBOXdrillTOKENxxxxxxxxxxxxxxxxxx"


def sandbox_entities(tower: Tower) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every bound group and every person of a tower, as the sandbox registers them
    (`SandboxState.add_bulk`, or `POST /control/chats/bulk` from another process)."""
    users: dict[int, dict[str, Any]] = {}
    chats = []
    for unit in tower.walk():
        for _, person in unit.people():
            if person.telegram_id is not None:
                users[person.telegram_id] = {"id": person.telegram_id, "first_name": person.name}
        if unit.chat_id is not None:
            parent = tower.units.get(unit.parent) if unit.parent else None
            chats.append(
                {
                    "id": unit.chat_id,
                    "title": unit.name,
                    "type": "supergroup",
                    "members": sorted(tower.member_ids(unit.code)),
                    # What the demo page needs to draw the tower and list the commander first.
                    "creator_id": unit.commander.telegram_id if unit.commander else None,
                    "parent_id": parent.chat_id if parent else None,
                    "level": unit.level,
                    "unit_code": unit.code,
                }
            )
    return chats, list(users.values())


class SandboxWorld:
    def __init__(
        self,
        tower_file: Path,
        workdir: Path,
        limits: SenderLimits | None = None,
        clock: Clock | None = None,
        admins: frozenset[int] = frozenset(),
        port: int = 0,
        host: str = "127.0.0.1",
        policy: ClockPolicy | None = None,
        sandbox_clock: Callable[[], float] | None = None,
        progress_seconds: float = 3.0,
        db: Path | str | None = None,
    ) -> None:
        """`db`: the bot's database (a file or a postgresql:// URL of an empty database);
        by default a new SQLite file in `workdir`."""
        self.tower = Tower(load_path(tower_file))
        self.state = SandboxState(clock=sandbox_clock) if sandbox_clock else SandboxState()
        self.progress_seconds = progress_seconds
        self.server = SandboxServer(state=self.state, host=host, port=port)
        self.db_path: Path | str = db if db is not None else workdir / "towerbot.db"
        self.limits = limits
        self.clock = clock
        self.admins = admins
        self.policy = policy
        self.app: TowerBot | None = None

    async def start(self) -> str:
        url = await self.server.start()
        self.register()
        app = self._new_bot()
        await app.open()
        await import_units(app.db, list(self.tower.units.values()))
        await app.start()
        self.app = app
        return url

    def _new_bot(self) -> TowerBot:
        settings = Settings(
            bot_token=SecretStr(DRILL_TOKEN),
            db=self.db_path,
            admins=self.admins,
            limits=self.limits or SenderLimits(),
        )
        return TowerBot(
            settings,
            telegram_session(self.server.base_url),
            clock=self.clock,
            policy=self.policy,
            progress_seconds=self.progress_seconds,
        )

    async def restart_bot(self) -> TowerBot:
        """Stop the bot and start a new process-like instance on the same database."""
        if self.app is not None:
            await self.app.stop()
        self.app = self._new_bot()
        await self.app.start()
        return self.app

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
        await self.server.stop()

    async def __aenter__(self) -> SandboxWorld:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def register(self) -> None:
        """Every person and every bound group of the tower, into the sandbox."""
        chats, users = sandbox_entities(self.tower)
        self.state.add_bulk(chats=chats, users=users)

    @property
    def bot(self) -> TowerBot:
        assert self.app is not None, "the world is not started"
        return self.app

    def order_copies(self, chat_id: int, order_id: int) -> list[dict[str, Any]]:
        """The bot's messages in a chat that carry the "收到" button of `order_id`."""
        data = f"ack:{order_id}"
        return [
            m
            for m in self.state.bot_messages(chat_id)
            if m["reply_markup"]
            and any(
                b.get("callback_data") == data
                for row in m["reply_markup"]["inline_keyboard"]
                for b in row
            )
        ]
