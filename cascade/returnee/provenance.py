"""Round 19: a value is given as read only when the way it was read is known to be sound.

Eighteen rounds of rules moved text the parser never saw by about a point a round,
and each left some twenty wrong values that the bot gave without a question. A value
is right or wrong according to how it was read, not its shape alone, so this module
names the ways a reading is weak. Each one is a path: a field together with the
evidence that makes it weak. A value read that way is asked. Some paths keep it beside
the question so the reporter confirms or completes it (`Weak.keep`). Others empty it,
because a confirmation would read as agreement with a value the message does not back.

Every path's price and catch is measured on the tuning parts before it is used
(`python -m benchmarks.returnee_paths`: per path, the values read that way, right
and wrong, given or already asked). A path stays only when it turns no more than a
few right values into questions for each wrong value it catches, and it must also
make sense on text the parser never saw (tests/domain/returnee_corpus/README.md,
"Round 19").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cascade.returnee.evidence import Values
from cascade.returnee.places import contains, find_places, places_in
from cascade.returnee.text import CLAUSE_STOP, HEAD_UNIT, NUM, as_typed, spaced, to_int


@dataclass(frozen=True)
class Weak:
    """A path of weak evidence that a value was read by."""

    field: str
    path: str  # what makes the reading weak, as the benchmark prints it
    keep: bool  # kept beside the question for the reporter to confirm, or emptied


# --- via ---------------------------------------------------------------------------
# A stop that names two cities run together ("经过荆州武汉" read as one stop 荆州武汉) or
# a stop said again inside another ("经上海浦东入境，在上海隔离": 上海浦东 and 上海): the
# route reader joined or split what it cannot tell apart, so the stops are asked.


def _two_cities(stop: str) -> bool:
    parts = places_in(stop)
    cities = {part.canonical for part in parts if part.kind != "province"}
    return len(cities) >= 2 and not any(
        contains(first.canonical, second.canonical)
        for first in parts
        for second in parts
        if first is not second
    )


def _stop_twice(via: list[str]) -> bool:
    return any(
        first != second and (first.startswith(second) or second.startswith(first))
        for index, first in enumerate(via)
        for second in via[index + 1 :]
    )


# --- origin ------------------------------------------------------------------------
# The origin read only from who people are ("山西运城人", "安徽阜阳籍", "4个江西人"),
# never from where the journey began (从… or …返乡/回来, of that place or one it lies in
# or holds): the native place is often the origin, but a trip from elsewhere is as often
# left unsaid, so the reporter confirms it.
_NATIVE_AFTER = re.compile(r"\s*(?:省|市|县)?\s*(?:人(?!员)|籍)")
_JOURNEY_BEFORE = re.compile(r"(?:从|自)\s*$")
_JOURNEY_AFTER = re.compile(r"\s*(?:省|市)?\s*(?:返乡|返义|返回|回来|过来|来的)")


def _native_only(work: str, origin: str) -> bool:
    said = list(re.finditer(spaced(origin), work))
    return (
        bool(said)
        and all(_NATIVE_AFTER.match(work, found.end()) is not None for found in said)
        and not any(  # "湖南益阳人，从益阳坐大巴", "湖南返乡人员…系湖南岳阳人": a journey from there
            (contains(origin, hit.text) or contains(hit.text, origin))
            and (
                _JOURNEY_BEFORE.search(work, max(0, hit.start - 3), hit.start) is not None
                or _JOURNEY_AFTER.match(work, hit.end) is not None
            )
            for hit in find_places(work)
        )
    )


# --- count -------------------------------------------------------------------------
# People said to stay where they are or not to come ("另3人留在老家不回来了"), while the
# count read is what they and another number of people said come to (一家5口，其中2人今天到):
# the count may be the household's, not the people who come.
_PEOPLE = re.compile(rf"({NUM})\s*{HEAD_UNIT}")
_STAYING = re.compile(
    rf"({NUM})\s*{HEAD_UNIT}[^{CLAUSE_STOP}]{{0,6}}?"
    r"(?:留在|留守|不回来|不回了|不回|不来了|不过来|暂不回|暂时不回|没回来|还没回)"
)

# --- address -----------------------------------------------------------------------
# A building's numbers with no estate ("5幢1单元1201", "18幢2单元1502"): whose building?
_BUILDING_FIRST = re.compile(r"^\d+\s*(?:号楼|幢|栋|座|单元)")
# A unit with no flat ("丹溪家园2幢1单元"): the flat is said apart or not at all.
_UNIT_LAST = re.compile(r"单元$")
# The reporter's own words inside the address ("住我们小区7号楼…"): the reader took the
# place from the middle of a clause.
_SPEAKER_WORDS = re.compile(r"^住|[我你他她]")
# The address read after a shop or stall ("店在国际商贸城…"), while where they live is
# said later after 住 ("他们住店后面的出租房"): the shop is not the home.
_SHOP_BEFORE = re.compile(r"(?:店|铺|商位|摊位|档口)\s*(?:在|位于|地址|是)?\s*[:：]?\s*$")


def weak_paths(work: str, values: Values) -> list[Weak]:
    """The paths of weak evidence behind the values `work` was read into."""
    found: list[Weak] = []
    if any(_two_cities(stop) for stop in values.via):
        found.append(Weak("via", "a stop naming two cities", keep=False))
    if _stop_twice(values.via):
        found.append(Weak("via", "a stop said inside another", keep=False))
    if values.origin is not None and _native_only(work, values.origin):
        found.append(Weak("origin", "a native place, no journey from it", keep=True))
    if values.count is not None and _with_those_staying(work, values.count):
        found.append(Weak("count", "the ones who stay added in", keep=False))
    address = values.address
    if address is not None:
        if _BUILDING_FIRST.match(address):
            found.append(Weak("address", "a building without its estate", keep=True))
        if _UNIT_LAST.search(address):
            found.append(Weak("address", "a unit without its flat", keep=True))
        if _SPEAKER_WORDS.search(address):
            found.append(Weak("address", "the reporter's words inside", keep=True))
        if _after_shop(work, address):
            found.append(Weak("address", "a shop's place, 住 said after", keep=True))
    return found


def _with_those_staying(work: str, count: int) -> bool:
    said = {match.start(): to_int(match.group(1)) for match in _PEOPLE.finditer(work)}
    for stay in _STAYING.finditer(work):
        staying = to_int(stay.group(1))
        others = {value for start, value in said.items() if start != stay.start()}
        if staying is not None and count - staying in others:
            return True
    return False


def _after_shop(work: str, address: str) -> bool:
    found = re.search(as_typed(address), work)
    return (
        found is not None
        and _SHOP_BEFORE.search(work, max(0, found.start() - 6), found.start()) is not None
        and "住" in work[found.end() :]
    )
