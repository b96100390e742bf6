"""`/map`: the subtree as one picture, every unit a coloured cell (red / yellow / green).

"Show the map" (亮地图) was one of the commander's three shows. A chief with a
Tashan-sized block (12 villages and compounds, 15-22 groups each) must see at a
glance, on a phone, which groups are red and under which village. So the
picture has one column per child of the scope: a header cell (the child's worst
colour, its name and how many units below it are red / yellow / green) and
under it one cell per descendant, labelled by a short name. A scope whose
children have no units below them is drawn as one grid of cells instead.

Large scopes stay readable by rules, not by shrinking the type: a column with
more than `MAX_ROWS` descendants shows only the child's own children (each in the
worst colour of its subtree); more than `MAX_ROWS` cells end in a "+N" cell in
the worst colour of those left out; more than `MAX_COLUMNS` columns wrap into
bands, and beyond `MAX_BANDS` bands the columns with the worst colours are kept
and the rest counted in a note. A red unit is therefore never silently dropped.

Drawing follows `bot/charts.py`: matplotlib's object API (no pyplot) on the Agg
canvas, run in a worker thread by the caller, its lock held while drawing, and
the CJK font fallback: labels are checked against the installed fonts and, when
Chinese can't be drawn, units are labelled by code and texts are in English.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot import charts
from bot.i18n import Texts
from cascade.colours import COLOURS_WORST_FIRST, RANK, ColourView, worst
from cascade.incidents import Colour
from cascade.queries import ColouredTree
from cascade.tower import UnitRef

if TYPE_CHECKING:
    from matplotlib.axes import Axes

DPI = 150
MAX_ROWS = 30
MAX_COLUMNS = 14
MAX_BANDS = 4
GRID_COLUMNS = 6
MAX_LABEL = 10
INDENT = 0.1
COLUMN_W, CELL_H, HEADER_H, GAP = 1.3, 0.27, 0.62, 0.08
FILL = {Colour.RED: "#e03131", Colour.YELLOW: "#fcc419", Colour.GREEN: "#8ce99a"}
INK = {Colour.RED: "#ffffff", Colour.YELLOW: "#212529", Colour.GREEN: "#1b4332"}
COUNT_INK = {Colour.RED: "#c92a2a", Colour.YELLOW: "#e67700", Colour.GREEN: "#2b8a3e"}
MORE_FILL = "#dee2e6"


@dataclass
class Cell:
    label: str
    colour: Colour
    unit: UnitRef | None = None  # None for a "+N" cell
    counts: dict[Colour, int] | None = None  # shown on headers
    depth: int = 0  # below the column's header: 0 for its children, 1 for theirs, ...


@dataclass
class Column:
    header: Cell
    cells: list[Cell] = field(default_factory=list)


@dataclass
class MapLayout:
    scope: UnitRef
    scope_view: ColourView
    columns: list[Column]
    grid: bool  # True: one panel of cells (no header per column)
    banner: Cell | None = None  # the only child the columns hang from, drawn across them
    hidden_columns: int = 0
    hidden_counts: dict[Colour, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MapLabels:
    title: str
    subtitle: str
    legend: dict[Colour, str]
    hidden: str  # "+N units not drawn" note ("" when none)
    use_names: bool = True


def short_label(unit: UnitRef, parent: UnitRef | None, use_names: bool) -> str:
    """A cell label: the name without its parent's name in front, cut to fit; or the code."""
    if not use_names:
        text = unit.code
        if parent is not None and text.startswith(parent.code) and len(text) > len(parent.code):
            rest = text[len(parent.code) :].lstrip("-_.")
            text = rest or text
    else:
        text = unit.name
        if parent is not None and text.startswith(parent.name) and len(text) > len(parent.name):
            text = text[len(parent.name) :]
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def layout(tree: ColouredTree, use_names: bool = True) -> MapLayout:
    """Where every cell goes (pure; no matplotlib)."""
    refs = {u.code: u for u in tree.units}
    children: dict[str, list[UnitRef]] = {}
    for unit in tree.units:
        if unit.parent in refs and unit.code != tree.scope.code:
            children.setdefault(unit.parent, []).append(unit)
    scope = tree.scope
    view = tree.views[scope.code]
    kids = children.get(scope.code, [])

    def cell(unit: UnitRef, parent: UnitRef | None, header: bool = False, depth: int = 0) -> Cell:
        v = tree.views[unit.code]
        counts = dict(v.counts) if header and children.get(unit.code) else None
        label = short_label(unit, parent, use_names)
        return Cell(label=label, colour=v.rolled, unit=unit, counts=counts, depth=depth)

    if not kids:
        only = Column(header=cell(scope, None, header=True), cells=[])
        return MapLayout(scope=scope, scope_view=view, columns=[only], grid=True)
    banner = None
    anchor = scope
    # A chain of single children (HQ → its one community) would give one lonely
    # column: the columns hang from the first unit with several children instead.
    while len(kids) == 1 and children.get(kids[0].code):
        anchor = kids[0]
        banner = cell(anchor, scope if anchor.parent == scope.code else None, header=True)
        kids = children[anchor.code]
    if not any(children.get(k.code) for k in kids):
        cells = _cap([cell(k, anchor) for k in kids], GRID_COLUMNS * MAX_ROWS)
        return MapLayout(
            scope=scope,
            scope_view=view,
            columns=[Column(header=cell(anchor, None, header=True), cells=cells)],
            grid=True,
        )
    columns = []
    for kid in kids:
        below = _descendants(kid, children)
        if len(below) <= MAX_ROWS:
            shown = [cell(u, refs.get(u.parent or ""), depth=d) for u, d in below]
        else:
            shown = [cell(u, kid) for u in children.get(kid.code, [])]
        columns.append(Column(header=cell(kid, anchor, header=True), cells=_cap(shown)))
    hidden_counts: dict[Colour, int] = {}
    hidden = 0
    limit = MAX_COLUMNS * MAX_BANDS
    if len(columns) > limit:
        ranked = sorted(range(len(columns)), key=lambda n: (-RANK[columns[n].header.colour], n))
        keep = sorted(ranked[:limit])
        for n in ranked[limit:]:
            colour = columns[n].header.colour
            hidden_counts[colour] = hidden_counts.get(colour, 0) + 1
        hidden = len(columns) - limit
        columns = [columns[n] for n in keep]
    return MapLayout(
        scope=scope,
        scope_view=view,
        columns=columns,
        grid=False,
        banner=banner,
        hidden_columns=hidden,
        hidden_counts=hidden_counts,
    )


def _descendants(unit: UnitRef, children: dict[str, list[UnitRef]]) -> list[tuple[UnitRef, int]]:
    """Every unit below `unit`, depth first in the tower's order, with its depth."""
    out: list[tuple[UnitRef, int]] = []
    stack = [(kid, 0) for kid in reversed(children.get(unit.code, []))]
    while stack:
        current, depth = stack.pop()
        out.append((current, depth))
        stack.extend((kid, depth + 1) for kid in reversed(children.get(current.code, [])))
    return out


def _cap(cells: list[Cell], limit: int = MAX_ROWS) -> list[Cell]:
    if len(cells) <= limit:
        return cells
    kept, rest = cells[: limit - 1], cells[limit - 1 :]
    more = Cell(label=f"+{len(rest)}", colour=worst(c.colour for c in rest))
    return [*kept, more]


# ---------------------------------------------------------------- texts


def map_labels(texts: Texts, locale: str, lay: MapLayout, when: str, use_names: bool) -> MapLabels:
    unit = lay.scope.name if use_names else lay.scope.code
    counts = lay.scope_view.counts
    legend = {
        colour: texts.plain(locale, f"map-legend-{colour.value}", count=counts[colour])
        for colour in COLOURS_WORST_FIRST
    }
    hidden = ""
    if lay.hidden_columns:
        hidden = texts.plain(
            locale,
            "map-hidden",
            count=lay.hidden_columns,
            red=lay.hidden_counts.get(Colour.RED, 0),
            yellow=lay.hidden_counts.get(Colour.YELLOW, 0),
        )
    return MapLabels(
        title=texts.plain(locale, "map-title", unit=unit, units=lay.scope_view.size),
        subtitle=texts.plain(locale, "map-subtitle", time=when),
        legend=legend,
        hidden=hidden,
        use_names=use_names,
    )


def pick(
    texts: Texts, locale: str, tree: ColouredTree, when: datetime
) -> tuple[MapLayout, MapLabels]:
    """Layout and labels in `locale` with names, or, without a CJK font, English with codes."""
    stamp = when.strftime("%Y-%m-%d %H:%M")

    def build(language: str, use_names: bool) -> tuple[MapLayout, MapLabels]:
        lay = layout(tree, use_names=use_names)
        return lay, map_labels(texts, language, lay, stamp, use_names=use_names)

    return charts.first_drawable(
        [lambda: build(locale, True), lambda: build("en", False)],
        lambda pair: _all_texts(*pair),
    )


def _all_texts(lay: MapLayout, labels: MapLabels) -> list[str]:
    out = [labels.title, labels.subtitle, labels.hidden, *labels.legend.values()]
    if lay.banner is not None:
        out.append(lay.banner.label)
    for column in lay.columns:
        out.append(column.header.label)
        out.extend(c.label for c in column.cells)
    return out


# ---------------------------------------------------------------- drawing


def render(lay: MapLayout, labels: MapLabels) -> bytes:
    """The map as PNG bytes (blocking: run it in a thread)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if lay.grid:
        per_row = max(1, min(GRID_COLUMNS, len(lay.columns[0].cells)))
        rows = max(1, math.ceil(len(lay.columns[0].cells) / per_row))
        bands, band_cols, band_rows = 1, per_row, rows
    else:
        band_cols = min(MAX_COLUMNS, len(lay.columns))
        bands = math.ceil(len(lay.columns) / band_cols)
        band_rows = max(len(c.cells) for c in lay.columns)
    top, legend_h = 0.85, 0.6 + (0.25 if labels.hidden else 0.0)
    band_h = HEADER_H + GAP + band_rows * (CELL_H + GAP) + 0.25
    if lay.banner is not None:
        top += HEADER_H + GAP
    width = max(6.0, band_cols * (COLUMN_W + GAP) + 0.4)
    height = top + bands * band_h + legend_h
    with charts._lock:  # the same lock as the charts: one render uses the fonts at a time
        family = _families()
        figure = Figure(figsize=(width, height), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(0, width)
        axes.set_ylim(height, 0)
        axes.axis("off")
        axes.text(
            0.2, 0.35, labels.title, fontsize=15, fontweight="bold", family=family, va="center"
        )
        axes.text(0.2, 0.68, labels.subtitle, fontsize=9, color="#495057", family=family)
        y0 = top
        if lay.banner is not None:
            span = band_cols * (COLUMN_W + GAP) - GAP
            _header(axes, lay.banner, 0.2, top - HEADER_H - GAP, span, family)
        if lay.grid:
            _grid(axes, lay.columns[0], per_row, y0, family)
        else:
            for band in range(bands):
                chunk = lay.columns[band * band_cols : (band + 1) * band_cols]
                for n, column in enumerate(chunk):
                    x = 0.2 + n * (COLUMN_W + GAP)
                    _column(axes, column, x, y0 + band * band_h, family)
        _legend(axes, labels, height - legend_h + 0.15, family)
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()


def _families() -> list[str]:
    """The CJK font first when there is one: it has Latin glyphs too, and a label laid
    out in one font is much faster than one that falls back glyph by glyph."""
    family = charts.fonts()
    return list(reversed(family)) if len(family) > 1 else family


def _box(axes: Axes, x: float, y: float, w: float, h: float, colour: str) -> None:
    from matplotlib.patches import FancyBboxPatch

    patch = FancyBboxPatch(
        (x, y),
        w,
        h,
        boxstyle="round,pad=0,rounding_size=0.05",
        facecolor=colour,
        edgecolor="white",
        linewidth=0.8,
    )
    axes.add_artist(patch)  # not add_patch: no data-limit update per cell (the limits are set)


def _header(axes: Axes, cell: Cell, x: float, y: float, w: float, family: list[str]) -> None:
    _box(axes, x, y, w, HEADER_H, FILL[cell.colour])
    ink = INK[cell.colour]
    text_y = y + (HEADER_H * 0.3 if cell.counts else HEADER_H / 2)
    axes.text(
        x + w / 2,
        text_y,
        cell.label,
        ha="center",
        va="center",
        fontsize=9,
        fontweight="bold",
        color=ink,
        family=family,
    )
    if cell.counts:
        # The counts on a white strip, so a red square reads on a red header too.
        strip_y, strip_h = y + HEADER_H * 0.56, HEADER_H * 0.36
        _box(axes, x + 0.05, strip_y, w - 0.1, strip_h, "#ffffff")
        step = (w - 0.1) / 3
        for n, colour in enumerate(COLOURS_WORST_FIRST):
            axes.text(
                x + 0.05 + step * (n + 0.5),
                strip_y + strip_h / 2,
                f"■{cell.counts.get(colour, 0)}",
                ha="center",
                va="center",
                fontsize=7.5,
                color=COUNT_INK[colour],
                family=family,
            )


def _cell(axes: Axes, cell: Cell, x: float, y: float, w: float, family: list[str]) -> None:
    fill = FILL[cell.colour] if cell.unit is not None else MORE_FILL
    _box(axes, x, y, w, CELL_H, fill)
    if cell.unit is None and cell.colour is not Colour.GREEN:
        _box(axes, x, y, 0.08, CELL_H, FILL[cell.colour])  # what the "+N" hides, at a glance
    axes.text(
        x + w / 2,
        y + CELL_H / 2,
        cell.label,
        ha="center",
        va="center",
        fontsize=7.5,
        color=INK[cell.colour] if cell.unit is not None else "#212529",
        family=family,
    )


def _column(axes: Axes, column: Column, x: float, y: float, family: list[str]) -> None:
    _header(axes, column.header, x, y, COLUMN_W, family)
    y += HEADER_H + GAP
    for cell in column.cells:
        indent = min(cell.depth, 3) * INDENT
        _cell(axes, cell, x + 0.06 + indent, y, COLUMN_W - 0.12 - indent, family)
        y += CELL_H + GAP


def _grid(axes: Axes, column: Column, per_row: int, y: float, family: list[str]) -> None:
    width = per_row * (COLUMN_W + GAP) - GAP
    _header(axes, column.header, 0.2, y, width, family)
    y += HEADER_H + GAP
    for n, cell in enumerate(column.cells):
        row, col = divmod(n, per_row)
        _cell(axes, cell, 0.2 + col * (COLUMN_W + GAP), y + row * (CELL_H + GAP), COLUMN_W, family)


def _legend(axes: Axes, labels: MapLabels, y: float, family: list[str]) -> None:
    x = 0.2
    for colour in COLOURS_WORST_FIRST:
        _box(axes, x, y, 0.28, 0.22, FILL[colour])
        axes.text(x + 0.36, y + 0.11, labels.legend[colour], va="center", fontsize=9, family=family)
        x += 2.1
    if labels.hidden:
        axes.text(
            0.2, y + 0.45, labels.hidden, va="center", fontsize=8, color="#495057", family=family
        )
