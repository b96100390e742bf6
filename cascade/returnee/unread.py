"""Round 15: registers the readers cannot read reliably are asked, not guessed.

The fourteenth part brought writers the earlier parts never had: foreign traders
writing Chinese as a second language or English, hotel desks and police logs
naming a nationality beside a city, and addresses typed apart with the reporter's
own words around them. The readers, tuned on native Chinese reports, then gave a
value with nothing wrong in its shape but taken from the wrong words. Like rounds
12 to 14, none of these checks reads a value; each says the message is written in
a way the value cannot be trusted from, so the bot asks one question:

- a message mostly in Latin letters ("From: Lahore → Bangkok", "I come back
  tomorrow"): every field but the phone is asked (since round 28, but a count
  `english.english_count` reads plainly and an address typed in Chinese);
- an origin that is a country read where the message does not say they came from
  it (我是韩国人…从首尔回来, 国籍 尼日利亚, 日本 大阪): the city is the origin, and a
  city abroad is not known to the readers;
- an origin with a county of its province typed apart right after it (江苏 常州 武进
  read as 江苏常州);
- a place passed on the way (过了韶关，在赣州住了一晚) that is not among the stops read;
- an address right after another word typed apart (廿三里 街道 后畈村3号, 北苑街道 陇头
  朱村7号 read as its last piece), or followed by a building, hotel or stall the
  readers stop before (…88号海洋酒店, …1号商务楼805, …109号商铺, …18街 H2-4521商位);
  an address that names no place (宾王路某酒店) or starts with the reporter's title or a driver's verb (送至福田街道…);
- an arrival said only as some days ago (来了有几天了) or read from the day the report
  found them (今天查到), or said as 当日 after another day (2月19日…于当日22时抵达);
- several flats or stalls each with its people (45号 2人…，47号 1人…): the address; a
  person named in Latin letters with others (Ali 和 他 太太) or a digit said as 一位
  (电话少打了一位): the count;
- another household said not to be asked yet (另一户是601的，我还没问): its count, origin
  and arrival are not the first one's.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from cascade.returnee.english import english_count
from cascade.returnee.evidence import Values
from cascade.returnee.places import COUNTRIES, county_at, county_follows, find_places
from cascade.returnee.text import HAN, as_typed, spaced

_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Before an address, typed apart from it, more of the place: a town, estate or village
# ("江东街道 五爱 小区 3幢", "廿三里 街道 后畈村3号") or a town and a name ("北苑街道 陇头 朱村7号").
_PLACE_BEFORE = re.compile(
    rf"(?:街道|镇|乡|小区|社区|新村|花园)\s+$|(?:街道|镇|乡)\s+[{HAN}]{{1,4}}\s+$"
)
# Right after an address, a building, hotel, flat or stall it belongs to.
_BUILDING_AFTER = re.compile(
    rf"\s*(?:楼下|楼上|底楼|[{HAN} ]{{0,8}}?(?:宾馆|酒店|旅馆|饭店|大厦|商务楼|写字楼|公寓|华府|花园|大楼)"
    r"|(?:馆|商铺|商位|摊位|店面|铺位)|[A-Za-z]{0,2}\d*-\d+"
    # round 16: a hall, or inside a works ("五区2楼进口馆", "…东洲路90号厂内")
    rf"|[{HAN}]{{1,3}}馆|厂内|厂区内|院内)"
)

# A town inside an address, and what may come before it: a city or county ("义乌市稠城街道").
_TOWN_WORD = re.compile(r"街道|镇")
_HEAD_OK = re.compile(rf"^(?:[{HAN}]{{2,3}}省)?(?:[{HAN}]{{2,3}}市)?[{HAN}]{{2,4}}(?:街道|镇)$")

# The arrival said only as some days ago ("来了有几天了"), or the day the report found them.
_DAYS_AGO = re.compile(
    r"来了?\s*有?\s*(?:几|好几|些)\s*天了|(?:今天|今日)\s*(?:查到|排查到|走访到|发现)"
)
# "于当日22时抵达": the day said before, not today.
_SAME_DAY = re.compile(r"当日|当天")
_DATE_SAID = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
# "另一户是601的，我还没问": another household whose fields are not known yet.
_OTHER_UNASKED = re.compile(
    r"另\s*(?:外)?\s*一\s*户[^。；;]{0,16}?(?:没问|未问|不清楚|不知道|不详)"
)
# An address that names no place (宾王路某酒店) or is the reporter's title (铺长统计三区2街).
_ADDRESS_UNNAMED = re.compile(
    r"某|^(?:铺长|楼长|房东|网格员|物业|门卫|单元长)|^(?:送至|送到|拉到|载到|开到|前往|去往)"
)

# Several flats or stalls, each with its people ("45号 2人 广东汕头，47号 1人…",
# "302 张 2人…405 林 1人"): several addresses, so the address is asked (one house said
# twice, "16号 湖南 3人…16号 湖南 2人", is one).
_UNIT_PEOPLE = re.compile(
    rf"(?<![\d.])(?<!\d[:/-])(\d{{2,4}})(?![\d.:/-])\s*(?:号|室)?\s*[{HAN}]{{0,2}}\s*\d+\s*(?:人|名|口)"
)
# A person named in Latin letters with others ("Ali 和 他 太太"): the readers count no such name.
_LATIN_WITH = re.compile(r"[A-Za-z]{2,}\s*(?:和|跟|与|及|带着?)")
# A digit of a number, not a person: "电话少打了一位".
_DIGIT_PLACE = re.compile(r"(?:打|写|输|填|少|多)了?\s*(?:一|1|两|2)\s*位")


def unread(work: str, values: Values) -> set[str]:
    """The fields whose value `work`'s register does not let the readers trust."""
    asked: set[str] = set()
    if mostly_latin(work):
        asked |= {
            name
            for name in ("count", "origin", "via", "arrival", "address")
            if getattr(values, name) not in (None, [])
            # round 28: a count said plainly in English, an address typed in Chinese
            and not (name == "count" and values.count == english_count(work))
            and not (name == "address" and not _LATIN_WORD.search(values.address or ""))
        }
    if values.origin is not None and _country_not_left(work, values.origin):
        asked.add("origin")
    if values.origin is not None and _county_after(work, values.origin):
        asked.add("origin")
    if values.via and _passed_unread(work, values.via, values.origin):
        asked.add("via")
    if values.address is not None and (
        _address_cut(work, values.address) or _ADDRESS_UNNAMED.search(values.address)
    ):
        asked.add("address")
    if values.arrival is not None and (
        _DAYS_AGO.search(work) or _same_day_elsewhere(work, values.arrival)
    ):
        asked.add("arrival")
    if (
        values.address is not None
        and len(set(_UNIT_PEOPLE.findall(work))) >= 2
        and not re.search(r"都\s*(?:在|住)", work)  # "201…305…都在丹溪北路56号": one address
    ):
        asked.add("address")
    if values.count is not None and (_LATIN_WITH.search(work) or _DIGIT_PLACE.search(work)):
        asked.add("count")
    if _OTHER_UNASKED.search(work):
        asked |= {
            name for name in ("count", "origin", "arrival") if getattr(values, name) is not None
        }
    return asked


def _same_day_elsewhere(work: str, arrival: date | datetime) -> bool:
    """Whether the arrival is said as 当日 and the day said before it is another one."""
    same = _SAME_DAY.search(work)
    if same is None:
        return False
    day = arrival.date() if isinstance(arrival, datetime) else arrival
    said = [(int(m), int(d)) for m, d in _DATE_SAID.findall(work, 0, same.start())]
    return bool(said) and said[-1] != (day.month, day.day)


def mostly_latin(work: str) -> bool:
    """Whether the message's Latin words outnumber its Chinese characters' words
    (a word against a character: the Chinese left is only names and addresses)."""
    latin = len(_LATIN_WORD.findall(work))
    han = len(re.findall(f"[{HAN}]", work))
    return latin >= 4 and latin >= han


def _country_not_left(work: str, origin: str) -> bool:
    """Whether `origin` is a country the message does not say they came from
    (从/自 right before it) or that a name goes on after (日本 大阪)."""
    if origin not in COUNTRIES:
        return False
    for found in re.finditer(re.escape(origin), work):
        left = re.search(r"(?:从|自)\s*$", work[: found.start()])
        goes_on = re.match(
            rf"\s*(?!回|来|飞|到|坐|乘|经|转|的|人)[{HAN}]{{2}}", work[found.end() :]
        )
        if left and not goes_on:
            return False
    return True


def _county_after(work: str, origin: str) -> bool:
    """Whether a county of the origin's province is typed apart right after it
    ("江苏 常州 武进", "湖南 岳阳 华容" read as its city alone), or ends the clause
    without its 市/县 ("浙江衢州江山")."""
    if county_follows(work, origin, r"\s+"):
        return True
    places = find_places(origin)
    if not places or places[-1].place.province is None:
        return False
    province = places[-1].place.province
    for found in re.finditer(spaced(origin), work):
        # a county said without its 市/县 and ending the clause ("来自:浙江衢州江山")
        bare = re.match(rf"\s*([{HAN}]{{2}})(?:$|[^{HAN}])", work[found.end() :])
        if bare and any(county_at(bare[1] + end, 0, province) for end in "市县"):
            return True
    return False


def _passed_unread(work: str, via: list[str], origin: str | None) -> bool:
    """Whether a place passed on the way (过了韶关) is neither a stop read nor the origin."""
    for hit in find_places(work):
        if not re.search(r"(?<![经路通])过了\s*$", work[max(0, hit.start - 4) : hit.start]):
            continue
        if hit.text not in (origin or "") and not any(hit.text in stop for stop in via):
            return True
    return False


def _address_cut(work: str, address: str) -> bool:
    """Whether the address, found in the message, follows another word typed apart
    or stops before the building or stall it belongs to."""
    found = re.search(as_typed(address), work)
    if found is None:
        return False
    if _PLACE_BEFORE.search(work, 0, found.start()):
        return True
    town = _TOWN_WORD.search(address)
    if town and not _HEAD_OK.match(address[: town.end()]):
        return True  # "公司宿舍北苑街道…", "送至福田街道…": the reporter's words in front
    return _BUILDING_AFTER.match(work, found.end()) is not None
