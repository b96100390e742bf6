"""The rules a tower must keep, checked on import and on every change.

Each violation names the unit and says what to fix, because the people who edit
tower files are officials with a spreadsheet, not engineers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pydantic import BaseModel

from cascade.tower import Person, Tower, Unit


class Violation(BaseModel):
    """One broken rule; `rule` is a stable key the bot turns into a sentence."""

    unit: str
    rule: str
    detail: dict[str, str | int] = {}
    # Where the unit sits in the file it came from: a YAML line or a CSV row.
    line: int | None = None
    row: int | None = None

    def __str__(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.detail.items())
        where = f" line {self.line}" if self.line else f" row {self.row}" if self.row else ""
        return f"[{self.unit}]{where} {self.rule}" + (f" ({extra})" if extra else "")


class TowerInvalid(ValueError):
    """Raised when a tower breaks one or more rules; carries every violation."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__("; ".join(str(v) for v in violations[:20]))


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """What the tower's rules read of a unit: a few fields and its people's ids, not
    its people. A city is 37,000 units and 300,000 people; importing it checks these
    facts instead of holding every unit and person as a model at once."""

    code: str
    parent: str | None
    level: int
    commander: Person | None
    chat_id: int | None
    ids: tuple[int, ...]  # telegram ids of the unit's people, each once
    anonymous: int  # people without a telegram id yet

    @classmethod
    def of(cls, unit: Unit) -> UnitFacts:
        commander = unit.commander
        if commander is not None:  # the rules and `canonical` read only these two
            commander = Person.model_construct(
                name=commander.name, telegram_id=commander.telegram_id
            )
        people = [p for _, p in unit.people()]
        return cls(
            code=unit.code,
            parent=unit.parent,
            level=unit.level,
            commander=commander,
            chat_id=unit.chat_id,
            ids=tuple(dict.fromkeys(p.telegram_id for p in people if p.telegram_id is not None)),
            anonymous=sum(1 for p in people if p.telegram_id is None),
        )


def check(tower: Tower, max_bottom_members: int = 30, capped_level: int = 3) -> list[Violation]:
    """Every rule of the tower; an empty list means the tower is sound."""
    facts = {code: UnitFacts.of(unit) for code, unit in tower.units.items()}
    return check_facts(facts, max_bottom_members, capped_level)


def children_of(units: dict[str, UnitFacts]) -> dict[str, list[str]]:
    """Each unit's children, in the order the units come."""
    children: dict[str, list[str]] = {}
    for unit in units.values():
        if unit.parent is not None:
            children.setdefault(unit.parent, []).append(unit.code)
    return children


def check_facts(
    units: dict[str, UnitFacts], max_bottom_members: int = 30, capped_level: int = 3
) -> list[Violation]:
    """Every rule of the tower whose units are `units` (by code, in file order)."""
    out: list[Violation] = []
    roots = [u for u in units.values() if u.parent is None]
    if len(roots) != 1:
        names = ",".join(sorted(u.code for u in roots)[:5])
        out.append(Violation(unit=names or "-", rule="root-count", detail={"count": len(roots)}))
    children = children_of(units)
    for unit in units.values():
        parent = units.get(unit.parent) if unit.parent is not None else None
        if unit.parent is not None and parent is None:
            out.append(
                Violation(unit=unit.code, rule="parent-missing", detail={"parent": unit.parent})
            )
        if parent is not None and unit.level <= parent.level:
            out.append(
                Violation(
                    unit=unit.code,
                    rule="level-order",
                    detail={
                        "level": unit.level,
                        "parent": parent.code,
                        "parent_level": parent.level,
                    },
                )
            )
        if unit.commander is None:
            out.append(Violation(unit=unit.code, rule="no-commander"))
        if unit.level == capped_level:
            # Each child commander is a member by the pyramid's rule, listed or not.
            ids = set(unit.ids)
            for child in children.get(unit.code, []):
                commander = units[child].commander
                if commander is not None and commander.telegram_id is not None:
                    ids.add(commander.telegram_id)
            count = len(ids) + unit.anonymous
            if count > max_bottom_members:
                out.append(
                    Violation(
                        unit=unit.code,
                        rule="too-many-members",
                        detail={"count": count, "max": max_bottom_members},
                    )
                )
    out.extend(_cycles(units))
    out.extend(_duplicates(units))
    return out


def ensure_valid(tower: Tower, max_bottom_members: int = 30) -> None:
    """Raise `TowerInvalid` unless every rule holds."""
    violations = check(tower, max_bottom_members)
    if violations:
        raise TowerInvalid(violations)


def _cycles(units: dict[str, UnitFacts]) -> list[Violation]:
    out: list[Violation] = []
    state: dict[str, int] = {}
    for start in units:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in units and state.get(current) is None:
            state[current] = 1
            path.append(current)
            current = units[current].parent
        if current is not None and state.get(current) == 1:
            out.append(Violation(unit=current, rule="cycle"))
        for code in path:
            state[code] = 2
    return out


def _duplicates(units: dict[str, UnitFacts]) -> list[Violation]:
    out: list[Violation] = []
    chats = Counter(u.chat_id for u in units.values() if u.chat_id is not None)
    for unit in units.values():
        if unit.chat_id is not None and chats[unit.chat_id] > 1:
            out.append(
                Violation(unit=unit.code, rule="chat-duplicate", detail={"chat_id": unit.chat_id})
            )
    return out
