"""Round 10: a field is given only when the message holds no evidence for it left unused.

Nine rounds of rules, each written for the shapes a spent corpus part showed,
moved text their authors never saw by about a point a round: fresh text brings
fresh shapes. What the wrong values shared was not a shape but a leftover: the
reader took one number of people and the message said another (就俩人 beside
three relatives), took an address and left its first or last word (目的地 → 地…,
3号 of 3号宿舍楼), took a day and left a clock time, took one place and left a
second one no role accounts for. This module is the one check behind all of
them, the same for every reader:

1. the reader's value is located in the message: the span it consumed (the
   address's characters, the number of people that equals the count, the
   places the route gave a role, the phone's digits, the day and the hour);
2. a scanner finds every piece of evidence for each field with the readers'
   own lexicons (numbers with a person unit, kin words and names; the gazetteer;
   day words and clock times; address heads and units; long digit runs);
3. evidence outside what the value accounts for makes the field a question.

The earlier rounds' "ask when…" predicates (`asks`, round 8; `unsure`, round 9;
a few in `guards` and `doubt`) are consulted here too (`doubted`), so whether a
field is given or asked is decided in one place, `to_ask`, at the end of each
reading.

A question costs the reporter one answer; a wrong number confirmed at midnight
sends the wrong people to isolation. So the checks are broad, and their price
(right values turned into questions on the tuning parts) is measured in
tests/domain/returnee_corpus/README.md ("Rules of round 10").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from cascade.returnee.arrival import arrival_days, clock_spans
from cascade.returnee.asks import (
    arrival_asked,
    count_asked,
    origin_asked,
    several_households,
    unread_subplace,
    without_absent_places,
)
from cascade.returnee.doubt import drop_abandoned, return_unlikely
from cascade.returnee.guards import latin_before, latin_day, without_document_places
from cascade.returnee.people import kin_positions
from cascade.returnee.places import apart, contains
from cascade.returnee.roster import table_count
from cascade.returnee.text import CLAUSE_STOP, CN_NUM_CHARS, blank, clause_start, spaced, to_int
from cascade.returnee.unsure import arrival_unsure, count_unsure, origin_unsure
from cascade.returnee.where import DWELLING_OF, LEAD_WORDS, find_address, place_roles

# A number said with a unit that counts people: "3人", "两名", "五位", "俩人", "4口人".
_HEADCOUNT = re.compile(
    rf"(?<![第\d./-])(?<!\d[,:：])(\d{{1,3}}(?:,\d{{3}})+|\d+\s*|[{CN_NUM_CHARS}]+)"
    r"(?:个人|名|位|口人|人(?![员民次数口])|口(?=[\s,，。;；、从回来到]|$|之家)"
    r"|个(?=[^\s,，。;；、\d]{0,3}?(?:工人|员工|孩子|小孩|老乡|租客|租户|店员|小工|朋友|亲戚|同事"
    r"|学生|乘客|客人|师傅|伙计))|个(?=\s*(?:在|都|是|说|已|还|没|也))"
    r"|个(?=[^\s,，。;；\d个]{1,6}?的(?:[\s,，。;；、一两]|$)))"
)
# Before a relative, words that make them a companion of someone else: "同车妻子", "带老婆".
_WITH_BEFORE = re.compile(
    r"(?:同车|同行|带着|带了|带|和|跟|与|及|还有|加上)\s*(?:他|她)?\s*(?:的)?\s*$"
)
# After a relative, words that make them come along: "他儿子也一起", "他老婆也回来了".
_WITH_AFTER = re.compile(
    r"[^,，。;；\s]{1,5}?(?:也一起|一起回|一起来|一块回|一块来|也回来|也来了|也到了|也跟着)"
)
# In a clause, words that say the people in it have not come yet.
_STILL_AWAY = re.compile(
    r"还没|还未|还在|在路上|过几天|晚几天|下周|下礼拜|下星期|再来|再回|还有[^,，。;；]{0,8}?(?:没|未)"
)
# Companions said as a number apart from the one they came with: "同行家属2人".
_COMPANION = re.compile(r"(?:同行|随行|陪同)(?:家属|人员|的)?\s*$")
# Words that mark a total: "共7人", "合计15名", "一共三个人".
_TOTAL_BEFORE = re.compile(r"(?:共|共计|合计|一共|总共|总计|累计)\s*(?:有)?\s*$")
# Words that take a number back: "不是3人，是4人".
_DENIED_BEFORE = re.compile(r"(?:不是|并非|没有|不到)\s*$")
# A clause that tells a leg of the route: a place in it is a stop or a way, not an origin.
_ROUTE_WORDS = re.compile(r"转|途经|途径|经过|路过|中转|换乘|下车|那条|走的是|绕|经停|途中|中途")
# A bare number in the people's own column or after the people's own word: "租客3", "人数:2".
_COLUMN_COUNT = re.compile(
    r"(?:租客|租户|房客|员工|工人|人员|人数|返乡人员|返义人员)[ ]*[:：]?[ ]*(\d{1,3})"
    r"(?!,\d)(?=[\s,，。;；、|)）]|$)"
)
# Words that make a number a part of the people counted, not their total: "带5位家人",
# "其中2人", "每户三个人", "男2名".
_PART_BEFORE = re.compile(
    r"(?:带|和|跟|及|加|另|其中|有|中|含|包括|每户|每家|每|男|女|大人|小孩|成人|儿童|家属|同行|、)"
    r"[^,，。;；\d]{0,4}$"
)
# A doubting particle right after a value: "湖南的吧", "三个人吧", "明天吧？".
_DOUBT_AFTER = re.compile(r"\s*(?:的|人|来的|回来的|到的)?\s*吧")
# A day word as the arrival reader finds it, to its end.
_DAY_END = re.compile(r"\S{1,8}?(?=[到回来返抵的,，。\s吧]|$)")
# A number of people said not to be known.
_COUNT_UNKNOWN = re.compile(
    r"人数不详|人数不清|人数未知|人数待定|不知道几个|几个人我?(?:还)?不知道|具体多少|具体几个|若干|待统计"
    r"|没看清|数不清"
)
# Someone who stayed, with nobody said to have come: no count and no origin
# ("年前就没回去，一直在义乌").
_STAYED = re.compile(
    r"(?:没|没有|未|不曾|并未)\s*(?:回去|回家|回老家|离开|离义)|一直在义乌|一直在这"
)
_CAME = re.compile(r"回来|过来|返回|返义|回义乌|到义乌|抵达|到了|来了|到的")
# Before a place, words that make it a home, a document's or a plate's, not the trip.
_HOME_BEFORE = re.compile(
    r"(?:籍贯|户籍|老家|身份证|户口|牌照|车牌|口音|地址是|住址是)\s*(?:地|是|为|在|:|：)?\s*$"
)
_HOME_AFTER = re.compile(r"\s*(?:人|籍|牌照|车牌|口音|话|户籍|老家)")
# Words that set one account against another: "不过身份证是重庆的", "其实是湖南的".
_CONTRAST = re.compile(
    r"不过|但是|但他|但她|但我|可是|可我|其实|实际上|改口|又说|却|然而|但(?=[\u4e00-\u9fff])"
)
# Before a place, a way they did not take: "不走湖北", "没经过武汉".
_NOT_TAKEN = re.compile(r"(?:不|没|没有|未|别)\s*(?:走|经过|经|去过|到过|路过|绕)\s*$")
# In a day's clause, the reporter's own later step instead of an arrival.
_OTHER_EVENT = re.compile(
    r"(?:再|下午|晚上|晚点|明天|上午|统一)\s*报(?!备|告|到)|上报(?!时间)|去问|问一下|再问|核实|测温|测体温"
    r"|量体温|统计|整理|走访|去看|核查"
)
_ARRIVES = re.compile(r"到|回|来|抵|返|进|入住|过来")
# A time said not to be known yet.
_TIME_UNKNOWN = re.compile(
    r"(?:时间|日期|哪天|几号|到达|抵达|回来)\s*(?:还)?\s*(?:不详|不清楚|不知道|未知|待定|没定|未定)"
    r"|还没定|还未定|没定下来"
)
# Labels said right before an address: the value must not start inside one ("目的地" → "地…").
_ADDRESS_LABEL = re.compile(
    r"目的地|详细地址|居住地址|住宿地址|现住址|现居住地址|地址|住址|院址|厂址|校址|店址|住所|"
    r"住处|居住地|下车地点|地点"
)
# Between the word that says where someone lives and the address, the words left there.
_LEAD = re.compile(r"(?:住在|住进|住到|住于|住(?![所宿店址处]))\s*([^\s,，。;；:：]{1,6})$")
_UNTAKEN_LEAD = re.compile(
    r"(?!(?:我|我们|我家|这边|这里|那边|在|的|了|着|进|到|于))[\u4e00-\u9fff]{2,6}"
)
# Inside an address, words that belong to no address: a day, a pointer, a report's verb.
_NOT_ADDRESS_WORDS = re.compile(
    r"今天|今早|今晚|昨天|昨晚|明天|前天|后天|这个|那个|举报|反映|报告|门牌|给"
)
# An estate's head said without its name, before the building: "小区12栋".
_BARE_ESTATE = re.compile(r"(?:小区|社区)\s*\d")
# Heads said alone, without a name: "住小区9幢…" leaves no name untaken.
_GENERIC_HEADS = ("小区", "村里", "厂里", "宿舍", "公司")
# What an address continues with: a unit, a room, a dormitory or a shed said right after it.
# (round 16: 号码 is a phone word, "宾王小区5幢302 号码1825…")
_ADDRESS_GOES_ON = re.compile(
    # round 17: not a phone typed after it ("…1单元502 13655531209")
    r"\s*(?:\d(?!(?:[\s-]?\d){6})|[零〇一二三四五六七八九十]+\s*(?:号|幢|栋|楼|单元|室|层)|号楼|号(?!码)|幢|栋|单元|室|层|楼"
    r"|宿舍|公寓|板房|工棚|期|[零〇一二三四五六七八九]{2}|旁边|附近|对面|隔壁|后面|前面|边上)"
)
# A second building, unit or room said elsewhere in the message.
_ADDRESS_PIECE = re.compile(r"(?<![\d.:-])\d{1,4}\s*(?:号楼|幢|栋|单元|室)")
# A place someone lives in, said with the verb: "他姐姐住下王村", "过几天搬到下王村8号".
_OTHER_HOME = re.compile(
    r"(?:住在|住到|住进|搬到|搬去|搬进|住(?![所宿店址处在到进]))\s*(?![我咱这那本他她])"
    r"([\u4e00-\u9fff]{2,8}?(?:村|小区|社区|新村|花园|公寓|苑|路|街|大厦))"
)
# Digits that could be a phone number: 7 or more in a run (spaces and dashes inside).
_DIGIT_RUN = re.compile(r"\d[\d\s-]{5,}\d", re.ASCII)
# A clause ends here; a list's 、 does not end it ("在石家庄、济南、南京都没下车").
# A date typed with dashes or dots is no phone number.
_DATE_RUN = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}")
# Where the returnees are now: a place said as where they came to is no second origin.
_LOCAL = ("义乌", "金华", "浙江")


@dataclass(frozen=True)
class Values:
    """The values the readers gave, to be weighed against the message's evidence."""

    count: int | None
    origin: str | None
    via: list[str]
    arrival: date | datetime | None
    address: str | None
    phone: str | None


def to_ask(said: str, unread: str, now: datetime, values: Values, asked: set[str]) -> set[str]:
    """The fields whose value must become a question: those the readers' own doubts
    reach (in `unread`, the message as the readers left it: ID numbers, phones and the
    address blanked), and those not `asked` yet for which `said`, the message as
    typed, holds evidence the values do not account for."""
    return doubted(unread, values) | (unconsumed(said, now, values) - asked)


def doubted(unread: str, values: Values) -> set[str]:
    """Rounds 8 and 9: the signals that a value read is unsure, by field ("我车上带了4个",
    "身份证是重庆的", "河北的还是河南的", "另外新增一户", "HN邵阳", "zr晚上到", "改一下";
    the predicates live in `asks`, `unsure`, `guards` and `doubt`)."""
    found: set[str] = set()
    count, origin = values.count, values.origin
    if count is not None and (
        return_unlikely(unread) or count_asked(unread) or count_unsure(unread, count)
    ):
        found.add("count")
    if origin is not None and (
        latin_before(unread, origin)
        or origin_asked(unread, origin, values.via)
        or several_households(unread)
        or unread_subplace(unread, origin)
        or origin_unsure(unread, origin)
    ):
        found.add("origin")
    if values.arrival is not None and (
        latin_day(unread) or arrival_asked(unread) or arrival_unsure(unread)
    ):
        found.add("arrival")
    return found


def unconsumed(work: str, now: datetime, values: Values) -> set[str]:
    """The fields for which `work` holds evidence the values do not account for."""
    asked: set[str] = set()
    if values.count is not None and _count_left(find_address(work)[1], values.count):
        asked.add("count")
    if values.origin is not None and _places_left(work, values.origin, values.via):
        asked.add("origin")
    if values.arrival is not None and _time_left(work, now, values.arrival):
        asked.add("arrival")
    if values.address is not None and _address_left(work, values.address):
        asked.add("address")
    if values.phone is not None and _digits_left(work, values.phone):
        asked.add("phone")
    asked |= _doubted_after(work, now, values)
    if values.count is not None and _COUNT_UNKNOWN.search(work):
        asked.add("count")  # "人数不详", "有几个人我还不知道": the count said is not the count
    if _STAYED.search(work) and not _CAME.search(work):
        asked |= {"count", "origin"}  # nobody left: no returnee to count or to place
    return asked


def _doubted_after(work: str, now: datetime, values: Values) -> set[str]:
    """The fields whose value is followed right away by a doubting particle: "湖南的吧",
    "三个人吧", "明天吧" (a hedge said before a value is `doubt`'s)."""
    _address, rest = find_address(work)
    ends: dict[str, list[int]] = {"count": [], "origin": [], "arrival": []}
    if values.count is not None:
        for match in (*_HEADCOUNT.finditer(rest), *_COLUMN_COUNT.finditer(rest)):
            if to_int(match.group(1)) == values.count:
                ends["count"].append(match.end())
    if values.origin is not None:
        ends["origin"] = [
            end for text, _role, _start, end in place_roles(rest) if not apart(text, values.origin)
        ]
    if values.arrival is not None:
        day = values.arrival.date() if isinstance(values.arrival, datetime) else values.arrival
        ends["arrival"] = [
            said.end()
            for start, other in arrival_days(rest, now)
            if other == day and (said := _DAY_END.match(rest, start))
        ]
    return {
        name for name, found in ends.items() if any(_DOUBT_AFTER.match(rest, end) for end in found)
    }


def _count_left(work: str, count: int) -> bool:
    """A number of people said that the count neither is nor adds up to.

    A total said (共7人, or the largest number when the others add up to it: 班组12人，
    其中本地5人，外地7人) accounts for its parts, and the count for the numbers that
    add up to it (一户2人一户3人); a part larger than the count is a count missed."""
    if table_count(work)[1] == count:
        return False  # a table's column, summed by the reader
    said: list[int] = []
    parts: list[int] = []
    totals: list[int] = []
    companions: list[int] = []
    other_at: list[int] = []
    for match in (*_HEADCOUNT.finditer(work), *_COLUMN_COUNT.finditer(work)):
        value = to_int(match.group(1))
        before = max(0, match.start() - 6)
        if value is None or value == 0 or _DENIED_BEFORE.search(work, before, match.start()):
            continue
        if value != count:
            other_at.append(match.start())
        if _TOTAL_BEFORE.search(work, before, match.start()):
            totals.append(value)
        elif _PART_BEFORE.search(work, before, match.start()):
            parts.append(value)
            if _WITH_BEFORE.search(work, before, match.start()) or _COMPANION.search(
                work, before, match.start()
            ):
                companions.append(value)
        else:
            said.append(value)
    everything = said + totals + parts
    for total in set(totals) or {max(everything, default=0)}:
        rest = [value for value in everything if value != total]
        if _adds_up(rest, total) and (count == total or count in rest):
            return False  # a total with its parts, the count one of them or the total
    if any(_STILL_AWAY.search(_clause_around(work, at, at + 1)) for at in other_at):
        return True  # "还有2个在南昌没回来": people said apart who have not come
    if any(value > count for value in parts) or any(value >= count for value in companions):
        return True  # "王某某…同行家属2人" read as 2: the one they came with is not counted
    if count == 1 and any(
        _WITH_BEFORE.search(work, max(0, at - 4), at) or _WITH_AFTER.match(work, at)
        for at in kin_positions(work)
    ):
        return True  # "司机邱某…同车妻子": one person and a relative who came with him
    others = [value for value in said + totals if value != count]
    if not others or _adds_up(others, count) or _adds_up(others + parts, count):
        return False  # the count, or the pieces of it (一户2人一户3人)
    return True


def _adds_up(values: list[int], total: int) -> bool:
    """Whether `values` add up to `total`, a number said twice counted once."""
    return sum(values) == total or sum(set(values)) == total


def _places_left(work: str, origin: str, via: list[str]) -> bool:
    """A place the route gave no role, other than the origin, its stops and homes."""
    _address, said = find_address(work)
    rest = drop_abandoned(without_absent_places(without_document_places(said)))
    turns = [match.end() for match in _CONTRAST.finditer(rest)]
    for text, role, start, end in place_roles(rest):
        if any(0 <= start - turn <= 10 for turn in turns) and not _agrees(text, origin, via):
            return True  # "说是从湖北过来的，其实是湖南的": another place set against it
        if (
            role in ("travel", "home", "bare")
            and len(text) > len(origin)
            and contains(origin, text)
        ):
            return True  # "江西上饶…上饶下面的玉山县" read as 上饶: the fuller mention left
        if role != "bare":
            continue
        if not apart(text, origin):
            continue
        if any(not apart(text, stop) for stop in via):
            continue
        if any(contains(local, text) for local in _LOCAL):
            continue
        if (
            _HOME_BEFORE.search(said, max(0, start - 8), start)
            or _HOME_AFTER.match(said, end)
            or _NOT_TAKEN.search(said, max(0, start - 6), start)
            or _ROUTE_WORDS.search(_clause_around(said, start, end))
        ):
            continue  # a home, a way not taken, or a leg of the route said in its clause
        return True
    return False


def _agrees(place: str, origin: str, via: list[str]) -> bool:
    """Whether `place` is the origin, a stop, or where the returnees now are."""
    return (
        not apart(place, origin)
        or any(not apart(place, stop) for stop in via)
        or any(contains(local, place) for local in _LOCAL)
    )


def _clause_around(text: str, start: int, end: int) -> str:
    """The clause that holds [start, end)."""
    left = clause_start(text, start)
    right = end
    while right < len(text) and text[right] not in CLAUSE_STOP:
        right += 1
    return text[left:right]


clause_around = _clause_around  # round 12: `insufficient` reads a clause the same way


def _time_left(work: str, now: datetime, arrival: date | datetime) -> bool:
    """A second day, or a clock time the arrival does not hold."""
    _address, work = find_address(work)
    day = arrival.date() if isinstance(arrival, datetime) else arrival
    if any(other != day for _start, other in arrival_days(work, now)):
        return True
    for start, other in arrival_days(work, now):
        clause = _clause_around(work, start, start + 1)
        if other == day and _OTHER_EVENT.search(clause) and not _ARRIVES.search(clause):
            return True  # "具体人数下午报", "明天上午要去给…测体温": another event's day
    if _TIME_UNKNOWN.search(work):
        return True  # "抵达时间不详", "云南那个还没定"
    clocks = clock_spans(work)
    return bool(clocks) and not isinstance(arrival, datetime)


def _address_left(work: str, address: str) -> bool:
    """Address words next to the value that it did not take, or a second building said."""
    span = _locate(work, address)
    if span is None:
        return False
    start, end = span
    for label in _ADDRESS_LABEL.finditer(work):
        if label.start() < end and start < label.end():
            return True  # "目的地苏溪镇…" read as "地苏溪镇…", "院址佛堂镇…" kept whole
    if _NOT_ADDRESS_WORDS.search(work, start, end) or _BARE_ESTATE.match(address):
        return True  # "今天二区32街", "这个塘下村31号", "小区12栋": words of no address kept
    lead = _LEAD.search(work, 0, start)
    if (
        lead is not None
        and _UNTAKEN_LEAD.fullmatch(lead.group(1))
        and not lead.group(1).endswith(("的", *LEAD_WORDS))
        and lead.group(1) not in _GENERIC_HEADS
        and not DWELLING_OF.fullmatch(lead.group(1))  # round 17: "住公司宿舍北苑街道…"
    ):
        return True  # "住楼下洪村11号" read as "洪村11号": words between 住 and the value
    if _ADDRESS_GOES_ON.match(work, end):
        return True  # "3号" of "3号宿舍楼"
    rest = blank(work, start, end)
    return any(_ADDRESS_PIECE.finditer(rest)) or any(
        match.end(1) <= start or match.start(1) >= end for match in _OTHER_HOME.finditer(work)
    )  # "住溪北村12号，他姐姐住下王村": a second place someone lives


def _digits_left(work: str, phone: str) -> bool:
    digits = phone.replace("-", "")
    for match in _DIGIT_RUN.finditer(_DATE_RUN.sub(" ", work)):
        run = re.sub(r"\D", "", match.group())
        if len(run) >= 7 and digits not in run and run not in digits and len(run) < 15:
            return True
    return False


def _locate(work: str, value: str) -> tuple[int, int] | None:
    """Where `value` is said in `work`, spaces typed inside it allowed."""
    found = work.find(value)
    if found >= 0:
        return found, found + len(value)
    match = re.search(spaced(value), work)
    return match.span() if match else None
