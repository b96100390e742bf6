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

# A report names this many units of each list (pending, late) and counts the rest, so
# it reads no more names than that, however many units a city order leaves pending.
NAMES_SHOWN = 20


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

    @property
    def late_answered(self) -> list[str]:
        """The late units that have answered: a unit still pending is listed once, as
        pending, not again as late."""
        waiting = set(self.pending_units)
        return [code for code in self.late_units if code not in waiting]

    def named(self) -> list[str]:
        """The units the report names (the first `NAMES_SHOWN` of each list): the only
        ones whose names are read for it."""
        return self.pending_units[:NAMES_SHOWN] + self.late_answered[:NAMES_SHOWN]


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
    tally = ReportTally(order, scope)
    tally.add(states)
    return tally.result(now)


class ReportTally:
    """`build`'s report from a subtree's rows taken a page at a time: what it keeps is
    a few numbers per unit (times, codes), never the rows. The final report of a city
    order read all 37,074 rows as models at once, ~140 MB at the bot's peak
    (benchmarks/RESULTS.md, "memory")."""

    def __init__(self, order: Order, scope: str) -> None:
        self.order = order
        self.scope = scope
        self.total = 0
        self.total_value: int | None = None
        self.done_times: list[datetime] = []
        self.first_own: datetime | None = None
        self.level_counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # done, total
        self.level_latency: dict[int, list[float]] = defaultdict(list)
        # Late: answered after the deadline; or, once `now` is past it, not yet done.
        self.late: list[tuple[str, bool]] = []  # (unit, late whatever the time)
        self.pending: list[str] = []
        self.items: list[tuple[str, list[str]]] = []
        self.sums = SumsCheck()

    def add(self, states: list[TargetState]) -> None:
        order = self.order
        start = order.created_at
        for state in states:
            self.sums.add(state)
            if state.unit_code == self.scope:
                self.total_value = state.subtotal
            if state.is_root:
                continue
            self.total += 1
            if state.done_at is not None:
                self.done_times.append(state.done_at)
            counts = self.level_counts[state.level]
            counts[1] += 1
            if state.is_done:
                counts[0] += 1
            else:
                self.pending.append(state.unit_code)
            own = answered_at(state, order.kind)
            if own is not None:
                self.level_latency[state.level].append((own - start).total_seconds())
                self.first_own = own if self.first_own is None else min(self.first_own, own)
            if state.late or (not state.is_done and order.is_open):
                self.late.append((state.unit_code, state.late))
            if state.items:
                self.items.append((state.unit_code, state.items))

    def result(self, now: datetime) -> OrderReport:
        order = self.order
        start = order.created_at
        if self.total_value is None:
            raise KeyError(self.scope)  # the scope's own row was not among the rows
        done_times = sorted(self.done_times)
        levels = []
        for level in sorted(self.level_counts):
            done, total = self.level_counts[level]
            lat = sorted(self.level_latency.get(level, []))
            levels.append(
                LevelStat(
                    level=level,
                    done=done,
                    total=total,
                    median_seconds=median(lat) if lat else None,
                    p90_seconds=lat[min(len(lat) - 1, math.ceil(0.9 * len(lat)) - 1)]
                    if lat
                    else None,
                )
            )
        overdue = now > order.deadline_at
        end = order.finished_at or now
        return OrderReport(
            order=order,
            scope=self.scope,
            done=len(done_times),
            total=self.total,
            total_value=self.total_value,
            items=_items(self.items) if order.kind is OrderKind.LIST else [],
            levels=levels,
            first_answer_seconds=(self.first_own - start).total_seconds()
            if self.first_own is not None
            else None,
            time_to={p: _time_to(p, done_times, self.total, start) for p in (50, 90, 100)},
            late_units=[code for code, late in self.late if late or overdue],
            pending_units=self.pending,
            sums_consistent=self.sums.consistent(),
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


def _items(listed: list[tuple[str, list[str]]]) -> list[ListItem]:
    seen: dict[str, list[str]] = {}
    for code, lines in sorted(listed, key=lambda pair: pair[0]):
        for line in lines:
            seen.setdefault(line, []).append(code)
    return [ListItem(text=text, units=units) for text, units in seen.items()]


def sums_consistent(states: list[TargetState]) -> bool:
    """Every parent's subtotal equals its own value plus its children's subtotals."""
    check = SumsCheck()
    for state in states:
        check.add(state)
    return check.consistent()


class SumsCheck:
    """`sums_consistent` over rows taken one at a time, in any order: per unit, its
    subtotal less its own part (its value, or the count of its lines) less its
    children's subtotals must come to 0."""

    def __init__(self) -> None:
        self.rest: dict[str, int] = defaultdict(int)
        self.seen: set[str] = set()

    def add(self, state: TargetState) -> None:
        own = ((state.value or 0) if state.items is None else len(state.items)) * state.is_bottom
        self.rest[state.unit_code] += state.subtotal - own
        self.seen.add(state.unit_code)
        if state.parent_code is not None:
            self.rest[state.parent_code] -= state.subtotal

    def consistent(self) -> bool:
        return all(self.rest[code] == 0 for code in self.seen)
