"""Round 14: what the message leaves unsettled is asked, not read.

Rounds 12 and 13 (`insufficient`, `unpinned`) asked values read from evidence
that could not carry them. The part their authors never saw (heldout13) still
had unasked wrong values of kinds they did not weigh:

- the reporter saying outright that a field is not known (什么时候到的我也不知道,
  人数…都没说), while something else in the message looks like a value (今天早上
  看到他们: a day, but not the arrival; 有人: "someone", not one person);
- a day given as a lower bound (正月十五过了就回来, 2月20日以后), and people of
  one report arriving at different times (一个已经到了，一个明天到);
- people listed one by one (一个从江西抚州，一个从湖南郴州) or N people with a
  relative after them (两个小人跟渠拉娘) counted as fewer than they are;
- an origin with the batch it came in (贵州毕节分两批), or a city read bare while
  the message also names it with its province (安徽阜阳 … 阜阳回义乌);
- an address going on past its end with a name and a room (福田宾馆东楼308房),
  a dwelling (…工地活动板房) or, after a space, another place (福田街道 福田工业区三期);
- a leg's end that is not here, with the arrival here said after it (转机到上海浦东，
  2月22日回到小区): a stop, not where they ended up (a leg's end followed by another
  leg, 再到金华南，然后打车, is round 12's `_stop_unplaced`, widened in round 14).

As in the two rounds before, no check reads a value: each only says that the
message does not settle one, and the field is asked.
"""

from __future__ import annotations

import re
from datetime import datetime

from cascade.returnee.evidence import Values
from cascade.returnee.people import MARKED_TOTAL, SINGLE_KIN
from cascade.returnee.places import find_places
from cascade.returnee.text import NUM, to_int
from cascade.returnee.where import HERE_LATER, place_roles

_CLAUSE = r"[^。；;，,\n]"

# --- said not to be known ----------------------------------------------------------
# "什么时候到的我也不知道", "哪天到的我还没问".
_WHEN_UNKNOWN = re.compile(
    rf"(?:什么时候|啥时候|几时|哪天|哪一天|几号)\s*(?:到|回|来){_CLAUSE}{{0,6}}?"
    r"(?:不知道|不清楚|不晓得|没问|没说|没讲|不确定)"
)
# "人数和哪里回来的都没说", "人数不清楚".
_COUNT_UNKNOWN = re.compile(
    rf"(?:人数|几个人|多少人){_CLAUSE}{{0,8}}?(?:没说|没讲|不知道|不清楚|不详|未知|没问|不确定)"
)

# --- arrival -----------------------------------------------------------------------
# A day said as a lower bound: "正月十五过了就回来", "2月20日以后" (not "三天以后", a
# number of days from now).
_AFTER_DAY = re.compile(
    r"(?:正月|初[一二三四五六七八九十]|十五|元宵|[日号节]|[今明昨前后]天|周[一二三四五六日天]"
    r"|礼拜[一二三四五六日天])"
    r"\s*(?:过了|过完|过后|以后|之后)"
)
# People of one report arriving at different times: "一个已经到了，一个明天到",
# "有的昨天到有的今天到".
# Each side names when ("一个从湖南回来，一个从江西回来" is where, not when).
_WHEN = (
    r"(?:已经|已|刚|今|明|昨|前天|后天|下周|周[一二三四五六日天]|星期|礼拜"
    r"|\d{1,2}\s*[日号]|早上|晚上|上午|下午)"
)
_ONE_ARRIVES = rf"{_CLAUSE}{{0,4}}?{_WHEN}{_CLAUSE}{{0,4}}?(?:到|回)"
_SPLIT_ARRIVALS = re.compile(
    rf"(?:一个|一人|有的|一部分|一批){_ONE_ARRIVES}{_CLAUSE}{{0,6}}?[，,；;\s]?\s*"
    rf"(?:另一个|另外一个|还有一个|一个|一人|有的|另一部分|另一批|另外的){_ONE_ARRIVES}"
)

# --- count -------------------------------------------------------------------------
# One of a list said person by person: "一个从江西抚州，一个从湖南郴州".
_ONE_BY_ONE = re.compile(
    r"(?:^|(?<=[，,；;、\s:：]))(?:另一个|另外一个|还有一个|一个)(?=\s*(?:从|是|来自))"
)
# N people and a relative after them: "两个小人跟渠拉娘" (N, or N and the relative?).
_N_AND_KIN = re.compile(
    rf"({NUM})\s*(?:个|名|位)\s*[\u4e00-\u9fff]{{0,3}}?\s*(?:跟|和|同|与|带着?|加上?)\s*"
    rf"[\u4e00-\u9fff]{{0,3}}?(?:{SINGLE_KIN}|娘|爹)"
)

# --- origin ------------------------------------------------------------------------
# The batch they came in, read into the origin: "贵州毕节分两批".
_BATCH_IN = re.compile(rf"分?(?:{NUM})?批$")

# --- address -----------------------------------------------------------------------
# Right after an address, more of it: a name and a room ("如家酒店国际商贸城店8312房"),
# a dwelling ("…工地活动板房"), or after a space another place ("福田街道 福田工业区三期").
_ADDRESS_GOES_ON = re.compile(
    r"[\u4e00-\u9fff]{1,8}?\d+\s*(?:房|室|号)"
    r"|(?:活动板房|板房|彩钢房|工棚|宿舍|公寓)"
    r"|\s+[\u4e00-\u9fff]{2,8}?(?:工业区|园区|小区|新村|村|路|街)"
)

# --- route -------------------------------------------------------------------------
# Later in the message, the arrival here ("2月22日回到小区", "到义乌") is `where.HERE_LATER`.
# Right before a leg's end, a word of reaching it: "转机到上海浦东" (not "没有进湖北").
_REACHED = re.compile(r"(?<![没不未])(?:到|抵达|抵|至|飞)\s*$")
_LOCAL = "义乌"
# Round 16: right before a leg's end, the vehicle or the stop it left ("坐飞机到杭州",
# "经停兰州 到杭州"): another leg of a route whose stops were read.
_LEG_TO = re.compile(
    r"(?:飞机|航班|高铁|动车|火车|大巴|汽车|班车|经停\s*[\u4e00-\u9fff]{2,4})\s*(?:到|至|飞到)\s*$"
)


def unsettled(work: str, now: datetime, values: Values) -> set[str]:
    """The fields whose value `work`, the whole message, leaves unsettled (see the
    module's list); each is asked instead."""
    asked: set[str] = set()
    if values.arrival is not None and _arrival_unsettled(work):
        asked.add("arrival")
    if values.count is not None and _count_unsettled(work, values.count):
        asked.add("count")
    if values.origin is not None and _origin_unsettled(work, values.origin):
        asked.add("origin")
    if values.address is not None and _address_unsettled(work, values.address):
        asked.add("address")
    if values.via and _stop_missed(work, values.via, values.origin):
        asked.add("via")
    return asked


def _arrival_unsettled(work: str) -> bool:
    """Whether the arrival is said not to be known, a day is a lower bound, or people
    arrive at different times."""
    return any(pattern.search(work) for pattern in (_WHEN_UNKNOWN, _AFTER_DAY, _SPLIT_ARRIVALS))


def _count_unsettled(work: str, count: int) -> bool:
    """Whether the number is said not to be known, or (with no total said) fewer were
    counted than the people listed one by one, or N were counted of N and a relative."""
    if _COUNT_UNKNOWN.search(work):
        return True
    if MARKED_TOTAL.search(work):
        return False
    listed = len(_ONE_BY_ONE.findall(work))
    if listed >= 2 and count < listed:
        return True
    return any(to_int(match.group(1)) == count for match in _N_AND_KIN.finditer(work))


def _origin_unsettled(work: str, origin: str) -> bool:
    """Whether the origin holds the batch they came in, or is a city read bare while the
    message also names it with more in front (its province)."""
    if _BATCH_IN.search(origin):
        return True
    hits = find_places(origin)
    if len(hits) != 1 or hits[0].text != origin:
        return False
    return any(
        text != origin and text.endswith(origin) and _LOCAL not in text
        for text, _role, _start, _end in place_roles(work)
    )


def _address_unsettled(work: str, address: str) -> bool:
    """Whether the address, as written in the message, goes on past its end."""
    at = work.find(address)
    return at >= 0 and _ADDRESS_GOES_ON.match(work, at + len(address)) is not None


def _stop_missed(work: str, via: list[str], origin: str | None) -> bool:
    """Whether a leg, reached by 到/抵/飞, ends at a place other than here that is not
    among the stops, and the arrival here is said after it or other stops were read
    (round 16: "飞机经停兰州 到杭州", "经珠海 深圳 坐飞机到杭州")."""
    for text, role, start, end in place_roles(work):
        if role != "destination" or _LOCAL in text or any(text in stop for stop in via):
            continue
        if not _REACHED.search(work, max(0, start - 3), start):
            continue
        if HERE_LATER.search(work, end) or (  # round 16: a route with stops goes on
            _LEG_TO.search(work, max(0, start - 8), start)
            and not (origin and (text in origin or origin in text))
            and not any(text in stop or stop in text for stop in via)
        ):
            return True  # another leg right after it is `insufficient`'s (_stop_unplaced)
    return False
