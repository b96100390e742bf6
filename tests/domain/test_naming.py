"""A reminder or an escalation made current as it goes (cascade/naming.py): the
units that answered while it waited drop out, the units without a group whose
pending units it named for them follow, and one naming no one is not sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cascade.naming import narrowed
from cascade.orders import TargetState
from cascade.outgoing import Naming

NOW = datetime(2026, 2, 20, 9, 0, tzinfo=UTC)


def state(code: str, bottom: bool = True, done: bool = False, acked: bool = False) -> TargetState:
    return TargetState(
        order_id=1,
        unit_code=code,
        parent_code="p",
        level=3,
        is_bottom=bottom,
        children_total=0 if bottom else 2,
        acked_at=NOW if acked or done else None,
        answered_at=NOW if done and bottom else None,
        done_at=NOW if done else None,
    )


def escalation(*pending: str, ungrouped: dict[str, list[str]] | None = None) -> Naming:
    return Naming(
        kind="escalation",
        order_id=1,
        group="g",
        pending=list(pending),
        ungrouped=ungrouped or {},
        span=timedelta(0),
    )


def reminder(*pending: str) -> Naming:
    return Naming(
        kind="reminder", order_id=1, group="g", pending=list(pending), span=timedelta(minutes=5)
    )


def test_a_unit_that_answered_is_no_longer_named() -> None:
    states = {"a": state("a", done=True), "b": state("b"), "c": state("c")}
    now = narrowed(escalation("a", "b", "c"), states)
    assert now is not None
    assert now.pending == ["b", "c"]


def test_no_one_left_names_nothing() -> None:
    states = {"a": state("a", done=True), "b": state("b", done=True)}
    assert narrowed(escalation("a", "b"), states) is None
    assert narrowed(reminder("a", "b"), states) is None


def test_no_one_answered_keeps_the_message_as_it_is() -> None:
    naming = escalation("a", "b")
    assert narrowed(naming, {"a": state("a"), "b": state("b")}) is naming


def test_a_unit_gone_from_the_order_is_not_named() -> None:
    now = narrowed(escalation("a", "b"), {"b": state("b")})
    assert now is not None
    assert now.pending == ["b"]


def test_an_ungrouped_parent_goes_with_its_last_pending_unit() -> None:
    naming = escalation("a", "b", "c", ungrouped={"x": ["a", "b"], "y": ["c"]})
    states = {"a": state("a", done=True), "b": state("b"), "c": state("c", done=True)}
    now = narrowed(naming, states)
    assert now is not None
    assert now.pending == ["b"]
    assert now.ungrouped == {"x": ["b"]}


def test_a_reminder_chases_a_units_own_part_an_escalation_its_whole_subtree() -> None:
    # A parent whose own 收到 is in but whose sub-units are not done: no longer
    # reminded (its sub-units are), still named at the deadline.
    states = {"p1": state("p1", bottom=False, acked=True), "b": state("b")}
    now = narrowed(reminder("p1", "b"), states)
    assert now is not None and now.pending == ["b"]
    at_deadline = narrowed(escalation("p1", "b"), states)
    assert at_deadline is not None and at_deadline.pending == ["p1", "b"]
