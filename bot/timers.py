"""The order clock on APScheduler 3: one date job per timer, one progress job.

The database is the source of truth: at start every unfired timer is read back
and scheduled (one that fell due while the bot was down runs at once and says it
is late); each fired timer hands back the next round to schedule. Jobs never
expire (`misfire_grace_time=None`): a late reminder is sent late, never skipped.

The scheduler is only the wake-up. Several workers may share one PostgreSQL
database: a timer row is claimed in the transaction that fires it
(cascade/deadline_service.py), so each fires once; and a sweep every few seconds
fires what is due whoever created it -- timers written by another worker, or left
by one that died.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from cascade.clock import Clock
from cascade.deadline_service import DeadlineService
from cascade.deadlines import Timer
from cascade.progress import ProgressService

log = logging.getLogger(__name__)
RETRY_SECONDS = 30
SWEEP_SECONDS = 5


class TimerRunner:
    def __init__(
        self,
        deadlines: DeadlineService,
        progress: ProgressService,
        clock: Clock,
        progress_seconds: float = 3.0,
    ) -> None:
        self.deadlines = deadlines
        self.progress = progress
        self.clock = clock
        self.progress_seconds = progress_seconds
        self.scheduler: AsyncIOScheduler | None = None
        self.sweeps: list[Callable[[], Awaitable[object]]] = [deadlines.fire_due]

    def add_sweep(self, sweep: Callable[[], Awaitable[object]]) -> None:
        """A database-driven check run every few seconds (e.g. incident escalations)."""
        self.sweeps.append(sweep)

    async def start(self) -> None:
        """Start inside the running loop and rebuild every job from the database."""
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.scheduler.start()
        self.scheduler.add_job(
            self._flush,
            "interval",
            seconds=self.progress_seconds,
            id="progress",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
        )
        for index, sweep in enumerate(self.sweeps):
            self.scheduler.add_job(
                self._sweep,
                "interval",
                seconds=SWEEP_SECONDS,
                args=[sweep],
                id=f"sweep:{index}",
                coalesce=True,
                max_instances=1,
                misfire_grace_time=None,
                next_run_time=datetime.now(UTC),
            )
        self.schedule(await self.deadlines.pending())

    def stop(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.scheduler = None

    def schedule(self, timers: list[Timer]) -> None:
        if self.scheduler is None:
            return
        for timer in timers:
            delay = self.clock.real_seconds_until(timer.due_at)
            if delay is None:
                continue
            self.scheduler.add_job(
                self._fire,
                "date",
                run_date=datetime.now(UTC) + timedelta(seconds=max(0.0, delay)),
                args=[timer],
                id=f"timer:{timer.order_id}:{timer.kind.value}:{timer.round}",
                replace_existing=True,
                misfire_grace_time=None,
            )

    async def _fire(self, timer: Timer) -> None:
        try:
            self.schedule(await self.deadlines.fire(timer.order_id, timer.kind, timer.round) or [])
        except Exception:
            log.exception("timer %s failed; trying again in %s s", timer, RETRY_SECONDS)
            if self.scheduler is not None:
                self.scheduler.add_job(
                    self._fire,
                    "date",
                    run_date=datetime.now(UTC) + timedelta(seconds=RETRY_SECONDS),
                    args=[timer],
                    misfire_grace_time=None,
                )

    async def _sweep(self, sweep: Callable[[], Awaitable[object]]) -> None:
        try:
            await sweep()
        except Exception:
            log.exception("sweep %s failed", sweep)

    async def _flush(self) -> None:
        try:
            await self.progress.flush()
        except Exception:
            log.exception("progress flush failed")
