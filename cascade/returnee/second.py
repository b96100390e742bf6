"""Round 21: a second, independent reading of a field, and a question when the two disagree.

Twenty rounds of rules and weak paths each fixed the text they were written from and
moved unseen text little: most silent wrong values came by readings that look as sound
as the right ones, and a model describing the message (the trained gate, README "A
trained ask gate") could not tell them apart. What can tell them apart is the message
itself read a second time by a plainer reader that does not share the first one's
choices: the people it enumerates against the count, every clock time said against an
arrival with none, every place a journey is said to start from against the origin,
every city a route lands or changes at against the stops, the characters around the
address against its ends. When the second reading finds more than the first one chose,
or something else, the value is asked: kept beside the question for the reporter to
confirm (a disagreement does not say which reading is wrong), or emptied when the
second reading finds nothing at all to back the value.

Each check's price and catch is printed by `python -m benchmarks.returnee_paths` with
the other weak paths; README "Round 21" gives them on the parts the checks were written
from and on the parts they were not.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from cascade.returnee.evidence import Values
from cascade.returnee.people import SURNAMES
from cascade.returnee.places import PlaceHit, apart, contains, find_places, lookup
from cascade.returnee.provenance import Weak
from cascade.returnee.text import HAN, HEAD_UNIT, NUM, as_typed, spaced, to_int

# --- count ---------------------------------------------------------------------------
# A reply to one question or a correction of one field of an earlier report ("你刚才问从
# 哪里来的，贵州遵义", "更正：上午报的…不是从温州来的，是从台州温岭来的，其他不变"): the
# count was said in the earlier message, and no number of people in this one backs it.
_SURNAME_CLASS = f"[{SURNAMES}]"
_ONE_FIELD_REPLY = re.compile(
    r"(?:你|您)?刚才问|回复上面|上面问的|其他不变|其余不变|其他都不变|(?:上午|刚才|之前|早上|昨天)报的"
)
_PEOPLE_SAID = re.compile(
    rf"{NUM}\s*{HEAD_UNIT}|人数|[那这]\s*{HEAD_UNIT}|[一两俩仨]\s*(?:口|家)|[俩仨]|{_SURNAME_CLASS}某"
)
# People enumerated by kind: "一男一女带个小娃", "两个大人，两个小孩", "男的叫…，女的叫…，
# 还有两个小孩". Their sum is a reading of the count independent of the count reader's.
_MEMBER = re.compile(
    r"([一两二三四五六七八九\d])\s*个?\s*(?:大人|成人|小孩|孩子|小娃|娃娃|娃|老人|男(?!的)|女(?!的))"
    r"|(?:带|还有|加)\s*个\s*(?:小孩|孩子|小娃|娃|老人)"
    r"|(?<![一两二三四五六七八九\d])(?:男的|女的)"
)
# "租客：张海波 … 同住1人（其妻）": the ones living with the named one, the named one not
# among them.
_LIVING_WITH = re.compile(rf"(?:同住|同行|随行)\s*({NUM})\s*{HEAD_UNIT}")
# A total and the part of it that comes: "员工共九人，今天返回八人", "共计6人…其中4人已于…返回".
_TOTAL = re.compile(rf"(?:一共|共计|合计|总共|总计|共)\s*(?:有)?\s*({NUM})\s*{HEAD_UNIT}")
_PART = re.compile(
    rf"(?:其中|今天|今日|已|先|这次|返回|到了|回来了?)\s*(?:有)?\s*({NUM})\s*{HEAD_UNIT}"
)
# "住了三户 一户一个人": households times the people in each.
_PER_HOUSEHOLD = re.compile(
    rf"({NUM})\s*(?:户|家)[^。；;\n户\d]{{0,12}}?(?:一户|每户|一家|每家)\s*(?:都是)?\s*({NUM})\s*{HEAD_UNIT}"
)
_HOUSEHOLD_SIZE = re.compile(rf"(?:一户|每户|一家|每家)\s*(?:都是)?\s*({NUM})\s*{HEAD_UNIT}")
_NAME = rf"[{SURNAMES}][{HAN}]{{1,2}}"
# Names listed one after another ("租客 吴小强 吴小勇 吴丽", "肖红军 肖红兵"): two or more.
_NAME_RUN = re.compile(rf"(?<![{HAN}])({_NAME}(?:\s*[、\s]\s*{_NAME})+)(?![{HAN}])")


def _listed_names(work: str) -> int:
    most = 0
    for run in _NAME_RUN.finditer(work):
        names = [name for name in re.split(r"[、\s]+", run.group(1)) if name]
        if any(lookup(name) is not None or find_places(name) for name in names):
            continue  # "江西 抚州" is two places, not two people
        most = max(most, len(names))
    return most


def _members(work: str) -> int:
    total = 0
    for member in _MEMBER.finditer(work):
        total += (to_int(member.group(1)) or 0) if member.group(1) else 1
    return total


def _count_checks(work: str, count: int) -> list[Weak]:
    found: list[Weak] = []
    if _ONE_FIELD_REPLY.search(work) and not _PEOPLE_SAID.search(work):
        found.append(Weak("count", "a reply about another field, no number said", keep=False))
    listed = _listed_names(work)
    if listed > count:
        found.append(Weak("count", "more names listed than counted", keep=True))
    members = _members(work)
    if members >= 2 and members > count:
        found.append(Weak("count", "more members enumerated than counted", keep=True))
    if any(to_int(said.group(1)) == count for said in _LIVING_WITH.finditer(work)):
        found.append(Weak("count", "the ones living with a named one", keep=True))
    totals = {to_int(said.group(1)) for said in _TOTAL.finditer(work)}
    parts = {to_int(said.group(1)) for said in _PART.finditer(work)}
    if totals and parts and (totals | parts) - {count, None} and count in totals | parts:
        found.append(Weak("count", "a total and a part of it", keep=True))
    sizes = {to_int(size.group(1)) for size in _HOUSEHOLD_SIZE.finditer(work)}
    for per in _PER_HOUSEHOLD.finditer(work) if len(sizes) == 1 else ():
        households, each = to_int(per.group(1)), to_int(per.group(2))
        if households and each and households * each > count:
            found.append(Weak("count", "households times their size", keep=True))
            break
    return found


# --- arrival -----------------------------------------------------------------------
# A day hedged ("约2.15", "大概明天"): the reporter does not know it.
_HEDGED_DAY = re.compile(
    r"(?:约|大约|大概|估计|差不多)\s*(?:\d{1,2}\s*[./月]\s*\d|[今明后昨前]天|周|礼拜|下周|正月|初)"
)
# A clock time said with the arrival ("十点十五的火车到", "下午两点二十到义乌") while the
# arrival read is a day alone: the reader missed the hour.
_CLOCK_ARRIVES = re.compile(
    r"(?:\d{1,2}|[一两二三四五六七八九十]{1,3})\s*(?:[点时:：])\s*"
    r"(?:半|一刻|\d{1,2}\s*分?|[一二三四五]?十[一二三四五六七八九]?\s*分?|[一二三四五六七八九]\s*分)?"
    r"\s*(?:左右|多)?\s*(?:的\s*[^\s，,。]{0,6}?)?\s*(?:到|抵达|落地|进站)"
)
# A journey of days on the road ("开车来，路上要两天"): the day said is the start.
_DAYS_ON_ROAD = re.compile(
    r"路上\s*(?:要|得|需要)?\s*(?:走|开)?\s*[两二三四几\d]\s*天|开\s*[两二三几]\s*天"
)
# People arriving one by one ("一个昨天到，一个说还要等几天").
# Round 23: or by car or batch ("一辆已经到了，一辆还在路上").
_ONE_BY_ONE = re.compile(
    r"一(个|辆|批)[^，,。；;]{0,10}[到回][^，,。；;]{0,4}[，,；;\s]\s*(?:另)?一\1"
)
# A landing at another city ("到杭州萧山，今天晚上九点落地"): the rest of the way not timed.
_LANDS = re.compile(r"落地|下飞机|降落")


def _lands_elsewhere(work: str) -> bool:
    for land in _LANDS.finditer(work):
        hits = find_places(work[max(0, land.start() - 16) : land.start()])
        if hits and hits[-1].place.canonical not in ("义乌", "金华"):
            return True
    return False


def _arrival_checks(work: str, arrival: date | datetime) -> list[Weak]:
    found: list[Weak] = []
    if _HEDGED_DAY.search(work):
        found.append(Weak("arrival", "a day hedged", keep=True))
    if not isinstance(arrival, datetime) and _CLOCK_ARRIVES.search(work):
        found.append(Weak("arrival", "an arriving hour said, a day read", keep=True))
    if _DAYS_ON_ROAD.search(work):
        found.append(Weak("arrival", "days on the road", keep=True))
    if _ONE_BY_ONE.search(work):
        found.append(Weak("arrival", "people arriving one by one", keep=True))
    if isinstance(arrival, datetime) and _lands_elsewhere(work):
        found.append(Weak("arrival", "a landing at another city", keep=True))
    return found


# --- origin ------------------------------------------------------------------------
# Where the journey is said to start: after 从/由/自/来自, or where they spent the feast
# ("过年在长沙", "先在郑州他姐家住了几天").
_START = re.compile(r"(?:从|由|自|来自|过年在|过年是在|先在|一直在)\s*")


# The origin said as where they leave from ("湖南岳阳返义人员", "河南漯河出发"): a start too.
_LEAVES = r"\s*(?:返|回来|过来|来的|出发)"


def _starts(work: str) -> list[str]:
    found = []
    for start in _START.finditer(work):
        hits = [hit for hit in find_places(work[start.end() : start.end() + 12]) if hit.start == 0]
        if hits:
            end = hits[0].end
            while len(hits) > 1 and hits[1].start == end:  # "河南信阳", "安徽 阜南"
                hits.pop(0)
                end = hits[0].end
            found.append(work[start.end() : start.end() + end])
    return found


# The journey began where they stayed a while ("他们先在郑州他姐家住了几天，昨天从郑州出发")
# while where they belong is said apart ("我家租客是河南漯河的"): which is the origin is the
# reporter's to say.
_STAY = r"[^，,。；;]{0,8}?(?:住了|待了|呆了|过了)"
_BELONGS = re.compile(r"\s*(?:的|人)(?![\u4e00-\u9fff]{0,2}(?:车|票))")


def _origin_checks(work: str, origin: str) -> list[Weak]:
    found: list[Weak] = []
    said = re.search(as_typed(origin), work)
    starts = {start.replace(" ", "") for start in _starts(work)}
    started = rf"{_START.pattern}{as_typed(origin)}|{as_typed(origin)}{_LEAVES}"
    if re.search(started, work) is None and any(
        contains(origin, start) for start in starts - {origin}
    ):
        found.append(Weak("origin", "a journey said to start inside it", keep=True))
    if re.search(rf"(?:先|一直|之前)\s*在\s*{as_typed(origin)}{_STAY}", work) and any(
        hit.text != origin and apart(hit.text, origin)
        for hit in find_places(work)
        if _BELONGS.match(work, hit.end)
    ):
        found.append(Weak("origin", "a stay on the way, a home said apart", keep=True))
    if said is not None and re.match(r"\s*(?:机场)?\s*(?:飞|坐飞机|起飞)", work[said.end() :]):
        hits = find_places(origin)
        if hits and hits[0].place.kind == "city" and hits[-1].end < len(origin):
            found.append(Weak("origin", "an airport's district", keep=True))
    return found


# --- via ---------------------------------------------------------------------------
# A city a route lands or changes at: "先飞乌鲁木齐 再飞杭州", "到杭州萧山…落地", "杭州东转车".
_FLOWN_TO = re.compile(r"(?:飞|飞到|飞往|飞抵|经停|在)\s*$")
_CHANGE_AT = re.compile(
    r"\s*(?:萧山|浦东|虹桥|[东南西北]站?|站|机场)?\s*(?:机场)?\s*"
    r"(?:转车|转机|转乘|换乘|中转|经停|落地|下飞机|下的飞机|坐的?(?:高铁|动车|大巴|火车|飞机))"
    r"|\s*(?:萧山|浦东|虹桥)(?:机场)?"
)

_PLANNED_BEFORE = re.compile(r"(?:原计划|原定|原本|本来|原来)[^，,。；;]{0,6}$")
_NO_STOP_AFTER = re.compile(r"\s*(?:没有?停|[没未]下车|不停)")
# Round 23: every stop passed without stopping ("经过十堰、武汉、合肥、杭州，每个地方都没下车").
_NONE_STOPPED = re.compile(r"(?:都|均|全)\s*(?:没有?|未)\s*(?:下车|下过车|停)")


def _province_before(hits: list[PlaceHit], index: int) -> int:
    """Where the place `hits[index]` starts, with its province typed right before it."""
    previous = hits[index - 1] if index else None
    if (
        previous is not None
        and previous.place.kind == "province"
        and previous.end == hits[index].start
    ):
        return previous.start
    return hits[index].start


def _route_cities(work: str, origin: str | None) -> list[str]:
    found = []
    hits = find_places(work)
    for index, hit in enumerate(hits):
        if hit.place.canonical in ("义乌", "金华") or hit.place.kind == "province":
            continue
        if origin is not None and not apart(origin, hit.text):
            continue
        if _PLANNED_BEFORE.search(work, max(0, hit.start - 10), hit.start):
            continue  # "原计划从南昌中转，现在改为在杭州中转": the plan given up
        if _NO_STOP_AFTER.match(work, hit.end):
            continue  # "路上在武汉没有停"
        before = _province_before(hits, index)  # round 23: "在安徽合肥又住一晚"
        if _FLOWN_TO.search(work[max(0, before - 3) : before]) or _CHANGE_AT.match(work, hit.end):
            found.append(hit.text)
    return found


def _via_checks(work: str, via: list[str], origin: str | None) -> list[Weak]:
    found: list[Weak] = []
    left_out = [
        city for city in _route_cities(work, origin) if all(apart(stop, city) for stop in via)
    ]
    if left_out and ("飞" in work or via):
        found.append(Weak("via", "a city the route changes at, not a stop", keep=True))
    if origin is not None and any(contains(stop, origin) for stop in via):
        found.append(Weak("via", "a stop holding the origin", keep=True))
    if any(
        (place := lookup(stop)) is not None
        and place.kind == "province"
        and re.search(spaced(stop) + r"\s*(?:[没未]下车|[没未]停|不停|没下)", work)
        for stop in via
    ):
        found.append(Weak("via", "a province passed without stopping", keep=True))
    if _NONE_STOPPED.search(work):
        found.append(Weak("via", "every stop passed without stopping", keep=True))
    return found


# --- address -----------------------------------------------------------------------
# The characters around the address as the message types it: a floor letter or a word
# going on right after it ("22号3F" read as 22号3, "8号 座机" read as 8号座), a time or a
# verb glued before it ("晚后宅村", "店在稠城街道…").
_CUT_AFTER = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]|[机楼层室号]")  # matched at the address's end
# A town of the city typed apart before the address ("网格 佛堂 蟠龙花园 8幢…"), or before
# its first place word said elsewhere ("赤岸镇 雅治街村 … 雅治街村老街19号"): some parts keep
# the town as typed, the reader drops it.
_YIWU_TOWN = (
    r"(?:稠城|北苑|稠江|江东|后宅|城西|廿三里|福田|佛堂|赤岸|义亭|上溪|苏溪|大陈)(?:镇|街道)?"
)
YIWU_TOWN = _YIWU_TOWN  # round 22: `pieces` joins an address typed apart after one
_YIWU_TOWN_AT = re.compile(_YIWU_TOWN)
_TOWN_TYPED_APART = re.compile(rf"(?<![{HAN}]){_YIWU_TOWN}\s+$")
_HEAD_WORD = re.compile(r"\D{2,6}?(?:村|社区|小区|花园|新村)")
_STRAY_HEAD = re.compile(r"^(?:晚|早|今|明|昨|店在|在|住|是|到)")
# A zone, street or stall of the market where several shops or a home above it are said.
# Round 23: a street on one side of the zone too ("二区东5街").
_MARKET = re.compile(r"商贸城|商位|市场|[\d一二三四五六七八九十]区\s*[东西南北]?\s*\d+\s*街")
_SEVERAL_OR_ABOVE = re.compile(
    r"[两二三四五六七八九几\d]\s*[家户]|[两二三四五六七八九几]{2}[家户]|住\s*(?:商位|店)?\s*(?:上面|楼上|后面)"
    r"|住处各自|各自家里"
    r"|住\s*(?:在)?\s*(?:店里|商位里|铺子里)"
)
# A dwelling with no number while a numbered place is said elsewhere ("都住园区宿舍，园区在
# 稠江街道物流园区8号").
_NUMBERED = re.compile(rf"[{HAN}]{{2,}}(?:路|街|村|区|园|道)\s*\d+\s*号")
# A building where several households are said ("绣湖新村4幢 两户").
_HOUSEHOLDS = re.compile(r"[两二三四五六七八九几]\s*户|另一户")
# Round 23: a village group where several households are said ("六都村 5组 王某家 租户 2户").
_GROUP_HOUSEHOLDS = re.compile(r"(?<!\d)[2-9]\s*户|[两二三四五六七八九几]\s*户|另一户")


def _town_apart(work: str, address: str, said: re.Match[str]) -> bool:
    if _TOWN_TYPED_APART.search(work, max(0, said.start() - 8), said.start()):
        return True
    head = _HEAD_WORD.match(address)
    return head is not None and bool(
        re.search(rf"{_YIWU_TOWN}\s+{as_typed(head.group(0))}(?!\s*\d)", work)
    )


def _address_checks(work: str, address: str) -> list[Weak]:
    found: list[Weak] = []
    said = re.search(as_typed(address), work)
    if said is not None and not _YIWU_TOWN_AT.match(address) and _town_apart(work, address, said):
        found.append(Weak("address", "a town typed apart before it", keep=True))
    if said is not None:
        if address[-1:].isdigit() and _CUT_AFTER.match(work, said.end()):
            found.append(Weak("address", "a floor or word going on after it", keep=True))
        elif re.search(rf"[{HAN}]$", address) and re.match(rf"[{HAN}]", work[said.end() :]):
            if not re.search(r"[号室楼层幢栋村组区苑园巷弄街路店宿舍里内]$", address):
                found.append(Weak("address", "a floor or word going on after it", keep=True))
    if _STRAY_HEAD.match(address):
        found.append(Weak("address", "a time or verb glued before it", keep=True))
    if _MARKET.search(address) and _SEVERAL_OR_ABOVE.search(work):
        found.append(Weak("address", "a market stall of several or below a home", keep=True))
    if "号" not in address and any(
        other.group(0).replace(" ", "") not in address for other in _NUMBERED.finditer(work)
    ):
        found.append(Weak("address", "a numbered place said elsewhere", keep=True))
    if re.search(r"[幢栋]$", address) and _HOUSEHOLDS.search(work):
        found.append(Weak("address", "a building of several households", keep=True))
    if address.endswith("组") and _GROUP_HOUSEHOLDS.search(work):
        found.append(Weak("address", "a village group of several households", keep=True))
    return found


def disagreements(work: str, values: Values) -> list[Weak]:
    """The fields whose second reading of `work` disagrees with `values`."""
    found: list[Weak] = []
    if values.count is not None:
        found += _count_checks(work, values.count)
    if values.arrival is not None:
        found += _arrival_checks(work, values.arrival)
    if values.origin is not None:
        found += _origin_checks(work, values.origin)
    if values.via:
        found += _via_checks(work, values.via, values.origin)
    if values.address is not None:
        found += _address_checks(work, values.address)
    return found
