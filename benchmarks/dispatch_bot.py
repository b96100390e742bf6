"""The bot's own process for `python -m benchmarks.dispatch --bot-process`.

Why: in one process, the dispatcher benchmark's peak RSS is the bot's plus its
Telegram stand-in's (the copies' JSON, the run's timings), and the bot's own
share could only be estimated. Issue 9's goal is the bot process's peak, as in
production, where Telegram is another machine. Here the bot runs alone, as
`towerbot run` builds it (its poller and durable inbox, `heap.settle()` once
started), and its session relays each Bot API call to the benchmark's process
over a Unix socket, one JSON line each way. The answers come back as JSON and are
parsed by aiogram's own `check_response`, as the aiohttp session parses a real
server's, so the bot holds what it would hold in production. Its peak is its
`VmHWM`, reported when it stops.

Lines from the bot: `{"call": n, "method": name, "data": {...}}` (a call, its
fields as aiogram's session prepares them), `{"handled": update_id, "at": t}`
(an update handled, `time.perf_counter()`, the same clock in both processes on
Linux), `{"started": true}`, `{"stopped": true, "vmhwm_mb": ...}`. Lines to it:
`{"reply": n, "result": ...}` and `{"stop": true}`.

    python -m benchmarks.dispatch_bot SOCKET DB TOKEN CONCURRENCY PAID   # started by dispatch.py
    python -m benchmarks.dispatch_bot SOCKET DB TOKEN CONCURRENCY PAID SECRET  # a webhook worker

With SECRET the bot is a webhook worker as `towerbot run --webhook` serves it (its
`TowerRequestHandler`, on a free port of 127.0.0.1 given in its `started` line), its
updates POSTed by benchmarks/dispatch_workers.py; on PostgreSQL with its own inbox
lease and each chat kept in order across workers (bot/worker_order.py).
"""

# The bot first, as in its own process: aiogram's types are then built on first use
# (bot/lazy_schemas.py).
from bot import lazy_schemas  # noqa: F401

# isort: split

import asyncio
import itertools
import json
import socket as sock
import sys
import time
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from pydantic import SecretStr

# Lines can carry a getUpdates answer of 100 updates, each with its copy.
LINE_LIMIT = 1 << 24


def status_mb(field: str, pid: int | str = "self") -> float:
    """A memory figure of /proc/PID/status (VmRSS, VmHWM; Linux), in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


class BenchSession(BaseSession):
    """A session of the dispatcher benchmark: it downloads no files and holds no connection."""

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 (aiogram's signature)
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        raise RuntimeError("the dispatcher benchmark downloads no files")
        yield b""  # pragma: no cover (makes this an async generator, as aiogram's is)

    async def close(self) -> None:
        return None


class RelaySession(BenchSession):
    """Sends each call's fields to the benchmark and parses its JSON answer."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        super().__init__()
        self.writer = writer
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self.stopping = asyncio.Event()

    def send(self, line: dict[str, Any]) -> None:
        self.writer.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109 (aiogram's signature)
    ) -> Any:
        files: dict[str, Any] = {}
        data = {
            key: prepared
            for key, value in method.model_dump(warnings=False).items()
            if (prepared := self.prepare_value(value, bot, files, _dumps_json=False)) is not None
        }
        if files:
            raise RuntimeError("the dispatcher benchmark uploads no files")
        call = next(self._ids)
        answer = self._waiting[call] = asyncio.get_running_loop().create_future()
        self.send({"call": call, "method": type(method).__name__, "data": data})
        await self.writer.drain()
        result = await answer
        content = json.dumps({"ok": True, "result": result}, ensure_ascii=False)
        return self.check_response(bot, method, 200, content).result

    async def read(self, reader: asyncio.StreamReader) -> None:
        """Hand each answer to its call, until told to stop."""
        while line := await reader.readline():
            message = json.loads(line)
            if "reply" in message:
                self._waiting.pop(message["reply"]).set_result(message["result"])
            elif message.get("stop"):
                self.stopping.set()
        self.stopping.set()  # the benchmark went away


async def serve(
    socket: str, db: str, token: str, concurrency: int, paid: bool, secret: str | None = None
) -> None:
    """The bot by polling; or, given the webhook's `secret`, a webhook worker
    listening on a free port of 127.0.0.1 (told in its `started` line)."""
    from aiohttp import web

    from bot import heap
    from bot.access import is_query
    from bot.app import TowerBot
    from bot.dispatch import UpdatePoller
    from bot.settings import SenderLimits, Settings
    from bot.webhook import TowerRequestHandler

    reader, writer = await asyncio.open_unix_connection(socket, limit=LINE_LIMIT)
    session = RelaySession(writer)
    reading = asyncio.create_task(session.read(reader))
    settings = Settings(bot_token=SecretStr(token), db=db, limits=SenderLimits(paid_broadcast=paid))
    # As `towerbot run` builds it: its sender sends only while it holds the token's lease.
    tower = TowerBot(settings, session, sender_lease=True)
    tower.poller = UpdatePoller(
        tower.bot,
        tower.dispatcher,
        tower.poller.inbox,  # on PostgreSQL this worker's own rows (its lease)
        max_concurrent=concurrency,
        quick=is_query,
        presses=tower.presses,
    )
    runner = tower.poller.runner

    async def handle(update: Update, chat: int) -> None:
        try:
            await tower.dispatcher.feed_update(tower.bot, update)
        finally:
            session.send({"handled": update.update_id, "at": time.perf_counter()})

    runner.handle = handle
    # A webhook worker on PostgreSQL: `start` puts the chat's order across workers
    # (bot/worker_order.py) before `handle`.
    tower.worker_order.handle = handle
    site = web.AppRunner(web.Application(), access_log=None)
    await tower.start(polling=secret is None)
    started: dict[str, Any] = {"started": True}
    if secret is not None:  # as bot/webhook.py's serve_webhook, on a port of its own
        await tower.poller.catch_up()
        TowerRequestHandler(tower.dispatcher, tower.bot, SecretStr(secret), tower.poller).register(
            site.app, path="/hook"
        )
        await site.setup()
        listening = sock.socket()
        listening.bind(("127.0.0.1", 0))  # a free port, this machine only
        await web.SockSite(site, listening).start()
        started["port"] = listening.getsockname()[1]
    heap.settle()  # as `towerbot run` does once its bots are built
    session.send(started)
    try:
        await session.stopping.wait()
    finally:
        await site.cleanup()
        await runner.cancel()
        await tower.stop()
        session.send({"stopped": True, "vmhwm_mb": status_mb("VmHWM")})
        await writer.drain()
        writer.close()
        reading.cancel()


def main(argv: list[str]) -> int:
    socket, db, token, concurrency, paid, *secret = argv
    asyncio.run(serve(socket, db, token, int(concurrency), paid == "paid", *secret))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
