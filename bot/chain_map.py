"""`/whoami`'s map as a picture: one's chain of command up to HQ and the units one commands.

"Show the map" (亮地图) asks every commander to show where he stands in the
pyramid. The picture has one column per seat the person holds: the chain from
HQ down to the seat's unit (the seat highlighted), and under a unit the person
commands, its units directly below (at most `MAX_CHILDREN`, then "+N").

Drawing follows `bot/charts.py`: matplotlib's object API on the Agg canvas, run
in a worker thread by the caller, its lock held, and the CJK font fallback
(units labelled by code when Chinese can't be drawn).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from bot import charts
from cascade.people_service import Identity

MAX_COLUMNS = 4
MAX_CHILDREN = 12
MAX_LABEL = 12
BOX_W, BOX_H, GAP_Y, CHILD_H, COL_W = 2.6, 0.5, 0.35, 0.34, 3.0
CHAIN_FILL, SEAT_FILL, CHILD_FILL = "#e7f5ff", "#ffd43b", "#ebfbee"
DPI = 150


@dataclass
class MapBox:
    label: str
    level: int
    own: bool = False


@dataclass
class MapColumn:
    chain: list[MapBox]
    children: list[str]
    more: int


def columns(identity: Identity, use_names: bool) -> list[MapColumn]:
    commanded = {c.unit.code: c for c in identity.commanded}
    out = []
    for view in identity.seats[:MAX_COLUMNS]:
        chain = [
            MapBox(
                label=_label(u.name if use_names else u.code),
                level=u.level,
                own=u.code == view.seat.unit.code,
            )
            for u in reversed(view.chain)
        ]
        below = commanded.get(view.seat.unit.code)
        kids = below.children if below else []
        out.append(
            MapColumn(
                chain=chain,
                children=[_label(c.name if use_names else c.code) for c in kids[:MAX_CHILDREN]],
                more=max(0, len(kids) - MAX_CHILDREN),
            )
        )
    return out


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def render(cols: list[MapColumn], title: str) -> bytes:
    """The map as PNG bytes (blocking: run it in a thread)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    rows = max((len(c.chain) for c in cols), default=1)
    kids = max((len(c.children) + (1 if c.more else 0) for c in cols), default=0)
    height = 1.0 + rows * (BOX_H + GAP_Y) + kids * (CHILD_H + 0.08) + 0.4
    width = max(1, len(cols)) * COL_W + 0.4
    family = charts.fonts()
    with charts._lock:
        figure = Figure(figsize=(width, height), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(0, width)
        axes.set_ylim(0, height)
        axes.axis("off")
        axes.text(
            width / 2,
            height - 0.35,
            title,
            ha="center",
            va="center",
            fontsize=11,
            family=family,
            weight="bold",
        )
        for index, col in enumerate(cols):
            x = 0.2 + index * COL_W + (COL_W - BOX_W) / 2
            y = height - 0.8
            for n, box in enumerate(col.chain):
                y -= BOX_H
                axes.add_patch(
                    FancyBboxPatch(
                        (x, y),
                        BOX_W,
                        BOX_H,
                        boxstyle="round,pad=0.02",
                        facecolor=SEAT_FILL if box.own else CHAIN_FILL,
                        edgecolor="#495057",
                        linewidth=1.5 if box.own else 0.8,
                    )
                )
                axes.text(
                    x + BOX_W / 2,
                    y + BOX_H / 2,
                    f"L{box.level} {box.label}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    family=family,
                )
                if n + 1 < len(col.chain):
                    axes.annotate(
                        "",
                        xy=(x + BOX_W / 2, y - GAP_Y + 0.02),
                        xytext=(x + BOX_W / 2, y - 0.02),
                        arrowprops={"arrowstyle": "->", "color": "#495057"},
                    )
                y -= GAP_Y
            labels = col.children + ([f"+{col.more}"] if col.more else [])
            for label in labels:
                y -= CHILD_H + 0.08
                axes.add_patch(
                    FancyBboxPatch(
                        (x + 0.3, y),
                        BOX_W - 0.3,
                        CHILD_H,
                        boxstyle="round,pad=0.01",
                        facecolor=CHILD_FILL,
                        edgecolor="#2b8a3e",
                        linewidth=0.6,
                    )
                )
                axes.text(
                    x + 0.3 + (BOX_W - 0.3) / 2,
                    y + CHILD_H / 2,
                    label,
                    ha="center",
                    va="center",
                    fontsize=7,
                    family=family,
                )
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def picture(identity: Identity, title: str, title_en: str) -> bytes:
    """Names when the installed fonts can draw them, codes (and English) otherwise."""
    names = [u.name for v in identity.seats for u in v.chain] + [
        c.name for cu in identity.commanded for c in cu.children[:MAX_CHILDREN]
    ]
    use_names = charts.renderable([*names, title])
    return render(columns(identity, use_names), title if use_names else title_en)
