"""The roll-up: when a unit is done, and what its subtree adds up to.

Works on one chain (the answering unit and its ancestors up to the order's
root), so an answer costs O(depth) whatever the size of the tower. The rule:
a unit is done when its own commander has answered — for a bottom unit of a
count/list order, when its value has arrived — and all its sub-units are done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cascade.orders import OrderKind, TargetState


@dataclass(slots=True)
class RollupResult:
    """What one answer changed: units newly done (bottom first) and the delta.
    A plain record made by the roll-up alone, once per answer: no validation."""

    newly_done: list[str] = field(default_factory=list)
    delta: int = 0
    changed: bool = False
    first_answer: bool = False


def own_part_done(state: TargetState, kind: OrderKind) -> bool:
    """Whether the unit's own commander has done what the order asks of him."""
    if state.is_root:
        return True
    if kind is OrderKind.NOTICE or not state.is_bottom:
        return state.acked_at is not None
    return state.answered_at is not None


def ready(state: TargetState, kind: OrderKind) -> bool:
    return own_part_done(state, kind) and state.children_done >= state.children_total


def measure(kind: OrderKind, value: int | None, items: list[str] | None) -> int:
    """What a bottom unit's answer adds to the totals above it."""
    if kind is OrderKind.COUNT:
        return value or 0
    if kind is OrderKind.LIST:
        return len(items or [])
    return 0


def acknowledge(
    chain: list[TargetState], kind: OrderKind, user: int, now: datetime, deadline: datetime
) -> RollupResult:
    """The unit at `chain[0]` says "收到"; a second press changes nothing."""
    unit = chain[0]
    first = unit.acked_at is None
    if first:
        unit.acked_at = now
        unit.acked_by = user
        if kind is OrderKind.NOTICE or not unit.is_bottom:
            unit.late = now > deadline
    return RollupResult(newly_done=propagate(chain, kind, now), first_answer=first)


def answer(
    chain: list[TargetState],
    kind: OrderKind,
    user: int,
    now: datetime,
    deadline: datetime,
    value: int | None = None,
    items: list[str] | None = None,
) -> RollupResult:
    """A bottom unit reports (or re-reports) its value; totals above follow."""
    unit = chain[0]
    if not unit.is_bottom or kind is OrderKind.NOTICE:
        raise ValueError("only bottom units of a count or list order report values")
    if items is not None:
        items = list(dict.fromkeys(items))
    delta = measure(kind, value, items) - measure(kind, unit.value, unit.items)
    changed = (unit.value, unit.items) != (value, items)
    first = unit.answered_at is None
    if first:
        unit.answered_at = now
        unit.late = now > deadline
    if unit.acked_at is None:
        unit.acked_at = now
        unit.acked_by = user
    unit.updated_at = now
    unit.answered_by = user
    unit.value = value
    unit.items = items
    for state in chain:
        state.subtotal += delta
    return RollupResult(
        newly_done=propagate(chain, kind, now), delta=delta, changed=changed, first_answer=first
    )


def propagate(chain: list[TargetState], kind: OrderKind, now: datetime) -> list[str]:
    """Mark done whatever the rule now allows, from the bottom of the chain up.

    A unit that becomes done counts once more in its own and every ancestor's
    `sub_done` (the root is never a target, so it counts nowhere)."""
    done: list[str] = []
    for index, state in enumerate(chain):
        if state.is_done or not ready(state, kind):
            break
        state.done_at = now
        done.append(state.unit_code)
        if not state.is_root:
            for above in chain[index:]:
                above.sub_done += 1
        if index + 1 < len(chain):
            chain[index + 1].children_done += 1
    return done


def done_by_level(chain: list[TargetState], newly_done: list[str]) -> dict[int, int]:
    """How many targets of each level one answer made done (for per-level counters)."""
    codes = set(newly_done)
    out: dict[int, int] = {}
    for state in chain:
        if state.unit_code in codes and not state.is_root:
            out[state.level] = out.get(state.level, 0) + 1
    return out
