"""Where the cells of `/map` go, and the labels when no Chinese font is installed.

The picture must stay readable for Tashan (12 columns of 15-22 groups) and must
never drop a red unit silently when a scope is too big to draw every unit.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from bot import charts, maps
from bot.daily_chart import render_chart
from bot.daily_presenter import pick_chart_labels
from bot.i18n import Texts
from cascade.colours import colour_map
from cascade.incidents import Colour
from cascade.queries import ColouredTree
from cascade.tallies import tally
from cascade.tower import UnitRef
from tests.support.colour_builders import incident, ref
from tests.support.tgfake import tower_units

T0 = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)


def tashan(scope: str | None = None, red: tuple[str, ...] = ()) -> ColouredTree:
    units = [
        UnitRef(
            code=u.code,
            name=u.name,
            level=u.level,
            kind=u.kind,
            parent=u.parent,
            chat_id=u.chat_id,
            locale=u.locale,
        )
        for u in tower_units("tashan")
    ]
    if scope is not None:
        keep = {scope}
        for u in units:
            if u.parent in keep:
                keep.add(u.code)
        units = [u for u in units if u.code in keep]
    views = colour_map(units, [incident(c, T0, high_risk=True) for c in red], {})
    return ColouredTree(scope=units[0], units=units, views=views)


def test_tashan_is_one_column_per_village_with_a_cell_per_group() -> None:
    lay = maps.layout(tashan(red=("ts-01-03",)))
    assert not lay.grid and lay.banner is None and lay.hidden_columns == 0
    assert [c.header.unit.code for c in lay.columns if c.header.unit] == [
        f"ts-{n:02d}" for n in range(1, 13)
    ]
    groups = [
        len([u for u in tower_units("tashan") if u.parent == f"ts-{n:02d}"]) for n in range(1, 13)
    ]
    assert [len(c.cells) for c in lay.columns] == groups
    assert sum(groups) == 224 and min(groups) == 15 and max(groups) == 22
    first = lay.columns[0]
    assert first.header.label == "塔山村" and first.header.colour is Colour.RED
    assert first.header.counts == {Colour.RED: 1, Colour.YELLOW: 0, Colour.GREEN: 22}
    assert [c.label for c in first.cells[:3]] == ["第一村民小组", "第二村民小组", "第三村民小组"]
    assert first.cells[2].colour is Colour.RED and first.cells[1].colour is Colour.GREEN
    assert lay.scope_view.counts == {Colour.RED: 1, Colour.YELLOW: 0, Colour.GREEN: 236}


def test_a_village_is_one_grid() -> None:
    lay = maps.layout(tashan("ts-02"))
    assert lay.grid and len(lay.columns) == 1 and len(lay.columns[0].cells) == 15


def test_big_scopes_keep_the_red_units_in_sight() -> None:
    units = [ref("hq", None, 0)]
    red = []
    for c in range(80):
        units.append(ref(f"c{c}", "hq", 1))
        for g in range(40):
            units.append(ref(f"c{c}-{g}", f"c{c}", 2))
    red = ["c79-39", "c3-39"]  # the last column, and the last cell of a long column
    views = colour_map(units, [incident(code, T0, high_risk=True) for code in red], {})
    lay = maps.layout(ColouredTree(scope=units[0], units=units, views=views))
    limit = maps.MAX_COLUMNS * maps.MAX_BANDS
    assert len(lay.columns) == limit and lay.hidden_columns == 80 - limit
    assert lay.hidden_counts == {Colour.GREEN: 80 - limit}
    codes = [c.header.unit.code for c in lay.columns if c.header.unit]
    assert "c79" in codes and "c3" in codes
    long = lay.columns[codes.index("c3")]
    assert len(long.cells) == maps.MAX_ROWS
    more = long.cells[-1]
    assert more.unit is None and more.label == f"+{40 - maps.MAX_ROWS + 1}"
    assert more.colour is Colour.RED


def test_short_labels() -> None:
    village, group = ref("ts-01", "ts", 2, "塔山村"), ref("ts-01-21", "ts-01", 3, "塔山村出租房1幢")
    assert maps.short_label(group, village, use_names=True) == "出租房1幢"
    assert maps.short_label(group, village, use_names=False) == "21"
    long = ref("x", None, 2, "福田街道长春社区第一作战小组汽配街")
    assert maps.short_label(long, None, use_names=True) == "福田街道长春社区第…"


def test_without_a_cjk_font_the_map_uses_codes_and_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    lay, labels = maps.pick(Texts(), "zh-Hans", tashan("ts-01"), T0)
    assert labels.title == "ts-01: unit status map (23 units)"
    texts = [labels.title, labels.subtitle, *labels.legend.values()]
    labels_drawn = [c.label for c in lay.columns[0].cells]
    assert labels_drawn[:2] == ["01", "02"] and all(t.isascii() for t in labels_drawn)
    assert charts.renderable(texts + labels_drawn)  # DejaVu Sans alone draws every glyph
    with Image.open(io.BytesIO(maps.render(lay, labels))) as image:
        assert image.format == "PNG" and image.width >= 900


def test_daily_chart_labels_fall_back_too(monkeypatch: pytest.MonkeyPatch) -> None:
    units = [ref("ts", None, 0, "塔山区块指挥部"), ref("ts-01", "ts", 2, "塔山村")]
    result = tally(units[0], units, [incident("ts-01", T0, 3)], T0.date(), T0.date(), UTC)
    # With a CJK font (pretended, so the test is the same on every machine): Chinese.
    with monkeypatch.context() as font_installed:
        font_installed.setattr(charts, "renderable", lambda texts: True)
        assert pick_chart_labels(Texts(), "zh-Hans", result).returnees == "新增返回人员"
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    labels = pick_chart_labels(Texts(), "zh-Hans", result)
    assert labels.title == "Daily returnees and isolations: ts"
    assert all(t.isascii() for t in labels.texts())
    with Image.open(io.BytesIO(render_chart(result, labels))) as image:
        assert image.size == (1200, 800)
