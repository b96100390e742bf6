"""Whether one entry of a list answer, typed with 、 or a comma, may be several entries.

A list answer is one entry a line (or between ；): "张三、李四" and "Zhang San, Li Si"
are one entry each, and splitting on 、 or on commas would break "3幢1、2单元" or
"Flat 3, 12 Main St" into two. Where the merged list or a report counts entries, a
wrong split is a wrong number either way, so the bot asks: only when every piece looks
like a whole entry of its own (a name, or an address with its own number), never when
a piece is the rest of its neighbour ("3幢1", "Flat 3", "12" of "12, 14 Main St").

A comma (, ，) or "and" / "&" also joins the parts of ONE entry ("张三，溪西村12号" is a
person and where he lives; "塔山路5号，3幢2单元" one address), so across those the
pieces must all be names (a Chinese one by its surname) or all addresses, and an
address must name its own street, village or building or be numbered like its
neighbours (3幢1单元，3幢2单元); 、 only ever lists, so across it the first test alone
decides.
"""

from __future__ import annotations

import re

from cascade.returnee.people import SURNAMES

SEPARATOR = "、"
# Every mark that may separate pieces of one entry: 、, a comma, "and" or "&" between words.
MARKS = re.compile(r"\s*(?:、|，|,|&|\s+and\s+)\s*")
# A name's shape: two to four Chinese characters (as masked, cascade/masking.py); a whole
# entry when none is a place's last word (一区, 新村).
NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_PLACE_ENDS = set("区村镇乡街路巷弄楼幢栋号室组队苑园庄院厂店")
# An English (or pinyin) name: two or three capitalised words (Zhang San, Mary Ann Smith,
# O'Brien, McDonald, Jean-Luc), as masked too; not a place, by its first word (New York,
# Flat Two) or its last (Main Street, Tashan Village). Only those: Hall, Park and Lane
# are surnames too, and a name taken for a place is a wrong count, a place taken for a
# name a tap.
NAME_EN = re.compile(r"[A-Z][A-Za-z'’-]*[a-z](?: [A-Z][A-Za-z'’-]*[a-z]){1,2}")
_PLACE_FIRST = frozenset(
    "new north south east west upper lower saint st mount mt port fort lake santa san los las "
    "flat apt apartment unit floor room suite block building".split()
)
_PLACE_LAST = frozenset(
    "street st road rd avenue ave boulevard blvd highway hwy square sq village town city "
    "county district estate building bldg tower centre center station hospital school "
    "college university market mall hotel company ltd inc co gardens apartments mansions".split()
)
# An address with its own number: a number and the word it numbers (12号, 3幢, 2单元) ...
_NUMBERED = re.compile(r"[0-9０-９零一二两三四五六七八九十百]+\s*(?:号|幢|栋|楼|单元|室|户|组)")
_WORD = re.compile(r"(?<=[0-9０-９零一二两三四五六七八九十百])\s*(号|幢|栋|楼|单元|室|户|组)")
_ENDS_BARE = re.compile(r"[0-9０-９]$")  # "3幢1" of "3幢1、2单元": the rest comes after
# ... and across a comma its own street, village or building before it (溪西村12号, not
# the 3幢2单元 of 塔山路5号，3幢2单元).
_PLACED = re.compile(
    r"(?:[路街巷弄道村镇乡苑园庄院]|小区|大厦|大楼|公寓|广场|花园|新村)[^，,]*?" + _NUMBERED.pattern
)
# What an address never says and a sentence does: across a comma, a piece that says it
# is a clause of a report ("一户是江西上饶的3人住东河村5号").
_CLAUSE = re.compile(r"[住在是的了到回来有]|[个口]人")
# An English street address: a house number of its own, then the street and its word
# (12 Main St, 14B Baker Street).
_STREET = (
    r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|boulevard|blvd|court|ct|place|pl"
    r"|terrace|close|crescent|square|sq|highway|hwy)\.?"
)
_ADDRESS_EN = re.compile(
    rf"\b\d+[A-Za-z]?\s+(?:[A-Za-z'’.-]+\s+)+?{_STREET}(?!\w)",
    re.IGNORECASE,
)


def pieces(entry: str) -> list[str] | None:
    """The entries `entry` may stand for, when each piece between its marks looks whole;
    else None (one entry, nothing to ask)."""
    parts = [part.strip() for part in MARKS.split(entry.strip())]
    if len(parts) < 2 or not all(parts):
        return None
    kinds = [_kind(part) for part in parts]
    if None in kinds:
        return None
    if marks(entry) == [SEPARATOR]:
        return parts
    if len(set(kinds)) > 1:
        return None
    if kinds[0] == "name":
        return parts if all(_person(p) for p in parts) else None
    if any(_CLAUSE.search(p) for p in parts):
        return None  # a report's clauses (一户两个人，一户三个人), not addresses
    if all(_placed(p) for p in parts) or _parallel(parts):
        return parts
    return None


def marks(entry: str) -> list[str]:
    """The marks `entry`'s pieces are separated by, each once, as typed ("、", ",", "and")."""
    found: list[str] = []
    for mark in MARKS.findall(entry):
        word = mark.strip() or mark
        if word not in found:
            found.append(word)
    return found


def first_split(items: list[str]) -> tuple[int, list[str]] | None:
    """The first entry of a list answer that may be several, with its pieces."""
    for index, item in enumerate(items):
        found = pieces(item)
        if found is not None:
            return index, found
    return None


def is_name(piece: str) -> bool:
    """Whether `piece` reads as a person's name, Chinese or English (Zhang San)."""
    if NAME.fullmatch(piece):
        return piece[-1] not in _PLACE_ENDS
    if NAME_EN.fullmatch(piece):
        words = piece.lower().split()
        return words[0] not in _PLACE_FIRST and words[-1] not in _PLACE_LAST
    return False


def _kind(piece: str) -> str | None:
    """ "name" or "address" when `piece` looks like a whole entry of its own, else None."""
    if _ENDS_BARE.search(piece):
        return None
    if is_name(piece):
        return "name"
    if _NUMBERED.search(piece) or _ADDRESS_EN.search(piece):
        return "address"
    return None


def _person(piece: str) -> bool:
    """A name across a comma: a Chinese one by its surname (老李 too: "明天，下午的车" is a
    day and a bus, not two people), or an English one."""
    if NAME_EN.fullmatch(piece):
        return True
    surname = piece[1] if piece[0] in "老小" else piece[0]
    return surname in SURNAMES


def _parallel(parts: list[str]) -> bool:
    """Addresses numbered alike ("3幢1单元，3幢2单元", "12号，14号"): siblings, where
    "塔山路5号，3幢2单元" is a house and the rest of it."""
    shapes = {tuple(_WORD.findall(part)) for part in parts}
    return len(shapes) == 1


def _placed(piece: str) -> bool:
    """An address that names its own street, village or building (not only the rest)."""
    return _PLACED.search(piece) is not None or _ADDRESS_EN.search(piece) is not None
