"""Whether one entry of a list answer, typed with 、, may be several entries.

A list answer is one entry a line (or between ；): "张三、李四" is one entry, and
splitting on 、 would break "3幢1、2单元" into two. Where the merged list or a report
counts entries, a wrong split is a wrong number either way, so the bot asks: only when
every piece between the 、 looks like a whole entry of its own (a name, or an address
with its own number), never when a piece is the rest of its neighbour ("3幢1").
"""

from __future__ import annotations

import re

SEPARATOR = "、"
# A name's shape: two to four Chinese characters (as masked, cascade/masking.py); a whole
# entry when none is a place's last word (一区, 新村).
NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_PLACE_ENDS = set("区村镇乡街路巷弄楼幢栋号室组队苑园庄院厂店")
# An address with its own number: a number and the word it numbers (12号, 3幢, 2单元).
_NUMBERED = re.compile(r"[0-9０-９零一二两三四五六七八九十百]+\s*(?:号|幢|栋|楼|单元|室|户|组)")
_ENDS_BARE = re.compile(r"[0-9０-９]$")  # "3幢1" of "3幢1、2单元": the rest comes after


def pieces(entry: str) -> list[str] | None:
    """The entries `entry` may stand for, when each piece between 、 looks whole; else
    None (one entry, nothing to ask)."""
    parts = [part.strip() for part in entry.split(SEPARATOR)]
    if len(parts) < 2 or not all(_whole(part) for part in parts):
        return None
    return parts


def first_split(items: list[str]) -> tuple[int, list[str]] | None:
    """The first entry of a list answer that may be several, with its pieces."""
    for index, item in enumerate(items):
        found = pieces(item)
        if found is not None:
            return index, found
    return None


def _whole(piece: str) -> bool:
    if not piece or _ENDS_BARE.search(piece):
        return False
    if NAME.fullmatch(piece) and piece[-1] not in _PLACE_ENDS:
        return True
    return _NUMBERED.search(piece) is not None
