"""Words for an order's record: `/stats`'s summary, `/chart`'s labels, the files' captions.

`/stats` says how many orders the unit saw, how fast they filled and which
units kept everyone waiting; `/chart`'s labels are in the chat's language with
the unit's name, or in English with its code where no CJK font can draw them.
"""

from __future__ import annotations

import math

from bot import charts
from bot.formatting import Formatter
from bot.i18n import Texts
from cascade.export import OrderExport
from cascade.stats import MAX_SCANNED_ORDERS, Completion, StatsView
from cascade.tower import UnitRef


def chart_labels(
    texts: Texts, locale: str, completion: Completion, unit: str | None
) -> charts.ChartLabels:
    """The chart's texts in `locale`; `unit` (a name or a code) goes in the title if given."""
    order = str(completion.order.id)
    title = texts.plain(locale, "chart-title", order=order)
    if unit:
        title = texts.plain(locale, "chart-title-unit", title=title, unit=unit)
    lines: dict[int | None, str] = {
        line.level: texts.plain(
            locale, "chart-level", level=line.level, done=line.done, total=line.total
        )
        for line in completion.levels
    }
    overall = completion.overall
    lines[None] = texts.plain(locale, "chart-total", done=overall.done, total=overall.total)
    return charts.ChartLabels(
        title=title,
        xlabel=texts.plain(locale, "chart-xlabel"),
        ylabel=texts.plain(locale, "chart-ylabel"),
        deadline=texts.plain(locale, "chart-deadline"),
        lines=lines,
    )


def pick_labels(
    texts: Texts, locale: str, completion: Completion, name: str, code: str
) -> charts.ChartLabels:
    """The first set of labels every glyph of which the installed fonts can draw.

    Without a CJK font, Chinese labels would come out as boxes: then English
    with the unit's code, and as a last resort English without the unit.
    """
    return charts.first_drawable(
        [
            lambda: chart_labels(texts, locale, completion, name),
            lambda: chart_labels(texts, "en", completion, code),
            lambda: chart_labels(texts, "en", completion, None),
        ],
        charts.ChartLabels.texts,
    )


def export_caption(texts: Texts, locale: str, unit: UnitRef, view: OrderExport) -> str:
    """`/export`'s CSV caption: which order, whose subtree, how many units."""
    return texts.get(
        locale, "export-caption", order=str(view.order.id), unit=unit.name, count=len(view.rows)
    )


def chart_caption(
    texts: Texts, fmt: Formatter, locale: str, unit: UnitRef, completion: Completion
) -> str:
    """`/chart`'s picture caption: which order, whose subtree, done of all."""
    overall = completion.overall
    return texts.get(
        locale,
        "chart-caption",
        order=str(completion.order.id),
        unit=unit.name,
        done=overall.done,
        total=overall.total,
        percent=fmt.percent(overall.done, overall.total),
    )


def stats_text(texts: Texts, fmt: Formatter, locale: str, view: StatsView) -> str:
    summary, unit = view.summary, view.unit.name
    if summary.orders == 0:
        return texts.get(locale, "stats-none", days=view.days, unit=unit)
    lines = [
        texts.get(locale, "stats-head", days=view.days, unit=unit),
        texts.get(locale, "stats-orders", orders=summary.orders, finished=summary.finished),
        texts.get(locale, "stats-median", time=fmt.seconds(locale, summary.median_seconds_to_full)),
    ]
    if summary.on_time_percent is None:
        lines.append(texts.get(locale, "stats-on-time-none"))
    else:
        lines.append(
            texts.get(
                locale,
                "stats-on-time",
                on_time=summary.on_time,
                decided=summary.decided,
                percent=summary.on_time_percent,
            )
        )
    if summary.slowest:
        lines.append(texts.get(locale, "stats-slowest-head"))
    for rank, slow in enumerate(summary.slowest, start=1):
        ref = view.units.get(slow.code)
        time = (
            fmt.seconds(locale, slow.median_seconds)
            if math.isfinite(slow.median_seconds)
            else texts.get(locale, "stats-no-answer")
        )
        lines.append(
            texts.get(
                locale,
                "stats-slowest",
                rank=rank,
                unit=ref.name if ref else slow.code,
                level=fmt.level(locale, slow.level),
                time=time,
                answered=slow.answered,
                asked=slow.asked,
            )
        )
    if view.truncated:
        lines.append(texts.get(locale, "stats-truncated", count=str(MAX_SCANNED_ORDERS)))
    return "\n".join(lines)
