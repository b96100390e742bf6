"""Daily tallies in words and pictures: `/daily [DAYS]` and the evening report to HQ.

Yiwu's HQ read its numbers once a day (new returnees, new people under
isolation) and watched the trend. The evening report does that without anyone
asking: at `TOWERBOT_DAILY_AT` (default 20:00, Asia/Shanghai) the root unit's
group gets the day's tally, the change since yesterday, the last 7 days and the
breakdown by level-1 unit (by the root's children where the tower has no
level-1 units), then a chart of the 7 days. `/daily` gives the same for any
unit's subtree and any 1-30 days.

The job's work is `DailyReport.run`, a plain async method (tests call it);
`install` puts it on the TimerRunner's APScheduler as a cron job that is never
skipped (`misfire_grace_time=None`) and runs once when several runs were missed
(`coalesce`). Charts are drawn like `bot/charts.py` (object API, a worker
thread, the CJK font fallback to English labels).
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot import charts
from bot.formatting import Formatter
from bot.i18n import Texts
from bot.parsing import parse_days
from cascade.outgoing import OutgoingMessage, Priority
from cascade.ports import UnitOfWorkFactory
from cascade.queries import QueryService
from cascade.tallies import DEFAULT_DAYS, MAX_DAYS, TREND_DAYS, DayCounts, Tally, UnitTally

if TYPE_CHECKING:
    from apscheduler.job import Job

    from bot.timers import TimerRunner

log = logging.getLogger(__name__)
DEFAULT_AT = "20:00"
MAX_UNIT_LINES = 15
WIDTH_PX, HEIGHT_PX, DPI = 1200, 800, 150
_AT = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


def daily_days(args: str | None) -> int:
    """`/daily`, `/daily 14`, `/daily 14d`, `/daily 14天` → days, within 1..MAX_DAYS."""
    return parse_days(args, DEFAULT_DAYS, MAX_DAYS, "daily-bad-days")


def parse_at(value: str) -> tuple[int, int]:
    """ "20:00" → (20, 0); ValueError naming the variable for anything else."""
    match = _AT.match(value.strip())
    if not match:
        raise ValueError(f"{value!r}: write a time of day like 20:00")
    return int(match.group(1)), int(match.group(2))


# ---------------------------------------------------------------- words


def day_label(day: date) -> str:
    return day.strftime("%m-%d")


def _counts(counts: DayCounts) -> dict[str, int]:
    return {
        "returnees": counts.returnees,
        "incidents": counts.incidents,
        "central": counts.central,
        "home": counts.home,
        "registered": counts.registered,
    }


def _unit_name(texts: Texts, locale: str, tally: Tally, row: UnitTally) -> str:
    name = row.unit.name
    if row.unit.code == tally.scope.code:
        return texts.get(locale, "daily-unit-own", unit=name)
    return name


def _unit_lines(
    texts: Texts, locale: str, tally: Tally, pick: Callable[[UnitTally], DayCounts]
) -> list[str]:
    """One line per unit with numbers, most returnees first (at most MAX_UNIT_LINES)."""
    rows = [(row, pick(row)) for row in tally.units]
    rows = [(row, c) for row, c in rows if not c.is_empty()]
    rows.sort(key=lambda rc: (-rc[1].returnees, -rc[1].central, -rc[1].home))
    if not rows:
        return [texts.get(locale, "daily-units-none")]
    lines: list[str] = [
        texts.get(
            locale, "daily-unit", unit=_unit_name(texts, locale, tally, row), **_counts(counts)
        )
        for row, counts in rows[:MAX_UNIT_LINES]
    ]
    if len(rows) > MAX_UNIT_LINES:
        lines.append(texts.get(locale, "daily-units-more", count=len(rows) - MAX_UNIT_LINES))
    return lines


def daily_text(texts: Texts, locale: str, tally: Tally) -> str:
    """`/daily`: one line per day (oldest first), the total, then the breakdown."""
    unit = tally.scope.name
    lines: list[str] = [texts.get(locale, "daily-head", unit=unit, days=len(tally.days))]
    for day in tally.days:
        lines.append(texts.get(locale, "daily-day", day=day_label(day.day), **_counts(day)))
    if len(tally.days) > 1:
        lines.append(texts.get(locale, "daily-total", **_counts(tally.total)))
    lines.append(
        texts.get(
            locale,
            "daily-units-head",
            first=day_label(tally.days[0].day),
            last=day_label(tally.days[-1].day),
        )
    )
    lines.extend(_unit_lines(texts, locale, tally, lambda row: row.total))
    return "\n".join(lines)


def _change(now: int, before: int) -> str:
    delta = now - before
    return f"+{delta}" if delta > 0 else str(delta)


def report_text(texts: Texts, locale: str, tally: Tally) -> str:
    """The evening report: today, the change since yesterday, the trend, today by unit."""
    today = tally.last
    lines: list[str] = [
        texts.get(locale, "daily-report-head", day=today.day.isoformat(), unit=tally.scope.name),
        texts.get(
            locale, "daily-report-today", returnees=today.returnees, incidents=today.incidents
        ),
        texts.get(
            locale,
            "daily-report-isolation",
            central=today.central,
            home=today.home,
            registered=today.registered,
        ),
    ]
    if len(tally.days) > 1:
        yesterday = tally.days[-2]
        lines.append(
            texts.get(
                locale,
                "daily-report-change",
                returnees=_change(today.returnees, yesterday.returnees),
                central=_change(today.central, yesterday.central),
            )
        )
        trend = " · ".join(f"{day_label(d.day)} {d.returnees}" for d in tally.days)
        lines.append(texts.get(locale, "daily-report-trend", days=len(tally.days), trend=trend))
    lines.append(texts.get(locale, "daily-report-units-head"))
    lines.extend(_unit_lines(texts, locale, tally, lambda row: row.days[-1]))
    return "\n".join(lines)


# ---------------------------------------------------------------- chart


@dataclass(frozen=True)
class DailyLabels:
    title: str
    xlabel: str
    ylabel: str
    returnees: str
    central: str
    home: str
    registered: str

    def texts(self) -> list[str]:
        return [
            self.title,
            self.xlabel,
            self.ylabel,
            self.returnees,
            self.central,
            self.home,
            self.registered,
        ]


def chart_labels(texts: Texts, locale: str, unit: str) -> DailyLabels:
    return DailyLabels(
        title=texts.plain(locale, "daily-chart-title", unit=unit),
        xlabel=texts.plain(locale, "daily-chart-xlabel"),
        ylabel=texts.plain(locale, "daily-chart-ylabel"),
        returnees=texts.plain(locale, "daily-chart-returnees"),
        central=texts.plain(locale, "daily-chart-central"),
        home=texts.plain(locale, "daily-chart-home"),
        registered=texts.plain(locale, "daily-chart-registered"),
    )


def pick_chart_labels(texts: Texts, locale: str, tally: Tally) -> DailyLabels:
    """Labels in `locale` with the unit's name, else English with its code (no CJK font)."""
    return charts.first_drawable(
        [
            lambda: chart_labels(texts, locale, tally.scope.name),
            lambda: chart_labels(texts, "en", tally.scope.code),
        ],
        DailyLabels.texts,
    )


def render_chart(tally: Tally, labels: DailyLabels) -> bytes:
    """Bars of new returnees per day, lines of people placed under each measure (blocking)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    xs = list(range(len(tally.days)))
    ticks = [day_label(d.day) for d in tally.days]
    with charts._lock:  # shared with bot/charts.py: one render uses the fonts at a time
        family = charts.fonts()
        figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        bars = axes.bar(
            xs,
            [d.returnees for d in tally.days],
            color="#74c0fc",
            width=0.6,
            label=labels.returnees,
        )
        if len(xs) <= 14:
            axes.bar_label(bars, fontsize=8, padding=2)
        for values, colour, label in (
            ([d.central for d in tally.days], "#e03131", labels.central),
            ([d.home for d in tally.days], "#f08c00", labels.home),
            ([d.registered for d in tally.days], "#2f9e44", labels.registered),
        ):
            axes.plot(xs, values, color=colour, marker="o", linewidth=2.0, label=label)
        step = max(1, len(xs) // 10)
        axes.set_xticks(xs[::step], ticks[::step], fontsize=9)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        top = max([1] + [_peak(d) for d in tally.days])
        axes.set_ylim(0, top * 1.2 + 1)
        axes.grid(True, axis="y", color="#dddddd", linewidth=0.8)
        axes.set_title(labels.title, fontsize=14, fontweight="bold", fontfamily=family)
        axes.set_xlabel(labels.xlabel, fontsize=11, fontfamily=family)
        axes.set_ylabel(labels.ylabel, fontsize=11, fontfamily=family)
        axes.legend(loc="upper left", prop={"family": family, "size": 9})
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _peak(day: DayCounts) -> int:
    return max(day.returnees, day.central, day.home, day.registered)


async def chart_png(texts: Texts, locale: str, tally: Tally) -> bytes:
    labels = await asyncio.to_thread(pick_chart_labels, texts, locale, tally)
    return await asyncio.to_thread(render_chart, tally, labels)


# ---------------------------------------------------------------- the evening job


class DailyReport:
    """Sends the day's tally of the whole tower to the root unit's (HQ's) group."""

    def __init__(
        self,
        queries: QueryService,
        uow: UnitOfWorkFactory,
        texts: Texts,
        fmt: Formatter,
        find_root: Callable[[], Awaitable[str | None]],
    ) -> None:
        self.queries = queries
        self.uow = uow
        self.texts = texts
        self.fmt = fmt
        self.find_root = find_root

    async def run(self) -> bool:
        """The cron job's work; True when the report was queued (False: no root or no group)."""
        code = await self.find_root()
        if code is None:
            log.warning("daily report: no tower loaded")
            return False
        tally = await self.queries.daily_for(code, TREND_DAYS, self.fmt.tz)
        scope = tally.scope
        if scope.chat_id is None:
            log.warning("daily report: HQ unit %s has no group bound", scope.code)
            return False
        locale = self.texts.pick(scope.locale)
        text = report_text(self.texts, locale, tally)
        png = await chart_png(self.texts, locale, tally)
        caption = self.texts.get(locale, "daily-caption", unit=scope.name, days=TREND_DAYS)
        day = tally.last.day.isoformat()
        async with self.uow() as tx:
            await tx.outbox.add(
                OutgoingMessage(
                    chat_id=scope.chat_id,
                    text=text,
                    priority=Priority.REPORT,
                    dedupe_key=f"daily:{scope.code}:{day}",
                )
            )
            await tx.outbox.add(
                OutgoingMessage(
                    chat_id=scope.chat_id,
                    text=caption,
                    document=png,
                    filename=f"daily-{day}.png",
                    photo=True,
                    priority=Priority.REPORT,
                    dedupe_key=f"daily-chart:{scope.code}:{day}",
                )
            )
        return True

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
    trigger = CronTrigger(hour=hour, minute=minute, timezone=report.fmt.tz)
    return runner.scheduler.add_job(
        report.job,
        trigger,
        id="daily-report",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
    )
