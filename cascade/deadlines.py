"""The order clock: when reminders and escalation rounds fall due, and to whom.

Timers are rows in the database (the source of truth); firing one is a decision
like any other — one transaction marks it fired, queues its messages and creates
the next round — so a restart neither doubles nor skips a reminder.

Round 0 is the deadline: each pending unit is named in its parent's group and the
issuer gets an interim report. Each later round, one interval apart, names the
units still pending one level higher, until the issuer's own group has them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel

from cascade.orders import Order, TargetState


class TimerKind(StrEnum):
    REMINDER = "reminder"
    ESCALATION = "escalation"


class Timer(BaseModel):
    order_id: int
    kind: TimerKind
    round: int = 0
    due_at: datetime
    fired_at: datetime | None = None
    late: bool = False


class ClockPolicy(BaseModel):
    """When reminders and escalations fall due (configurable)."""

    reminder_fraction: float = 2 / 3
    escalation_interval: timedelta = timedelta(minutes=5)
    late_after: timedelta = timedelta(minutes=1)


def first_timers(order: Order, policy: ClockPolicy) -> list[Timer]:
    """The reminder and the deadline (escalation round 0) of a new order."""
    span = order.deadline_at - order.created_at
    return [
        Timer(
            order_id=order.id,
            kind=TimerKind.REMINDER,
            due_at=order.created_at + span * policy.reminder_fraction,
        ),
        Timer(order_id=order.id, kind=TimerKind.ESCALATION, round=0, due_at=order.deadline_at),
    ]


class EscalationWalk:
    """Round r's groups and whether a round follows, from the order's rows taken a page
    at a time: it keeps each unit's parent code and the codes pending, never the rows
    (a city order is 37,074 rows; read whole as models they were the deadline's peak).

    A pending unit is named in its ancestor r+1 levels up; once that would be above
    the issuer's unit it has already been named there and is left out.
    """

    def __init__(self, round_: int) -> None:
        self.round = round_
        self.parents: dict[str, str | None] = {}
        self.pending: list[str] = []  # in the order the rows came (path order)

    def add(self, states: list[TargetState]) -> None:
        for state in states:
            self.parents[state.unit_code] = state.parent_code
            if not state.is_root and not state.is_done:
                self.pending.append(state.unit_code)

    def _parent(self, code: str) -> str | None:
        """`code`'s parent when it is one of the order's units, else None."""
        parent = self.parents.get(code)
        return parent if parent is not None and parent in self.parents else None

    def groups(self) -> dict[str, list[str]]:
        """Unit code of the group to tell → the pending units to name there."""
        groups: dict[str, list[str]] = defaultdict(list)
        for code in self.pending:
            target: str | None = code
            for _ in range(self.round + 1):
                target = self._parent(target) if target is not None else None
            if target is not None:
                groups[target].append(code)
        return dict(groups)

    def above(self, code: str) -> list[str]:
        """The order's units above `code`, nearest first (up to the issuer's unit)."""
        chain: list[str] = []
        current = self._parent(code)
        while current is not None:
            chain.append(current)
            current = self._parent(current)
        return chain

    def needs_next_round(self) -> bool:
        """Whether some pending unit still has a level to climb after this round."""
        return any(self._depth(code) >= self.round + 2 for code in self.pending)

    def _depth(self, code: str) -> int:
        """How many of the order's units are above `code`."""
        depth = 0
        current = self._parent(code)
        while current is not None:
            depth += 1
            current = self._parent(current)
        return depth


def reminder_key(order_id: int) -> str:
    """The dedupe-key prefix of an order's reminders (so unsent ones can be dropped)."""
    return f"reminder:{order_id}:"


def unit_reminder_key(order_id: int, unit_code: str) -> str:
    """The dedupe key of one unit's reminder; the closing ':' keeps unit "a1"'s
    prefix from matching unit "a10" (codes never contain ':')."""
    return f"{reminder_key(order_id)}{unit_code}:"


def group_reminder_key(order_id: int, group_code: str) -> str:
    """The dedupe key of the one reminder naming every unit without a group that is
    chased in `group_code`'s group; the empty unit field ("::") keeps any unit's own
    key, and so the discard when that unit answers, from matching it."""
    return f"{reminder_key(order_id)}:{group_code}:"


def own_missing(state: TargetState) -> bool:
    """The unit's own part is not in: its 收到 (units with sub-units, notices) or,
    for a bottom unit, its value (acknowledged or not)."""
    if state.is_bottom:
        return state.answered_at is None and not state.is_done
    return state.acked_at is None
