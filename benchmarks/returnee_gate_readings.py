"""Features of the returnee ask gate that weigh a value against other readings of its field.

The first gate (README "A trained ask gate") described the message: its length, its words,
its numbers. Right and wrong values share hard messages, so those features barely told them
apart, and the README named what might: features that compare the value the parser gave
with a second, independent reading. These are those features (round 27), each a plain fact
about the value, never about the message alone:

- whether round 21's second reading (`cascade.returnee.second`) reads the field at all and
  agrees with the value (the enumerated members and listed names against the count, the
  places a journey starts from against the origin, the cities a route changes at against
  the stops);
- whether the message's clauses, sentences and lines, each read alone by the same parser,
  account for it (round 25's variants of `benchmarks.returnee_transfer`, the softer ones
  included) and round 26's evidence residue (`benchmarks.returnee_residue`);
- how many candidates of the field's kind the text holds and where the value sits among
  them: the only one, the first, the last, before or after a correction word;
- whether the value's own evidence is adjacent: a numeral beside a people word, a place
  right after 从/自/来自 or before 的/人/出发, address digits with 号/幢/单元/室, a day
  word beside an arriving verb.

Standard library only (and the parser's own readers), deterministic.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from benchmarks.returnee_corpus import NOW
from benchmarks.returnee_residue import RESIDUE
from benchmarks.returnee_transfer import VARIANTS, day_of
from cascade.returnee.arrival import arrival_days, clock_spans
from cascade.returnee.evidence import Values
from cascade.returnee.places import apart, find_places
from cascade.returnee.second import _listed_names, _members, _route_cities, _starts
from cascade.returnee.text import HEAD_UNIT, NUM, as_typed, to_int

_CORRECTION = re.compile(
    r"不对|说错|写错|打错|搞错|弄错|更正|纠正|改为|改成|改到|又说|其实|核实|应该是|准确"
)
_PEOPLE = re.compile(rf"({NUM})\s*{HEAD_UNIT}")
_NUMERAL = re.compile(rf"{NUM}")
_FROM_BEFORE = re.compile(r"(?:从|自|来自|由)\s*$")
_HOME_AFTER = re.compile(r"\s*(?:的|人|籍|老家|出发|回来|过来|返|来)")
_ROUTE_BEFORE = re.compile(r"(?:经|经过|途经|转|中转|在|到|飞)\s*$")
_ROUTE_AFTER = re.compile(r"\s*(?:转|中转|换乘|经停|落地|下车|过来|停)")
_ADDRESS_UNIT = re.compile(r"\d+\s*(?:号楼|号|幢|栋|单元|室|楼|层|组)")
_ARRIVES = re.compile(r"到|回|返|抵|落地|进站|来")
_LOCAL = ("义乌", "金华", "浙江")


def _place(order: list[int], at: int) -> str:
    """Where position `at` sits among the candidates at `order` (sorted starts)."""
    if at < 0:
        return "absent"
    if len(order) <= 1:
        return "only"
    if at <= order[0]:
        return "first"
    if at >= order[-1]:
        return "last"
    return "middle"


def _correction(work: str, at: int, starts: list[int]) -> list[str]:
    """Whether a correction word is said, and the value and another candidate after it."""
    marks = [m.start() for m in _CORRECTION.finditer(work)]
    if not marks:
        return ["correction=none"]
    last = marks[-1]
    return [
        f"value_after_correction={at > last}",
        f"other_after_correction={any(s > last and s != at for s in starts)}",
    ]


def _count(work: str, count: int) -> list[str]:
    said = [(m.start(), to_int(m.group(1))) for m in _PEOPLE.finditer(work)]
    starts = [s for s, _ in said]
    at = next((s for s, n in said if n == count), -1)
    numerals = len(_NUMERAL.findall(work))
    return [
        f"people_said={min(len({n for _, n in said}), 3)}",
        f"count_beside_unit={at >= 0}",
        f"count_among_people={_place(starts, at)}",
        f"count_is_largest={bool(said) and count >= max(n or 0 for _, n in said)}",
        f"count_is_sum={len(said) >= 2 and count == sum(n or 0 for _, n in said)}",
        f"numerals={min(numerals, 6)}",
        f"second_members={_agree(_members(work), count)}",
        f"second_names={_agree(_listed_names(work), count)}",
        *_correction(work, at, starts),
    ]


def _agree(second: int, value: int) -> str:
    if second < 2:
        return "none"
    return "same" if second == value else ("more" if second > value else "fewer")


def _origin(work: str, origin: str) -> list[str]:
    hits = [h for h in find_places(work) if not any(h.text in local for local in _LOCAL)]
    starts = [h.start for h in hits]
    said = re.search(as_typed(origin), work)
    at = said.start() if said else -1
    begins = {start.replace(" ", "") for start in _starts(work)}
    others = {h.place.canonical for h in hits if apart(h.text, origin)}
    return [
        f"places_other={min(len(others), 3)}",
        f"origin_among_places={_place(starts, at)}",
        f"origin_after_from={bool(said) and bool(_FROM_BEFORE.search(work[max(0, at - 3) : at]))}",
        f"origin_before_home={said is not None and bool(_HOME_AFTER.match(work, said.end()))}",
        "second_start=" + _start_agrees(origin, begins),
        *_correction(work, at, [h.start for h in hits if apart(h.text, origin)]),
    ]


def _start_agrees(origin: str, begins: set[str]) -> str:
    """Whether the places a journey is said to start from are the origin, or hold it or
    lie inside it, or lie apart from it."""
    if not begins:
        return "none"
    if origin in begins:
        return "same"
    return "apart" if all(apart(origin, start) for start in begins) else "overlaps"


def _via(work: str, via: list[str], origin: str | None) -> list[str]:
    out = [f"stops={min(len(via), 3)}"]
    route = _route_cities(work, origin)
    out.append("second_route=" + ("none" if not route else "some"))
    for stop in via:
        said = re.search(as_typed(stop), work)
        worded = said is not None and bool(
            _ROUTE_BEFORE.search(work[max(0, said.start() - 3) : said.start()])
            or _ROUTE_AFTER.match(work, said.end())
        )
        out.append(f"stop_said={said is not None}")
        out.append(f"stop_route_word={worded}")
        out.append(f"stop_in_route={any(not apart(stop, city) for city in route)}")
    return out


def _arrival(work: str, arrival: date | datetime) -> list[str]:
    days = arrival_days(work, NOW)
    starts = [s for s, _ in days]
    at = next((s for s, d in days if d == day_of(arrival)), -1)
    clocks = clock_spans(work)
    beside = at >= 0 and bool(_ARRIVES.search(work, at, at + 12))
    return [
        f"days_said={min(len({d for _, d in days}), 3)}",
        f"day_among_days={_place(starts, at)}",
        f"day_beside_arrives={beside}",
        f"clocks={min(len(clocks), 3)}",
        f"hour_given={isinstance(arrival, datetime)}",
        f"offset={max(-3, min(3, (day_of(arrival) - NOW.date()).days))}",
        *_correction(work, at, starts),
    ]


def _address(work: str, address: str) -> list[str]:
    at = work.find(address)
    units = list(_ADDRESS_UNIT.finditer(work))
    starts = [m.start() for m in units]
    outside = [m for m in units if m.group().replace(" ", "") not in address]
    return [
        f"address_said={at >= 0}",
        f"address_has_unit={bool(_ADDRESS_UNIT.search(address))}",
        f"address_ends_unit={bool(re.search(r'[号幢栋室组村区]$', address))}",
        f"units_outside={min(len(outside), 3)}",
        f"address_among_units={_place(starts, at)}",
        f"digit_after={at >= 0 and work[at + len(address) : at + len(address) + 1].isdigit()}",
        *_correction(work, at, starts),
    ]


def _own(work: str, field: str, values: Values) -> list[str]:
    if field == "count" and values.count is not None:
        return _count(work, values.count)
    if field == "origin" and values.origin is not None:
        return _origin(work, values.origin)
    if field == "via" and values.via:
        return _via(work, values.via, values.origin)
    if field == "arrival" and values.arrival is not None:
        return _arrival(work, values.arrival)
    if field == "address" and values.address is not None:
        return _address(work, values.address)
    return []


def readings(
    work: str, field: str, values: Values, pieces: dict[str, list[str]], read: dict[str, Values]
) -> list[str]:
    """The named features of `field`'s value in `values`, given for `work` (the message as
    the readers see it), against its other readings: `pieces` cuts `work` at each of
    `LEVELS`, and `read` holds each piece's reading by the same parser."""
    names = ["bias", f"field={field}"]
    local = _own(work, field, values)
    for level, cut in pieces.items():
        if len(cut) < 2 or any(piece not in read for piece in cut):
            local.append(f"{level}=uncut")
            continue
        found = [read[piece] for piece in cut]
        local.extend(
            f"{variant}@{level}"
            for variant, (name, check) in VARIANTS.items()
            if name == field and check(values, cut, found)
        )
    local.extend(v for v, (name, check) in RESIDUE.items() if name == field and check(work, values))
    names.extend(f"{field}:{name}" for name in local)
    return names
