"""Targeted orders without a bot: filter words, the chosen units, and an exact roll-up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cascade import rollup
from cascade.orders import OrderKind, TargetState
from cascade.targeting import (
    FilterWordError,
    OrderFilter,
    TargetUnit,
    read_filter_word,
    role_holders,
    select,
    target_states,
)
from cascade.tower import Role

NOW = datetime(2020, 2, 20, 8, tzinfo=UTC)


def read(*words: str) -> OrderFilter:
    flt = OrderFilter()
    for word in words:
        assert read_filter_word(word, flt)
    return flt


def test_filter_words() -> None:
    flt = read("L3", "L4", "#shop_row", "+market", "@health", "@巡查员")
    assert flt.levels == [3, 4] and flt.kinds == ["shop_row"] and flt.tags == ["market"]
    assert flt.roles == [Role.HEALTH, Role.PATROLLER]
    assert flt.words() == "L3 L4 #shop_row +market @health @patroller"
    assert not read_filter_word("统计体温异常人数", flt)
    assert not read_filter_word("15m", flt)
    for bad in ("L0", "L9", "@厨师"):
        with pytest.raises(FilterWordError):
            read_filter_word(bad, OrderFilter())


def tower() -> list[TargetUnit]:
    """HQ h → community c → teams t1 (health), t2 → blocks b1 (health), b2 → houses."""
    return [
        TargetUnit(code="c", parent="h", level=1, kind="community", tags=["market"]),
        TargetUnit(code="t1", parent="c", level=2, kind="work_team", roles={"7": [Role.HEALTH]}),
        TargetUnit(code="t2", parent="c", level=2, kind="work_team"),
        TargetUnit(code="b1", parent="t1", level=3, kind="block", roles={"9": [Role.HEALTH]}),
        TargetUnit(code="b2", parent="t2", level=3, kind="block", roles={"11": [Role.HEALTH]}),
        TargetUnit(code="h1", parent="b1", level=4, kind="landlord"),
        TargetUnit(code="h2", parent="b2", level=4, kind="landlord", tags=["market"]),
    ]


def test_chosen_units_hang_from_their_nearest_chosen_ancestor() -> None:
    below = tower()
    flt = read("@health")
    chosen = select(below, flt)
    assert [u.code for u in chosen] == ["t1", "b1", "b2"]
    rows = {s.unit_code: s for s in target_states("h", 0, below, chosen)}
    assert rows["h"].is_root and rows["h"].children_total == 2  # t1 and b2 (t2 is skipped)
    assert (rows["t1"].parent_code, rows["t1"].children_total, rows["t1"].is_bottom) == (
        "h",
        1,
        False,
    )
    assert (rows["b1"].parent_code, rows["b1"].is_bottom) == ("t1", True)
    assert (rows["b2"].parent_code, rows["b2"].is_bottom) == ("h", True)
    assert role_holders(chosen[0], flt) == {"7"}
    assert [u.code for u in select(below, read("L4", "+market"))] == ["h2"]
    assert [u.code for u in select(below, read("L3", "L4"))] == ["b1", "b2", "h1", "h2"]
    assert select(below, OrderFilter()) == below


units = st.lists(
    st.tuples(st.integers(0, 30), st.booleans(), st.integers(0, 1000)), min_size=1, max_size=40
)


@settings(max_examples=60, deadline=None)
@given(units, st.randoms(use_true_random=False))
def test_role_targeted_count_rolls_up_exactly(specs: list[tuple[int, bool, int]], rnd) -> None:  # type: ignore[no-untyped-def]
    """Whatever units hold the role and in whatever order the holders answer, the
    issuer's total is the sum of the targeted bottom units' values and every
    targeted unit, and only those, ends done."""
    below: list[TargetUnit] = []
    for index, (parent_pick, health, _) in enumerate(specs):
        parent = "root" if index == 0 else below[parent_pick % index].code
        level = 1 if parent == "root" else next(u.level for u in below if u.code == parent) + 1
        roles = {str(1000 + index): [Role.HEALTH]} if health else {}
        below.append(
            TargetUnit(code=f"u{index}", parent=parent, level=level, kind="x", roles=roles)
        )
    flt = read("@health")
    chosen = select(below, flt)
    states = target_states("root", 0, below, chosen)
    if not chosen:  # such an order is refused before it is made (nothing to send to)
        assert [s.unit_code for s in states] == ["root"]
        return
    by_code = {s.unit_code: s for s in states}
    values = {f"u{i}": value for i, (_, _, value) in enumerate(specs)}
    answer_order = [s for s in states if not s.is_root]
    rnd.shuffle(answer_order)
    deadline = NOW + timedelta(minutes=20)
    for state in answer_order:
        chain = chain_of(by_code, state.unit_code)
        unit = next(u for u in chosen if u.code == state.unit_code)
        holder = int(next(iter(role_holders(unit, flt))))
        if state.is_bottom:
            rollup.answer(chain, OrderKind.COUNT, holder, NOW, deadline, values[state.unit_code])
        else:
            rollup.acknowledge(chain, OrderKind.COUNT, holder, NOW, deadline)
    expected = sum(values[s.unit_code] for s in states if s.is_bottom and not s.is_root)
    assert by_code["root"].subtotal == expected
    assert all(s.is_done for s in states)
    assert len(states) - 1 == len(chosen)


def chain_of(by_code: dict[str, TargetState], code: str) -> list[TargetState]:
    out = [by_code[code]]
    while out[-1].parent_code is not None:
        out.append(by_code[out[-1].parent_code])
    return out
