"""Round 26: the candidates round 25 left untried, weighed by their transfer.

Round 25's bench (`returnee_transfer`) weighed the clause checks on the outputs old parsers
gave on parts they had never seen. This one weighs, on the same outputs and the same two
halves, the families it named as not tried and a search for the arrival:

- *evidence residue*: what the message still says of a field's kind once the value is
  accounted for (a number beside a people word, a gazetteer place that is neither the
  origin, a stop, the address nor 义乌/金华/浙江, another arrival day or a clock time,
  address-shaped numbers outside the address), written here from no part;
- *second readings broadened to every field*: a message one field of which round 21's
  second reading (`cascade.returnee.second`), or any check of today's parser, disagrees
  with has its other fields confirmed too;
- *households as pieces*: a message cut where a new household begins (另一户, 第二户,
  户主, a numbered line), each piece read by the same old parser, and the count that is
  not their sum, or two days, origins or addresses among them, asked;
- *the arrival*: the residue's day and clock words, and two signals seen on half A only
  (no word of time at all; a word of guess or hearsay), weighed on half B.

A new check is worth only what today's parser does not already ask, so every value today's
checks ask or confirm (round 10's residue and doubts, the weak paths, the second readings
of rounds 21 and 23, round 24's conventions, round 25's clauses; `asked_today`) is left
out of a variant's catch and price. Those checks were written from these very parts, so
their own catch here leaks; it is printed apart ("asked today"), not weighed.

A variant is chosen per field on one half by catch - price / 3, among those turning at least
one silent wrong value into a question for every three right values turned into
confirmations, and weighed on the other half, as in `returnee_transfer`. The figures are
printed for the newest hand-written parts (heldout21-29) apart, since they resemble fresh
text most (README "Round 26").

    python -m benchmarks.returnee_residue    # a minute once the old parsers' outputs are cached
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import datetime

from benchmarks.returnee_corpus import NOW, expected
from benchmarks.returnee_gate_rows import BEFORE, outputs
from benchmarks.returnee_transfer import CHECKED, as_values, day_of, passes, read_spent
from cascade.returnee.arrival import arrival_days, clock_spans
from cascade.returnee.clauses import disagreements as by_clauses
from cascade.returnee.confirm import to_confirm
from cascade.returnee.conventions import disagreements as by_convention
from cascade.returnee.evidence import Values, doubted, unconsumed
from cascade.returnee.places import apart, contains, find_places
from cascade.returnee.provenance import weak_paths
from cascade.returnee.recheck import disagreements as rechecked
from cascade.returnee.second import disagreements
from cascade.returnee.text import HEAD_UNIT, NUM, to_int

NEWEST = {"heldout21", "heldout22", "heldout23", "heldout24", "heldout25", "heldout26"}
NEWEST |= {"heldout27", "heldout29"}
COLUMNS = ("A", "B", "new")
# A check on the whole message: its text as the readers see it and the values given.
Whole = Callable[[str, Values], bool]
# A check on households: the values given and each household's reading.
Pieces = Callable[[Values, list[Values]], bool]

# --- evidence residue, written from no part ----------------------------------------------
_PEOPLE = re.compile(rf"({NUM})\s*{HEAD_UNIT}")
_LOCAL = ("义乌", "金华", "浙江")
_ROUTE_BEFORE = re.compile(r"(?:经|经过|途经|转|中转|在)\s*$")
_ADDRESS_NUMBER = re.compile(r"\d+\s*(?:号楼|号|幢|栋|单元|室|楼|层)")


def _people(work: str) -> list[int]:
    return [n for m in _PEOPLE.finditer(work) if (n := to_int(m.group(1)))]


def _count_other(work: str, values: Values) -> bool:
    return any(n != values.count for n in _people(work))


def _count_larger(work: str, values: Values) -> bool:
    return any(n > (values.count or 0) for n in _people(work))


def _count_unsummed(work: str, values: Values) -> bool:
    said = _people(work)
    rest = [n for n in said if n != values.count]
    return bool(rest) and sum(rest) != values.count and sum(set(rest)) != values.count


def _count_unsaid(work: str, values: Values) -> bool:
    said = _people(work)
    return bool(said) and values.count not in said and sum(said) != values.count


def _places_left(work: str, values: Values) -> list[str]:
    """Gazetteer places the values account for in no role."""
    kept = [values.origin or "", *values.via, *_LOCAL]
    return [
        hit.text
        for hit in find_places(work)
        if all(apart(hit.text, place) for place in kept if place)
        and hit.text not in (values.address or "")
    ]


def _origin_place_left(work: str, values: Values) -> bool:
    return bool(_places_left(work, values))


def _origin_fuller(work: str, values: Values) -> bool:
    origin = values.origin or ""
    return any(
        len(hit.text) > len(origin) and contains(origin, hit.text) and hit.text != origin
        for hit in find_places(work)
    )


def _via_route_place_left(work: str, values: Values) -> bool:
    return any(
        _ROUTE_BEFORE.search(work[max(0, hit.start - 4) : hit.start])
        and all(apart(hit.text, place) for place in [values.origin or "", *values.via] if place)
        and not any(contains(local, hit.text) for local in _LOCAL)
        for hit in find_places(work)
    )


def _arrival_other_day(work: str, values: Values) -> bool:
    assert values.arrival is not None
    return any(day != day_of(values.arrival) for _start, day in arrival_days(work, NOW))


def _arrival_no_day(work: str, values: Values) -> bool:
    return not arrival_days(work, NOW)


# Any word that places an arrival in time, a day or an hour; 今天 and 今日 (often the day of
# the report, 今日新增) are not.
_TIME_WORD = re.compile(
    r"上午|下午|中午|晚上|早上|凌晨|傍晚|夜里|半夜|早|晚|点|[:：]\d\d|\d\s*时|月|号"
    r"|(?<!今)日|周|星期|礼拜|[明后昨前]天|朝|刚|到了|已到|到的"
)


def _arrival_no_time_word(work: str, values: Values) -> bool:
    return not arrival_days(work, NOW) and not _TIME_WORD.search(work)


# A word that says the day is a guess or hearsay (好像是前天到的, 听说是昨天回来的).
_HEARSAY = re.compile(r"好像|应该|大概|大约|估计|估摸|听说|据说|可能|说是|左右|具体|不清|待核实")


def _arrival_hearsay(work: str, values: Values) -> bool:
    return bool(_HEARSAY.search(work))


def _arrival_clock_left(work: str, values: Values) -> bool:
    return bool(clock_spans(work)) and not isinstance(values.arrival, datetime)


def _arrival_two_clocks(work: str, values: Values) -> bool:
    return len(clock_spans(work)) >= 2


def _address_number_left(work: str, values: Values) -> bool:
    address = values.address or ""
    start = work.find(address)
    rest = work if start < 0 else work[:start] + " " + work[start + len(address) :]
    return any(m.group() not in address for m in _ADDRESS_NUMBER.finditer(rest))


def _address_unlocated(work: str, values: Values) -> bool:
    return (values.address or "") not in work


RESIDUE: dict[str, tuple[str, Whole]] = {
    "count: another number of people": ("count", _count_other),
    "count: a larger number of people": ("count", _count_larger),
    "count: others not adding up to it": ("count", _count_unsummed),
    "count: not said, others said": ("count", _count_unsaid),
    "origin: a place no role accounts for": ("origin", _origin_place_left),
    "origin: a fuller place said": ("origin", _origin_fuller),
    "via: a route place not a stop": ("via", _via_route_place_left),
    "arrival: another day said": ("arrival", _arrival_other_day),
    "arrival: no day said": ("arrival", _arrival_no_day),
    "arrival: no day nor time word said (seen on A)": ("arrival", _arrival_no_time_word),
    "arrival: a word of guess or hearsay (seen on A)": ("arrival", _arrival_hearsay),
    "arrival: a clock time, a day given": ("arrival", _arrival_clock_left),
    "arrival: two clock times": ("arrival", _arrival_two_clocks),
    "address: an address number outside it": ("address", _address_number_left),
    "address: not said as given": ("address", _address_unlocated),
}


def asked_today(work: str, values: Values, read: dict[str, Values]) -> set[str]:
    """The fields today's parser already asks or confirms given these values: round 10's
    residue and its doubts, the weak paths, the second readings of rounds 21 and 23, the
    conventions of round 24 and the clauses of round 25 (each clause read by `read`, the
    same old parser). A new check's catch and price are counted outside these."""
    fields = unconsumed(work, NOW, values) | doubted(work, values) | to_confirm(work, values)
    weak = weak_paths(work, values) + disagreements(work, values)
    weak += rechecked(work, values, NOW) + by_convention(work, values, NOW)
    weak += by_clauses(
        work, values, lambda piece: read.get(piece, Values(None, None, [], None, None, None))
    )
    return fields | {path.field for path in weak}


def broadened(work: str, values: Values, already: set[str]) -> set[tuple[str, str]]:
    """(variant, field): round 21's second readings, and every check of today's parser,
    carried to the other fields: a message one field of which is doubted has its other
    fields confirmed too."""
    second = {weak.field for weak in disagreements(work, values)}
    found: set[tuple[str, str]] = set()
    for name in CHECKED:
        if second - {name}:
            found.add((f"{name}: a second reading disagrees on another field", name))
        if already - {name}:
            found.add((f"{name}: today's checks ask another field", name))
    return found


# --- households as pieces ------------------------------------------------------------------
_HOUSEHOLD = re.compile(
    r"(?=(?:另外|另|还有|再)\s*(?:一|1)\s*(?:户|家)|第\s*[二三四五六七八九十2-9]\s*(?:户|家)|户主)"
    r"|\n(?=\s*(?:[1-9]|[①②③④⑤⑥⑦⑧⑨])\s*[.、．)）:：]?)"
)


def households(work: str) -> list[str]:
    """`work` cut where a new household begins; one piece when none does."""
    return [piece.strip() for piece in _HOUSEHOLD.split(work) if piece and piece.strip()]


def _sum_differs(values: Values, readings: list[Values]) -> bool:
    counts = [r.count for r in readings if r.count is not None]
    return len(counts) >= 2 and sum(counts) != values.count


def _distinct(attribute: str) -> Pieces:
    def check(values: Values, readings: list[Values]) -> bool:
        seen = {str(getattr(r, attribute)) for r in readings if getattr(r, attribute)}
        return len(seen) >= 2

    return check


def _arrival_days_differ(values: Values, readings: list[Values]) -> bool:
    return len({day_of(r.arrival) for r in readings if r.arrival is not None}) >= 2


HOUSEHOLDS: dict[str, tuple[str, Pieces]] = {
    "households: count not their sum": ("count", _sum_differs),
    "households: two origins": ("origin", _distinct("origin")),
    "households: two days": ("arrival", _arrival_days_differ),
    "households: two addresses": ("address", _distinct("address")),
}


# --- the tally -----------------------------------------------------------------------------
Tallies = dict[str, dict[str, list[int]]]


def _add(found: Tallies, variant: str, columns: list[str], wrong: bool) -> None:
    halves = found.setdefault(variant, {c: [0, 0] for c in COLUMNS})
    for column in columns:
        halves[column][0 if wrong else 1] += 1


def tally() -> tuple[Tallies, dict[str, str], Tallies, dict[str, int]]:
    """Per variant, [silent wrong caught, silent right confirmed] on A, B and the newest
    parts, counted among the values today's checks leave silent; each variant's field; and
    the silent values [wrong, right] in all, per field asked by today's checks or left, and
    per path of round 21's second readings;
    and how many messages were cut into households."""
    half = {part: "AB"[index % 2] for index, part in enumerate(BEFORE)}
    found: Tallies = {}
    fields = {name: name_field for name, (name_field, _c) in {**RESIDUE, **HOUSEHOLDS}.items()}
    silent: Tallies = {"all": {c: [0, 0] for c in COLUMNS}}
    cuts = dict.fromkeys(COLUMNS, 0)
    for part, commit in BEFORE.items():
        spent = read_spent(part, commit)  # the clauses' readings, as returnee_transfer's
        cases, whole, works, read = spent.cases, spent.whole, spent.works, spent.readings()
        cut = [households(work) for work in works]
        pieces = sorted({p for ps in cut if len(ps) > 1 for p in ps})
        homes = dict(zip(pieces, outputs(commit, pieces), strict=True))
        columns = [half[part], *(["new"] if part in NEWEST else [])]
        for index, (case, data) in enumerate(zip(cases, whole, strict=True)):
            if "error" in data:
                continue
            values = as_values(data)
            work = works[index]
            already = asked_today(work, values, read)
            wrong = {
                name: data[name] != expected(case, name)
                for name in CHECKED
                if data[name] not in (None, []) and name not in data["questions"]
            }
            for name, is_wrong in wrong.items():
                rows = ["all", f"{name} asked today" if name in already else f"{name} left"]
                for row, column in [(r, c) for r in rows for c in columns]:
                    silent.setdefault(row, {c: [0, 0] for c in COLUMNS})
                    silent[row][column][0 if is_wrong else 1] += 1
            # round 21's second readings as wired today, path by path (their catch leaks)
            for weak in {(w.field, w.path) for w in disagreements(work, values)}:
                if weak[0] in wrong:
                    row = f"wired second reading, {weak[0]}: {weak[1]}"
                    silent.setdefault(row, {c: [0, 0] for c in COLUMNS})
                    for column in columns:
                        silent[row][column][0 if wrong[weak[0]] else 1] += 1
            wrong = {name: is_wrong for name, is_wrong in wrong.items() if name not in already}
            flagged = {
                (v, f) for v, (f, check) in RESIDUE.items() if f in wrong and check(work, values)
            }
            flagged |= {(v, f) for v, f in broadened(work, values, already) if f in wrong}
            ps = cut[index]
            for column in columns if len(ps) > 1 else []:
                cuts[column] += 1
            if len(ps) > 1 and not any("error" in homes[p] for p in ps):
                readings = [as_values(homes[p]) for p in ps]
                flagged |= {
                    (v, f)
                    for v, (f, check) in HOUSEHOLDS.items()
                    if f in wrong and check(values, readings)
                }
            for variant, name in flagged:
                fields[variant] = name
                _add(found, variant, columns, wrong[name])
    return found, fields, silent, cuts


def _best(found: Tallies, fields: dict[str, str], name: str, column: str) -> str | None:
    fits = [
        (caught - right / 3, variant)
        for variant, t in found.items()
        for caught, right in [t[column]]
        if fields[variant] == name and passes(caught, right)
    ]
    return max(fits)[1] if fits else None


def main() -> int:
    found, fields, silent, cuts = tally()
    print(
        f"{'silent values the old parsers gave [wrong, right]':58}  A               B               heldout21-29"
    )
    for row in sorted(silent):
        print(
            f"{row:58}  "
            + "  ".join(f"{silent[row][c][0]:5} / {silent[row][c][1]:5}" for c in COLUMNS)
        )
    print(f"messages cut into households: {cuts}")
    print()
    print(f"{'variant':58}  A caught/right  B caught/right  heldout21-29")
    for variant in sorted(found, key=lambda v: (fields[v], v)):
        t = found[variant]
        figures = "  ".join(f"{t[c][0]:5} / {t[c][1]:5}" for c in COLUMNS)
        print(f"{variant[:58]:58}  {figures}")
    print()
    for name in CHECKED:
        held = [0, 0, 0, 0]
        for chosen_on, weighed_on in (("A", "B"), ("B", "A")):
            best = _best(found, fields, name, chosen_on)
            if best is None:
                print(f"{name}: chosen on {chosen_on}: nothing passes")
                continue
            caught, right = found[best][weighed_on]
            held[0] += caught
            held[1] += right
            print(f"{name}: chosen on {chosen_on}: {best} -> on {weighed_on}: {caught} / {right}")
        verdict = "passes" if passes(held[0], held[1]) else "does not pass"
        print(f"{name}: held out {held[0]} caught, {held[1]} confirmed -> {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
