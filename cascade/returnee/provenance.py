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
from datetime import datetime

from cascade.returnee.evidence import Values
from cascade.returnee.people import KNOWN_KIN
from cascade.returnee.places import apart, contains, find_places, places_in
from cascade.returnee.text import (
    CLAUSE_STOP,
    CN_NUM_CHARS,
    HAN,
    HEAD_UNIT,
    NUM,
    as_typed,
    spaced,
    to_int,
)


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


# Round 20: a stop said with more than its city: its district or county ("飞机到杭州萧山",
# "坐飞机到上海浦东") or its province ("在山东德州上的高铁"). Some parts write the stop as
# said, others as its city; the reporter confirms it.
def _more_than_a_city(stop: str) -> bool:
    hits = find_places(stop)
    return bool(hits) and (len(hits) >= 2 or hits[-1].end < len(stop))


# Round 20: a stop only passed by on the road ("路过湖南怀化的时候没下车", "路过衢州的时候下
# 高速加了个油"): whether a drive past is a stop is the reporter's to say.
_PASSED_BY = re.compile(r"(?:路过|开过)\s*$")


# Round 20: a stop said and then denied ("途经武汉？不是，途经宜昌"): the route reader keeps
# every stop it saw, so the stops are asked.
_DENIED_AFTER = re.compile(r"\s*[？?]?\s*(?:不是|不对)")


def _after(work: str, stop: str, pattern: re.Pattern[str]) -> bool:
    return any(pattern.match(work, said.end()) for said in re.finditer(spaced(stop), work))


# Round 20: a list of stops broken by a remark in brackets ("途经：武汉（只是路过没下车）、
# 杭州"): the route reader may stop at the bracket.
_REMARK_AFTER = re.compile(r"\s*[（(]")
# Round 20: a leg's end not read as a stop ("北京入境，北京转机到杭州"): the route is partial.
_LEG_END = re.compile(r"(?:转机|转车|转乘|换乘|中转|飞)\s*(?:到|至|往)\s*")


# Round 20: a city's station said among the stops ("经长沙南 金华南 中转") but not read as one.
_STATION_AFTER = re.compile(r"[东南西北](?:站)?(?=\s|[、，,]|$)|(?:火车站|高铁站|站)")


def _station_left_out(work: str, via: list[str]) -> bool:
    return any(
        _STATION_AFTER.match(work, hit.end) and all(apart(stop, hit.text) for stop in via)
        for hit in find_places(work)
    )


def _leg_end_left_out(work: str, via: list[str]) -> bool:
    for leg in _LEG_END.finditer(work):
        hits = [hit for hit in find_places(work[leg.end() : leg.end() + 8]) if hit.start == 0]
        if (
            hits
            and hits[0].place.canonical not in ("义乌", "金华")
            and all(apart(stop, hits[0].text) for stop in via)
        ):
            return True
    return False


# --- origin ------------------------------------------------------------------------
# The origin read only from who people are ("山西运城人", "安徽阜阳籍", "4个江西人"),
# never from where the journey began (从… or …返乡/回来, of that place or one it lies in
# or holds): the native place is often the origin, but a trip from elsewhere is as often
# left unsaid, so the reporter confirms it.
_NATIVE_AFTER = re.compile(r"\s*(?:省|市|县)?\s*(?:人(?!员)|籍|佬)")  # round 20: 广西佬
_JOURNEY_BEFORE = re.compile(r"(?:从|自)\s*$")
_JOURNEY_AFTER = re.compile(r"\s*(?:省|市)?\s*(?:返乡|返义|返回|回来|过来|来的)")


def _native_only(work: str, origin: str) -> bool:
    said = list(re.finditer(spaced(origin), work))
    return (
        bool(said)
        and all(_NATIVE_AFTER.match(work, found.end()) is not None for found in said)
        and not any(  # "湖南益阳人，从益阳坐大巴", "湖南返乡人员…系湖南岳阳人": a journey from there
            not apart(origin, hit.text)
            and (
                _JOURNEY_BEFORE.search(work, max(0, hit.start - 3), hit.start) is not None
                or _JOURNEY_AFTER.match(work, hit.end) is not None
            )
            for hit in find_places(work)
        )
    )


# Round 20: a province whose place inside it is said not to be known ("江西人，江西哪里讲不
# 清", "江西哪里他没说"): the province is all the message gives, and the reporter may know
# more, so it is kept for the reporter to confirm (the parts label it the province, or
# leave it asked).
_WHERE_UNKNOWN = re.compile(
    r"(?:哪里|哪个地方|哪儿|什么地方)\s*(?:的)?\s*(?:他|她|我|渠)?\s*(?:也)?\s*"
    r"(?:讲不清|说不清|不清楚|不知道|没说|没讲|没问|搞不清)"
)
# Round 20: no one on the way yet ("他们还没出来，等通知", "我还在老家…走不了，这个月不回来";
# round 21: "还没回来" with no day): the people and the place may be of someone who does not
# come now; they are kept for the reporter to confirm (emptying them cost as many right
# values as it caught).
_NOT_ON_THE_WAY = re.compile(
    r"还没(?:有)?出来|还没(?:有)?动身|还没(?:有)?出发|还没(?:有)?回来|走不了|出不来"
    r"|(?:这个月|这周|暂时|目前|近期)\s*(?:都)?\s*(?:不回来|不回|不来|回不来)"
)

# Round 20: a region around the place ("从江西那边回来的"): which part of it is not said.
_AROUND = re.compile(r"\s*(?:省|市)?\s*(?:那边|那块|那一块|一带|那里|那头)")
# Round 20: a native place said whole and the journey's start said as a place inside it or
# holding it ("江苏连云港人，今天从连云港出发", "重庆涪陵人，从重庆坐飞机"): the parts label it
# either way, so it is confirmed.
_FROM_BEFORE = re.compile(r"(?:从|自)\s*$")


def _native_and_journey(work: str, origin: str) -> bool:
    native = any(
        _NATIVE_AFTER.match(work, said.end()) for said in re.finditer(spaced(origin), work)
    )
    if re.search(rf"(?:从|自)\s*{spaced(origin)}", work):
        return False  # "河南信阳人，从河南信阳坐车回来": the journey from the place itself
    return native and any(
        hit.text != origin
        and not apart(origin, hit.text)
        and _FROM_BEFORE.search(work, max(0, hit.start - 2), hit.start) is not None
        for hit in find_places(work)
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

# Round 20: one person more added to a household said by its size ("一家三口加她妈妈",
# "夫妻俩加上一个老乡"): the reader counts the household or the one added, not both.
# Not when a number follows 加 ("夫妻两个加两个小孩": each part counted) or the count read
# is not the household's ("老两口加儿子儿媳…一共是五个人").
_ONE_ADDED = re.compile(
    rf"({NUM})\s*(?:口|个|人)[^{CLAUSE_STOP}]{{0,2}}?(?:加上|加)\s*(?![\d{CN_NUM_CHARS}])[^{CLAUSE_STOP}]"
)

# Round 20: only some of a household said to come ("一共六口人，这次只回来三个"), while the
# count read is another number: the household's size was taken for the people who come.
_ONLY_SOME = re.compile(rf"只\s*(?:回来了?|来了?|到了?|回)\s*({NUM})\s*{HEAD_UNIT}?")
# Round 20: someone who brings N people ("站长赵磊带四个快递员"), and the count read is N: the
# one who brings them was not counted, as "带5位家人" (six) is.
_BRINGS = re.compile(rf"带(?:了|着|领)?\s*({NUM})\s*(?:个|名|位)")

# Round 20: someone said to have come, with no number ("住户有人回来，我只看到行李箱"),
# read as one person.
_SOMEONE = re.compile(r"有人\s*(?:回来|来了|到了|过来|返回)")
_ONE_SAID = re.compile(
    rf"(?:一|1|单)\s*{HEAD_UNIT}|一个|就他|就她|独自|本人|我(?:已经|刚|今天|昨天)?(?:回来|到了)"
)

# Round 20: a relative named by another's kin ("他老婆的妹妹", "老公的弟弟"): the count reader
# may count the kin word once, for the one it belongs to (unless a number of people is said:
# "我老婆的妹妹一家…三个人").
# Not the kin of the one they look after ("独居老人的女儿…1名"): that one does not come.
_KIN_OF_KIN = re.compile(
    rf"(?:老婆|老公|妻子|丈夫|媳妇|爱人|儿子|女儿|哥哥|姐姐|弟弟|妹妹)的(?:{KNOWN_KIN.pattern})"
)

# --- arrival -----------------------------------------------------------------------
# Round 20: the hour or part of day of the arrival said as a guess ("大概下午吧", "估计中午
# 就到了", "到厂里大概晚上十一点", "大概晚上都能到"): most parts read 大概三点 as three
# o'clock, some leave it asked; the value is kept for the reporter to confirm.
_GUESSED_TIME = re.compile(
    r"(?:大概|大约|估计|可能|应该|也许)\s*(?:是|在|会|要|能)?\s*"
    r"(?:凌晨|清晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|半夜|深夜|今晚|明早|明晚"
    r"|[\d一二两三四五六七八九十]{1,3}\s*[点时])"
)

# Round 20: a clock time said for reaching another place than the last ("今天下午3点到杭州
# 晚上到义乌"): the hour may be an earlier leg's, so it is kept for the reporter to confirm.
_CLOCK_AT = re.compile(
    r"[\d一二两三四五六七八九十]\s*[点时](?:半|\d{1,2}\s*分?|[一二三四五]十[一二三四五六七八九]?分?)?"
    r"\s*(?:左右)?\s*(?:到|抵达|落地)\s*(?:了)?\s*(?=[\u4e00-\u9fff]{2})"
)

# Round 20: a total counted up to a time ("截至2月20日中午12时，我厂返厂人员共二十七人，
# 其中今日到厂九人"): its people came on several days, the day read is one of them.
_RUNNING_TOTAL = re.compile(r"截至|截止|累计")

# --- phone -------------------------------------------------------------------------
# Round 20: a mobile typed in groups other than 3-4-4 ("1375 7918 006"): a digit may have
# been dropped or moved in one group, so it is kept for the reporter to confirm.
_TYPED_PHONE = re.compile(r"(?<![\d-])\d{2,8}(?:[ -]\d{2,8})+(?![\d-])")


def _odd_groups(work: str, phone: str) -> bool:
    return any(
        re.sub(r"[ -]", "", typed.group()) == phone
        and [len(group) for group in re.split(r"[ -]", typed.group())] != [3, 4, 4]
        for typed in _TYPED_PHONE.finditer(work)
    )


# --- address -----------------------------------------------------------------------
# A building's numbers with no estate ("5幢1单元1201", "18幢2单元1502"): whose building?
_BUILDING_FIRST = re.compile(r"^\d+\s*(?:号楼|幢|栋|座|单元)")
# A unit with no flat ("丹溪家园2幢1单元"): the flat is said apart or not at all.
_UNIT_LAST = re.compile(r"单元$")
# The reporter's own words inside the address ("住我们小区7号楼…"): the reader took the
# place from the middle of a clause.
_SPEAKER_WORDS = re.compile(r"^住|^本|[我你他她]|.是")  # round 20: 本, 是 ("工地是…")
# Round 20: the reporter's own place before it ("本市场3号门边上", "住本店…"): 本 names a
# place the reader does not see whole.
_OWN_BEFORE = re.compile(r"本\s*$")
# Round 20: a word typed apart right before it after 住, or a landmark ("住 稠江 新屋村 7号",
# "菜市场对面 宾王新村20幢"): the reader began the address after it, which may be part of it.
_APART_BEFORE = re.compile(rf"(?:住\s*[{HAN}]{{2,4}}|对面|旁边|后面|附近|边上)\s+$")
# Round 20: a pointer word right before it that may begin its name ("住楼下朱村40号": 楼下朱村
# is a village; "住楼下302" is not): the reader dropped it, the reporter confirms.
_POINTER_BEFORE = re.compile(r"(?:楼下|楼上|门口|对面|隔壁)$")
# Round 20: a dwelling named by generic words only ("项目部宿舍", "工地板房", "网点楼上
# 宿舍", "本酒店502"): which site, works or hotel is not said in it.
_GENERIC_PLACE = re.compile(
    r"本|我们|我|这|那|的|里|上|下|边|个|项目部|项目|工地|网点|酒店|宾馆|民宿|店|厂区|厂|公司"
    r"|单位|学校|宿舍|板房|工棚|集体|楼|房间|房|室|号|\d"
)
# ... also after a town or a landmark ("义亭镇工地宿舍", "篁园路边上的集体宿舍").
_TOWN_OR_LANDMARK = re.compile(
    r"^[\u4e00-\u9fff]{2,4}(?:街道|镇|乡)|^.{2,8}?(?:边上|旁边|附近|对面|后面)的?"
)
# Round 20: a zone of a market or village with no stall or house in it ("商贸城二区",
# "东河村六区"): where they work or a whole quarter, not where they live.
_ZONE_LAST = re.compile(r"[\d一二三四五六七八九十东南西北]区$")
# The address read after a shop or stall ("店在国际商贸城…"), while where they live is
# said later after 住 ("他们住店后面的出租房"): the shop is not the home.
_SHOP_BEFORE = re.compile(r"(?:店|铺|商位|摊位|档口|驿站)\s*(?:在|位于|地址|是)?\s*[:：]?\s*$")
# Round 20: where they live said beside the shop ("住店后面，店在…", "住驿站后面").
_BESIDE_SHOP = re.compile(
    r"住(?:在)?\s*(?:店|铺|驿站|档口)(?:的)?\s*(?:后面|旁边|楼上|楼下|隔壁|里面|对面)"
)


def weak_paths(work: str, values: Values) -> list[Weak]:
    """The paths of weak evidence behind the values `work` was read into."""
    found: list[Weak] = []
    if any(_two_cities(stop) for stop in values.via):
        found.append(Weak("via", "a stop naming two cities", keep=False))
    if _stop_twice(values.via):
        found.append(Weak("via", "a stop said inside another", keep=False))
    if any(_after(work, stop, _DENIED_AFTER) for stop in values.via):
        found.append(Weak("via", "a stop said, then denied", keep=False))
    if any(_after(work, stop, _REMARK_AFTER) for stop in values.via):
        found.append(Weak("via", "a stop list broken by a remark", keep=True))
    if values.via and _station_left_out(work, values.via):
        found.append(Weak("via", "a station not read as a stop", keep=True))
    if values.via and _leg_end_left_out(work, values.via):
        found.append(Weak("via", "a leg's end left out", keep=True))
    if not found and any(_more_than_a_city(stop) for stop in values.via):
        found.append(Weak("via", "a stop with more than its city", keep=True))
    if any(_before(work, stop, _PASSED_BY) for stop in values.via):
        found.append(Weak("via", "a stop passed by on the road", keep=True))
    if values.origin is not None and _native_only(work, values.origin):
        found.append(Weak("origin", "a native place, no journey from it", keep=True))
    if values.count is not None and _with_those_staying(work, values.count):
        found.append(Weak("count", "the ones who stay added in", keep=False))
    if values.count is not None and any(
        to_int(added.group(1)) == values.count for added in _ONE_ADDED.finditer(work)
    ):
        found.append(Weak("count", "one more added to a household", keep=False))
    if values.count is not None and _said_other(work, _ONLY_SOME, values.count):
        found.append(Weak("count", "only some come, another number read", keep=False))
    if values.count is not None and _said_same(work, _BRINGS, values.count):
        found.append(Weak("count", "N brought, the one who brings left out", keep=False))
    if values.count is not None and _KIN_OF_KIN.search(work) and not _PEOPLE.search(work):
        found.append(Weak("count", "a relative named by another's kin", keep=False))
    if values.count == 1 and _SOMEONE.search(work) and not _ONE_SAID.search(work):
        found.append(Weak("count", "someone come, no number said", keep=False))
    if values.origin is not None and any(
        _AROUND.match(work, said.end()) for said in re.finditer(spaced(values.origin), work)
    ):
        found.append(Weak("origin", "a region around the place", keep=True))
    if values.origin is not None and _native_and_journey(work, values.origin):
        found.append(
            Weak("origin", "a native place, the journey from a place it shares", keep=True)
        )
    if values.origin is not None and _WHERE_UNKNOWN.search(work):
        found.append(Weak("origin", "where in it said not known", keep=True))
    if values.arrival is None and _NOT_ON_THE_WAY.search(work):
        for name in ("count", "origin"):
            if getattr(values, name) is not None:
                found.append(Weak(name, "no one on the way yet", keep=True))
    if values.arrival is not None and _GUESSED_TIME.search(work):
        found.append(Weak("arrival", "a time of day guessed", keep=True))
    if values.arrival is not None and _RUNNING_TOTAL.search(work):
        found.append(Weak("arrival", "a running total's people", keep=True))
    if isinstance(values.arrival, datetime) and _clock_elsewhere(work):
        found.append(Weak("arrival", "a clock time at another place", keep=True))
    if values.phone is not None and len(values.phone) == 11 and _odd_groups(work, values.phone):
        found.append(Weak("phone", "a mobile typed in odd groups", keep=True))
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
        if _before(work, address, _APART_BEFORE, reach=8):
            found.append(Weak("address", "a word typed apart before it", keep=True))
        if _before(work, address, _POINTER_BEFORE, reach=2):
            found.append(Weak("address", "a pointer word before it", keep=True))
        if _before(work, address, _OWN_BEFORE):
            found.append(Weak("address", "the reporter's own place before", keep=True))
        if not _GENERIC_PLACE.sub("", _TOWN_OR_LANDMARK.sub("", address)):
            found.append(Weak("address", "a dwelling of generic words", keep=True))
        if _ZONE_LAST.search(address):
            found.append(Weak("address", "a zone, no house in it", keep=True))
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
        and ("住" in work[found.end() :] or _BESIDE_SHOP.search(work) is not None)
    )


def _before(work: str, address: str, pattern: re.Pattern[str], reach: int = 3) -> bool:
    found = re.search(as_typed(address), work)
    return (
        found is not None
        and pattern.search(work, max(0, found.start() - reach), found.start()) is not None
    )


def _clock_elsewhere(work: str) -> bool:
    for clock in _CLOCK_AT.finditer(work):
        hits = [hit for hit in find_places(work[clock.end() : clock.end() + 8]) if hit.start == 0]
        if hits and hits[0].place.canonical not in ("义乌", "金华"):
            return True
    return False


def _said_other(work: str, pattern: re.Pattern[str], count: int) -> bool:
    said = [to_int(match.group(1)) for match in pattern.finditer(work)]
    return any(value is not None and value != count for value in said)


def _said_same(work: str, pattern: re.Pattern[str], count: int) -> bool:
    return any(to_int(match.group(1)) == count for match in pattern.finditer(work))
