"""Round 25: the message read clause by clause, and a value no clause can account for asked.

Rounds 21-24 wrote checks from a spent part's silent wrong values; they stopped those values
and almost none on fresh text, because each was keyed to a message's shape. This check is
keyed to a kind of evidence instead: the parser's own reading of each clause alone. A
single account of a return reads the same in its pieces as in the whole: the count is one
clause's number of people, or the sum of the clauses' numbers; the origin and the address
are what the clause that says them reads; every stop is a place some clause reads. When the
whole message's value is none of these, the reader has joined, cut or carried over
something across clauses, and the value is kept for the reporter to confirm.

Each field's check and its variant were chosen by their transfer, not by their catch on the
part they came from: on the outputs old parsers gave on parts they had never seen
(`python -m benchmarks.returnee_transfer`), a variant was picked on half of the parts and
weighed on the other half, and kept only if it turned at least one silent wrong value into
a question for every three right values it turned into confirmations there (README "Round
25"). The arrival's checks did not transfer and are not here. Every value is kept beside
its question: a disagreement does not say which reading is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cascade.returnee.evidence import Values
from cascade.returnee.places import apart
from cascade.returnee.provenance import Weak

# A clause ends at a comma, a stop or a line; a comma between digits ("1,200人") is a
# thousands separator, and 、 joins the items of one list, so neither ends one.
_CLAUSE_END = re.compile(r"[，。；;！!？?\n]|(?<!\d),|,(?!\d)")


def clauses(work: str) -> list[str]:
    """The clauses of `work`, stripped, empty ones left out."""
    return [piece.strip() for piece in _CLAUSE_END.split(work) if piece.strip()]


def count_unexplained(count: int, readings: list[Values]) -> bool:
    """Whether the clauses read numbers of people and `count` is neither one of them nor
    their sum. One clause's number is a single account: a total said alone ("共5口人，其中…，
    2口人今天…回来": 5 or 2, whichever the reader chose to count) or the one party said."""
    counts = [reading.count for reading in readings if reading.count is not None]
    return bool(counts) and count not in counts and count != sum(counts)


def origin_unread(origin: str, readings: list[Values]) -> bool:
    """Whether the clauses read origins and none reads `origin` as it was read whole."""
    origins = [reading.origin for reading in readings if reading.origin is not None]
    return bool(origins) and origin not in origins


def stop_unread(via: list[str], readings: list[Values]) -> bool:
    """Whether the clauses read stops and one of `via` is apart from every one of them."""
    stops = [stop for reading in readings for stop in reading.via]
    return bool(stops) and any(all(apart(stop, other) for other in stops) for stop in via)


def address_unread(address: str, pieces: list[str], readings: list[Values]) -> bool:
    """Whether the clauses read addresses and none reads `address` as it was read whole, nor
    a part of it whose rest is said in a clause that reads no address of its own ("住稠城街道
    青口村，门牌47号": the house number joins the village; not "上溪镇桥西村…，住桥西村46号",
    where the number's clause reads its own address)."""
    addresses = [reading.address for reading in readings if reading.address is not None]
    if not addresses or address in addresses:
        return False
    return not any(
        address.startswith(head)
        and any(
            address[len(head) :] in piece and reading.address is None
            for piece, reading in zip(pieces, readings, strict=True)
        )
        for head in addresses
    )


def disagreements(work: str, values: Values, read: Callable[[str], Values]) -> list[Weak]:
    """The fields whose value the clauses of `work`, each read alone by `read`, cannot
    account for; every one kept beside its question."""
    if values.count is None and values.origin is None and not values.via and not values.address:
        return []
    pieces = clauses(work)
    if len(pieces) < 2:
        return []
    readings = [read(piece) for piece in pieces]
    found: list[Weak] = []
    if values.count is not None and count_unexplained(values.count, readings):
        found.append(Weak("count", "no clause's number nor their sum", keep=True))
    if values.origin is not None and origin_unread(values.origin, readings):
        found.append(Weak("origin", "no clause reads it", keep=True))
    if values.via and stop_unread(values.via, readings):
        found.append(Weak("via", "a stop no clause reads", keep=True))
    if values.address is not None and address_unread(values.address, pieces, readings):
        found.append(Weak("address", "no clause reads it", keep=True))
    return found
