"""Daily tallies on hand-made incidents: exact numbers, Shanghai days, level-1 breakdown.

A report at 23:59 Beijing time belongs to that day and one at 00:00 to the
next, although both are the same UTC date; an isolation counts on the day it
was decided, which need not be the day of the report; drafts count for nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from cascade.incidents import Disposition, Stage
from cascade.tallies import DayCounts, day_start, fetch_since, local_day, tally, window
from tests.support.colour_builders import incident, ref

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)  # 16:00 in Shanghai
FEB18, FEB19, FEB20 = date(2020, 2, 18), date(2020, 2, 19), date(2020, 2, 20)

# HQ with two level-1 units (Yiwu's shape).
YIWU = [
    ref("hq", None, 0, "指挥部"),
    ref("c1", "hq", 1, "一社区"),
    ref("v11", "c1", 2),
    ref("g111", "v11", 3),
    ref("c2", "hq", 1, "二社区"),
    ref("v21", "c2", 2),
]


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2020, month, day, hour, minute, tzinfo=UTC)


INCIDENTS = [
    # 23:59 on Feb 19 in Shanghai; isolated ten minutes later, on Feb 20.
    incident(
        "g111",
        utc(2, 19, 15, 59),
        6,
        stage=Stage.DONE,
        disposition=Disposition.CENTRAL,
        disposed_at=utc(2, 19, 16, 10),
    ),
    # 00:00 on Feb 20 in Shanghai (still Feb 19 in UTC).
    incident(
        "v21",
        utc(2, 19, 16, 0),
        3,
        stage=Stage.DISPOSED,
        disposition=Disposition.HOME,
        disposed_at=utc(2, 19, 16, 30),
    ),
    incident(
        "c1",
        utc(2, 17, 23, 0),
        2,
        stage=Stage.DONE,
        disposition=Disposition.REGISTER,
        disposed_at=utc(2, 18, 1, 0),
    ),
    # Reported at HQ itself; "no action" isolates nobody.
    incident(
        "hq",
        utc(2, 20, 1, 0),
        1,
        stage=Stage.DONE,
        disposition=Disposition.NONE,
        disposed_at=utc(2, 20, 2, 0),
    ),
    # Reported before the window (23:00 Feb 17 local), isolated inside it (00:30 Feb 18).
    incident(
        "v11",
        utc(2, 17, 15, 0),
        4,
        stage=Stage.DONE,
        disposition=Disposition.CENTRAL,
        disposed_at=utc(2, 17, 16, 30),
    ),
    incident("g111", utc(2, 20, 3, 0), 9, stage=Stage.DRAFT),  # never confirmed
    incident("g111", utc(2, 20, 3, 0), 9, stage=Stage.DISCARDED),
    incident("v21", utc(2, 20, 4, 0), None),  # count still unknown: a report, no people yet
    incident("elsewhere", utc(2, 20, 4, 0), 50),  # not in this tower's subtree
]


def counts(day: date, **values: int) -> DayCounts:
    return DayCounts(day=day, **values)


def test_day_boundaries_in_shanghai() -> None:
    assert local_day(utc(2, 19, 15, 59), SHANGHAI) == FEB19
    assert local_day(utc(2, 19, 16, 0), SHANGHAI) == FEB20
    assert day_start(FEB20, SHANGHAI) == utc(2, 19, 16, 0)
    assert window(NOW, 3, SHANGHAI) == (FEB18, FEB20)
    assert window(utc(2, 19, 16, 0), 1, SHANGHAI) == (FEB20, FEB20)
    assert fetch_since(FEB18, SHANGHAI) == utc(2, 3, 16, 0)


def test_tally_by_day_and_level1_unit() -> None:
    result = tally(YIWU[0], YIWU, INCIDENTS, FEB18, FEB20, SHANGHAI)
    assert result.days == [
        counts(FEB18, returnees=2, incidents=1, central=4, registered=2),
        counts(FEB19, returnees=6, incidents=1),
        counts(FEB20, returnees=4, incidents=3, unknown=1, central=6, home=3),
    ]
    assert result.total == counts(
        FEB20, returnees=12, incidents=5, unknown=1, central=10, home=3, registered=2
    )
    assert result.last.day == FEB20
    rows = {row.unit.code: row for row in result.units}
    assert list(rows) == ["hq", "c1", "c2"]  # HQ's own row first, then the level-1 units
    assert rows["c1"].days == [
        counts(FEB18, returnees=2, incidents=1, central=4, registered=2),
        counts(FEB19, returnees=6, incidents=1),
        counts(FEB20, central=6),
    ]
    assert rows["c2"].days == [
        counts(FEB18),
        counts(FEB19),
        counts(FEB20, returnees=3, incidents=2, unknown=1, home=3),
    ]
    assert rows["hq"].total == counts(FEB20, returnees=1, incidents=1)
    assert rows["c1"].unit.name == "一社区"


def test_without_level1_units_the_breakdown_is_by_the_roots_children() -> None:
    tashan = [
        ref("ts", None, 0),
        ref("ts-01", "ts", 2),
        ref("ts-01-01", "ts-01", 3),
        ref("ts-02", "ts", 2),
    ]
    found = [
        incident("ts-01-01", utc(2, 20, 1), 5, high_risk=True),
        incident("ts-01", utc(2, 20, 2), 2),
    ]
    result = tally(tashan[0], tashan, found, FEB20, FEB20, SHANGHAI)
    assert [(r.unit.code, r.total.returnees, r.total.incidents) for r in result.units] == [
        ("ts-01", 7, 2),
        ("ts-02", 0, 0),
    ]
    # A village's own tally is broken down by its groups.
    village = tally(tashan[1], tashan[1:3], found, FEB20, FEB20, SHANGHAI)
    assert [(r.unit.code, r.total.returnees) for r in village.units] == [
        ("ts-01", 2),
        ("ts-01-01", 5),
    ]


def test_a_one_day_window_and_empty_days() -> None:
    result = tally(YIWU[0], YIWU, [], FEB20, FEB20, SHANGHAI)
    assert result.days == [counts(FEB20)]
    assert [r.unit.code for r in result.units] == ["c1", "c2"]  # HQ's own row only with numbers
    assert result.last.is_empty()
    assert counts(FEB20, central=2).by_kind(Disposition.CENTRAL) == 2
    assert counts(FEB20, registered=3).by_kind(Disposition.REGISTER) == 3
    assert counts(FEB20, home=4).by_kind(Disposition.NONE) == 0
