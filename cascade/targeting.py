"""Targeted orders: `/order ... L3 #shop_row +market @health TEXT` reaches only some units.

Filters are words before the order's text: `L3` a level (several allowed),
`#kind` a unit kind, `+tag` a unit tag, `@role` a role (巡查员, 健康员, ... or
their English words). Words of one sort widen the choice (`L3 L4`: level 3 or
4), sorts narrow it (`L3 @health`: level 3 and with a health officer). A unit
below the issuer is targeted when it matches every sort given.

The order then lives on the targeted units only: each one's parent in the order
is its nearest targeted ancestor (the issuer's unit when there is none), so the
roll-up, `/status`, `/pending`, the boards and the reports count exactly the
targeted units and nothing else. With a role filter the holders of that role
answer for their unit instead of the commander.
"""

from __future__ import annotations

import re
from collections import Counter

from pydantic import BaseModel, Field

from cascade.orders import TargetState
from cascade.people import ROLE_WORDS
from cascade.ports import UnitOfWork
from cascade.tower import MAX_LEVEL, Role, UnitRef

_LEVEL = re.compile(r"^[Ll]([0-9])$")
_KIND = re.compile(r"^#([A-Za-z][A-Za-z0-9_-]{0,31})$")
_TAG = re.compile(r"^\+([^\s+#@]{1,32})$")
_ROLE = re.compile(r"^[@＠](\S{1,16})$")


class OrderFilter(BaseModel):
    """Which units below the issuer an order goes to; empty means all of them."""

    levels: list[int] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.levels or self.kinds or self.tags or self.roles)

    def words(self) -> str:
        """The filter as the words that made it (`L3 #shop_row +market @health`)."""
        return " ".join(
            [f"L{level}" for level in self.levels]
            + [f"#{kind}" for kind in self.kinds]
            + [f"+{tag}" for tag in self.tags]
            + [f"@{role.value}" for role in self.roles]
        )

    def matches(self, level: int, kind: str, tags: list[str], roles: set[Role]) -> bool:
        return (
            (not self.levels or level in self.levels)
            and (not self.kinds or kind in self.kinds)
            and (not self.tags or any(t in self.tags for t in tags))
            and (not self.roles or any(r in roles for r in self.roles))
        )


class FilterWordError(ValueError):
    """A word that looks like a filter but names no level, kind or role."""

    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.word = word


def read_filter_word(word: str, into: OrderFilter) -> bool:
    """Add `word` to the filter when it is one; False when it is not a filter word.

    A word shaped like a filter that cannot be one (`L9`, `@厨师`) raises
    `FilterWordError`: an order must never silently go to the wrong people.
    """
    if match := _LEVEL.match(word):
        level = int(match.group(1))
        if not 1 <= level <= MAX_LEVEL:
            raise FilterWordError(word)
        if level not in into.levels:
            into.levels.append(level)
        return True
    if match := _KIND.match(word):
        if match.group(1) not in into.kinds:
            into.kinds.append(match.group(1))
        return True
    if match := _TAG.match(word):
        if match.group(1) not in into.tags:
            into.tags.append(match.group(1))
        return True
    if match := _ROLE.match(word):
        role = ROLE_WORDS.get(match.group(1).lower())
        if role is None:
            raise FilterWordError(word)
        if role not in into.roles:
            into.roles.append(role)
        return True
    return False


class TargetUnit(BaseModel):
    """A unit below the issuer as the filter sees it."""

    code: str
    parent: str | None
    level: int
    kind: str
    tags: list[str] = Field(default_factory=list)
    # Roles held, by person: the Telegram id, or "CODE#SEQ" for a slot nobody has joined yet.
    roles: dict[str, list[Role]] = Field(default_factory=dict)


def select(units: list[TargetUnit], flt: OrderFilter) -> list[TargetUnit]:
    """The units that match (parents before children, as given)."""
    return [
        u
        for u in units
        if flt.matches(u.level, u.kind, u.tags, {r for held in u.roles.values() for r in held})
    ]


def role_holders(unit: TargetUnit, flt: OrderFilter) -> set[str]:
    """Who answers for a targeted unit under a role filter (ids, or slots not yet joined)."""
    return {person for person, held in unit.roles.items() if any(r in flt.roles for r in held)}


def nearest_parents(
    issuer: str, chain_of: dict[str, str | None], chosen: set[str]
) -> dict[str, str]:
    """Each chosen unit's parent in the order: its nearest chosen ancestor, else the issuer."""
    out: dict[str, str] = {}
    for code in chosen:
        parent = chain_of.get(code)
        while parent is not None and parent != issuer and parent not in chosen:
            parent = chain_of.get(parent)
        out[code] = parent if parent in chosen else issuer
    return out


def target_states(
    issuer: str, issuer_level: int, below: list[TargetUnit], chosen: list[TargetUnit]
) -> list[TargetState]:
    """The order's rows: the issuer's unit as root, then the chosen units, parents first.

    `below` is every unit under the issuer (to find each chosen unit's nearest
    chosen ancestor); a unit's children in the order are the chosen units that
    have it as their nearest chosen ancestor.
    """
    codes = {u.code for u in chosen}
    parents = nearest_parents(issuer, {u.code: u.parent for u in below}, codes)
    children = Counter(parents.values())
    rows = [
        TargetState(
            order_id=0,
            unit_code=issuer,
            parent_code=None,
            level=issuer_level,
            is_root=True,
            is_bottom=False,
            children_total=children[issuer],
        )
    ]
    for unit in sorted(chosen, key=lambda u: u.level):
        rows.append(
            TargetState(
                order_id=0,
                unit_code=unit.code,
                parent_code=parents[unit.code],
                level=unit.level,
                is_bottom=children[unit.code] == 0,
                children_total=children[unit.code],
            )
        )
    return rows


async def answering_refs(
    tx: UnitOfWork, order_id: int, refs: dict[str, UnitRef]
) -> dict[str, UnitRef]:
    """The units as reminders and lists should name them: under a role filter the
    person to chase is the unit's first role holder who has joined, not its commander."""
    flt = await tx.people.order_filter(order_id)
    if flt is None or not flt.roles:
        return refs
    out = dict(refs)
    for code, unit in refs.items():
        holder = next(
            (
                seat
                for seat in await tx.people.seats_in(code)
                if seat.telegram_id is not None and any(r in flt.roles for r in seat.roles)
            ),
            None,
        )
        if holder is not None:
            out[code] = unit.model_copy(
                update={"commander_name": holder.name, "commander_id": holder.telegram_id}
            )
    return out
