"""People in the tower: seats, roles in people's words, phones and who may see them.

"One person, one card" (一人一卡) and the commanders' "three shows" (三亮) both
start from a person's seats: every unit where the person sits, the position and
the roles held there. A phone is personal data: it is shown whole only to the
person and to the commanders up that person's chain of command, and only in a
private chat; everyone else sees it masked.
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, Field

from cascade.tower import ANSWERING, Position, Role, UnitRef

LANDLORD_KIND = "landlord"
MAX_NAME = 64

# What people type for a role: the stored word, the Chinese title, the short form.
ROLE_WORDS: dict[str, Role] = {
    "patroller": Role.PATROLLER,
    "巡查员": Role.PATROLLER,
    "巡查": Role.PATROLLER,
    "informant": Role.INFORMANT,
    "信息员": Role.INFORMANT,
    "信息": Role.INFORMANT,
    "health": Role.HEALTH,
    "健康员": Role.HEALTH,
    "健康": Role.HEALTH,
    "publicity": Role.PUBLICITY,
    "宣传员": Role.PUBLICITY,
    "宣传": Role.PUBLICITY,
    "admin": Role.ADMIN,
    "管理员": Role.ADMIN,
    "管理": Role.ADMIN,
}
NO_ROLES = ("-", "无", "none")
_PHONE = re.compile(r"^(?:\+?86[\s-]?)?(1[3-9]\d{9})$")
_ROLE_SPLIT = re.compile(r"[,，、/]")


class PersonSeat(BaseModel):
    """One person slot: the unit, its place in the roll (`seq`), position and roles."""

    unit: UnitRef
    seq: int
    position: Position
    name: str
    telegram_id: int | None = None
    roles: list[Role] = Field(default_factory=list)
    phone: str | None = None

    @property
    def key(self) -> str:
        """Who this is: the Telegram id once known, the slot otherwise."""
        return (
            str(self.telegram_id)
            if self.telegram_id is not None
            else f"{self.unit.code}#{self.seq}"
        )


class MemberChange(BaseModel):
    """One audited /member change: who, when, what it was before and after."""

    id: int = 0
    unit_code: str
    actor: int
    at: datetime
    action: str
    before: PersonSeat | None = None
    after: PersonSeat | None = None


def parse_roles(text: str) -> list[Role] | None:
    """`健康员,巡查员` → [health, patroller]; `-`/`无` → []; None when a word is unknown."""
    raw = text.strip().lower()
    if raw in NO_ROLES:
        return []
    out: list[Role] = []
    for word in filter(None, (w.strip() for w in _ROLE_SPLIT.split(raw))):
        role = ROLE_WORDS.get(word)
        if role is None:
            return None
        if role not in out:
            out.append(role)
    return out or None


def looks_like_roles(text: str) -> bool:
    return parse_roles(text) is not None


def normalise_phone(text: str) -> str | None:
    """A mainland mobile number as 11 digits, or None when it is not one."""
    match = _PHONE.match(re.sub(r"[\s-]", "", text.strip()))
    return match.group(1) if match else None


def mask_phone(phone: str | None) -> str | None:
    """`13812345678` → `138****5678`; short numbers keep only their last two digits."""
    if not phone:
        return None
    digits = phone.strip()
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(0, len(digits) - 2) + digits[-2:]


def commands_over(chains: list[list[UnitRef]], positions: dict[str, Position]) -> bool:
    """Does someone with `positions` (unit code → position) command any unit of `chains`?"""
    return any(positions.get(unit.code) in ANSWERING for chain in chains for unit in chain)


def is_landlord(seat: PersonSeat) -> bool:
    """A landlord is the commander of a landlord unit (landlord + tenants)."""
    return seat.position is Position.COMMANDER and seat.unit.kind == LANDLORD_KIND
