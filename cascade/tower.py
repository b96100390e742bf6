"""The tower model: units, their people and the pyramid that links them.

A unit is one combat unit (作战单元) with one group chat. The tower is held as
plain data with parent/child indexes so that subtree and chain-of-command
questions are cheap even for a city of 37,000 units.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
MAX_LEVEL = 5
DEFAULT_LOCALE = "zh-Hans"


class Role(StrEnum):
    """Duties a member may carry inside a unit (三亮: show duties)."""

    PATROLLER = "patroller"
    INFORMANT = "informant"
    HEALTH = "health"
    PUBLICITY = "publicity"
    ADMIN = "admin"


class Position(StrEnum):
    """Where a person sits in a unit: who may answer for it and who may not."""

    COMMANDER = "commander"
    DEPUTY = "deputy"
    MEMBER = "member"


# The positions that answer for a unit: take orders, report, confirm, bind its group.
ANSWERING = (Position.COMMANDER, Position.DEPUTY)


class UnitRef(BaseModel):
    """A unit as lists and messages need it, without its member roll."""

    code: str
    name: str
    level: int
    kind: str
    parent: str | None
    chat_id: int | None
    locale: str
    commander_name: str | None = None
    commander_id: int | None = None
    unreachable: bool = False


def grouped_above(chain: Sequence[UnitRef], start: int = 0) -> int | None:
    """The place in `chain` (units nearest first, each the parent of the one before) of
    the nearest unit above `chain[start]` with a group of its own, or None when none has
    one. A unit without a group can be told nothing in a group, so its reminders, its
    escalations and an incident's alert go there instead: one walk for all three."""
    return next((i for i in range(start + 1, len(chain)) if chain[i].chat_id is not None), None)


class Person(BaseModel):
    """A person slot; `telegram_id` is empty until the person joins by invite."""

    name: str = Field(min_length=1, max_length=64)
    telegram_id: int | None = None
    roles: list[Role] = Field(default_factory=list)
    # One person, one card: shown masked outside the person's chain of command.
    phone: str | None = Field(default=None, max_length=32)


class Unit(BaseModel):
    """One combat unit with its commander, deputies, members and bound group."""

    code: str
    name: str = Field(min_length=1, max_length=128)
    level: int = Field(ge=0, le=MAX_LEVEL)
    kind: str = "unit"
    parent: str | None = None
    commander: Person | None = None
    deputies: list[Person] = Field(default_factory=list)
    members: list[Person] = Field(default_factory=list)
    chat_id: int | None = None
    locale: str = DEFAULT_LOCALE
    tags: list[str] = Field(default_factory=list)

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not CODE_PATTERN.match(value):
            raise ValueError(f"unit code {value!r} must be 1-32 letters, digits, '-', '_' or '.'")
        return value

    def people(self) -> Iterator[tuple[Position, Person]]:
        """Every person slot of the unit with the position it holds."""
        if self.commander is not None:
            yield Position.COMMANDER, self.commander
        for deputy in self.deputies:
            yield Position.DEPUTY, deputy
        for member in self.members:
            yield Position.MEMBER, member

    def head_count(self) -> int:
        """People in the unit, each telegram id once (slots without id count each)."""
        seen: set[int] = set()
        anonymous = 0
        for _, person in self.people():
            if person.telegram_id is None:
                anonymous += 1
            else:
                seen.add(person.telegram_id)
        return len(seen) + anonymous

    def position_of(self, telegram_id: int) -> Position | None:
        """The highest position the person holds in this unit, if any."""
        for position, person in self.people():
            if person.telegram_id == telegram_id:
                return position
        return None

    def can_answer(self, telegram_id: int) -> bool:
        """Only the commander or a deputy answers for a unit."""
        return self.position_of(telegram_id) in ANSWERING


class Tower:
    """A whole tower: units by code plus the indexes that walk it."""

    def __init__(self, units: list[Unit]) -> None:
        self.units: dict[str, Unit] = {}
        self.children: dict[str, list[str]] = {}
        for unit in units:
            self.units[unit.code] = unit
        for unit in units:
            self.children.setdefault(unit.code, [])
            if unit.parent is not None:
                self.children.setdefault(unit.parent, []).append(unit.code)

    def __len__(self) -> int:
        return len(self.units)

    def roots(self) -> list[Unit]:
        return [u for u in self.units.values() if u.parent is None]

    def root(self) -> Unit:
        roots = self.roots()
        if len(roots) != 1:
            raise ValueError("a tower has exactly one root")
        return roots[0]

    def walk(self, code: str | None = None) -> Iterator[Unit]:
        """Units of a subtree, parents before children, siblings in file order."""
        start = [code] if code is not None else [u.code for u in self.roots()]
        stack = list(reversed(start))
        while stack:
            current = stack.pop()
            yield self.units[current]
            stack.extend(reversed(self.children.get(current, [])))

    def chain(self, code: str) -> list[Unit]:
        """The unit and its ancestors up to the root (chain of command)."""
        out: list[Unit] = []
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current in self.units and current not in seen:
            seen.add(current)
            unit = self.units[current]
            out.append(unit)
            current = unit.parent
        return out

    def member_ids(self, code: str) -> set[int]:
        """Telegram ids of everyone in the unit, child commanders included.

        The rule of the pyramid makes each child commander a member of the
        parent unit, so they count here whether or not the file lists them.
        """
        unit = self.units[code]
        ids = {p.telegram_id for _, p in unit.people() if p.telegram_id is not None}
        for child in self.children.get(code, []):
            commander = self.units[child].commander
            if commander is not None and commander.telegram_id is not None:
                ids.add(commander.telegram_id)
        return ids
