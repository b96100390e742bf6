"""The daily tally's chart as PNG bytes: new returnees per day, and who is under which measure.

Drawn like `bot/charts.py` (object API, in a worker thread, sharing its font
lock); the labels come from bot/daily_presenter.py, which falls back to English
ones where no CJK font is installed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from bot import charts
from cascade.tallies import DayCounts, Tally

WIDTH_PX, HEIGHT_PX, DPI = 1200, 800, 150


def day_label(day: date) -> str:
    return day.strftime("%m-%d")


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
