"""Round 25: checks chosen by their transfer to text they were not written from.

Rounds 21-24 kept checks for their catch on the part they were written from; on fresh
text they caught almost nothing. This bench weighs a check the other way. Its data are the
outputs each old parser gave on a spent part it had never seen (`returnee_gate_rows.BEFORE`:
heldout2 to heldout29, each at the commit it was scored by before its round): a silent
wrong value there is one a parser really gave on unseen text. A check of the clause
self-consistency family (`cascade.returnee.clauses`) reads each piece of the message alone
*with the same old parser* (its pieces are run through that commit's `parse_report` too),
as the check would with today's parser on fresh text, and flags a field whose whole-message
value the pieces cannot account for.

The parts are split into two halves (alternating, in BEFORE's order). For each field, the
variant (which disagreement, which pieces: clauses, sentences or lines) is chosen on one half
by its catch less a third of its price, among those turning at least one silent wrong value
into a question for every three right values turned into confirmations; it is then weighed
on the other half, and the other way round. A field's check is kept when its two held-out
figures together pass that bar; the variant wired is the one the same rule picks on all
parts. Every variant keeps the value beside its question, so none empties a right value.

    python -m benchmarks.returnee_transfer   # about 3 min the first time; the old parsers'
                                             # outputs are cached under /tmp after that
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from benchmarks.returnee_corpus import expected
from benchmarks.returnee_gate_rows import BEFORE, outputs
from benchmarks.returnee_gate_rows import load as load_spent
from cascade.returnee.clauses import (
    address_unread,
    clauses,
    count_unexplained,
    origin_unread,
    stop_unread,
)
from cascade.returnee.evidence import Values
from cascade.returnee.places import apart, contains
from cascade.returnee.report import working_text

# A check: the value given, the pieces of the message and their readings -> asked or not.
Check = Callable[[Values, list[str], list[Values]], bool]
CHECKED = ("count", "origin", "via", "arrival", "address")

_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
LEVELS: dict[str, Callable[[str], list[str]]] = {
    "clauses": clauses,
    "sentences": lambda work: [p.strip() for p in _SENTENCE_END.split(work) if p.strip()],
    "lines": lambda work: [p.strip() for p in work.split("\n") if p.strip()],
}


@dataclass(frozen=True)
class SpentPart:
    """A spent part as its old parser read it: the cases, each message's output, its
    working text, its pieces at each of `LEVELS`, and each piece's output (the same
    commit's `parse_report`, cached by `outputs`). The benches of rounds 25-27 start here."""

    cases: list[dict[str, Any]]
    whole: list[dict[str, Any]]
    works: list[str]
    split: dict[str, list[list[str]]]
    pieces: dict[str, dict[str, Any]]

    def readings(self) -> dict[str, Values]:
        """Each piece's reading, pieces the old parser failed on left out."""
        return {p: as_values(data) for p, data in self.pieces.items() if "error" not in data}


def read_spent(part: str, commit: str) -> SpentPart:
    """`part` read whole and piece by piece by the parser of `commit`."""
    cases = load_spent(part)
    whole = outputs(commit, [case["text"] for case in cases])
    works = [working_text(case["text"]) for case in cases]
    split = {level: [cut(work) for work in works] for level, cut in LEVELS.items()}
    pieces = sorted({p for level in split.values() for ps in level if len(ps) > 1 for p in ps})
    read = dict(zip(pieces, outputs(commit, pieces), strict=True))
    return SpentPart(cases, whole, works, split, read)


def day_of(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _counts(readings: list[Values]) -> list[int]:
    return [r.count for r in readings if r.count is not None]


def _days(readings: list[Values]) -> set[date]:
    return {day_of(r.arrival) for r in readings if r.arrival is not None}


def _origins(readings: list[Values]) -> list[str]:
    return [r.origin for r in readings if r.origin is not None]


def _addresses(readings: list[Values]) -> list[str]:
    return [r.address for r in readings if r.address is not None]


def _stops(readings: list[Values]) -> list[str]:
    return [stop for r in readings for stop in r.via]


def _other_hour(values: Values, pieces: list[str], readings: list[Values]) -> bool:
    arrival = values.arrival
    assert arrival is not None
    same_day = {r.arrival for r in readings if r.arrival and day_of(r.arrival) == day_of(arrival)}
    return bool(same_day - {arrival})


def _stop_left_out(values: Values, pieces: list[str], readings: list[Values]) -> bool:
    return any(
        all(apart(other, stop) for stop in values.via)
        and (values.origin is None or apart(other, values.origin))
        for other in _stops(readings)
    )


# Each variant: the field it asks and whether the readings disagree with the value given.
# The kept ones are the functions of cascade.returnee.clauses; the rest were tried. Count
# variants that would ask "共5口人，其中3口人一直在义乌，2口人今天…回来" (2, a clause's number
# below the largest) are left out: an older test holds that a total with its parts is no
# evidence against the count (README "Round 25" gives their figures).
VARIANTS: dict[str, tuple[str, Check]] = {
    "count: not one piece's nor the sum": (
        "count",
        lambda v, ps, rs: count_unexplained(v.count or 0, rs),
    ),
    "count: above the sum": (
        "count",
        lambda v, ps, rs: bool(c := _counts(rs)) and (v.count or 0) > sum(c),
    ),
    "arrival: a day no piece reads": (
        "arrival",
        lambda v, ps, rs: (
            bool(d := _days(rs)) and v.arrival is not None and day_of(v.arrival) not in d
        ),
    ),
    "arrival: two days": ("arrival", lambda v, ps, rs: len(_days(rs)) >= 2),
    "arrival: two days, or one no piece reads": (
        "arrival",
        lambda v, ps, rs: (
            bool(d := _days(rs))
            and v.arrival is not None
            and (len(d) >= 2 or day_of(v.arrival) not in d)
        ),
    ),
    "arrival: the same day at another hour": ("arrival", _other_hour),
    "origin: no piece reads it": ("origin", lambda v, ps, rs: origin_unread(v.origin or "", rs)),
    "origin: a piece reads a place apart": (
        "origin",
        lambda v, ps, rs: any(apart(o, v.origin or "") for o in _origins(rs)),
    ),
    "origin: a piece reads a place inside it": (
        "origin",
        lambda v, ps, rs: any(
            contains(v.origin or "", o) and not contains(o, v.origin or "") for o in _origins(rs)
        ),
    ),
    "origin: every piece's place apart": (
        "origin",
        lambda v, ps, rs: bool(o := _origins(rs)) and all(apart(x, v.origin or "") for x in o),
    ),
    "via: a stop no piece reads": ("via", lambda v, ps, rs: stop_unread(v.via, rs)),
    "via: a piece's stop left out": ("via", _stop_left_out),
    "address: no piece reads it": (
        "address",
        lambda v, ps, rs: address_unread(v.address or "", ps, rs),
    ),
    "address: a piece extends it": (
        "address",
        lambda v, ps, rs: any(a != v.address and (v.address or "") in a for a in _addresses(rs)),
    ),
    "address: a piece reads another": (
        "address",
        lambda v, ps, rs: any(
            (v.address or "") not in a and a not in (v.address or "") for a in _addresses(rs)
        ),
    ),
    "address: a piece reads part of it": (
        "address",
        lambda v, ps, rs: any(a != v.address and a in (v.address or "") for a in _addresses(rs)),
    ),
}


@dataclass
class Tally:
    """Silent values a variant turns into questions, per half: [wrong caught, right confirmed]."""

    halves: dict[str, list[int]] = field(default_factory=lambda: {"A": [0, 0], "B": [0, 0]})

    def on(self, half: str) -> tuple[int, int]:
        caught, right = self.halves[half]
        return caught, right

    def all(self) -> tuple[int, int]:
        return self.halves["A"][0] + self.halves["B"][0], self.halves["A"][1] + self.halves["B"][1]


def as_values(data: dict[str, Any]) -> Values:
    """A parser's to_json output as the checks' Values."""
    arrival = data["arrival"]
    day = None
    if arrival is not None:
        day = date.fromisoformat(arrival) if len(arrival) == 10 else datetime.fromisoformat(arrival)
    return Values(data["count"], data["origin"], data["via"], day, data["address"], data["phone"])


def tally() -> tuple[dict[tuple[str, str], Tally], dict[str, list[int]]]:
    """Per (variant, level), the silent values it asks on each half; and per half, all the
    silent values [wrong, right] the old parsers gave."""
    half = {part: "AB"[index % 2] for index, part in enumerate(BEFORE)}
    found: dict[tuple[str, str], Tally] = {}
    silent = {"A": [0, 0], "B": [0, 0]}
    for part, commit in BEFORE.items():
        spent = read_spent(part, commit)
        split, read = spent.split, spent.pieces
        for index, (case, data) in enumerate(zip(spent.cases, spent.whole, strict=True)):
            if "error" in data:
                continue
            given = {
                name
                for name in CHECKED
                if data[name] not in (None, []) and name not in data["questions"]
            }
            for name in given:
                silent[half[part]][0 if data[name] != expected(case, name) else 1] += 1
            values = as_values(data)
            for level in LEVELS:
                ps = split[level][index]
                if len(ps) < 2 or any("error" in read[p] for p in ps):
                    continue
                readings = [as_values(read[p]) for p in ps]
                for variant, (name, check) in VARIANTS.items():
                    if name in given and check(values, ps, readings):
                        wrong = data[name] != expected(case, name)
                        counts = found.setdefault((variant, level), Tally()).halves[half[part]]
                        counts[0 if wrong else 1] += 1
    return found, silent


def passes(caught: int, right: int) -> bool:
    """The bar a check must pass on unseen outputs: one silent wrong value caught for
    every three right values confirmed, and at least one."""
    return caught >= 1 and 3 * caught >= right


def _best(found: dict[tuple[str, str], Tally], name: str, half: str) -> tuple[str, str] | None:
    """The (variant, level) of field `name` the rule picks on `half`'s figures ("A", "B" or
    "" for all parts), if any passes."""
    fits = [
        (caught - right / 3, key)
        for key, t in found.items()
        for caught, right in [t.on(half) if half else t.all()]
        if VARIANTS[key[0]][0] == name and passes(caught, right)
    ]
    return max(fits)[1] if fits else None


def main() -> int:
    found, silent = tally()
    print("silent values the old parsers gave on unseen parts [wrong, right]:", silent)
    print(f"{'variant':42} {'pieces':9}  A caught/right   B caught/right   all")
    for (variant, level), t in sorted(found.items()):
        (a0, a1), (b0, b1), (c0, c1) = t.on("A"), t.on("B"), t.all()
        print(f"{variant:42} {level:9}  {a0:4} / {a1:4}      {b0:4} / {b1:4}      {c0:4} / {c1:4}")
    print()
    together = {"held out": [0, 0], "all parts": [0, 0]}
    for name in CHECKED:
        held = [0, 0]
        for chosen_on, weighed_on in (("A", "B"), ("B", "A")):
            key = _best(found, name, chosen_on)
            if key is None:
                print(f"{name}: chosen on {chosen_on}: nothing passes")
                continue
            caught, right = found[key].on(weighed_on)
            held[0] += caught
            held[1] += right
            print(
                f"{name}: chosen on {chosen_on}: {key[0]} ({key[1]}) -> on {weighed_on}: "
                f"{caught} caught, {right} confirmed"
            )
        final = _best(found, name, "")
        verdict = f"kept: {final[0]} ({final[1]})" if passes(*held) and final else "not kept"
        print(f"{name}: held out {held[0]} caught, {held[1]} confirmed -> {verdict}")
        if passes(*held) and final:
            caught, right = found[final].all()
            together["held out"] = [
                together["held out"][0] + held[0],
                together["held out"][1] + held[1],
            ]
            together["all parts"] = [
                together["all parts"][0] + caught,
                together["all parts"][1] + right,
            ]
    for figures, (caught, right) in together.items():
        print(f"kept checks together, {figures}: {caught} caught, {right} confirmed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
