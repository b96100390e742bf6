"""The one walk to the nearest unit above with a group (cascade/tower.py), which the
reminders, the deadline's escalation and an incident's alert all take: the same place
for the same chain, and None where no unit above has a group."""

from __future__ import annotations

from cascade.incident_service import reached
from cascade.tower import UnitRef, grouped_above


def _chain(*groups: int | None) -> list[UnitRef]:
    """A chain nearest first: unit u0, its parent u1, ...; each with the given chat."""
    return [
        UnitRef(
            code=f"u{n}",
            name=f"U{n}",
            level=len(groups) - n,
            kind="unit",
            parent=f"u{n + 1}" if n + 1 < len(groups) else None,
            chat_id=chat,
            locale="zh-Hans",
        )
        for n, chat in enumerate(groups)
    ]


def test_the_parent_when_it_has_a_group() -> None:
    assert grouped_above(_chain(None, -1, -2)) == 1


def test_past_units_without_a_group() -> None:
    assert grouped_above(_chain(-9, None, None, -3)) == 3


def test_from_a_place_further_up() -> None:
    chain = _chain(-9, -1, None, -3)
    assert grouped_above(chain, 1) == 3


def test_none_when_no_unit_above_has_a_group() -> None:
    assert grouped_above(_chain(-9, None, None)) is None
    assert grouped_above(_chain(-9)) is None


def test_the_incident_walk_climbs_by_it_and_one_level_where_none_is_left() -> None:
    chain = _chain(-9, None, -2, None, None)
    assert reached(chain, 0) == [2]
    assert reached(chain, 2) == [2, 3, 4]
    assert reached(chain, 3) == [2, 3, 4, 5]
