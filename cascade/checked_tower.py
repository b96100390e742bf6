"""A checked tower held as its rules' facts and one JSON document per unit.

A city file is 37,000 units and 300,000 people; as pydantic models all at once
that took ~460 MB to import. Read a unit at a time, each unit is validated,
reduced to what the rules read (`UnitFacts`) and its document (compact JSON
bytes), and dropped; the import then rebuilds the units one at a time, in tower
order, from their documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from cascade.invariants import UnitFacts, Violation, check_facts, children_of
from cascade.tower import Person, Unit


class CheckedTower:
    def __init__(self) -> None:
        self.facts: list[UnitFacts] = []  # in file order, repeated codes included
        self._docs: dict[str, bytes] = {}
        self._index: tuple[dict[str, UnitFacts], dict[str, list[str]]] | None = None

    @classmethod
    def of(cls, units: Iterable[Unit]) -> CheckedTower:
        tower = cls()
        for unit in units:
            tower.add(unit)
        return tower

    def add(self, unit: Unit) -> None:
        self.facts.append(UnitFacts.of(unit))
        self._docs[unit.code] = unit.model_dump_json().encode()
        self._index = None

    def violations(self, max_bottom_members: int = 30) -> list[Violation]:
        """Repeated codes, else every rule of the tower (empty: it is sound)."""
        counts = Counter(f.code for f in self.facts)
        repeated = [code for code, n in counts.items() if n > 1]
        if repeated:
            return [Violation(unit=code, rule="code-duplicate") for code in repeated]
        return check_facts(self._indexed()[0], max_bottom_members)

    def codes(self) -> set[str]:
        return set(self._docs)

    def walk(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Each unit's code with its chain root first (itself last), parents before
        children, siblings in file order. The tower must be sound (no cycles)."""
        children = self._indexed()[1]
        roots = [f.code for f in self.facts if f.parent is None]
        stack: list[tuple[str, tuple[str, ...]]] = [(code, ()) for code in reversed(roots)]
        while stack:
            code, above = stack.pop()
            chain = (*above, code)
            yield code, chain
            stack.extend((child, chain) for child in reversed(children.get(code, [])))

    def unit(self, code: str) -> Unit:
        """The unit as stored (`canonical_unit`), rebuilt from its document."""
        facts, children = self._indexed()
        unit = Unit.model_validate_json(self._docs[code])
        return canonical_unit(unit, [facts[c].commander for c in children.get(code, [])])

    def _indexed(self) -> tuple[dict[str, UnitFacts], dict[str, list[str]]]:
        """Facts by code (a repeated code: the last, in the first's place, as `Tower`)
        and each unit's children in file order."""
        if self._index is None:
            by_code = {f.code: f for f in self.facts}
            self._index = (by_code, children_of(by_code))
        return self._index


def canonical_unit(unit: Unit, child_commanders: Iterable[Person | None]) -> Unit:
    """The unit as stored: a child's commander listed again, without roles, among
    the parent's members is dropped — the pyramid's rule makes him a member anyway,
    so listing him or not changes nothing in the database."""
    commanders = [p for p in child_commanders if p is not None]
    ids = {p.telegram_id for p in commanders if p.telegram_id is not None}
    names = {p.name for p in commanders if p.telegram_id is None}
    kept = [
        m
        for m in unit.members
        if m.roles
        or not (
            (m.telegram_id is not None and m.telegram_id in ids)
            or (m.telegram_id is None and m.name in names)
        )
    ]
    return unit if len(kept) == len(unit.members) else unit.model_copy(update={"members": kept})
