"""Words for the daily tallies: `/daily`'s table, the evening report, the chart's labels.

One line per day and one per unit (most returnees first, at most
MAX_UNIT_LINES), in the asking chat's language; the evening report adds the
change since yesterday and the trend of the last days. The chart is drawn by
bot/daily_chart.py with the labels picked here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot import charts
from bot.daily_chart import DailyLabels, day_label, render_chart
from bot.i18n import Texts
from cascade.daily_service import EveningWords
from cascade.tallies import DayCounts, Tally, UnitTally

MAX_UNIT_LINES = 15


def _counts(counts: DayCounts) -> dict[str, int]:
    return {
        "returnees": counts.returnees,
        "incidents": counts.incidents,
        "unknown": counts.unknown,
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
            locale,
            "daily-report-today",
            returnees=today.returnees,
            incidents=today.incidents,
            unknown=today.unknown,
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


# ---------------------------------------------------------------- the chart's labels


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


def daily_caption(texts: Texts, locale: str, tally: Tally) -> str:
    """The chart's caption: the unit and how many days it covers."""
    return texts.get(locale, "daily-caption", unit=tally.scope.name, days=len(tally.days))


async def chart_png(texts: Texts, locale: str, tally: Tally) -> bytes:
    labels = await asyncio.to_thread(pick_chart_labels, texts, locale, tally)
    return await asyncio.to_thread(render_chart, tally, labels)


class DailyWords:
    """The bot's `DailyPresenter`: the evening report in HQ's language, with its chart."""

    def __init__(self, texts: Texts) -> None:
        self.texts = texts

    async def evening_report(self, tally: Tally) -> EveningWords:
        locale = self.texts.pick(tally.scope.locale)
        return EveningWords(
            text=report_text(self.texts, locale, tally),
            caption=daily_caption(self.texts, locale, tally),
            chart=await chart_png(self.texts, locale, tally),
        )
