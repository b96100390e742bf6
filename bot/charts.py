"""Completion charts as PNG bytes, drawn with matplotlib off-screen.

A chief reads the chart on a phone in a group chat, so it is a plain picture
(1200×800 px at 150 dpi, thick lines, large type): percent of units done over
the minutes since the order was issued, one step line per level and the total,
the deadline as a vertical line and 100 % dashed.

Matplotlib's bundled font (DejaVu Sans) has no Chinese glyphs: drawn with it,
Chinese labels become boxes and every missing glyph logs a warning. So the
labels are checked glyph by glyph against the fonts actually installed; a CJK
font (Noto Sans CJK, Source Han, WenQuanYi, ...) is used when there is one, and
otherwise the caller is told to fall back to ASCII (English) labels.

Drawing takes a few hundred milliseconds of CPU, so callers run `render` in a
worker thread (`asyncio.to_thread`). Matplotlib is imported lazily (its first
import builds a font cache) and only through the object API (`Figure`, never
`pyplot`, whose global state is not thread-safe); a lock keeps two renders from
sharing the font machinery at once.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from cascade.stats import Completion, CurveLine

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WIDTH_PX, HEIGHT_PX, DPI = 1200, 800, 150
DEFAULT_FONT = "DejaVu Sans"
# Families known to carry Simplified Chinese, in order of preference.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Sarasa Gothic SC",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "SimHei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Noto Serif CJK SC",
)
# Lower-case fragments of CJK font file names (dashes and underscores dropped).
CJK_FILE_HINTS = (
    "cjk",
    "wqy",
    "wenquanyi",
    "droidsansfallback",
    "sourcehan",
    "notosanssc",
    "notoserifsc",
    "simhei",
    "simsun",
    "msyh",
    "pingfang",
    "sarasa",
    "uming",
    "ukai",
)
CJK_SAMPLE = "指令完成级时限分钟"
# The deadline stays on the x axis while it is at most this many times the
# curve's length; further out it would squeeze the curve against the left edge.
DEADLINE_REACH = 4.0
LEVEL_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")
_lock = threading.RLock()


@dataclass(frozen=True)
class ChartLabels:
    """Every text drawn on the chart; `lines` maps a level (None: all units) to its legend."""

    title: str
    xlabel: str
    ylabel: str
    deadline: str
    lines: dict[int | None, str] = field(default_factory=dict)

    def texts(self) -> list[str]:
        return [self.title, self.xlabel, self.ylabel, self.deadline, *self.lines.values()]


@functools.cache
def _font_path(family: str) -> str | None:
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        if entry.name == family:
            return str(entry.fname)
    return None


@functools.cache
def _covers(path: str, char: str) -> bool:
    from matplotlib.ft2font import FT2Font

    return FT2Font(path).get_char_index(ord(char)) != 0


@functools.cache
def cjk_font() -> str | None:
    """The first installed font family that really has Chinese glyphs, or None."""
    with _lock:
        family = _known_cjk_family()
        if family is None and _register_system_cjk_fonts():
            _font_path.cache_clear()
            family = _known_cjk_family()
    return family


def _known_cjk_family() -> str | None:
    for family in CJK_FAMILIES:
        path = _font_path(family)
        if path is not None and all(_covers(path, c) for c in CJK_SAMPLE):
            return family
    return None


def _register_system_cjk_fonts() -> bool:
    """Add CJK font files matplotlib's cached font list does not know yet.

    Matplotlib lists the system fonts once and caches the list; fonts installed
    after that (an `apt-get install fonts-noto-cjk` on a running machine) stay
    invisible to it until the cache is rebuilt. Returns whether any was added.
    """
    from matplotlib import font_manager

    known = {str(entry.fname) for entry in font_manager.fontManager.ttflist}
    added = False
    for path in font_manager.findSystemFonts():
        name = path.rsplit("/", 1)[-1].lower().replace("-", "").replace("_", "")
        if path not in known and any(hint in name for hint in CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue  # an unreadable font file is no reason to give up on the others
            added = True
    return added


def fonts() -> list[str]:
    """The font families to draw with, first choice first (matplotlib falls back per glyph)."""
    family = cjk_font()
    return [DEFAULT_FONT] if family is None else [DEFAULT_FONT, family]


def renderable(texts: Iterable[str]) -> bool:
    """Whether every character of `texts` has a glyph in the fonts we draw with."""
    paths = [p for p in (_font_path(f) for f in fonts()) if p is not None]
    with _lock:
        return all(
            any(_covers(path, char) for path in paths)
            for text in texts
            for char in set(text)
            if not char.isspace()
        )


T = TypeVar("T")


def first_drawable(candidates: Sequence[Callable[[], T]], texts: Callable[[T], Iterable[str]]) -> T:
    """The first candidate every glyph of which the installed fonts can draw, else the last.

    Every picture the bot draws (the completion chart, the map, the daily tally)
    follows this one rule: labels in the chat's language with unit names first,
    then English with unit codes, since without a CJK font Chinese labels would
    come out as boxes. Candidates are built lazily, the last one unchecked.
    """
    for build in candidates[:-1]:
        chosen = build()
        if renderable(texts(chosen)):
            return chosen
    return candidates[-1]()


def render(completion: Completion, labels: ChartLabels) -> bytes:
    """The completion chart as PNG bytes (blocking: run it in a thread)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _lock:
        figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        _draw(axes, completion, labels)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _draw(axes: Axes, completion: Completion, labels: ChartLabels) -> None:
    from matplotlib.ticker import MaxNLocator

    family = fonts()
    for index, line in enumerate(completion.levels):
        _step(
            axes,
            line,
            label=labels.lines.get(line.level, str(line.level)),
            colour=LEVEL_COLOURS[index % len(LEVEL_COLOURS)],
            width=1.8,
        )
    _step(axes, completion.overall, labels.lines.get(None, "Total"), "#222222", 3.0)
    deadline = completion.deadline_seconds / 60
    right, deadline_shown = x_range(completion)
    if deadline_shown:
        axes.axvline(deadline, color="#d62728", linewidth=1.8, label=labels.deadline)
    else:  # far to the right: named at the edge instead of squeezing the curve
        axes.annotate(
            f"{labels.deadline} {deadline:,.0f} →",
            xy=(1.0, 0.04),
            xycoords="axes fraction",
            ha="right",
            color="#d62728",
            fontsize=10,
            fontfamily=family,
        )
    axes.axhline(100, color="#555555", linewidth=1.0, linestyle="--")
    axes.set_xlim(0, right)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(-2, 105)  # a line still at 0 % stays visible above the axis
    axes.set_yticks(range(0, 101, 20))
    axes.grid(True, color="#dddddd", linewidth=0.8)
    axes.set_title(labels.title, fontsize=14, fontweight="bold", fontfamily=family)
    axes.set_xlabel(labels.xlabel, fontsize=11, fontfamily=family)
    axes.set_ylabel(labels.ylabel, fontsize=11, fontfamily=family)
    axes.legend(loc="best", prop={"family": family, "size": 10})


def x_range(completion: Completion) -> tuple[float, bool]:
    """The x axis's right edge in minutes, and whether the deadline fits on it.

    A long order (a day's deadline) answered in minutes would be a vertical line
    at the left edge if the axis ran to the deadline: the axis then ends shortly
    after the curve, and the deadline is named at the edge."""
    end = completion.end_seconds / 60
    deadline = completion.deadline_seconds / 60
    if deadline <= max(end, 1.0) * DEADLINE_REACH:
        return max(end, deadline) * 1.05 or 1.0, True
    return max(end * 1.05, 1.0), False


def _step(axes: Axes, line: CurveLine, label: str, colour: str, width: float) -> None:
    xs = [seconds / 60 for seconds, _ in line.points]
    ys = [percent for _, percent in line.points]
    axes.step(xs, ys, where="post", label=label, color=colour, linewidth=width)
