"""The evening report of the daily tallies to HQ's group, as a scheduled job.

Yiwu's HQ read its numbers once a day (new returnees, new people under
isolation) and watched the trend. The evening report does that without anyone
asking: at `TOWERBOT_DAILY_AT` (default 20:00, Asia/Shanghai) the root unit's
group gets the day's tally, the change since yesterday, the last 7 days and the
breakdown by level-1 unit (by the root's children where the tower has no
level-1 units), then a chart of the 7 days. `/daily` (bot/routers/daily.py)
gives the same for any unit's subtree and any 1-30 days.

The decision is `DailyService.send_evening_report` (cascade/daily_service.py);
the job's work is `DailyReport.run`, a plain async method (tests call it);
`install_daily` puts it on the TimerRunner's APScheduler as a cron job that is never
skipped (`misfire_grace_time=None`) and runs once when several runs were missed
(`coalesce`). The words and the chart are `DailyWords` (bot/daily_presenter.py).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import tzinfo
from typing import TYPE_CHECKING

from cascade.daily_service import DailyService

if TYPE_CHECKING:
    from apscheduler.job import Job

    from bot.timers import TimerRunner

log = logging.getLogger(__name__)
DEFAULT_AT = "20:00"
_AT = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def parse_at(value: str) -> tuple[int, int]:
    """ "20:00", "8:30", "08：30", "０８：３０" → (hour, minute); ValueError otherwise.

    The one reader of `TOWERBOT_DAILY_AT`: settings validation calls it at start,
    so what passes the check is what the job is scheduled at. Full-width digits
    and colon (a Chinese keyboard's) are read as ASCII (NFKC)."""
    match = _AT.fullmatch(unicodedata.normalize("NFKC", value).strip())
    if not match:
        raise ValueError("must be a time of day like 20:00")
    return int(match.group(1)), int(match.group(2))


class DailyReport:
    """The evening job: `DailyService` decides and queues, this logs what it did."""

    def __init__(self, service: DailyService, tz: tzinfo) -> None:
        self.service = service
        self.tz = tz

    async def run(self) -> bool:
        """The cron job's work; True when the report was queued (False: no root or no group)."""
        outcome = await self.service.send_evening_report()
        if outcome.scope is None:
            log.warning("daily report: no tower loaded")
        elif outcome.sent_elsewhere:
            log.info("daily report of %s: already sent by another worker", outcome.scope.code)
        elif not outcome.queued:
            log.warning("daily report: HQ unit %s has no group bound", outcome.scope.code)
        return outcome.queued

    async def job(self) -> None:
        """`run` for the scheduler: a failure is logged, the next evening comes anyway."""
        try:
            await self.run()
        except Exception:
            log.exception("daily report failed")


def install_daily(runner: TimerRunner, report: DailyReport, at: str | None = None) -> Job | None:
    """Put the evening report on the runner's scheduler (call after `runner.start()`).

    `at` comes from `Settings.daily_at` (checked at start); None means 20:00."""
    from apscheduler.triggers.cron import CronTrigger

    if runner.scheduler is None:
        return None
    hour, minute = parse_at(at if at is not None else DEFAULT_AT)
    trigger = CronTrigger(hour=hour, minute=minute, timezone=report.tz)
    return runner.scheduler.add_job(
        report.job,
        trigger,
        id="daily-report",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
    )
