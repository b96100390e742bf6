"""Importing a tower file into the database: check it, diff it, apply the diff.

Re-importing the same file changes nothing; an edited file changes exactly the
units whose data or place in the tower changed, in one transaction. A child's
commander listed again among the parent's members is stored as if he were not
(the rule makes him a member anyway), so listing him changes nothing.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from cascade.invariants import TowerInvalid, Violation, ensure_valid
from cascade.tower import Tower, Unit
from cascade.towerfile import canonical
from storage.db import Database
from storage.paths import path_of


class ImportStats(BaseModel):
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


async def import_units(
    db: Database, units: list[Unit], max_bottom_members: int = 30
) -> ImportStats:
    """Make the stored tower equal to `units`; raises `TowerInvalid` on a broken rule."""
    repeated = [code for code, n in Counter(u.code for u in units).items() if n > 1]
    if repeated:
        raise TowerInvalid([Violation(unit=code, rule="code-duplicate") for code in repeated])
    tower = Tower(units)
    ensure_valid(tower, max_bottom_members)
    wanted: dict[str, tuple[Unit, str, str]] = {}
    for unit in canonical(tower):
        path = path_of([u.code for u in reversed(tower.chain(unit.code))])
        wanted[unit.code] = (unit, path, unit.model_dump_json())
    stats = ImportStats()
    async with db.transaction() as tx:
        stored = await tx.tower.paths()
        changed = [
            code for code, (_, path, doc) in wanted.items() if stored.get(code) != (path, doc)
        ]
        removed = [code for code in stored if code not in wanted]
        stats.added = sum(1 for code in changed if code not in stored)
        stats.updated = len(changed) - stats.added
        stats.removed = len(removed)
        stats.unchanged = len(wanted) - len(changed)
        await tx.tower.delete([c for c in changed if c in stored] + removed)
        await tx.tower.insert([wanted[c] for c in changed])
    return stats
