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


def depth_below_root(state: TargetState, by_code: dict[str, TargetState]) -> int:
    depth = 0
    current = state
    while current.parent_code is not None and current.parent_code in by_code:
        depth += 1
        current = by_code[current.parent_code]
    return depth


def escalation_groups(states: list[TargetState], round_: int) -> dict[str, list[TargetState]]:
    """Round r: unit code of the group to tell → the pending units to name there.

    A pending unit is named in its ancestor r+1 levels up; once that would be
    above the issuer's unit it has already been named there and is left out.
    """
    by_code = {s.unit_code: s for s in states}
    groups: dict[str, list[TargetState]] = defaultdict(list)
    for state in states:
        if state.is_root or state.is_done:
            continue
        target: TargetState | None = state
        for _ in range(round_ + 1):
            parent = by_code.get(target.parent_code or "") if target else None
            target = parent
        if target is not None:
            groups[target.unit_code].append(state)
    return dict(groups)


def needs_next_round(states: list[TargetState], round_: int) -> bool:
    """Whether some pending unit still has a level to climb after this round."""
    by_code = {s.unit_code: s for s in states}
    return any(
        not s.is_root and not s.is_done and depth_below_root(s, by_code) >= round_ + 2
        for s in states
    )


def reminder_key(order_id: int) -> str:
    """The dedupe-key prefix of an order's reminders (so unsent ones can be dropped)."""
    return f"reminder:{order_id}:"


def unit_reminder_key(order_id: int, unit_code: str) -> str:
    """The dedupe key of one unit's reminder; the closing ':' keeps unit "a1"'s
    prefix from matching unit "a10" (codes never contain ':')."""
    return f"{reminder_key(order_id)}{unit_code}:"


def own_missing(state: TargetState) -> bool:
    """The unit's own part is not in: its 收到 (units with sub-units, notices) or,
    for a bottom unit, its value (acknowledged or not)."""
    if state.is_bottom:
        return state.answered_at is None and not state.is_done
    return state.acked_at is None
