"""The spreadsheet and the statistics chiefs judge the practice by, on orders worked out by hand.

`/export` files are opened in Excel and filed as evidence, so the CSV is read
back here with `csv` and every cell compared. `/chart` and `/stats` reduce many
per-unit rows to a few numbers (percent done over time, time to 100 %, the
on-time share, the slowest units); a wrong median or a unit silently dropped
would look plausible in a chat, so every number here is exact.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cascade.export import BOM, COLUMNS, export_rows, to_csv
from cascade.orders import Order, OrderKind, OrderStatus, TargetState
from cascade.stats import (
    StatsAccumulator,
    completion,
    latencies,
    outcome,
    overdue,
)
from cascade.tower import UnitRef

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)  # 16:00 in Shanghai
MINUTES_15 = timedelta(minutes=15)


def at(seconds: float, base: datetime = START) -> datetime:
    return base + timedelta(seconds=seconds)


def order(
    order_id: int = 1,
    kind: OrderKind = OrderKind.COUNT,
    created: datetime = START,
    **extra: object,
) -> Order:
    fields: dict[str, object] = {
        "id": order_id,
        "issuer_unit": "R",
        "issuer_user": 1,
        "kind": kind,
        "text": "统计外地人数",
        "created_at": created,
        "deadline_at": created + MINUTES_15,
        "total_targets": 6,
    }
    fields.update(extra)
    return Order.model_validate(fields)


def state(code: str, parent: str | None, level: int, **extra: Any) -> TargetState:
    return TargetState(order_id=1, unit_code=code, parent_code=parent, level=level, **extra)


def tower_rows(
    base: datetime,
    acked: dict[str, float],
    answered: dict[str, float],
    done: dict[str, float],
    **values: object,
) -> list[TargetState]:
    """R → A, B (level 1) → A1, A2 under A, B1, B2 under B (level 2, bottom units).

    Times are seconds after `base`; `values` maps a code to its value (int) or items.
    """

    def row(code: str, parent: str | None, level: int, **flags: object) -> TargetState:
        value = values.get(code)
        return state(
            code,
            parent,
            level,
            acked_at=at(acked[code], base) if code in acked else None,
            answered_at=at(answered[code], base) if code in answered else None,
            done_at=at(done[code], base) if code in done else None,
            value=value if isinstance(value, int) else None,
            items=value if isinstance(value, list) else None,
            late=code in done and done[code] > MINUTES_15.total_seconds(),
            **flags,
        )

    return [
        row("R", None, 0, is_root=True, children_total=2),
        row("A", "R", 1, children_total=2),
        row("A1", "A", 2, is_bottom=True),
        row("A2", "A", 2, is_bottom=True),
        row("B", "R", 1, children_total=2),
        row("B1", "B", 2, is_bottom=True),
        row("B2", "B", 2, is_bottom=True),
    ]


def ref(code: str, name: str, commander: str | None) -> UnitRef:
    return UnitRef(
        code=code,
        name=name,
        level=1,
        kind="village",
        parent=None,
        chat_id=None,
        locale="zh-Hans",
        commander_name=commander,
    )


REFS = {
    "A": ref("A", "塔山村", "李强"),
    "A1": ref("A1", "塔山村第一村民小组", "任宁"),
    "A2": ref("A2", 'Building "North", 1', None),
    "B": ref("B", "溪西村", "王五"),
    "B1": ref("B1", "溪西村一组", "赵六"),
}  # B2 was removed from the tower since the order


# ---------------------------------------------------------------- the CSV file


def parse(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(BOM.encode("utf-8"))  # Excel reads UTF-8 only with the BOM
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


def test_count_order_rows_read_back_from_the_csv() -> None:
    rows = tower_rows(
        START,
        acked={"A": 30, "A1": 60, "A2": 100, "B": 90, "B2": 1000},
        answered={"A1": 60, "A2": 120, "B2": 1000},
        done={"A1": 60, "A2": 120, "A": 120, "B2": 1000},
        A1=3,
        A2=1024,
        B2=0,
    )
    data = to_csv(export_rows(order(), rows, REFS), SHANGHAI)
    parsed = parse(data)
    assert [r["code"] for r in parsed] == ["A", "A1", "A2", "B", "B1", "B2"]  # no issuer row
    assert parsed[0] == {
        "code": "A",
        "name": "塔山村",
        "level": "1",
        "parent": "R",
        "commander": "李强",
        "received_at": "2020-02-20T16:00:30+08:00",
        "answered_at": "2020-02-20T16:00:30+08:00",  # a unit with sub-units answers by "收到"
        "value": "",
        "late": "no",
        "done_at": "2020-02-20T16:02:00+08:00",
    }
    assert parsed[2] == {
        "code": "A2",
        "name": 'Building "North", 1',  # quotes and commas survive
        "level": "2",
        "parent": "A",
        "commander": "",
        "received_at": "2020-02-20T16:01:40+08:00",
        "answered_at": "2020-02-20T16:02:00+08:00",  # the value came after the "收到"
        "value": "1024",
        "late": "no",
        "done_at": "2020-02-20T16:02:00+08:00",
    }
    b1, b2 = parsed[4], parsed[5]
    assert (b1["received_at"], b1["answered_at"], b1["value"], b1["done_at"]) == ("", "", "", "")
    assert (b2["name"], b2["value"], b2["late"]) == ("", "0", "yes")  # removed unit keeps its row
    assert b2["done_at"] == "2020-02-20T16:16:40+08:00"
    assert data.count(b"\r\n") == 7  # header + 6 rows, Excel's line ends


def test_list_items_are_joined_and_notice_answers_are_the_receipt() -> None:
    rows = tower_rows(
        START,
        acked={"A": 5, "A1": 10},
        answered={"A1": 20},
        done={"A1": 20},
        A1=["溪西村12号", "塔山村3号; 后院"],
    )
    (a1,) = [
        r
        for r in parse(to_csv(export_rows(order(kind=OrderKind.LIST), rows, REFS), UTC))
        if r["code"] == "A1"
    ]
    assert a1["value"] == "溪西村12号; 塔山村3号; 后院"
    assert a1["answered_at"] == "2020-02-20T08:00:20+00:00"

    notice = parse(to_csv(export_rows(order(kind=OrderKind.NOTICE), rows, REFS), SHANGHAI))
    first = {r["code"]: r for r in notice}["A1"]
    assert first["answered_at"] == first["received_at"] == "2020-02-20T16:00:10+08:00"


# ---------------------------------------------------------------- completion curve


def running_rows() -> list[TargetState]:
    """Order 3 of the period below: A1 200 s, A2 and A 400 s, B2 700 s; B and B1 never."""
    return tower_rows(
        START,
        acked={"A": 100, "A1": 200, "A2": 400, "B2": 700},
        answered={"A1": 200, "A2": 400, "B2": 700},
        done={"A1": 200, "A2": 400, "A": 400, "B2": 700},
    )


def test_completion_curves_per_level_and_overall() -> None:
    curve = completion(order(), running_rows(), "R", at(1200))
    assert (curve.end_seconds, curve.deadline_seconds, curve.scope) == (1200, 900, "R")
    level1, level2 = curve.levels
    assert (level1.level, level1.done, level1.total) == (1, 1, 2)
    assert level1.points == [(0, 0), (400, 50), (1200, 50)]
    assert (level2.level, level2.done, level2.total) == (2, 3, 4)
    assert level2.points == [(0, 0), (200, 25), (400, 50), (700, 75), (1200, 75)]
    overall = curve.overall
    assert (overall.level, overall.done, overall.total) == (None, 4, 6)
    assert [t for t, _ in overall.points] == [0, 200, 400, 700, 1200]
    assert [p for _, p in overall.points] == pytest.approx([0, 100 / 6, 50, 400 / 6, 400 / 6])


def test_completion_of_a_finished_order_ends_when_it_ended() -> None:
    rows = tower_rows(
        START,
        acked={c: 60 for c in ("A", "A1", "A2", "B", "B1", "B2")},
        answered={"A1": 60, "A2": 60, "B1": 60, "B2": 60},
        done={c: 60 for c in ("A", "A1", "A2", "B", "B1", "B2")},
    )
    done = order(status=OrderStatus.DONE, finished_at=at(60))
    curve = completion(done, rows, "R", now=at(5000))
    assert curve.end_seconds == 60
    assert curve.overall.points == [(0, 0), (60, 100)]
    # A sub-unit's scope: its own rows only (here A's subtree, A itself a target).
    sub = completion(done, [r for r in rows if r.unit_code.startswith("A")], "A", at(5000))
    assert (sub.scope, sub.overall.total, [line.level for line in sub.levels]) == ("A", 3, [1, 2])


# ---------------------------------------------------------------- statistics

# Four orders, each R → A, B → A1, A2, B1, B2, looked at from R at NOW.
NOW = START + timedelta(hours=3)


def period() -> list[tuple[Order, list[TargetState]]]:
    o1 = order(1, status=OrderStatus.DONE, finished_at=at(1000))
    rows1 = tower_rows(  # all done, B2 last at 1000 s: finished late
        START,
        acked={"A": 30, "B": 90, "A1": 60, "A2": 120, "B1": 300, "B2": 1000},
        answered={"A1": 60, "A2": 120, "B1": 300, "B2": 1000},
        done={"A1": 60, "A2": 120, "A": 120, "B1": 300, "B2": 1000, "B": 1000},
    )
    t2 = START + timedelta(hours=1)
    o2 = order(2, OrderKind.NOTICE, t2, status=OrderStatus.DONE, finished_at=at(600, t2))
    rows2 = tower_rows(  # a notice: the receipt is the answer; all done by 600 s, on time
        t2,
        acked={"A": 10, "B": 20, "A1": 30, "A2": 40, "B1": 50, "B2": 600},
        answered={},
        done={"A1": 30, "A2": 40, "A": 40, "B1": 50, "B2": 600, "B": 600},
    )
    t3 = START + timedelta(hours=2)
    o3 = order(3, created=t3)  # still open, an hour past its deadline: B and B1 missed
    rows3 = tower_rows(
        t3,
        acked={"A": 100, "A1": 200, "A2": 400, "B2": 700},
        answered={"A1": 200, "A2": 400, "B2": 700},
        done={"A1": 200, "A2": 400, "A": 400, "B2": 700},
    )
    t4 = NOW - timedelta(minutes=5)
    o4 = order(4, created=t4)  # running, 10 minutes left: nobody is late yet
    rows4 = tower_rows(t4, acked={"A1": 60}, answered={"A1": 60}, done={"A1": 60})
    return [(o1, rows1), (o2, rows2), (o3, rows3), (o4, rows4)]


def test_each_order_outcome() -> None:
    outcomes = [outcome(o, rows, NOW) for o, rows in period()]
    assert [o.seconds_to_full for o in outcomes] == [1000, 600, None, None]
    assert [o.on_time for o in outcomes] == [False, True, False, False]
    assert [o.decided for o in outcomes] == [True, True, True, False]
    assert [(o.done, o.targets) for o in outcomes] == [(6, 6), (6, 6), (4, 6), (1, 6)]


def test_latencies_count_a_missed_answer_only_once_it_is_overdue() -> None:
    (_, _), (_, _), (o3, rows3), (o4, rows4) = period()
    assert latencies(o3, rows3, NOW) == {
        "A": 100,
        "A1": 200,
        "A2": 400,
        "B": math.inf,
        "B1": math.inf,
        "B2": 700,
    }
    assert latencies(o4, rows4, NOW) == {"A1": 60}
    cancelled = o3.model_copy(
        update={"status": OrderStatus.CANCELLED, "finished_at": at(60, o3.created_at)}
    )
    assert not overdue(cancelled, NOW)
    assert "B" not in latencies(cancelled, rows3, NOW)
    assert outcome(cancelled, rows3, NOW).decided is False


def test_summary_numbers_are_exact() -> None:
    acc = StatsAccumulator(NOW)
    for o, rows in period():
        acc.add(o, rows)
    summary = acc.summary(since=NOW - timedelta(days=7))
    assert (summary.orders, summary.finished) == (4, 2)
    assert summary.median_seconds_to_full == 800  # median of 1000 and 600
    assert (summary.on_time, summary.decided, summary.on_time_percent) == (1, 3, 33)
    # A: 30, 10, 100 → 30 · B: 90, 20, missed → 90 · A1: 60, 30, 200, 60 → 60
    # A2: 120, 40, 400 → 120 · B1: 300, 50, missed → 300 · B2: 1000, 600, 700 → 700
    assert [(u.code, u.level, u.median_seconds, u.answered, u.asked) for u in summary.slowest] == [
        ("B2", 2, 700, 3, 3),
        ("B1", 2, 300, 2, 3),
        ("A2", 2, 120, 3, 3),
        ("B", 1, 90, 2, 3),
        ("A1", 2, 60, 4, 4),
    ]
    assert summary.slowest[1].missed == 1


def test_a_unit_that_mostly_never_answers_is_the_slowest() -> None:
    acc = StatsAccumulator(NOW)
    (_, _), (_, _), (o3, rows3), _ = period()
    acc.add(o3, rows3)
    acc.add(o3.model_copy(update={"id": 5}), rows3)
    slowest = acc.slowest(limit=3)
    assert [(u.code, u.median_seconds, u.missed) for u in slowest] == [
        ("B", math.inf, 2),
        ("B1", math.inf, 2),
        ("B2", 700, 0),
    ]


def test_no_orders_no_numbers() -> None:
    summary = StatsAccumulator(NOW).summary(since=NOW - timedelta(days=7))
    assert (summary.orders, summary.median_seconds_to_full, summary.on_time_percent) == (
        0,
        None,
        None,
    )
    assert summary.slowest == []
