"""The numbers HQ judges the practice by: time to 50/90/100 %, per-level latency, late units.

`cascade.report.build` feeds `/status`, the final report and exports. It is
checked here on a small order worked out by hand, so that an off-by-one in a
percentile or a median shows as a wrong number, not as a plausible one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

import pytest

from cascade import loop_report
from cascade.orders import Order, OrderKind, OrderStatus, TargetState
from cascade.ports import UnitOfWork
from cascade.report import build, sums_consistent

START = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)
DEADLINE = START + timedelta(minutes=15)


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def order(kind: OrderKind = OrderKind.COUNT, **extra: object) -> Order:
    fields: dict[str, object] = {
        "id": 1,
        "issuer_unit": "R",
        "issuer_user": 1,
        "kind": kind,
        "text": "统计外地人数",
        "created_at": START,
        "deadline_at": DEADLINE,
        "total_targets": 6,
    }
    fields.update(extra)
    return Order.model_validate(fields)


def state(code: str, parent: str | None, level: int, **extra: Any) -> TargetState:
    return TargetState(order_id=1, unit_code=code, parent_code=parent, level=level, **extra)


def finished_states() -> list[TargetState]:
    """R → A, B (level 1) → A1, A2, B1, B2 (level 2); everyone answered, B2 late.

    own answers: A 30s, B 90s, A1 60s, A2 120s, B1 300s, B2 1000s (deadline 900s)
    done:        A1 60, A2 120, A 120, B1 300, B2 1000, B 1000, R 1000
    """
    return [
        state("R", None, 0, is_root=True, children_total=2, children_done=2, subtotal=18,
              done_at=at(1000)),
        state("A", "R", 1, children_total=2, children_done=2, acked_at=at(30), subtotal=7,
              done_at=at(120)),
        state("A1", "A", 2, is_bottom=True, acked_at=at(60), answered_at=at(60), value=3,
              subtotal=3, done_at=at(60)),
        state("A2", "A", 2, is_bottom=True, acked_at=at(120), answered_at=at(120), value=4,
              subtotal=4, done_at=at(120)),
        state("B", "R", 1, children_total=2, children_done=2, acked_at=at(90), subtotal=11,
              done_at=at(1000)),
        state("B1", "B", 2, is_bottom=True, acked_at=at(20), answered_at=at(300), value=5,
              subtotal=5, done_at=at(300)),
        state("B2", "B", 2, is_bottom=True, acked_at=at(1000), answered_at=at(1000), value=6,
              subtotal=6, done_at=at(1000), late=True),
    ]  # fmt: skip


def test_final_report_of_a_finished_order() -> None:
    done = order(status=OrderStatus.DONE, finished_at=at(1000), done_targets=6)
    report = build(done, finished_states(), "R", now=at(1200))
    assert (report.done, report.total, report.percent) == (6, 6, 100)
    assert report.total_value == 18
    assert report.time_to == {50: 120.0, 90: 1000.0, 100: 1000.0}
    # A's "收到" at 30 s is the first own part done; B1's early "收到" (20 s) is not its
    # answer: a bottom unit of a count order answers with its value (300 s).
    assert report.first_answer_seconds == 30.0
    assert report.late_units == ["B2"]
    assert report.pending_units == []
    assert report.sums_consistent
    assert report.elapsed_seconds == 1000.0  # until it finished, not until "now"
    assert report.remaining_seconds == 0.0
    assert [(s.level, s.done, s.total) for s in report.levels] == [(1, 2, 2), (2, 4, 4)]
    level1, level2 = report.levels
    assert level1.median_seconds == 60.0  # acks at 30 and 90
    assert level2.median_seconds == 210.0  # values at 60, 120, 300, 1000
    assert level2.p90_seconds == 1000.0
    assert report.items == []


def test_live_report_while_units_are_pending() -> None:
    states = finished_states()
    b = next(s for s in states if s.unit_code == "B")
    b2 = next(s for s in states if s.unit_code == "B2")
    root = states[0]
    for s in (b, b2, root):
        s.done_at = None
    b.children_done = 1
    root.children_done = 1
    b2.answered_at = b2.acked_at = None
    b2.value, b2.late, b2.subtotal = None, False, 0
    b.subtotal, root.subtotal = 5, 12
    report = build(order(), states, "R", now=at(600))
    assert (report.done, report.total, report.percent) == (4, 6, 66)
    assert report.time_to == {50: 120.0, 90: None, 100: None}
    assert report.pending_units == ["B", "B2"]
    assert report.late_units == []
    assert report.total_value == 12
    assert report.sums_consistent
    assert report.elapsed_seconds == 600.0
    assert report.remaining_seconds == 300.0
    assert [(s.level, s.done, s.total) for s in report.levels] == [(1, 1, 2), (2, 3, 4)]
    assert report.levels[1].median_seconds == 120.0  # 60, 120, 300


def test_report_scoped_to_a_subtree_counts_the_scope_unit_itself() -> None:
    states = [s for s in finished_states() if s.unit_code in {"A", "A1", "A2"}]
    report = build(order(), states, "A", now=at(1200))
    assert (report.done, report.total) == (3, 3)
    assert report.total_value == 7
    assert report.time_to[100] == 120.0
    assert report.sums_consistent


def test_notice_order_times_use_the_acks_of_bottom_units() -> None:
    states = [
        state("R", None, 0, is_root=True, children_total=2, children_done=2, done_at=at(50)),
        state("X", "R", 1, is_bottom=True, acked_at=at(10), done_at=at(10)),
        state("Y", "R", 1, is_bottom=True, acked_at=at(50), done_at=at(50)),
    ]
    report = build(order(OrderKind.NOTICE, total_targets=2), states, "R", now=at(60))
    assert report.first_answer_seconds == 10.0
    assert report.levels[0].median_seconds == 30.0
    assert report.time_to == {50: 10.0, 90: 50.0, 100: 50.0}
    assert report.total_value == 0
    assert report.sums_consistent


def test_list_order_items_are_deduplicated_and_labelled_by_unit() -> None:
    states = [
        state("R", None, 0, is_root=True, children_total=2, subtotal=3),
        state("Y", "R", 1, is_bottom=True, answered_at=at(5), items=["塔山路3号", "溪西村12号"],
              subtotal=2),
        state("X", "R", 1, is_bottom=True, answered_at=at(9), items=["溪西村12号"], subtotal=1),
    ]  # fmt: skip
    report = build(order(OrderKind.LIST, total_targets=2), states, "R", now=at(60))
    assert report.total_value == 3
    assert [(i.text, i.units) for i in report.items] == [
        ("溪西村12号", ["X", "Y"]),
        ("塔山路3号", ["Y"]),
    ]
    assert report.sums_consistent


def test_order_with_no_targets_is_complete() -> None:
    report = build(order(total_targets=0), [state("R", None, 0, is_root=True)], "R", now=at(1))
    assert report.percent == 100
    assert report.time_to == {50: 0.0, 90: 0.0, 100: 0.0}


@pytest.mark.parametrize("code", ["R", "A", "A1"])
def test_sums_consistent_catches_a_drifted_subtotal(code: str) -> None:
    states = finished_states()
    next(s for s in states if s.unit_code == code).subtotal += 1
    assert not sums_consistent(states)


class _Pages:
    """`tx.orders.target_page` over rows in memory, `limit` rows a page."""

    def __init__(self, states: list[TargetState]) -> None:
        self.states = states
        self.pages = 0

    async def target_page(
        self, order_id: int, under: str, after: str, limit: int
    ) -> tuple[list[TargetState], str | None]:
        start = int(after or 0)
        self.pages += 1
        page = self.states[start : start + limit]
        return page, str(start + limit) if start + limit < len(self.states) else None


def pending_states() -> list[TargetState]:
    """`finished_states` with B2 silent: B and the root wait for it."""
    states = finished_states()
    for s in states:
        if s.unit_code in {"B", "B2", "R"}:
            s.done_at = None
        if s.unit_code == "B2":
            s.answered_at = s.acked_at = s.value = None
            s.late, s.subtotal = False, 0
    states[0].subtotal, states[4].subtotal = 12, 5
    return states


@pytest.mark.parametrize(
    ("rows", "kind", "now"),
    [
        (finished_states, OrderKind.COUNT, 1200),
        (pending_states, OrderKind.COUNT, 600),  # before the deadline: none late yet
        (pending_states, OrderKind.COUNT, 1200),  # past it: the units not done are late
        (pending_states, OrderKind.LIST, 1200),
    ],
)
async def test_the_report_read_a_page_at_a_time_is_the_report_of_all_rows(
    rows: Callable[[], list[TargetState]], kind: OrderKind, now: float, monkeypatch: Any
) -> None:
    states = rows()
    if kind is OrderKind.LIST:
        for s in states:
            if s.is_bottom and s.value is not None:
                s.items, s.value = [f"{s.unit_code}号"] * s.value, None
    monkeypatch.setattr(loop_report, "PAGE_ROWS", 2)
    pages = _Pages(states)
    tx = SimpleNamespace(orders=pages)
    paged = await loop_report.read_report(cast(UnitOfWork, tx), order(kind), at(now))
    assert pages.pages == 4  # 7 rows, 2 a page
    assert paged == build(order(kind), states, "R", at(now))
    assert paged.sums_consistent
