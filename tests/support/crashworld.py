"""A 1,011-group tower in the sandbox with the bot as a process to SIGKILL (tests only).

HQ → 10 villages → 100 groups each (1,010 groups below HQ). The sandbox runs
in the test's event loop; the bot is `towerbot run` in its own process with
the sender's limits lifted (the sandbox enforces none), so a fan-out to 1,010
groups takes a couple of seconds. The test reads the bot's database directly to
see decisions commit: the SQLite file (read-only), or the PostgreSQL database
through a connection of its own, on a thread of its own (`PgReader`), so the
checks stay plain synchronous calls on either engine.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import asyncpg

from cascade.tower import Person, Unit
from sandbox import SandboxServer, SandboxState
from storage.db import Database
from storage.importer import import_units
from storage.pg import is_url, to_pg
from tests.support.botproc import BotProcess

HQ_CHAT, HQ_CHIEF = -1005000000000, 7100000000
VILLAGES, GROUPS_PER_VILLAGE = 10, 100
FAST = {
    "TOWERBOT_CHAT_INTERVAL": "0",
    "TOWERBOT_GROUP_PER_MINUTE": "1000000",
}


def tower() -> list[Unit]:
    units = [
        Unit(
            code="hq",
            name="演练指挥部",
            level=0,
            kind="hq",
            chat_id=HQ_CHAT,
            commander=Person(name="王建", telegram_id=HQ_CHIEF),
        )
    ]
    for v in range(1, VILLAGES + 1):
        units.append(
            Unit(
                code=f"v{v:02d}",
                name=f"第{v}村",
                level=2,
                kind="village",
                parent="hq",
                chat_id=HQ_CHAT + v,
                commander=Person(name=f"村长{v}", telegram_id=HQ_CHIEF + v),
            )
        )
        for g in range(1, GROUPS_PER_VILLAGE + 1):
            n = v * 1000 + g
            units.append(
                Unit(
                    code=f"v{v:02d}-{g:03d}",
                    name=f"第{v}村第{g}组",
                    level=3,
                    kind="villager_group",
                    parent=f"v{v:02d}",
                    chat_id=HQ_CHAT - 100_000 - n,
                    commander=Person(name=f"组长{n}", telegram_id=HQ_CHIEF + 100_000 + n),
                )
            )
    return units


async def make_template(target: Path | str) -> None:
    """The tower imported into `target`: a SQLite file, or a PostgreSQL database's URL."""
    async with Database(target) as db:
        await import_units(db, tower())
        if not db.is_postgres:
            await db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class PgReader:
    """Synchronous queries on a PostgreSQL database, from a loop on a thread of its own."""

    def __init__(self, url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.conn: asyncpg.Connection = self._run(asyncpg.connect(url))

    def _run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    def fetch(self, query: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._run(self.conn.fetch(to_pg(query), *args))]

    def close(self) -> None:
        self._run(self.conn.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


class CrashWorld:
    def __init__(self, workdir: Path, template: Path | str) -> None:
        """`template` is a SQLite file (copied here), or the URL of a PostgreSQL
        database that is this world's own (a copy made for the test)."""
        self.workdir = workdir
        self.reader: PgReader | None = None
        if is_url(str(template)):
            self.db_path: Path | str = str(template)
            self.reader = PgReader(str(template))
        else:
            self.db_path = workdir / "towerbot.db"
            shutil.copyfile(template, self.db_path)
        self.units = tower()
        self.state = SandboxState()
        self.server = SandboxServer(state=self.state)
        self.url = ""
        self.bot: BotProcess | None = None
        self.boots = 0
        self.kills = 0

    async def start(self) -> None:
        self.url = await self.server.start()
        users = {}
        chats = []
        for unit in self.units:
            assert unit.commander is not None and unit.commander.telegram_id is not None
            users[unit.commander.telegram_id] = {
                "id": unit.commander.telegram_id,
                "first_name": unit.commander.name,
            }
            members = [unit.commander.telegram_id] + [
                u.commander.telegram_id
                for u in self.units
                if u.parent == unit.code and u.commander and u.commander.telegram_id
            ]
            chats.append(
                {"id": unit.chat_id, "title": unit.name, "type": "supergroup", "members": members}
            )
        self.state.add_bulk(chats=chats, users=list(users.values()))

    async def stop(self) -> None:
        if self.bot is not None:
            await self.bot.kill()
        await self.server.stop()
        if self.reader is not None:
            self.reader.close()

    def _polls(self) -> int:
        return sum(b.poll_count for b in self.state.bots.values())

    async def boot(self, rate: int = 2000) -> None:
        """Start `towerbot run` (sending up to `rate` messages a second); wait until it polls.

        A trial that must kill in the middle of a burst lowers the rate so the
        burst lasts long enough to be caught in the middle on a fast machine.
        """
        before = self._polls()
        self.boots += 1
        log = self.workdir / f"bot-{self.boots}.log"
        env = {**FAST, "TOWERBOT_RATE": str(rate)}
        self.bot = await BotProcess(self.url, self.db_path, log, env=env).start()
        deadline = time.monotonic() + 90
        while self._polls() == before:
            assert self.bot.running, log.read_text()[-2000:]
            assert time.monotonic() < deadline, "the bot never polled"
            await asyncio.sleep(0.05)

    async def kill(self) -> None:
        assert self.bot is not None and self.bot.running
        await self.bot.kill()
        self.kills += 1

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        if self.reader is not None:
            return self.reader.fetch(query, args)
        with sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10) as conn:
            return [tuple(r) for r in conn.execute(query, args).fetchall()]

    def integrity(self) -> str | None:
        """SQLite's own check of the file the killed process was writing; None on
        PostgreSQL, whose server is not what is killed (its client is)."""
        if self.reader is not None:
            return None
        with sqlite3.connect(self.db_path) as conn:
            return str(conn.execute("PRAGMA integrity_check").fetchone()[0])

    def bottom(self) -> list[Unit]:
        return [u for u in self.units if u.level == 3]

    def below_hq(self) -> list[Unit]:
        return [u for u in self.units if u.level > 0]

    def copies(self, order_id: int) -> Counter[int]:
        """How many copies of the order (messages with its 收到 button) each group got."""
        data = f"ack:{order_id}"
        counts: Counter[int] = Counter()
        for unit in self.below_hq():
            assert unit.chat_id is not None
            for m in self.state.bot_messages(unit.chat_id):
                markup = m.get("reply_markup") or {}
                if any(
                    b.get("callback_data") == data
                    for row in markup.get("inline_keyboard", [])
                    for b in row
                ):
                    counts[unit.chat_id] += 1
        return counts

    def texts(self, chat_id: int) -> list[str]:
        return [m.get("text") or "" for m in self.state.bot_messages(chat_id)]

    async def until(
        self,
        what: str,
        check: Any,
        timeout: float = 60,  # noqa: ASYNC109 (a bound on the test)
        every: float = 0.2,
    ) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(every)
