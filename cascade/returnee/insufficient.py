"""Round 12: when the evidence for a value is not enough, the value is asked, not read.

Eleven rounds of rules taught the readers new shapes; each unseen part then
brought other shapes, and about one message in eight still came out with a
wrong value and no question. The unasked wrong values of the two latest parts
(heldout10 and heldout11, now tuning parts) were not missing shapes but values
the readers were sure of on evidence that could not carry them:

- a place that is where the returnees now are (义乌) read as where they came
  from or as a stop on the way;
- a place name that goes on past the value (东阳横店, 金华市区, 加拿大温哥华) or
  whose province is said apart from it (贵州的，铜仁那边);
- places on the way that the route gave no role (途经西安 郑州, 在郑州坐高铁);
- an hour said as a bound (16:00 前), the hour of one leg followed by another
  leg (14点40落地，然后坐大巴), a night told as past with no day said (半夜回来的),
  the day of another step (明天开始派件); a rough hour (8点多) stays that hour, as
  the corpus header says;
- an address beside something, cut at its front or going on past its end
  (宾王路西侧春晗二区11号, 店里员工宿舍, 国际商贸城二区东门H3), with a count word in
  it (5组一户), or with Arabic and Chinese digits mixed (19幢二单元);
- a count beside several households, a family said without its size (弟弟一家),
  or a number after "A和B" that may be B's or everyone's;
- two people each with a place of their own (保姆是四川人，小孩是从上海…).

None of the checks reads a value; each only says the evidence does not pin one
down, so the bot asks the reporter one question. `insufficient` is called once,
on the whole message, after the readers and the earlier guards; it adds round 13's
checks (`unpinned`), round 14's (`unsettled`), round 15's (`unread`) and round 16's
(`confirm.unsure`), written the same way for the next parts' misses.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from itertools import pairwise

from cascade.returnee.arrival import arrival_days, clock_spans
from cascade.returnee.asks import NOT_PLACE_START
from cascade.returnee.confirm import unsure
from cascade.returnee.evidence import Values, clause_around
from cascade.returnee.places import apart, contains, find_places
from cascade.returnee.text import NUM, to_int
from cascade.returnee.unfixed import unfixed
from cascade.returnee.unpinned import unpinned
from cascade.returnee.unread import unread
from cascade.returnee.unsettled import unsettled
from cascade.returnee.untold import untold
from cascade.returnee.where import place_roles

_HAN = re.compile(r"[\u4e00-\u9fff]")
# Where reports come to: a place here is not where anyone came from, nor a stop.
_LOCAL = ("义乌",)

# --- origin and route --------------------------------------------------------------
# After a place name, a travel word: what stands between them is a name of its own
# ("东阳横店回义乌").
_TRAVEL_NEXT = re.compile(r"回|来|飞|出发|返|过来")
# Characters that start a verb, not a name: "江西宜春自驾返回", "河南周口卸货回来".
_NOT_NAME_START = NOT_PLACE_START | set("自还没不卸装运载接办买卖看玩探过哦啊呀呢嘛吧")
# Someone said to be of a place: "保姆是四川人", "小孩是从上海…回来的".
_PERSON_IS = re.compile(
    r"(保姆|阿姨|小孩|孩子|老人|老婆|老公|丈夫|妻子|媳妇|女婿|儿子|女儿|男的|女的|司机|师傅)"
    r"\s*(?:是|说是)\s*(?:从)?\s*$"
)
_PLURAL = re.compile(r"们|都|一起|全家|大家")
# Right after a leg's end, a boarding word: the place is where they changed ("在郑州坐高铁").
# Round 14: also after a station's side ("再到金华南，然后打车") and a hired car.
_BOARDS = re.compile(
    r"\s*(?:[东南西北]站?|站)?\s*[，,]?\s*(?:再|又|后|然后|之后)?\s*"
    r"(?:坐|乘|搭|转|换|飞|打车|打的|包车|叫车)"
)

# --- arrival -----------------------------------------------------------------------
# An hour said as a bound: "16:00 前", "10点以前" (a rough hour, 8点多, is that hour).
_BOUND_AFTER = re.compile(r"\s*(?:以前|之前|前(?![天后]))")
# After a clock time, not an arrival but a leg with another after it ("14点40落地，然后坐大巴").
_ARRIVAL_NEXT = re.compile(r"\s*(?:的)?\s*(?:到|回|抵|返)")
_LATER_LEG = re.compile(
    r"[^。；;\n]{0,20}?(?:然后|再|之后|接着|转)\s*(?:坐|乘|搭|转|换|打车|开车|回|到)"
)
# Day words, to tell whether a time of day is anchored to one.
_DAY_SAID = re.compile(
    r"今|昨|明|前天|后天|\d{1,2}\s*[月./]\s*\d{1,2}|[一二三四五六七八九十]{1,3}\s*月"
    r"|周[一二三四五六日天]|星期|礼拜|正月|初[一二三四五六七八九十]|当天|那天|头天|次日"
)
_PAST = re.compile(r"的|了|已")
# Night words: said as past with no day, they name no one night.
_NIGHT = re.compile(r"半夜|深夜|夜里|夜间")
# In a day's clause, the start of work or a visit, not an arrival: "明天开始派件",
# "今天来做健康证明".
_OTHER_STEP = re.compile(
    r"开始|开工|复工|上班|上岗|营业(?!员)|开业|派件|(?:来|去)(?:做|办)|来看病|来检查|来体检"
)
_ARRIVES = re.compile(r"[回到抵返]|过来|进来")

# --- address -----------------------------------------------------------------------
# Right after an address, words that go on with it: a gate or a side, a stall, a room.
_ADDRESS_ON = re.compile(
    r"[东西南北]\s*(?:门|侧|扩)|[A-Za-z]\s*\d|\d|对面|旁边|附近|隔壁|商位|摊位|铺位"
)
# Inside an address, words that place it beside something else or count households.
_ADDRESS_ASIDE = re.compile(rf"[东西南北]侧|对面|旁边|附近|隔壁|(?:{NUM})\s*(?:户|家)(?:人)?$")
# Right before an address, words that place it beside something: "宾王路西侧春晗二区".
_ASIDE_BEFORE = re.compile(r"(?:[东西南北](?:侧|边|面)|对面|旁边|附近|隔壁)\s*$")
# An address that names no place of its own: "员工宿舍", "宿舍", "出租房".
_GENERIC = re.compile(r"(?:员工|职工|工人)?(?:宿舍|公寓|出租房|板房|工棚)\S{0,4}")
_LEAD_CHARS = set("住在到于是的我从了和跟说去往搬租经带向他她给为系即回来:：")
_CN_UNIT = re.compile(r"[零〇一二三四五六七八九十]+\s*(?:号楼|单元|幢|栋|号|室|层|楼)")
_ARABIC_UNIT = re.compile(r"\d+\s*(?:号楼|单元|幢|栋|号|室|层|楼)")

# --- count -------------------------------------------------------------------------
# Several households said: "两户租客", "三家".
_HOUSEHOLDS = re.compile(
    rf"(?<![第\d])({NUM})\s*(?:户|家)\s*(?=租客|租户|人家|外地人|商户|亲戚|住户|房客|人)"
)
_TOTAL = re.compile(rf"(?:共|共计|合计|一共|总共|总计)\s*(?:有|是)?\s*(?:{NUM})")
# A family said as one item of a list, without its size: "我爸妈和我弟弟一家".
_FAMILY_IN_LIST = re.compile(
    r"(?:和|跟|与|及|还有|加上|、)\s*[\u4e00-\u9fff]{0,4}?(?:一家|全家)(?!\s*[\d一二两三四五六七八九十]|人|子|口)"
)
# A number of people right after "A和B" where B may be several: B's number, or everyone's?
_OPEN_COMPANION = re.compile(
    r"(?:和|跟|与|同)\s*(?:他的?|她的?)?\s*"
    r"(?:伙计|工人|老乡|员工|同事|朋友|徒弟|学徒|店员|小工|营业员|工友|亲戚|家人|家属)"
    rf"\s*({NUM})\s*(?:个人|个|名|位|人)"
)


def insufficient(work: str, now: datetime, values: Values) -> set[str]:
    """The fields whose value `work`, the whole message, does not pin down (see the
    module's list); each is asked instead."""
    asked: set[str] = set()
    origin, via = values.origin, values.via
    if origin is not None and _origin_unsure(work, origin):
        asked.add("origin")
    if origin is not None and _local(origin) and via:
        asked.add("via")  # "从重庆飞义乌机场" read as 义乌 via 重庆: the roles are mixed up
    if any(_local(stop) for stop in via) or _stop_unplaced(work, via):
        asked.add("via")
    if values.arrival is not None and _arrival_unsure(work, now, values.arrival):
        asked.add("arrival")
    if values.address is not None and _address_unsure(work, values.address):
        asked.add("address")
    if values.count is not None and _count_unsure(work, values.count):
        asked.add("count")
    # rounds 13, 14 and 15
    checks = unpinned(work, now, values) | unsettled(work, now, values) | unread(work, values)
    rounds = unsure(work, values) | unfixed(work, values) | untold(work, values)  # 16, 17, 18
    return asked | checks | rounds


def _local(place: str) -> bool:
    """Whether `place` names 义乌 ("义乌", "浙江义乌", "义乌本地")."""
    return any(local in place for local in _LOCAL)


def _origin_unsure(work: str, origin: str) -> bool:
    """Whether the origin is where they are now, goes on past what was read, is a city
    whose province is said apart, or is one of two people's two places."""
    return any(
        check(work, origin) for check in (_is_local, _runs_on, _province_apart, _each_a_place)
    )


def _is_local(work: str, origin: str) -> bool:
    """ "员工向某说他是2月14日到的义乌": where they came to, read as where they came from."""
    return _local(origin)


def _runs_on(work: str, origin: str) -> bool:
    """Whether a mention of the origin goes on with a name of its own before a travel
    word ("东阳横店回义乌", "加拿大温哥华飞上海") or with the city's district ("金华市区")."""
    hits = find_places(origin)
    country = len(hits) == 1 and hits[0].place.kind == "country"
    for match in re.finditer(re.escape(origin), work):
        end = match.end()
        if origin.endswith("市") and work[end : end + 1] == "区":
            return True
        name = work[end : end + 2]
        if len(name) < 2 or not all(_HAN.fullmatch(ch) for ch in name):
            continue
        if any(ch in _NOT_NAME_START for ch in name):
            continue
        if country or _TRAVEL_NEXT.match(work, end + 2):
            return True
    return False


def _province_apart(work: str, origin: str) -> bool:
    """Whether the origin, a city said without its province, is not travelled from and
    its province is said apart ("贵州的，铜仁那边"; "从安徽合肥，不对是六安")."""
    hits = find_places(origin)
    if len(hits) != 1 or hits[0].place.kind != "city":
        return False
    roles = place_roles(work)
    if any(text == origin and role == "travel" for text, role, _s, _e in roles):
        return False
    return any(
        hit.place.kind == "province" and contains(hit.text, origin) for hit in find_places(work)
    )


def _each_a_place(work: str, origin: str) -> bool:
    """Whether two people are each said to be of a different place and no one said for
    all of them ("保姆是四川人，小孩是从上海…回来的")."""
    said: list[tuple[str, str]] = []
    for hit in find_places(work):
        person = _PERSON_IS.search(work, max(0, hit.start - 8), hit.start)
        if person is not None:
            said.append((person.group(1), hit.text))
    for i, (who, where) in enumerate(said):
        for other_who, other_where in said[i + 1 :]:
            if who != other_who and apart(where, other_where):
                return not any(
                    _PLURAL.search(clause_around(work, hit.start, hit.start))
                    for hit in find_places(work)
                )
    return False


def _stop_unplaced(work: str, via: list[str]) -> bool:
    """Whether a place right after a stop was given no role ("途经西安 郑州"), or a
    leg's end other than here is where they boarded again ("在郑州坐高铁到杭州")."""
    roles = place_roles(work)
    for (_text, role, _start, end), (_next, next_role, start, _end) in pairwise(roles):
        if role == "via" and next_role == "bare" and not work[end:start].strip(" 、,，/"):
            return True
    return any(
        role == "destination"
        and not _local(text)
        and not any(not apart(text, stop) for stop in via)
        and _BOARDS.match(work, end)
        for text, role, _start, end in roles
    )


def _arrival_unsure(work: str, now: datetime, arrival: date | datetime) -> bool:
    """Whether the hour is a bound, a later leg follows it, a night is not anchored to
    a day, or the day is another step's."""
    return any(
        check(work, now, arrival) for check in (_bound, _later_leg, _unanchored, _other_step)
    )


def _bound(work: str, now: datetime, arrival: date | datetime) -> bool:
    """An hour read from a clock time said as a bound ("今日 16:00 前抵义")."""
    return isinstance(arrival, datetime) and any(
        _BOUND_AFTER.match(work, end) for _start, end in clock_spans(work)
    )


def _later_leg(work: str, now: datetime, arrival: date | datetime) -> bool:
    """An hour read from a leg's clock time with another leg after it ("14点40落地，
    然后坐大巴回义乌")."""
    return isinstance(arrival, datetime) and any(
        not _ARRIVAL_NEXT.match(work, end) and _LATER_LEG.match(work, end)
        for _start, end in clock_spans(work)
    )


def _unanchored(work: str, now: datetime, arrival: date | datetime) -> bool:
    """A night said as past with no day ("半夜回来的"): which night?"""
    if arrival_days(work, now) or _DAY_SAID.search(work):
        return False
    return any(
        _PAST.search(clause_around(work, match.start(), match.start()))
        for match in _NIGHT.finditer(work)
    )


def _other_step(work: str, now: datetime, arrival: date | datetime) -> bool:
    """The arrival's day said in the clause of another step ("明天开始派件")."""
    for start, _day in arrival_days(work, now):
        clause = clause_around(work, start, start)
        if _OTHER_STEP.search(clause) and not _ARRIVES.search(clause):
            return True
    return False


def _address_unsure(work: str, address: str) -> bool:
    """Whether the address places itself beside something or counts households, is cut
    at its front or goes on past its end, or mixes Arabic and Chinese digits."""
    return any(check(work, address) for check in (_aside, _cut_front, _goes_on, _mixed_digits))


def _aside(work: str, address: str) -> bool:
    """ "宾王路西侧…", "前洪村5组一户": words of no address kept in it."""
    return _ADDRESS_ASIDE.search(address) is not None


def _cut_front(work: str, address: str) -> bool:
    """ "住宾王路西侧春晗二区11号" read from 春晗, "住店里员工宿舍" from 员工."""
    at = work.find(address)
    if at <= 0:
        return False
    if _ASIDE_BEFORE.search(work, max(0, at - 4), at):
        return True
    before = work[at - 1]
    return (
        _GENERIC.fullmatch(address) is not None
        and _HAN.fullmatch(before) is not None
        and before not in _LEAD_CHARS
    )


def _goes_on(work: str, address: str) -> bool:
    """ "国际商贸城二区东门H3" read as 国际商贸城二区: the address goes on."""
    at = work.find(address)
    return at >= 0 and _ADDRESS_ON.match(work, at + len(address)) is not None


def _mixed_digits(work: str, address: str) -> bool:
    """ "贝村小区19幢二单元": Arabic and Chinese digits in one address, one of them
    rewritten by the reader."""
    if work.find(address) >= 0:
        return False
    for match in re.finditer(r"[^\s,，。;；:：]+", work):
        piece = match.group()
        if _CN_UNIT.search(piece) and _ARABIC_UNIT.search(piece):
            return True
    return False


def _count_unsure(work: str, count: int) -> bool:
    """Whether the count is no more than the households said, a family is one item of a
    list without its size, or the number after "A和B" may be B's alone."""
    return any(check(work, count) for check in (_households, _family_unsized, _open_companion))


def _households(work: str, count: int) -> bool:
    """ "两户租客…302是夫妻两个…502是一个小伙子" read as 2: not more than the households."""
    if _TOTAL.search(work) is not None:
        return False
    for match in _HOUSEHOLDS.finditer(work):
        households = to_int(match.group(1))
        if households is not None and households >= 2 and count <= households:
            return True
    return False


def _family_unsized(work: str, count: int) -> bool:
    """ "我爸妈和我弟弟一家": a family listed with others and no number said for it."""
    return _TOTAL.search(work) is None and _FAMILY_IN_LIST.search(work) is not None


def _open_companion(work: str, count: int) -> bool:
    """ "老板马师傅和伙计3个人": 3 helpers, or 3 in all? Two in all would leave one
    helper, so only a number above two is open."""
    for match in _OPEN_COMPANION.finditer(work):
        number = to_int(match.group(1))
        if (
            number is not None
            and number >= 3
            and not _PLURAL.search(clause_around(work, match.start(), match.start()))
        ):
            return True
    return False
