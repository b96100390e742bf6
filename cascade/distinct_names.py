"""Headings that tell same-named units apart by the units above them.

Towers repeat names: every street has its 第1小区, every compound its 1号房东. A list
headed by bare names (`/pending`'s parents) then shows three 「第1小区」 and HQ cannot
tell which street's units are pending. Each name that repeats is given as many of
its ancestors' names in front of it as make it unique among the headings shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence


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
