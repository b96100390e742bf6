"""Importing a tower file into the database: check it, diff it, apply the diff.

Re-importing the same file changes nothing; an edited file changes exactly the
units whose data or place in the tower changed, in one transaction. A child's
commander listed again among the parent's members is stored as if he were not
(the rule makes him a member anyway), so listing him changes nothing. The tower
comes checked (`CheckedTower`: its rules' facts and a document per unit) and is
written a chunk of units at a time, rebuilt from their documents, so a city is
never all in memory as models.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from pydantic import BaseModel

from cascade.checked_tower import CheckedTower
from cascade.invariants import TowerInvalid
from cascade.tower import Unit
from storage.db import Database
from storage.paths import path_of

CHUNK = 1_000  # units compared and written per step of the one transaction


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
    return await import_tower(db, CheckedTower.of(units), max_bottom_members)


async def import_tower(
    db: Database, tower: CheckedTower, max_bottom_members: int = 30
) -> ImportStats:
    """Make the stored tower equal to `tower`; raises `TowerInvalid` on a broken rule.

    First every unit is compared with its stored row and the changed and removed
    ones are deleted (so a chat id or code moving between units never meets itself),
    then the changed ones are written, parents before children."""
    violations = tower.violations(max_bottom_members)
    if violations:
        raise TowerInvalid(violations)
    stats = ImportStats()
    async with db.transaction() as tx:
        stored = await tx.tower.codes()
        changed: list[str] = []
        for part in _chunks(tower.walk()):
            docs = await tx.tower.docs([code for code, _ in part if code in stored])
            for code, chain in part:
                before = docs.get(code)
                if before is not None and before == (
                    path_of(list(chain)),
                    tower.unit(code).model_dump_json(),
                ):
                    stats.unchanged += 1
                    continue
                changed.append(code)
                if before is None:
                    stats.added += 1
                else:
                    stats.updated += 1
        removed = stored - tower.codes()
        stats.removed = len(removed)
        await tx.tower.delete([code for code in changed if code in stored] + sorted(removed))
        wanted = set(changed)
        for part in _chunks(item for item in tower.walk() if item[0] in wanted):
            rows = []
            for code, chain in part:
                unit = tower.unit(code)
                rows.append((unit, path_of(list(chain)), unit.model_dump_json()))
            await tx.tower.insert(rows)
    return stats


def _chunks(
    items: Iterable[tuple[str, tuple[str, ...]]],
) -> Iterator[list[tuple[str, tuple[str, ...]]]]:
    it = iter(items)
    while part := list(islice(it, CHUNK)):
        yield part
