"""Round 18: what the message leaves open is asked (heldout17's misses).

Round 18 read the misses of the seventeenth part (heldout17). Its unasked wrong
values were, as in rounds 12 to 17, values the words around them leave open in
shapes the earlier checks did not know. No check here reads a value: each says
what the message leaves open, and the field is emptied and asked.

- arrival: a bound, not the day (最早的明天到); the day someone came to tell it
  (今天下午有个小伙子说他是…回来的); a span of clock times (9点到10点之间);
  one of the people not back yet (1个还没回); a clock time said while only the day
  was read (今天下午三点半 … 登记, 实际到达时间10:05), or a time corrected (两点到
  不对 是两点半): the hour is said but was not read, so it is asked, not dropped;
- count: more said to come besides a number already here (昨天到了3个 … 今天还有2个);
  people said never to have left (没出去过) beside those who came; another party told
  after the first (…；另外，蒋家女儿从上海回来);
- origin: the reporter not remembering or not hearing where (江西什么地方我不记得了,
  温州还是台州我没听清); households told pair by pair (一对是…，另外一对是…);
  a place read after characters that are no place (河楠信阳: 河楠 misheard);
- via: a flight's landing said after its stop (经停长沙 落地杭州, 经停长沙到达杭州萧山机场)
  or a flight's end city left for a bus (从昆明到上海的飞机 … 从上海坐车), which the
  stops read may leave out;
- address: going on past what was read (物流园9号 仓库2楼); where they live said not
  settled yet (住哪里还没定), or 住 followed by a
  place of no name (住摊位后面的仓库) while the address read is another.
"""

from __future__ import annotations

import re
from datetime import datetime

from cascade.returnee.arrival import without_reported_days
from cascade.returnee.evidence import Values
from cascade.returnee.text import spaced

_S = r"\s*"

# --- arrival -----------------------------------------------------------------------
_BOUND = re.compile(r"最早(?:的)?|最晚(?:的)?|最迟")
_CLOCK_SPAN = re.compile(
    r"\d{1,2}\s*点\s*(?:到|至|-|~)\s*\d{1,2}\s*点(?:\s*(?:之间|左右))?|"
    r"[一二三四五六七八九十]{1,3}\s*点\s*(?:到|至)\s*[一二三四五六七八九十]{1,3}\s*点"
)
_NOT_BACK_YET = re.compile(
    r"(?:\d|[一两二三四五])\s*(?:个|位|人)\s*(?:还|暂时)?\s*没\s*(?:回|到|来)"
)
# A clock time: "三点半", "10:05", "下午两点".
_CLOCK = re.compile(
    r"(?<![\d:])(?:[01]?\d|2[0-3])[:：][0-5]\d(?![\d:])|"
    r"(?:上午|下午|晚上|早上|凌晨|中午|傍晚|夜里)\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,3})\s*点半"
)
# A clock time that is not the arrival's: a bound or a span (10点前, 9:00至12:00), or
# the time of the report itself (上报时间今天上午九点半).
_CLOCK_AFTER_NOT = re.compile(r"\s*(?:至|到|-|~|前|以前|之前)")
_CLOCK_BEFORE_NOT = re.compile(r"(?:(?:上报|报告|填报)时间[\u4e00-\u9fff]{0,4}|至|到|-|~)\s*$")
_ANY_CLOCK = re.compile(r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})\s*点")
# The day someone turned up to tell it, not said to be the day they came: "今天下午 有 个
# 小伙子 说 他 是 从 外地 打工 回来 的" (是…的: back some time before; a checkpoint's
# "今天上午有个骑电瓶车的说从东阳回来" is today's arrival).
_DAY_OF_TELLING = re.compile(
    r"(?:今天|昨天|前天|今日|昨日)\s*(?:上午|下午|晚上|早上|中午)?\s*有\s*(?:一)?\s*个"
    r"[\u4e00-\u9fff\s]{1,8}?说\s*(?:他|她)?\s*是\s*从[\u4e00-\u9fff\s]{1,12}?回来\s*的"
)
# A clock time put right after it ("两点到 不对 是两点半"). Narrower than text.SAID_WRONG on
# purpose: 写错/打错 put right what was typed (a phone, a house number), 听错 a place
# misheard, 搞错/弄错 mostly who came; none of them says the hour was wrong, and the
# arrival would be asked for a phone typed twice.
_CORRECTED = re.compile(r"(?:不对|更正|改成|改为|说错了)")

# --- count -------------------------------------------------------------------------
_MORE_BESIDES = re.compile(rf"还有{_S}(?:\d+|[两二三四五六七八九十]){_S}(?:个|位|名|人)")
# Another party told after the first, on its own way: "…；另外，蒋家女儿从上海回来".
_ANOTHER_PARTY = re.compile(r"[；;，,。]\s*(?:另外|另|还有)\s*[，,]?\s*[\u4e00-\u9fff]{1,6}?从")
_NEVER_LEFT = re.compile(r"没\s*(?:有)?\s*出去\s*过|没\s*(?:有)?\s*离开\s*过")
_NUMBER_OF_PEOPLE = re.compile(r"(?:\d+|[一两二三四五六七八九十])\s*(?:个|位|名|人)")

# --- origin ------------------------------------------------------------------------
_NOT_KNOWN_WHERE = re.compile(r"什么地方|哪个地方|没\s*听\s*(?:清|明白)")
_PAIR_BY_PAIR = re.compile(r"(?:另外|另)?\s*一\s*对")
_FROM_PREFIX = re.compile(r"从\s*([\u4e00-\u9fff]{2})\s*$")
_NOT_PLACE_PREFIX = frozenset(
    {"老家", "那个", "这个", "就是", "他们", "她们", "我们", "外地", "家里", "老乡", "本地", "隔壁"}
)
_FILLER_CHARS = frozenset("嗯啊呃哦从在到")

# --- via ---------------------------------------------------------------------------
_FLIGHT = re.compile(r"飞机|航班|飞回|坐飞|乘飞|乘坐飞")
_LANDED = re.compile(
    r"(?:落地|降落在?)([\u4e00-\u9fff]{2})|(?:到达|抵达|飞到|到)([\u4e00-\u9fff]{2})[\u4e00-\u9fff]{0,4}机场"
)
_LEG_END_THEN = re.compile(
    r"从[\u4e00-\u9fff]{2,4}到([\u4e00-\u9fff]{2,4})的(?:飞机|航班|火车|高铁)"
)

# --- address -----------------------------------------------------------------------
# Right after the address read, more of it: a building part and its floor or room.
_GOING_ON = r"\s*[\u4e00-\u9fff]{1,3}\s*\d+\s*(?:楼|层|室)"
_WHERE_UNSETTLED = re.compile(
    r"住\s*(?:哪里|哪儿|哪|在哪里?)\s*(?:还)?\s*(?:没|未|不)\s*(?:定|确定|落实)"
)
_LIVE_UNNAMED = re.compile(
    r"住\s*(?:在)?\s*(?:摊位|店|铺子|仓库|市场)\s*(?:后面|里面|楼上|旁边)?\s*的?\s*仓库"
)


def untold(work: str, values: Values) -> set[str]:
    """The fields whose value `work` leaves open (see the module's list), to be asked."""
    asked: set[str] = set()
    if values.arrival is not None and _arrival_open(work, values):
        asked.add("arrival")
    if values.count is not None and (
        (_MORE_BESIDES.search(work) and len(_NUMBER_OF_PEOPLE.findall(work)) >= 2)
        or _NEVER_LEFT.search(work)
        or _ANOTHER_PARTY.search(work)
    ):
        asked.add("count")
    if values.origin is not None and _origin_open(work, values.origin):
        asked.add("origin")
    if values.via and _via_open(work, values.via):
        asked.add("via")
    if values.address is not None and _address_open(work, values.address):
        asked.add("address")
    return asked


def _address_open(work: str, address: str) -> bool:
    if _WHERE_UNSETTLED.search(work):
        return True
    if re.search(spaced(address) + _GOING_ON, work):
        return True  # "物流园 9号仓库 2楼": the address goes on past what was read
    unnamed = _LIVE_UNNAMED.search(work)
    return unnamed is not None and address not in work[unnamed.start() :]


def _arrival_open(work: str, values: Values) -> bool:
    if any(
        pattern.search(work) for pattern in (_BOUND, _CLOCK_SPAN, _NOT_BACK_YET, _DAY_OF_TELLING)
    ):
        return True
    if not isinstance(values.arrival, datetime) and any(
        not _CLOCK_AFTER_NOT.match(work, said.end())
        and not _CLOCK_BEFORE_NOT.search(work[: said.start()])
        for said in _CLOCK.finditer(without_reported_days(work))
    ):
        return True  # an hour is said for the arrival, only the day was read (not a record's)
    first = _ANY_CLOCK.search(work)
    return first is not None and bool(_CORRECTED.search(work[first.end() :]))


def _origin_open(work: str, origin: str) -> bool:
    if _NOT_KNOWN_WHERE.search(work) or len(_PAIR_BY_PAIR.findall(work)) >= 2:
        return True
    at = work.find(origin)
    if at < 0:
        return False
    before = _FROM_PREFIX.search(work[:at])
    return (
        before is not None
        and before.group(1) not in _NOT_PLACE_PREFIX
        and not set(before.group(1)) & _FILLER_CHARS
    )


def _via_open(work: str, via: list[str]) -> bool:
    if not _FLIGHT.search(work):
        return False
    for landed in _LANDED.finditer(work):
        city = landed.group(1) or landed.group(2)
        if city != "义乌" and not any(stop.startswith(city) for stop in via):
            return True
    leg = _LEG_END_THEN.search(work)
    return leg is not None and leg.group(1) not in via
