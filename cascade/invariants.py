"""The rules a tower must keep, checked on import and on every change.

Each violation names the unit and says what to fix, because the people who edit
tower files are officials with a spreadsheet, not engineers.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from cascade.tower import Tower, Unit


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


def check(tower: Tower, max_bottom_members: int = 30, capped_level: int = 3) -> list[Violation]:
    """Every rule of the tower; an empty list means the tower is sound."""
    out: list[Violation] = []
    roots = tower.roots()
    if len(roots) != 1:
        names = ",".join(sorted(u.code for u in roots)[:5])
        out.append(Violation(unit=names or "-", rule="root-count", detail={"count": len(roots)}))
    for unit in tower.units.values():
        parent = tower.units.get(unit.parent) if unit.parent is not None else None
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
            count = len(tower.member_ids(unit.code)) + unit.head_count() - len(unit_ids(unit))
            if count > max_bottom_members:
                out.append(
                    Violation(
                        unit=unit.code,
                        rule="too-many-members",
                        detail={"count": count, "max": max_bottom_members},
                    )
                )
    out.extend(_cycles(tower))
    out.extend(_duplicates(tower))
    return out


def ensure_valid(tower: Tower, max_bottom_members: int = 30) -> None:
    """Raise `TowerInvalid` unless every rule holds."""
    violations = check(tower, max_bottom_members)
    if violations:
        raise TowerInvalid(violations)


def _cycles(tower: Tower) -> list[Violation]:
    out: list[Violation] = []
    state: dict[str, int] = {}
    for start in tower.units:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in tower.units and state.get(current) is None:
            state[current] = 1
            path.append(current)
            current = tower.units[current].parent
        if current is not None and state.get(current) == 1:
            out.append(Violation(unit=current, rule="cycle"))
        for code in path:
            state[code] = 2
    return out


def _duplicates(tower: Tower) -> list[Violation]:
    out: list[Violation] = []
    chats = Counter(u.chat_id for u in tower.units.values() if u.chat_id is not None)
    for unit in tower.units.values():
        if unit.chat_id is not None and chats[unit.chat_id] > 1:
            out.append(
                Violation(unit=unit.code, rule="chat-duplicate", detail={"chat_id": unit.chat_id})
            )
    return out


def unit_ids(unit: Unit) -> set[int]:
    return {p.telegram_id for _, p in unit.people() if p.telegram_id is not None}
