"""Round 23: more second readings, written from tuned25's and tuned26's silent wrong values.

Round 21's second reading (`second`) asks a value when the message holds evidence for the
field that the reader chosen did not look at. The two parts spent after round 22 gave 35
values wrong without a question, and most of them again had such evidence beside them:
a number of people said after a correction or with the family's size, companions listed
after a named one, a day said for people who have not arrived yet, a report about people
the reporter does not know, a word of the workplace or the neighbourhood glued into the
address, a county said right after the origin. Each check below keeps the value beside
the question (the message does not say which reading is wrong) unless it says otherwise.

Each check's price and catch on every tuning part is in README "Round 23";
`python -m benchmarks.returnee_paths` prints them with the other paths.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from cascade.returnee.arrival import SHANGHAI
from cascade.returnee.evidence import Values
from cascade.returnee.people import SINGLE_KIN, SURNAMES
from cascade.returnee.places import apart, find_places
from cascade.returnee.provenance import Weak
from cascade.returnee.second import YIWU_TOWN
from cascade.returnee.text import HAN, HEAD_UNIT, NUM, SAID_WRONG, as_typed, to_int

# --- count ---------------------------------------------------------------------------
# A number of people said after a correction ("回来5个人，哦不对，我妈不来了，4个"), or as the
# family's size ("一家五口（本人、妻子、父母、儿子）"), that is not the count read.
_CORRECTED = re.compile(SAID_WRONG)
_PEOPLE = re.compile(rf"(?<![\d.:：])({NUM})\s*{HEAD_UNIT}(?![\u4e00-\u9fff]{{0,1}}[天号日月])")
_FAMILY_SIZE = re.compile(rf"(?:一家|全家)\s*({NUM})\s*口")

# A named one said with companions ("商户赵春燕…和店员2人", "店主 何建平…老婆和两个小孩一起",
# "姓名：朱子涵…同行人员：父亲朱建国、母亲李梅"): whether the count holds the named one is
# the reporter's to say.
_NAMED = re.compile(rf"(?:商户|店主|老板|员工|学生|姓名[:：]?)\s*[{SURNAMES}][{HAN}]{{1,2}}")
_COMPANION = rf"(?:{SINGLE_KIN}|店员|伙计|同事|员工)"
_COMPANIONS_SAID = re.compile(
    rf"(?:和|跟|带着?|带了)\s*(?:店员|伙计|同事|员工)\s*({NUM})\s*{HEAD_UNIT}"
)
_FAMILY_WITH = re.compile(
    rf"({SINGLE_KIN})\s*(?:和|跟|、|还有)\s*({NUM})\s*个?\s*(?:小孩|孩子|娃)\s*一起"
)
_COMPANIONS_LISTED = re.compile(
    rf"同行(?:人员)?\s*[:：]\s*({_COMPANION}[{HAN}]{{0,3}}(?:\s*[、，,]\s*{_COMPANION}[{HAN}]{{0,3}})*)"
)
# A family said with no size ("有个商户带了一家老小回来"): nothing backs a number.
_NO_SIZE = re.compile(r"一家老小|全家老小|拖家带口|一家子")
# Others said besides the ones counted: coming later ("他老婆说下周来") or not among them
# ("有一个是从湖北绕过来的…其他的十多个正常上班").
_OTHERS = re.compile(
    rf"(?:他|她)(?:{SINGLE_KIN}|家属|家人)[^，,。；;]{{0,4}}?(?:下周|过几天|过两天|后面|以后|晚点|下个月)\s*(?:再)?\s*[来到回]"
    rf"|(?:其他|其余)的?\s*{NUM}[多来几余]?\s*{HEAD_UNIT}"
)
# The reporter will check the details later ("具体我再核实"): the number is not settled.
_TO_CHECK = re.compile(r"(?:具体|人数)[^，,。；;]{0,4}?再\s*(?:核实|确认|问)")


def _companions(work: str, start: int) -> set[int]:
    """How many companions are said after the named one: as a number, or listed."""
    said = _said_numbers(work[start:], _COMPANIONS_SAID)
    for family in _FAMILY_WITH.finditer(work, start):  # "老婆 和 两个 小孩 一起"
        said.add(1 + (to_int(family.group(2)) or 0))
    for listed in _COMPANIONS_LISTED.finditer(work, start):
        said.add(len(re.split(r"\s*[、，,]\s*", listed.group(1))))
    return said


def _said_numbers(text: str, pattern: re.Pattern[str]) -> set[int]:
    return {number for said in pattern.finditer(text) if (number := to_int(said.group(1)))}


def _count_checks(work: str, count: int) -> list[Weak]:
    found: list[Weak] = []
    marks = list(_CORRECTED.finditer(work))
    if marks:
        mark = marks[-1]
        after = _said_numbers(work[mark.end() :], _PEOPLE) | _said_numbers(
            work[mark.end() :], _FAMILY_SIZE
        )
        if after and count not in after:
            found.append(Weak("count", "a number of people said after a correction", keep=True))
    if any(size > count for size in _said_numbers(work, _FAMILY_SIZE)):
        found.append(Weak("count", "fewer than a family's size said", keep=True))
    named = _NAMED.search(work)
    if named is not None and count in _companions(work, named.end()):
        found.append(Weak("count", "the companions of a named one", keep=True))
    if count == 1 and _NO_SIZE.search(work):
        found.append(Weak("count", "a family counted as one", keep=False))
    if _OTHERS.search(work):
        found.append(Weak("count", "others said besides", keep=True))
    if _TO_CHECK.search(work):
        found.append(Weak("count", "the details to be checked", keep=True))
    return found


# --- arrival -------------------------------------------------------------------------
# People said to come today who have not arrived ("说是今天回来，但到现在还没到", "他老乡说他
# 还在老家没出发", "一辆已经到了，一辆还在路上，今天应该都能到").
_NOT_YET = re.compile(
    r"(?:说|讲)[^，,。；;]{0,8}(?:今天|今日|今晚)[^，,。；;]{0,4}[到回来][^。；;]{0,6}?(?:但|可是|不过)"
    r"[^，,。；;]{0,10}(?:还没到|还没回|还没来|还在老家|还在家|没出发|没动身)"
)
# A later day said while the arrival read is today with no word for today
# ("明天早上6点从江西上饶出发…中午前到义乌").
# Hearsay about people the reporter does not know ("几口人我也不清楚，听说是江西的，前天回来
# 的", "9号楼有人回来，听说是从外省回来的"): the day and the place are of someone unknown.
_UNKNOWN = re.compile(
    r"(?:不知道|不清楚|搞不清楚?)[^，,。；;]{0,3}?(?:几个人|几口人|多少人)"
    r"|(?:几个人|几口人|多少人)[^，,。；;]{0,4}?(?:不知道|不清楚|搞不清楚?)|有人回来"
)
_HEARSAY = re.compile(r"听说|据说|听人说|听别人说")


def _unknown_hearsay(work: str) -> bool:
    return bool(_UNKNOWN.search(work) and _HEARSAY.search(work))


_LATER_DAY = re.compile(r"明天|明日|后天|明早|明晚")
_TODAY = re.compile(r"今天|今日|今早|今晚|今儿|今朝|今天|当天|当日")


def _arrival_checks(work: str, arrival: date | datetime, today: date) -> list[Weak]:
    found: list[Weak] = []
    day = arrival.date() if isinstance(arrival, datetime) else arrival
    if _NOT_YET.search(work) and day == today:
        found.append(Weak("arrival", "not arrived yet, a day read", keep=True))
    if _unknown_hearsay(work):
        found.append(Weak("arrival", "hearsay about people not known", keep=True))
    if day == today and _LATER_DAY.search(work) and not _TODAY.search(work):
        found.append(Weak("arrival", "a later day said, today read", keep=True))
    return found


# --- origin ----------------------------------------------------------------------------
# A county said right after the place read ("广西河池都安县"): the reader stopped short.
_COUNTY_AFTER = re.compile(rf"\s*[{HAN}]{{1,3}}(?:县|旗)")
# The others of a batch said to be from elsewhere ("其他的十多个正常上班，都是江西抚州的").
_OTHERS_FROM = re.compile(r"(?:其他|其余)[^。；;]{0,16}?都是\s*([\u4e00-\u9fff]{2,8}?)的")
# A village's groups reported one by one ("一组金某家回来2人…四组楼某家…从宁波回来了").
_GROUP_SAID = re.compile(r"[一二三四五六七八九十\d]{1,2}组(?=[\u4e00-\u9fff])")


def _origin_checks(work: str, origin: str) -> list[Weak]:
    found: list[Weak] = []
    if origin.endswith(("县", "旗", "区", "市")):
        return found
    others = _OTHERS_FROM.search(work)
    if others is not None and not any(
        not apart(hit.text, origin) for hit in find_places(others.group(1))
    ):
        found.append(Weak("origin", "the others' place said apart", keep=True))
    groups = {group.group(0) for group in _GROUP_SAID.finditer(work)}
    if len(groups) >= 2 and any(
        apart(hit.text, origin)
        for hit in find_places(work)
        if hit.place.canonical not in ("义乌", "金华")
    ):
        found.append(Weak("origin", "several village groups each with a place", keep=True))
    for said in re.finditer(as_typed(origin), work):
        if _COUNTY_AFTER.match(work, said.end()):
            found.append(Weak("origin", "a county said right after it", keep=True))
            break
    return found


# --- address ---------------------------------------------------------------------------
# A word glued before the address or inside it ("网点城西街道…", "社区内新马路35号",
# "北苑街道的房子凌云新村4幢"): the reader took the reporter's words with the place.
_GLUED = re.compile(r"^(?:(?:社区|辖区|小区|园区|村)?内|网点)(?=[\u4e00-\u9fff])|的房子|的出租房")
# A logistics site's dormitory, named alone ("住转运场宿舍") or after the site's numbered
# address ("朝阳路45号网点宿舍"): the parts that write the site's address give it alone, and
# ask when it is not said.
_SITE_DORM = re.compile(r"(?:^|号)(?:网点|转运场|中转场|分拨中心|驿站)宿舍$")
# A house number in Chinese digits ("南门头十九号"): the labels write it in Arabic digits.
_WORDED_NUMBER = re.compile(r"[一二三四五六七八九十百零〇两]+号")


# A town of the city said after a correction, the address read starting right after it
# ("刚才说的是廿三里街道，不对，是义亭镇，缸窑村4组30号"): the reader left the town out.
_TOWN_CORRECTED = re.compile(rf"(?:{SAID_WRONG})[^。；;]{{0,6}}?({YIWU_TOWN})")


def _address_checks(work: str, address: str) -> list[Weak]:
    found: list[Weak] = []
    corrected = _TOWN_CORRECTED.search(work)
    if corrected is not None and re.match(
        rf"\s*[，,、]?\s*{as_typed(address)}", work[corrected.end() :]
    ):
        found.append(Weak("address", "a town said after a correction", keep=True))
    if _unknown_hearsay(work):
        found.append(Weak("address", "hearsay about people not known", keep=True))
    if _GLUED.search(address):
        found.append(Weak("address", "a word glued before or inside it", keep=True))
    if _SITE_DORM.search(address):
        found.append(Weak("address", "a logistics site's dormitory", keep=True))
    if _WORDED_NUMBER.search(address):
        found.append(Weak("address", "a house number in words", keep=True))
    return found


def disagreements(work: str, values: Values, now: datetime) -> list[Weak]:
    """The fields whose round-23 second reading of `work` (read at `now`) disagrees with
    `values`."""
    found: list[Weak] = []
    today = (now.astimezone(SHANGHAI) if now.tzinfo else now).date()
    if values.count is not None:
        found += _count_checks(work, values.count)
    if values.arrival is not None:
        found += _arrival_checks(work, values.arrival, today)
    if values.origin is not None:
        found += _origin_checks(work, values.origin)
    if values.address is not None:
        found += _address_checks(work, values.address)
    return found
