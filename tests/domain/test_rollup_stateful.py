"""A hypothesis state machine for the order roll-up (cascade/rollup.py).

Units of a small tower press "收到", report, re-report and press again in any
order, with values and lists hypothesis chooses; a plain model (the latest
value of each bottom unit) says what the totals must be. After every step:
each subtotal is the sum over its subtree of the latest bottom values, a unit
is done exactly when its own part and all its children are done, done units
stay done, and children_done counts the done children.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from cascade import rollup
from cascade.orders import OrderKind, TargetState

# root → a, b; a → a1, a2, a3; b → b1 → b11, b12 (levels differ, depths differ)
PARENTS = {
    "root": None,
    "a": "root",
    "b": "root",
    "a1": "a",
    "a2": "a",
    "a3": "a",
    "b1": "b",
    "b11": "b1",
    "b12": "b1",
}
CHILDREN = {code: [c for c, p in PARENTS.items() if p == code] for code in PARENTS}
BOTTOM = [code for code, kids in CHILDREN.items() if not kids]
ALL = [code for code in PARENTS if code != "root"]
START = datetime(2020, 2, 20, 8, tzinfo=UTC)


def _depth(code: str) -> int:
    parent = PARENTS[code]
    return 0 if parent is None else 1 + _depth(parent)


class RollupMachine(RuleBasedStateMachine):
    @initialize(kind=st.sampled_from([OrderKind.COUNT, OrderKind.LIST, OrderKind.NOTICE]))
    def start(self, kind: OrderKind) -> None:
        self.kind = kind
        self.now = START
        self.deadline = START + timedelta(minutes=15)
        self.states = {
            code: TargetState(
                order_id=1,
                unit_code=code,
                parent_code=parent,
                level=_depth(code),
                is_root=parent is None,
                is_bottom=not CHILDREN[code],
                children_total=len(CHILDREN[code]),
            )
            for code, parent in PARENTS.items()
        }
        self.latest: dict[str, int] = {}
        self.was_done: set[str] = set()

    def _chain(self, code: str) -> list[TargetState]:
        chain = []
        current: str | None = code
        while current is not None:
            chain.append(self.states[current])
            current = PARENTS[current]
        return chain

    def _tick(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

    @rule(code=st.sampled_from(ALL), minutes=st.integers(0, 10))
    def press(self, code: str, minutes: int) -> None:
        self._tick(minutes)
        rollup.acknowledge(self._chain(code), self.kind, 7, self.now, self.deadline)

    @rule(
        code=st.sampled_from(BOTTOM),
        value=st.integers(0, 10**6),
        lines=st.lists(st.sampled_from(["溪西村1号", "溪西村2号", "北街3号"]), max_size=5),
        minutes=st.integers(0, 10),
    )
    def report(self, code: str, value: int, lines: list[str], minutes: int) -> None:
        if self.kind is OrderKind.NOTICE:
            return
        self._tick(minutes)
        if self.kind is OrderKind.COUNT:
            rollup.answer(self._chain(code), self.kind, 7, self.now, self.deadline, value=value)
            self.latest[code] = value
        else:
            rollup.answer(self._chain(code), self.kind, 7, self.now, self.deadline, items=lines)
            self.latest[code] = len(set(lines))

    def _expected(self, code: str) -> int:
        if not CHILDREN[code]:
            return self.latest.get(code, 0)
        return sum(self._expected(child) for child in CHILDREN[code])

    @invariant()
    def subtotals_are_subtree_sums(self) -> None:
        if not hasattr(self, "states"):
            return
        for code, state in self.states.items():
            assert state.subtotal == self._expected(code), code

    @invariant()
    def done_exactly_when_own_part_and_children_are_done(self) -> None:
        if not hasattr(self, "states"):
            return
        for code, state in self.states.items():
            kids_done = sum(self.states[c].is_done for c in CHILDREN[code])
            assert state.children_done == kids_done, code
            should = rollup.own_part_done(state, self.kind) and kids_done == len(CHILDREN[code])
            assert state.is_done == should, code
            if state.is_done:
                assert state.done_at is not None and state.done_at <= self.now

    @invariant()
    def done_stays_done(self) -> None:
        if not hasattr(self, "states"):
            return
        done = {code for code, s in self.states.items() if s.is_done}
        assert self.was_done <= done
        self.was_done = done


RollupMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=40, deadline=None)
TestRollup = RollupMachine.TestCase
