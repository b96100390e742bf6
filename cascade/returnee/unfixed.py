"""Round 17: what the message does not fix is asked (heldout16's misses).

Round 17 read the misses of the sixteenth part (heldout16). Beside a town prefixed
to a village's address (dropped in `unsure.tidy_address`), its unasked wrong values
were values the words around them leave open, in shapes the earlier checks did not
know. As in rounds 12 to 16, no check here reads a value: each says what the message
leaves open, and the field is emptied and asked.

- arrival: two days run together (明后天到, 今明两天), a day of the month said
  roughly (初十几, 二十几号), or a month's 廿 day without 号 or 农历 (二月廿八: lunar
  or solar?);
- count: one of the people said not able to come yet (湖北那个还回不来); a number said
  to wait on someone (人数等他确定) is `guards.count_unknown`'s;
- origin: a place said twice in what was read, as voice input confirms it
  (阜阳对阜阳), or households told one by one with different places (一户是贵州毕节的…
  另一户…从广西玉林回来);
- address: the people said to live in different places (住哪的都有), the reporter's
  own compound said without its name (住本小区11幢), or the place they live said not
  to be known (住商城附近，说不清楚哪里).
"""

from __future__ import annotations

import re

from cascade.returnee.evidence import Values
from cascade.returnee.places import apart, find_places
from cascade.returnee.where import place_roles

# --- arrival -----------------------------------------------------------------------
# Two days run together: "明后天到" (tomorrow or the day after), "今明两天".
_TWO_DAYS = re.compile(r"明后(?:两)?天|今明(?:两)?天|今明两日|明后两日")
# A day of the month said roughly: "初十几", "二十几号", "20几号".
_ROUGH_DAY = re.compile(r"初十几|(?:[一二]?十|廿|\d{1,2})几\s*[号日]")
# A month's 廿 day without 号 or 日 and without 农历: "二月廿八" is the lunar 2nd month's
# 28th (2020-03-21) or the solar 2月28日 (二月廿二号 is solar, 二月初一 lunar).
_LUNAR_OR_SOLAR = re.compile(
    r"(?<![正腊历])(?:十[一二]|[一二三四五六七八九十])月\s*廿[一二三四五六七八九]?+(?![\d号日])"
)

# --- count -------------------------------------------------------------------------
# One of them said not able to come yet: "湖北那个还回不来", "另一个暂时来不了".
_ONE_NOT_COMING = re.compile(
    r"(?:那个|一个|另一个|另外一个|还有一个|其中[\u4e00-\u9fff]{0,3})\s*(?:人)?\s*"
    r"(?:还|暂时|暂|现在)?\s*(?:回不来|来不了|出不来|回不了|过不来)"
)

# Households told one by one: "一户是贵州毕节的小两口…另一户是一个人从广西玉林回来".
_EACH_HOUSEHOLD = re.compile(r"(?:另外|另)?一户")
_FROM_ROLES = ("travel", "home", "bare")

# --- address -----------------------------------------------------------------------
# People said to live in different places: "住哪的都有", "住的地方都不一样".
_LIVE_APART = re.compile(
    r"住(?:哪|哪里|哪儿|在哪)(?:的|里的)?都有|住的地方(?:都)?不一样|(?:各住各的|分开住)"
)
# The reporter's own compound, not named: "住本小区11幢", "本村".
_OWN_UNNAMED = re.compile(r"^(?:住在?)?本(?:小区|村|楼|大院|单位|社区)")
# The place they live said not to be known: "说不清楚哪里", "不知道住哪".
_WHERE_UNKNOWN = re.compile(
    r"(?:说不清|不清楚|不知道|不晓得|搞不清)楚?\s*"
    r"(?:住\s*(?:在)?\s*(?:哪里|哪儿|哪)|(?:哪里|哪儿)(?=$|[，,。；;\s]))"
)


def unfixed(work: str, values: Values) -> set[str]:
    """The fields whose value `work` does not fix (see the module's list), to be asked."""
    asked: set[str] = set()
    if values.arrival is not None and any(
        pattern.search(work) for pattern in (_TWO_DAYS, _ROUGH_DAY, _LUNAR_OR_SOLAR)
    ):
        asked.add("arrival")
    if values.count is not None and _ONE_NOT_COMING.search(work):
        asked.add("count")
    if values.origin is not None and (_place_twice(values.origin) or _households_apart(work)):
        asked.add("origin")
    if values.address is not None and (
        _LIVE_APART.search(work)
        or _OWN_UNNAMED.match(values.address)
        or _WHERE_UNKNOWN.search(work)
    ):
        asked.add("address")
    return asked


def _households_apart(work: str) -> bool:
    """Whether households are told one by one and two different places are said as
    where people are from: each household's origin may be its own."""
    if len(_EACH_HOUSEHOLD.findall(work)) < 2:
        return False
    places = {text for text, role, _start, _end in place_roles(work) if role in _FROM_ROLES}
    return any(apart(one, other) for one in places for other in places if one != other)


def _place_twice(origin: str) -> bool:
    """Whether one place stands twice in the origin read ("阜阳对阜阳")."""
    texts = [hit.text for hit in find_places(origin)]
    return len(set(texts)) < len(texts)
