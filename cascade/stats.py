"""The numbers behind `/chart` and `/stats`: completion over time, and how a unit does.

The practice is judged by its clock: how fast 100 % is reached, whether it is
reached inside the deadline, and which units keep everyone waiting. These are
computed here from the per-unit rows alone (no storage, no wording), with the
same meaning of "answered" as `cascade.report`, so a chart, a report and the
statistics never tell different stories about the same order.

A unit that never answered an order whose deadline passed is the slowest kind of
unit there is, so its missed answers count as infinitely late (`math.inf`):
with enough of them its median latency is infinite, shown as "no answer",
and it heads the list of slow units instead of vanishing from it. Answers still
owed to an order that is running, or to one cancelled before its deadline, are
left out: nobody was late yet.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from statistics import median

from pydantic import BaseModel

from cascade.orders import Order, OrderStatus, TargetState
from cascade.report import answered_at
from cascade.tower import UnitRef

# ---------------------------------------------------------------- completion curve


class CurveLine(BaseModel):
    """Percent of a group of units done over time, as the corners of a step line.

    `points` are (seconds since the order was issued, percent done from then on),
    starting at (0, 0) and ending at the curve's end; draw them with steps "post".
    `level` is None for the line of all targets together.
    """

    level: int | None
    done: int
    total: int
    points: list[tuple[float, float]]


class Completion(BaseModel):
    order: Order
    scope: str
    overall: CurveLine
    levels: list[CurveLine]
    end_seconds: float
    deadline_seconds: float


def completion(
    order: Order, states: Iterable[TargetState], scope: str, now: datetime
) -> Completion:
    """The completion curves of `scope`'s subtree rows `states` (the root is no target).

    The curves run up to now for a running order, and up to when it ended (or
    the last unit was done, if later) for a finished or cancelled one.
    """
    tally = CompletionTally(order)
    tally.add(states)
    return tally.result(scope, now)


class CompletionTally:
    """The completion curves' inputs gathered a page of rows at a time: per level,
    how many targets and when each one was done (a city order is 37,000 rows)."""

    def __init__(self, order: Order) -> None:
        self.order = order
        self.totals: dict[int, int] = defaultdict(int)
        self.done: dict[int, list[float]] = defaultdict(list)  # seconds after issuing

    def add(self, states: Iterable[TargetState]) -> None:
        start = self.order.created_at
        for state in states:
            if state.is_root:
                continue
            self.totals[state.level] += 1
            if state.done_at is not None:
                self.done[state.level].append((state.done_at - start).total_seconds())

    def result(self, scope: str, now: datetime) -> Completion:
        order = self.order
        until = now if order.is_open or order.finished_at is None else order.finished_at
        end = max(0.0, (until - order.created_at).total_seconds(), *self._all_done())
        return Completion(
            order=order,
            scope=scope,
            overall=_curve(None, sum(self.totals.values()), list(self._all_done()), end),
            levels=[
                _curve(level, self.totals[level], self.done[level], end)
                for level in sorted(self.totals)
            ],
            end_seconds=end,
            deadline_seconds=(order.deadline_at - order.created_at).total_seconds(),
        )

    def _all_done(self) -> Iterable[float]:
        return (moment for times in self.done.values() for moment in times)


def _curve(level: int | None, total: int, done: list[float], end: float) -> CurveLine:
    times = sorted(max(0.0, moment) for moment in done)
    points: list[tuple[float, float]] = [(0.0, 100.0 if total == 0 else 0.0)]
    for count, moment in enumerate(times, start=1):
        percent = 100.0 * count / total
        if points[-1][0] == moment:
            points[-1] = (moment, percent)
        else:
            points.append((moment, percent))
    if end > points[-1][0]:
        points.append((end, points[-1][1]))
    return CurveLine(level=level, done=len(times), total=total, points=points)


# ---------------------------------------------------------------- statistics


def overdue(order: Order, now: datetime) -> bool:
    """Whether the deadline has passed while the order was running.

    An order cancelled before its deadline never became overdue: the units it
    was waiting for were not late, the order was called off.
    """
    if (
        order.status is OrderStatus.CANCELLED
        and order.finished_at is not None
        and order.finished_at <= order.deadline_at
    ):
        return False
    return now > order.deadline_at


class OrderOutcome(BaseModel):
    """How one order went within one scope (the asking unit's subtree)."""

    order_id: int
    targets: int
    done: int
    seconds_to_full: float | None
    decided: bool
    on_time: bool

    @property
    def finished(self) -> bool:
        return self.seconds_to_full is not None


def outcome(order: Order, states: Iterable[TargetState], now: datetime) -> OrderOutcome:
    """Done/total, time to 100 % and on-time for the targets in `states`.

    Finished means every target is done (time to 100 %: the last one's
    `done_at`); it is on time when that is at or before the deadline. An order
    is decided (counts for the on-time share) once it finished or ran overdue.
    """
    targets = [s for s in states if not s.is_root]
    done_times = [s.done_at for s in targets if s.done_at is not None]
    finished = len(done_times) == len(targets)
    last = max(done_times, default=order.created_at)
    seconds = max(0.0, (last - order.created_at).total_seconds()) if finished else None
    return OrderOutcome(
        order_id=order.id,
        targets=len(targets),
        done=len(done_times),
        seconds_to_full=seconds,
        decided=finished or overdue(order, now),
        on_time=finished and last <= order.deadline_at,
    )


def latencies(order: Order, states: Iterable[TargetState], now: datetime) -> dict[str, float]:
    """Seconds from issue to each target's own answer; `math.inf` for a missed one.

    Targets that may still answer in time (or whose order was called off in
    time) are not in the result.
    """
    late_is_missed = overdue(order, now)
    out: dict[str, float] = {}
    for state in states:
        if state.is_root:
            continue
        moment = answered_at(state, order.kind)
        if moment is not None:
            out[state.unit_code] = max(0.0, (moment - order.created_at).total_seconds())
        elif late_is_missed:
            out[state.unit_code] = math.inf
    return out


class UnitLatency(BaseModel):
    """A unit's answer latency over several orders; `math.inf` median: mostly no answer."""

    code: str
    level: int
    asked: int
    answered: int
    median_seconds: float

    @property
    def missed(self) -> int:
        return self.asked - self.answered


class StatsSummary(BaseModel):
    since: datetime
    until: datetime
    orders: int
    finished: int
    median_seconds_to_full: float | None
    decided: int
    on_time: int
    slowest: list[UnitLatency]

    @property
    def on_time_percent(self) -> int | None:
        return None if self.decided == 0 else round(100 * self.on_time / self.decided)


class StatsAccumulator:
    """Collects orders one at a time, so a long period never holds all rows at once."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.outcomes: list[OrderOutcome] = []
        self._samples: dict[str, list[float]] = defaultdict(list)
        self._levels: dict[str, int] = {}

    def add(self, order: Order, states: list[TargetState]) -> OrderOutcome:
        result = outcome(order, states, self.now)
        self.outcomes.append(result)
        for code, seconds in latencies(order, states, self.now).items():
            self._samples[code].append(seconds)
        for state in states:
            if not state.is_root:
                self._levels[state.unit_code] = state.level
        return result

    def slowest(self, limit: int = 5) -> list[UnitLatency]:
        units = [
            UnitLatency(
                code=code,
                level=self._levels[code],
                asked=len(samples),
                answered=sum(1 for s in samples if math.isfinite(s)),
                median_seconds=median(samples),
            )
            for code, samples in self._samples.items()
        ]
        units.sort(key=lambda u: (-u.median_seconds, -u.missed, u.code))
        return units[:limit]

    def summary(self, since: datetime, limit: int = 5) -> StatsSummary:
        full = [o.seconds_to_full for o in self.outcomes if o.seconds_to_full is not None]
        decided = [o for o in self.outcomes if o.decided]
        return StatsSummary(
            since=since,
            until=self.now,
            orders=len(self.outcomes),
            finished=len(full),
            median_seconds_to_full=median(full) if full else None,
            decided=len(decided),
            on_time=sum(1 for o in decided if o.on_time),
            slowest=self.slowest(limit),
        )


# ---------------------------------------------------------------- the period asked about

DEFAULT_DAYS = 7
MAX_DAYS = 90
# How many orders (of the whole tower, newest first) `/stats` looks through at most.
MAX_SCANNED_ORDERS = 5000


class StatsView(BaseModel):
    """`/stats` for one unit: the summary and the slow units' names."""

    unit: UnitRef
    days: int
    summary: StatsSummary
    units: dict[str, UnitRef]
    truncated: bool = False
