"""How an order went: completion, totals, timing and latecomers.

Computed from the per-unit rows alone, so the same numbers come out for the
live `/status`, the final report and (later) exports and charts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timedelta
from enum import StrEnum
from statistics import median

from pydantic import BaseModel

from cascade.orders import Order, OrderKind, TargetState


class ReportFlavour(StrEnum):
    """Why a loop report is sent: the end, a correction, the deadline, a cancel."""

    FINAL = "final"
    CORRECTED = "corrected"
    INTERIM = "interim"
    CANCELLED = "cancelled"


class LevelStat(BaseModel):
    level: int
    done: int
    total: int
    median_seconds: float | None = None
    p90_seconds: float | None = None


class ListItem(BaseModel):
    """One distinct line of a list order, with the units that reported it."""

    text: str
    units: list[str]


class OrderReport(BaseModel):
    order: Order
    scope: str
    done: int
    total: int
    total_value: int
    items: list[ListItem] = []
    levels: list[LevelStat] = []
    first_answer_seconds: float | None = None
    time_to: dict[int, float | None] = {}
    late_units: list[str] = []
    pending_units: list[str] = []
    sums_consistent: bool = True
    elapsed_seconds: float = 0.0
    remaining_seconds: float = 0.0

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else math.floor(100 * self.done / self.total)


def answered_at(state: TargetState, kind: OrderKind) -> datetime | None:
    """When the unit did its own part (its value, or its "收到")."""
    if kind is not OrderKind.NOTICE and state.is_bottom:
        return state.answered_at
    return state.acked_at


def build(order: Order, states: list[TargetState], scope: str, now: datetime) -> OrderReport:
    """The report for `scope` (a unit code) from its subtree's rows.

    The order's root (the issuer's unit) is never a target; any other scope
    unit counts itself, so a unit's commander sees his own part too.
    """
    by_code = {s.unit_code: s for s in states}
    root = by_code[scope]
    targets = [s for s in states if not s.is_root]
    start = order.created_at
    done_times = sorted(s.done_at for s in targets if s.done_at is not None)
    own_times = [t for s in targets if (t := answered_at(s, order.kind)) is not None]
    per_level: dict[int, list[TargetState]] = defaultdict(list)
    for state in targets:
        per_level[state.level].append(state)
    levels = []
    for level in sorted(per_level):
        rows = per_level[level]
        lat = sorted(
            (t - start).total_seconds()
            for s in rows
            if (t := answered_at(s, order.kind)) is not None
        )
        levels.append(
            LevelStat(
                level=level,
                done=sum(1 for s in rows if s.is_done),
                total=len(rows),
                median_seconds=median(lat) if lat else None,
                p90_seconds=lat[min(len(lat) - 1, math.ceil(0.9 * len(lat)) - 1)] if lat else None,
            )
        )
    end = order.finished_at or now
    return OrderReport(
        order=order,
        scope=scope,
        done=len(done_times),
        total=len(targets),
        total_value=root.subtotal,
        items=_items(targets) if order.kind is OrderKind.LIST else [],
        levels=levels,
        first_answer_seconds=(min(own_times) - start).total_seconds() if own_times else None,
        time_to={p: _time_to(p, done_times, len(targets), start) for p in (50, 90, 100)},
        # Late: answered after the deadline, or past it and still not done.
        late_units=[
            s.unit_code
            for s in targets
            if s.late or (not s.is_done and now > order.deadline_at and order.is_open)
        ],
        pending_units=[s.unit_code for s in targets if not s.is_done],
        sums_consistent=sums_consistent(states),
        elapsed_seconds=max(0.0, (end - start).total_seconds()),
        remaining_seconds=max(timedelta(0), order.deadline_at - now).total_seconds(),
    )


def summary(
    order: Order,
    scope: TargetState,
    levels: dict[int, tuple[int, int]],
    now: datetime,
) -> OrderReport:
    """The figures `/status` shows (done/total, per level, the total so far, time) from
    the counters the roll-up keeps: a handful of rows, however big the order. The
    timing and latecomer fields of a full report stay empty."""
    end = order.finished_at or now
    return OrderReport(
        order=order,
        scope=scope.unit_code,
        done=scope.sub_done,
        total=scope.sub_total,
        total_value=scope.subtotal,
        levels=[
            LevelStat(level=level, done=done, total=total)
            for level, (done, total) in sorted(levels.items())
        ],
        elapsed_seconds=max(0.0, (end - order.created_at).total_seconds()),
        remaining_seconds=max(timedelta(0), order.deadline_at - now).total_seconds(),
    )


def _time_to(percent: int, done_times: list[datetime], total: int, start: datetime) -> float | None:
    if total == 0:
        return 0.0
    needed = math.ceil(total * percent / 100)
    if needed == 0:
        return 0.0
    if len(done_times) < needed:
        return None
    return (done_times[needed - 1] - start).total_seconds()


def _items(targets: list[TargetState]) -> list[ListItem]:
    seen: dict[str, list[str]] = {}
    for state in sorted(targets, key=lambda s: s.unit_code):
        for line in state.items or []:
            seen.setdefault(line, []).append(state.unit_code)
    return [ListItem(text=text, units=units) for text, units in seen.items()]


def sums_consistent(states: list[TargetState]) -> bool:
    """Every parent's subtotal equals its own value plus its children's subtotals."""
    by_parent: dict[str, int] = defaultdict(int)
    codes = {s.unit_code for s in states}
    for state in states:
        if state.parent_code in codes:
            by_parent[state.parent_code] += state.subtotal
    for state in states:
        own = state.subtotal - by_parent.get(state.unit_code, 0)
        expected = (state.value or 0) if state.items is None else len(state.items)
        if state.is_bottom and own != expected:
            return False
        if not state.is_bottom and own != 0:
            return False
    return True
