"""Headings that tell same-named units apart by the units above them.

Towers repeat names: every street has its 第1小区, every compound its 1号房东. A list
headed by bare names (`/pending`'s parents) then shows three 「第1小区」 and HQ cannot
tell which street's units are pending. Each name that repeats is given as many of
its ancestors' names in front of it as make it unique among the headings shown.
`/pending` and the loop reports' 未完成单元 list head their groups the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from cascade.ports import UnitOfWork
from cascade.tower import UnitRef


def distinct_paths(paths: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """For each key, the shortest tail of its path of names (outermost first, the
    unit's own name last) that no other key's tail of the same length repeats; a
    name already unique stays alone, and a path that never becomes unique is given
    whole."""
    out: dict[str, list[str]] = {}
    longest = max((len(p) for p in paths.values()), default=0)
    for length in range(1, longest + 1):
        tails = {key: tuple(path[-length:]) for key, path in paths.items() if key not in out}
        counts = Counter(tails.values())
        for key, tail in tails.items():
            if counts[tail] == 1 or length >= len(paths[key]):
                out[key] = list(tail)
    return out


async def parent_headings(
    tx: UnitOfWork, parents: list[UnitRef], scope: str
) -> dict[str, list[str]]:
    """Each parent's heading: its name, and where another parent shows the same name,
    the names of the units between `scope` and it that tell them apart."""
    repeated = {name for name, n in Counter(p.name for p in parents).items() if n > 1}
    paths: dict[str, list[str]] = {}
    for parent in parents:
        if parent.name not in repeated:
            paths[parent.code] = [parent.name]
            continue
        chain = list(reversed(await tx.tower.chain(parent.code)))  # HQ first, the parent last
        codes = [u.code for u in chain]
        below = codes.index(scope) + 1 if scope in codes else 0
        paths[parent.code] = [u.name for u in chain[below:]] or [parent.name]
    return distinct_paths(paths)
