"""The roll-up keeps its promises under any order of events (hypothesis).

`cascade.rollup` is incremental: each answer only touches one chain (the unit
and its ancestors), and keeps `children_done` and `subtotal` as running counts.
Running counts drift silently when one path is wrong, and a wrong total sent to
HQ is worse than none. So random towers get random acknowledgements, values,
re-reports and duplicates in any order, and after every event the incremental
state is compared with the rule recomputed from scratch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade import rollup
from cascade.orders import OrderKind, TargetState
from cascade.report import sums_consistent

START = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)
ITEMS = ["溪西村12号", "塔山路3号", "商城大厦A座", "福田新村2幢", "湖南", "武汉"]


@dataclass
class Tree:
    """A random target tree: parents by code, root first, parents before children."""

    parent: dict[str, str | None]
    level: dict[str, int]
    children: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for code in self.parent:
            self.children.setdefault(code, [])
        for code, parent in self.parent.items():
            if parent is not None:
                self.children[parent].append(code)

    @property
    def root(self) -> str:
        return next(iter(self.parent))

    def bottom(self) -> list[str]:
        return [c for c, kids in self.children.items() if not kids and c != self.root]

    def non_root(self) -> list[str]:
        return [c for c in self.parent if c != self.root]

    def subtree(self, code: str) -> list[str]:
        out = [code]
        for child in self.children[code]:
            out.extend(self.subtree(child))
        return out


@st.composite
def trees(draw: st.DrawFn) -> Tree:
    depth = draw(st.integers(min_value=2, max_value=4))  # levels including the root
    parent: dict[str, str | None] = {"u0": None}
    level: dict[str, int] = {"u0": 0}
    frontier = ["u0"]
    budget = draw(st.integers(min_value=1, max_value=39))
    for depth_index in range(1, depth):
        next_frontier: list[str] = []
        for code in frontier:
            if budget <= 0:
                break
            minimum = 1 if depth_index == 1 and code == "u0" else 0
            count = draw(st.integers(min_value=minimum, max_value=min(5, budget)))
            for _ in range(count):
                child = f"u{len(parent)}"
                parent[child] = code
                # Levels only need to grow downward; skip one now and then.
                level[child] = level[code] + draw(st.sampled_from([1, 1, 1, 2]))
                next_frontier.append(child)
            budget -= count
        frontier = next_frontier
        if not frontier:
            break
    return Tree(parent=parent, level=level)


@dataclass(frozen=True)
class Ack:
    unit: int  # index into the non-root units


@dataclass(frozen=True)
class Value:
    unit: int  # index into the bottom units
    value: int
    items: tuple[str, ...]


events = st.lists(
    st.one_of(
        st.builds(Ack, st.integers(0, 10_000)),
        st.builds(
            Value,
            st.integers(0, 10_000),
            st.integers(0, 50),
            st.lists(st.sampled_from(ITEMS), min_size=1, max_size=6).map(tuple),
        ),
    ),
    max_size=120,
)


def initial_states(tree: Tree) -> dict[str, TargetState]:
    return {
        code: TargetState(
            order_id=1,
            unit_code=code,
            parent_code=tree.parent[code],
            level=tree.level[code],
            is_root=code == tree.root,
            is_bottom=not tree.children[code],
            children_total=len(tree.children[code]),
            sub_total=sum(1 for c in tree.subtree(code) if c != tree.root),
        )
        for code in tree.parent
    }


def chain_of(tree: Tree, store: dict[str, TargetState], code: str) -> list[TargetState]:
    """The unit, then its ancestors up to the root, as storage hands it over."""
    out = []
    current: str | None = code
    while current is not None:
        out.append(store[current])
        current = tree.parent[current]
    return out


def expected_done(tree: Tree, store: dict[str, TargetState], kind: OrderKind) -> dict[str, bool]:
    """The rule from DESIGN.md, recomputed from scratch bottom-up."""
    done: dict[str, bool] = {}

    def visit(code: str) -> bool:
        if code in done:
            return done[code]
        state = store[code]
        if state.is_root:
            own = True
        elif kind is OrderKind.NOTICE or not state.is_bottom:
            own = state.acked_at is not None
        else:
            own = state.answered_at is not None
        result = own and all([visit(child) for child in tree.children[code]])
        done[code] = result
        return result

    for code in tree.parent:
        visit(code)
    return done


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    tree=trees(),
    kind=st.sampled_from(list(OrderKind)),
    script=events,
    deadline_after=st.integers(0, 200),
)
def test_rollup_matches_the_rule_recomputed_from_scratch(
    tree: Tree, kind: OrderKind, script: list[Ack | Value], deadline_after: int
) -> None:
    store = initial_states(tree)
    deadline = START + timedelta(seconds=deadline_after)
    latest: dict[str, int | tuple[str, ...]] = {}
    done_at_seen: dict[str, datetime] = {}
    non_root = tree.non_root()
    bottom = tree.bottom()
    assert non_root and bottom

    for step, event in enumerate(script, start=1):
        now = START + timedelta(seconds=step)
        was_done = {c: s.is_done for c, s in store.items()}
        if isinstance(event, Ack):
            code = non_root[event.unit % len(non_root)]
            before_ack = store[code].acked_at
            result = rollup.acknowledge(chain_of(tree, store, code), kind, 7, now, deadline)
            assert result.first_answer is (before_ack is None)
            assert store[code].acked_at == (before_ack or now)
        else:
            if kind is OrderKind.NOTICE:
                continue
            code = bottom[event.unit % len(bottom)]
            items = list(event.items) if kind is OrderKind.LIST else None
            value = event.value if kind is OrderKind.COUNT else None
            before = store[code].answered_at
            result = rollup.answer(
                chain_of(tree, store, code), kind, 7, now, deadline, value=value, items=items
            )
            assert result.first_answer is (before is None)
            assert store[code].answered_at == (before or now)
            assert store[code].acked_at is not None
            latest[code] = event.value if kind is OrderKind.COUNT else tuple(dict.fromkeys(items))
            if before is None:
                assert store[code].late is (now > deadline)

        # Newly done units are reported bottom-first and are exactly those that flipped.
        flipped = [c for c, s in store.items() if s.is_done and not was_done[c]]
        assert sorted(result.newly_done) == sorted(flipped)
        levels = [store[c].level for c in result.newly_done]
        assert levels == sorted(levels, reverse=True)

        expected = expected_done(tree, store, kind)
        for code, state in store.items():
            assert state.is_done is expected[code], (code, event)
            assert state.children_done == sum(
                1 for child in tree.children[code] if store[child].is_done
            )
            # The subtree counters that /status and the boards read instead of the rows.
            below = [c for c in tree.subtree(code) if c != tree.root]
            assert state.sub_total == len(below)
            assert state.sub_done == sum(1 for c in below if store[c].is_done)
            if code in done_at_seen:
                assert state.done_at == done_at_seen[code], "done_at changed once set"
            elif state.done_at is not None:
                done_at_seen[code] = state.done_at

        if kind is OrderKind.COUNT:
            want = sum(int(v) for v in latest.values())  # type: ignore[call-overload]
        elif kind is OrderKind.LIST:
            want = sum(len(v) for v in latest.values())  # type: ignore[arg-type]
        else:
            want = 0
        assert store[tree.root].subtotal == want
        assert sums_consistent(list(store.values()))

    everything_answered = all(store[c].acked_at is not None for c in non_root) and (
        kind is OrderKind.NOTICE or all(store[c].answered_at is not None for c in bottom)
    )
    assert store[tree.root].is_done is everything_answered


@settings(max_examples=60, deadline=None)
@given(tree=trees(), kind=st.sampled_from([OrderKind.COUNT, OrderKind.LIST]))
def test_every_unit_answering_finishes_the_order_bottom_up(tree: Tree, kind: OrderKind) -> None:
    store = initial_states(tree)
    now = START
    deadline = START + timedelta(minutes=15)
    for code in sorted(tree.non_root(), key=lambda c: -tree.level[c]):
        now += timedelta(seconds=1)
        chain = chain_of(tree, store, code)
        if store[code].is_bottom:
            rollup.answer(chain, kind, 1, now, deadline, value=2, items=["a", "a", "b"])
        else:
            rollup.acknowledge(chain, kind, 1, now, deadline)
    assert store[tree.root].is_done
    assert store[tree.root].subtotal == 2 * len(tree.bottom())
    assert all(s.is_done for s in store.values())
    assert sums_consistent(list(store.values()))


def test_value_from_a_non_bottom_unit_or_a_notice_is_refused() -> None:
    tree = Tree(parent={"r": None, "a": "r", "b": "a"}, level={"r": 0, "a": 1, "b": 2})
    store = initial_states(tree)
    with pytest.raises(ValueError):
        rollup.answer(chain_of(tree, store, "a"), OrderKind.COUNT, 1, START, START, value=3)
    with pytest.raises(ValueError):
        rollup.answer(chain_of(tree, store, "b"), OrderKind.NOTICE, 1, START, START, value=3)
    assert all(s.acked_at is None and s.subtotal == 0 for s in store.values())


def test_duplicate_value_is_not_a_change_and_a_new_one_moves_totals() -> None:
    tree = Tree(parent={"r": None, "a": "r", "b": "a"}, level={"r": 0, "a": 1, "b": 2})
    store = initial_states(tree)
    late = START + timedelta(minutes=20)
    deadline = START + timedelta(minutes=15)
    first = rollup.answer(chain_of(tree, store, "b"), OrderKind.COUNT, 1, START, deadline, value=5)
    assert (first.delta, first.changed, first.first_answer) == (5, True, True)
    same = rollup.answer(chain_of(tree, store, "b"), OrderKind.COUNT, 1, late, deadline, value=5)
    assert (same.delta, same.changed, same.first_answer) == (0, False, False)
    assert store["b"].late is False, "a re-report after the deadline keeps the first time"
    moved = rollup.answer(chain_of(tree, store, "b"), OrderKind.COUNT, 1, late, deadline, value=2)
    assert (moved.delta, moved.changed) == (-3, True)
    assert store["r"].subtotal == store["a"].subtotal == 2
    assert store["b"].updated_at == late and store["b"].answered_at == START
