"""Checks that make a value a question when the words that carry it were not fully read.

Round 7 of issue 10 (the sixth held-out part's unasked wrong values): a count
of 1 for 外公外婆, the place on an ID card taken for the origin, ``zr晚上`` read
as tonight, ``HN邵阳`` as 邵阳, ``人数3→4`` as 3, ``共5口人，其中3口人在义乌没走``
as 5. The readers stay as they are; these checks run on their result and
either correct what the message itself states (a correction by arrow, the part
of a total that came) or turn the value into a question. Plain Python, no
dictionaries: the parser stays offline.
"""

from __future__ import annotations

import re

from cascade.returnee.text import HEAD_UNIT, NUM, blank, to_int

# "人数3→4", "3->4", "三→四": the value after the arrow is the one that stands.
_ARROW = re.compile(rf"({NUM})\s*(?:→|->|－>|—>|=>|➡|⇒)\s*(?={NUM})")
# A place said for a document or a vehicle, not for where people came from:
# "身份证湖北武汉", "身份证是河南洛阳的", "车牌是湖北的", "车票是从武汉出发的".
_DOCUMENT_PLACE = re.compile(
    r"(?:身份证|户口本|户口|户籍地|户籍|车牌|牌照|车票)(?:号码|号|地址|上|上面)?(?:是|为|显示)?"
    r"(?:从)?[\u4e00-\u9fff]{0,10}?(?=的|人|[,，。；;、\s]|$|出发)"
)
# Pinyin initials or other Latin letters right before a part of day or a travel verb:
# "zr晚上到了", "jt上午到", "mt到": a day said in letters the reader cannot read for sure.
_LATIN_DAY = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2,3}(?=凌晨|早上|上午|中午|下午|傍晚|晚上|夜里|半夜|到|回|来)"
)
_LATIN_BEFORE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,3}$")
# A total and the part of it that did not come: "共5口人，其中3口人在义乌没走",
# "班组12人，其中本地5人", "共4口人，其中2口人一直在义乌".
_TOTAL_OF = re.compile(
    rf"(?:一共|总共|共计|共)?\s*({NUM})\s*{HEAD_UNIT}[^。；;]{{0,12}}?[,，]\s*其中"
)
_STAYED = re.compile(
    rf"(?:(本地|本村|本地人)\s*({NUM})\s*{HEAD_UNIT}"
    rf"|({NUM})\s*{HEAD_UNIT}\s*(?:一直|都|还|仍)?\s*(?:在义乌|在本地|在家|没走|没离开|未离开|没回|未返|在老家))"
)


# The count said not to be known: "人数没问", "不知道几个", "人数待统计", "人数等他确定".
_COUNT_UNKNOWN = re.compile(
    r"人数\s*(?:还)?\s*(?:没问|没有问|不清楚|不详|不明|未知|待定|待统计|待查|没登记|未登记"
    # round 17: the number waits on someone or is not settled ("人数等他确定", "人数未定")
    r"|(?:要|得)?\s*等[\u4e00-\u9fff]{0,4}?(?:确定|定|统计|核实|通知|问)"
    r"|未定|不定|未确定|没定|没确定|不确定|正在核实|核实中)"
    r"|不知道(?:有)?几个|几个人?不(?:清楚|知道)"
)
# People who never left: "湖北籍人员一名，但春节期间一直在义乌，未离开".
_NEVER_LEFT = re.compile(
    r"未离开|没离开过?|没有离开|没回过老家|没回老家|没有回老家"
    r"|(?:好几年|几年|多年|很久)\s*(?:都)?\s*没(?:有)?回去"  # round 8: "他好几年没回去了，一直在义乌"
)
# Round 17: an alternative said to be wrong beside the one said right.
_ALTERNATIVE = r"[^，,。；;\s是就或也还]{1,6}"  # not "不是3个就是4个" (either)
_DENIED_ALTERNATIVE = re.compile(
    rf"不是\s*{_ALTERNATIVE}?\s*[，,]?\s*(?=(?:而)?是)"  # "不是明天是后天", "不是湖北 是江西九江"
    rf"|(?<=[^，,。；;\s]{{2}})[，,]\s*不是\s*{_ALTERNATIVE}(?=$|[，,。；;\s])"  # "…，不是昨天"
    rf"|{_ALTERNATIVE}?的不是(?=\s*[，,]?\s*是)"  # "湖北的不是 是湖南娄底的"
)
# Two house numbers for one place: "大塘下村18号和20号" (two households).
_TWO_NUMBERS = re.compile(r"\d+\s*号\s*(?:和|、|及|与|跟|,|，)\s*\d+\s*号")


def count_unknown(text: str) -> bool:
    """Whether the message says the number of people is not known."""
    return _COUNT_UNKNOWN.search(text) is not None


def never_left(text: str) -> bool:
    """Whether the message says the person did not leave (so is not a returnee at all)."""
    return _NEVER_LEFT.search(text) is not None


def two_house_numbers(text: str) -> bool:
    """Whether two house numbers are said together, so one address cannot be read."""
    return _TWO_NUMBERS.search(text) is not None


def without_two_house_numbers(text: str) -> str:
    """`text` with house numbers said together blanked, so "20号" is not read as the 20th."""
    for match in _TWO_NUMBERS.finditer(text):
        text = blank(text, *match.span())
    return text


def undo_denied(text: str) -> str:
    """`text` with an alternative said to be wrong blanked, so only the one said right is
    read (round 17): "不是明天是后天到", "是前天到的，不是昨天", "湖北的不是 是湖南娄底的"."""
    for match in reversed(list(_DENIED_ALTERNATIVE.finditer(text))):
        said = re.sub(r"不是|的|[，,\s]", "", match.group())
        elsewhere = text[: match.start()] + text[match.end() :]
        if said and said not in elsewhere:  # "经停武汉？…不是经停武汉": both mentions denied
            text = blank(text, *match.span())
    return text


def undo_arrows(text: str) -> str:
    """`text` with each "old→" of an arrow correction blanked, so only the new value is read."""
    for match in reversed(list(_ARROW.finditer(text))):
        text = blank(text, *match.span())
    return text


def without_document_places(text: str) -> str:
    """`text` with places said for an ID card, a number plate or a ticket blanked."""
    for match in _DOCUMENT_PLACE.finditer(text):
        text = blank(text, *match.span())
    return text


def latin_day(text: str) -> bool:
    """Whether a day may be said in Latin letters ("zr晚上到", "jt上午").

    Units and the Latin names of households ("A户", "B座") are not followed by a
    part of day or a travel verb, so they do not count.
    """
    return _LATIN_DAY.search(text) is not None


def latin_before(text: str, place: str) -> bool:
    """Whether `place` is said right after Latin letters ("HN邵阳"): a province in pinyin."""
    return any(
        _LATIN_BEFORE.search(text, 0, match.start()) is not None
        for match in re.finditer(re.escape(place), text)
    )


def part_that_came(text: str) -> int | None:
    """The people of a total who came back, when the total names those who did not.

    "该户共5口人，其中3口人在义乌没走，2口人今天从安徽回来" is 2; "共10名，其中本地7名"
    is 3. None when no such total and part are said.
    """
    total_match = _TOTAL_OF.search(text)
    if total_match is None:
        return None
    stayed_match = _STAYED.search(text, total_match.end())
    if stayed_match is None:
        return None
    total = to_int(total_match.group(1))
    stayed = to_int(stayed_match.group(2) or stayed_match.group(3))
    if total is None or stayed is None or not 0 < stayed < total:
        return None
    return total - stayed
