"""Red / yellow / green: a unit's own colour and the roll-up a parent shows.

A chief must never see a calm parent over a red unit: the rolled colour of a
unit is the worst own colour anywhere in its subtree, and the counts cover every
unit of the subtree exactly once, whatever order the units come in.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.colours import RANK, colour_map, own_colour, parse_colour, worst
from cascade.incidents import Colour, Stage, UnitColour
from tests.support.colour_builders import incident, ref

T0 = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)


def manual(code: str, colour: Colour) -> UnitColour:
    return UnitColour(unit_code=code, colour=colour, reason="r", set_by=1, set_at=T0)


def test_own_colour_from_incidents_and_a_superiors_setting() -> None:
    assert own_colour([]) is Colour.GREEN
    assert own_colour([incident("a", T0)]) is Colour.YELLOW
    assert own_colour([incident("a", T0, high_risk=True)]) is Colour.RED
    assert own_colour([incident("a", T0, stage=Stage.DISPOSED, high_risk=True)]) is Colour.RED
    # Closed, unconfirmed or thrown-away reports colour nothing.
    for stage in (Stage.DONE, Stage.DRAFT, Stage.DISCARDED):
        assert own_colour([incident("a", T0, stage=stage, high_risk=True)]) is Colour.GREEN
    assert own_colour([], manual("a", Colour.YELLOW)) is Colour.YELLOW
    # The worse of the two wins: a yellow setting does not hide a high-risk incident.
    assert own_colour([incident("a", T0, high_risk=True)], manual("a", Colour.YELLOW)) is Colour.RED
    assert own_colour([incident("a", T0)], manual("a", Colour.RED)) is Colour.RED


def test_a_parent_shows_the_worst_below_and_the_counts() -> None:
    units = [
        ref("hq", None, 0),
        ref("v1", "hq", 2),
        ref("g1", "v1", 3),
        ref("g2", "v1", 3),
        ref("v2", "hq", 2),
        ref("g3", "v2", 3),
    ]
    views = colour_map(
        units,
        [incident("g1", T0, high_risk=True), incident("g3", T0), incident("x", T0)],
        {"v2": manual("v2", Colour.YELLOW), "nowhere": manual("nowhere", Colour.RED)},
    )
    assert {c: v.own for c, v in views.items()} == {
        "hq": Colour.GREEN,
        "v1": Colour.GREEN,
        "g1": Colour.RED,
        "g2": Colour.GREEN,
        "v2": Colour.YELLOW,
        "g3": Colour.YELLOW,
    }
    assert views["v1"].rolled is Colour.RED
    assert views["v2"].rolled is Colour.YELLOW
    assert views["hq"].rolled is Colour.RED
    assert views["hq"].counts == {Colour.RED: 1, Colour.YELLOW: 2, Colour.GREEN: 3}
    assert views["v1"].counts == {Colour.RED: 1, Colour.YELLOW: 0, Colour.GREEN: 2}
    assert views["g2"].counts == {Colour.RED: 0, Colour.YELLOW: 0, Colour.GREEN: 1}
    assert views["hq"].size == 6


def test_a_subtree_given_alone_has_its_top_as_root() -> None:
    # The asking chat's subtree: the top's parent is not in the list.
    units = [ref("g1", "v1", 3), ref("v1", "hq", 2)]
    views = colour_map(units, [incident("g1", T0)], {})
    assert views["v1"].rolled is Colour.YELLOW and views["v1"].size == 2


def test_colour_words() -> None:
    assert parse_colour("RED") is Colour.RED
    assert parse_colour("红色") is Colour.RED
    assert parse_colour("黄") is Colour.YELLOW
    assert parse_colour(" green ") is Colour.GREEN
    assert parse_colour("blue") is None
    assert worst([]) is Colour.GREEN
    assert worst([Colour.YELLOW, Colour.GREEN]) is Colour.YELLOW


# ---------------------------------------------------------------- properties

own_kinds = st.sampled_from(["none", "open", "high", "done", "manual-yellow", "manual-red"])


@st.composite
def forests(draw: st.DrawFn) -> tuple[list[int | None], list[str], int]:
    size = draw(st.integers(min_value=1, max_value=30))
    parents: list[int | None] = [None]
    for index in range(1, size):
        # Mostly one tree; sometimes a second root (a forest is allowed too).
        parents.append(draw(st.one_of(st.integers(0, index - 1), st.just(None))))
    kinds = draw(st.lists(own_kinds, min_size=size, max_size=size))
    seed = draw(st.integers(0, 2**32 - 1))
    return parents, kinds, seed


@settings(max_examples=80, deadline=None)
@given(forests())
def test_rolled_is_the_worst_own_colour_of_the_subtree_whatever_the_order(
    forest: tuple[list[int | None], list[str], int],
) -> None:
    parents, kinds, seed = forest
    codes = [f"u{n}" for n in range(len(parents))]
    units = [
        ref(code, None if parent is None else codes[parent], 0)
        for code, parent in zip(codes, parents, strict=True)
    ]
    incidents = []
    settings_: dict[str, UnitColour] = {}
    expected_own: dict[str, Colour] = {}
    for code, kind in zip(codes, kinds, strict=True):
        expected_own[code] = Colour.GREEN
        if kind == "open":
            incidents.append(incident(code, T0))
            expected_own[code] = Colour.YELLOW
        elif kind == "high":
            incidents.append(incident(code, T0, high_risk=True))
            expected_own[code] = Colour.RED
        elif kind == "done":
            incidents.append(incident(code, T0, stage=Stage.DONE, high_risk=True))
        elif kind == "manual-yellow":
            settings_[code] = manual(code, Colour.YELLOW)
            expected_own[code] = Colour.YELLOW
        elif kind == "manual-red":
            settings_[code] = manual(code, Colour.RED)
            expected_own[code] = Colour.RED
    shuffled = list(units)
    random.Random(seed).shuffle(shuffled)
    random.Random(seed + 1).shuffle(incidents)
    views = colour_map(shuffled, incidents, settings_)

    def subtree(n: int) -> list[int]:
        return [m for m in range(len(parents)) if _is_under(parents, m, n)]

    assert set(views) == set(codes)
    for n, code in enumerate(codes):
        below = subtree(n)
        colours = [expected_own[codes[m]] for m in below]
        view = views[code]
        assert view.own is expected_own[code]
        assert view.rolled is max(colours, key=RANK.__getitem__)
        assert sum(view.counts.values()) == len(below) == view.size
        for colour in Colour:
            assert view.counts[colour] == colours.count(colour)
    roots = [code for code, parent in zip(codes, parents, strict=True) if parent is None]
    assert sum(views[r].size for r in roots) == len(codes)


def _is_under(parents: list[int | None], node: int, top: int) -> bool:
    current: int | None = node
    while current is not None:
        if current == top:
            return True
        current = parents[current]
    return False
