"""The bot's own process in a multi-process drill (`towerbot drill --processes`).

Why this exists: in production the bot runs alone in its process; a drill that
also puts the sandbox and tens of thousands of simulated people on the bot's
event loop measures the machine, not the bot. `bot.drill_procs` starts this
module as a child process with a JSON configuration: the database (the tower
already imported), the sandbox's URL, one or more tokens (the first is the
primary bot; each extra one serves some subtrees, as `BOT_TOKENS` does), the
drill's compressed clock (shared through the system's monotonic clock) and
paid broadcast. It runs the bots as `towerbot run` does and writes what the
drill reports about it (updates handled, answers, the order's issue time, what
the senders sent, CPU and peak memory) to a JSON file once a second and at stop.

    python -m bot.drill_bot CONFIG.json      # stops on SIGTERM, or once the drill is gone
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import resource
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr

from bot import heap
from bot.app import TowerBot, telegram_session
from bot.settings import SenderLimits, Settings
from cascade.clock import ScaledClock
from cascade.outgoing import Lane
from sandbox.lifeline import stop_when_orphaned
from storage.db import Database


class BotSpec(BaseModel):
    token: str
    serves: list[str] = []  # empty: the primary bot (HQ and everything not served)


class DrillBotConfig(BaseModel):
    db: str  # a SQLite file or a postgresql:// URL
    api_url: str
    bots: list[BotSpec]
    served_elsewhere: list[str] = []  # units of bots in other processes (PostgreSQL)
    clock: str  # ScaledClock.shared(): SPEED@START@ORIGIN
    limits: dict[str, Any]
    progress_seconds: float
    metrics: Path
    parent: int | None = None  # the drill's pid: stop once it has exited (no orphans)


class BotMetrics:
    """Counts the drill reads from the bot's process."""

    def __init__(self) -> None:
        self.updates = 0
        self.update_seconds = 0.0
        self.max_update_seconds = 0.0
        self.answers = 0
        self.answer_seconds = 0.0
        self.issue: tuple[float, float] | None = None  # monotonic, as every process sees it
        self.cpu_started = cpu_seconds()

    def instrument(self, app: TowerBot, primary: bool) -> None:
        feed = app.dispatcher.feed_update

        async def timed_feed(*args: Any, **kwargs: Any) -> Any:
            began = time.monotonic()
            try:
                return await feed(*args, **kwargs)
            finally:
                spent = time.monotonic() - began
                self.updates += 1
                self.update_seconds += spent
                self.max_update_seconds = max(self.max_update_seconds, spent)

        app.dispatcher.feed_update = timed_feed  # type: ignore[method-assign]
        for name in ("acknowledge", "report"):
            setattr(app.orders, name, self._timed_answer(getattr(app.orders, name)))
        if primary:
            issue = app.orders.issue

            async def timed_issue(*args: Any, **kwargs: Any) -> Any:
                began = time.monotonic()
                try:
                    return await issue(*args, **kwargs)
                finally:
                    self.issue = (began, time.monotonic())

            app.orders.issue = timed_issue  # type: ignore[method-assign]

    def _timed_answer(self, method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.monotonic()
            try:
                return await method(*args, **kwargs)
            finally:
                self.answers += 1
                self.answer_seconds += time.monotonic() - began

        return timed

    def snapshot(self, apps: list[TowerBot]) -> dict[str, Any]:
        senders = [app.sender.stats.model_dump() for app in apps]
        return {
            "pid": os.getpid(),
            "at": time.monotonic(),
            "updates": self.updates,
            "update_seconds": self.update_seconds,
            "max_update_seconds": self.max_update_seconds,
            "answers": self.answers,
            "answer_seconds": self.answer_seconds,
            "issue": self.issue,
            "pending_updates": sum(app.poller.runner.pending for app in apps),
            "sent_and_edited": sum(s["sent"] + s["edited"] + s["reacted"] for s in senders),
            "senders": senders,
            "cpu_seconds": cpu_seconds() - self.cpu_started,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _write(path: Path, data: dict[str, Any]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    temporary.replace(path)


async def serve(config: DrillBotConfig) -> None:
    speed, start, origin = (float(part) for part in config.clock.split("@"))
    clock = ScaledClock(speed, datetime.fromtimestamp(start, UTC), origin=origin)
    # Constructed, not validated: a compressed drill runs paid broadcast N times faster
    # than the 1,000 a second a real deployment may set (see bot.drill.drill_limits).
    limits = SenderLimits.model_construct(**config.limits)
    db = Database(config.db)
    await db.open()
    extra = [code for spec in config.bots for code in spec.serves] + config.served_elsewhere
    settings = Settings(bot_token=SecretStr(config.bots[0].token), db=config.db, limits=limits)
    apps = [
        TowerBot(
            settings,
            telegram_session(config.api_url),
            token=spec.token,
            clock=clock,
            progress_seconds=config.progress_seconds,
            db=db,
            lane=Lane(serves=spec.serves) if spec.serves else Lane(avoid=extra),
            runs_timers=not spec.serves,
        )
        for spec in config.bots
    ]
    metrics = BotMetrics()
    for app, spec in zip(apps, config.bots, strict=True):
        metrics.instrument(app, primary=not spec.serves)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    watch = stop_when_orphaned(config.parent, stop) if config.parent is not None else None
    for app in apps:
        await app.start()
    heap.settle()
    try:
        while not stop.is_set():
            _write(config.metrics, metrics.snapshot(apps))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(1.0):
                    await stop.wait()
    finally:
        for app in apps:
            await app.stop()
        await db.close()
        _write(config.metrics, {**metrics.snapshot(apps), "stopped": True})
        if watch is not None:
            watch.cancel()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.WARNING, format="bot: %(levelname)s %(name)s: %(message)s")
    config = DrillBotConfig.model_validate_json(Path(args[0]).read_text(encoding="utf-8"))
    asyncio.run(serve(config))


if __name__ == "__main__":
    main()
