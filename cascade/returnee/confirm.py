"""Round 16: values the message gives but does not settle, asked before they are recorded.

Round 16 read the misses of the fifteenth part (heldout15) and found that most of
its unasked wrong values had nothing wrong in their shape. The words around them
said the value was a guess, only one of several, or only part of what the reporter
meant. Like rounds 12 to 15, no check here reads a value. Each says what the
message leaves open, and the bot asks one question.

Asked, the value emptied (`unsure`):
- a phone said with doubt (电话可能是…, …我也记不清了);
- an arrival on one of two weekdays (下周一二回来), or a clock time guessed
  (估计晚上十点到; 大概 and 大约 give a rough hour, which stands, as the corpora say);
- a count beside others of the same people coming later (…1人，另外他老婆孩子过两天回来);
- an origin of most of them (大多来自河南), or a county of its province said after
  a filler (河南那个信阳的光山县 read as 河南信阳);
- an address shared by two households, each given its own flat (一户在我家201…一户在我家301…).

Asked, the value kept beside the question (`to_confirm`), as an address the reader
knows to be incomplete already is: the reporter sees what was read and completes it.
- an address whose house or flat numbers the message says in Chinese numerals
  (殿山村十二幢一单元302 read as …12幢1单元302). The parser writes them in Arabic
  digits, as most corpora do; two of them keep the words as said. So the reporter
  confirms the number the parser wrote;
- an address that is only a dormitory named by whose it is (住厂里宿舍): the place is
  not in it;
- (round 28) an address that ends at a building while the message says the room is not
  known (…8幢，房号不知道): the reporter completes it. (Only a building's numbers while an estate is named elsewhere, 住12幢1单元502,
  was asked here too; since round 19 `provenance` asks any building without its estate.)
"""

from __future__ import annotations

import re

from cascade.returnee.doubt import LATER
from cascade.returnee.evidence import Values
from cascade.returnee.people import SINGLE_KIN
from cascade.returnee.places import contains, county_follows, find_places
from cascade.returnee.text import CLAUSE_STOP, NUM, PERSON_UNIT, as_typed
from cascade.returnee.where import OWNED_DWELLING

# --- phone -------------------------------------------------------------------------
_PHONE_HEDGE_BEFORE = re.compile(
    r"(?:可能|好像|大概|应该|估计|也许|或许|似乎)\s*(?:是)?\s*[:：]?\s*$"
)
_PHONE_HEDGE_AFTER = re.compile(
    r"^\s*[，,]?\s*(?:但是?|不过)?\s*(?:我|他|她)?\s*(?:也|还)?\s*"
    r"(?:记不清|记不太清|记不大清|不确定|不一定对|不太确定|可能不对|可能有误)"
)

# --- arrival -----------------------------------------------------------------------
# Two weekdays run together: "下周一二回来" (Monday or Tuesday), "星期五六到"; not a
# weekday and a count ("下周二四个人回来", "下周一 三人").
_TWO_WEEKDAYS = re.compile(
    r"(?:周|星期|礼拜)\s*([一二三四五六日天])([一二三四五六日天])(?![点时号十分个人名位口])"
)
_CLOCK = r"[\d零〇一二两三四五六七八九十]{1,3}\s*[点时](?:\s*半|\s*\d{1,2}\s*分?)?"
# A clock time guessed: "估计晚上十点到" (大概/大约 give a rough hour, which stands).
_GUESSED_CLOCK = re.compile(
    r"(?:估计|可能|也许|或许|说不定)\s*(?:会|要|能)?\s*"
    rf"(?:[上中下]午|晚上|傍晚|早上|凌晨|夜里)?\s*{_CLOCK}\s*(?:左右|前后)?\s*"
    r"(?:到|回到|抵达|回来|过来)"
)

# --- count -------------------------------------------------------------------------
_LATER_DAY = rf"{LATER}|晚[几两]天|明天|明日|后天|大后天|月底"
# Others of theirs coming on a later day: "另外他老婆孩子过两天回来".
_OTHERS_LATER = re.compile(
    rf"另外\s*(?:他|她|他们|她们)?\s*(?:的|家)?\s*[\u4e00-\u9fff]{{0,6}}?"
    rf"(?:{SINGLE_KIN}|孩子|小孩|家人|家属|父母|爸妈|{NUM}\s*{PERSON_UNIT})"
    rf"[^{CLAUSE_STOP}]{{0,6}}?(?:{_LATER_DAY})\s*(?:再)?\s*(?:回来|回|到|来|过来)"
)

# --- origin ------------------------------------------------------------------------
# The place of most of them: "大多来自河南", "大部分从四川来".
_MOSTLY_FROM = re.compile(
    r"(?:大多|大多数|大部分|多数|主要|多半)\s*(?:都)?\s*(?:是)?\s*(?:来自|从|是从)\s*$"
)
# Filler words that part a place from its county: "信阳的光山县", "信阳那个光山县".
_FILLER = r"\s*(?:的|那个|这个)\s*(?:那个)?\s*"

# --- address -----------------------------------------------------------------------
# Households each with a flat of their own: "一户在我家201 … 一户在我家301".
_HOUSEHOLD_FLAT = re.compile(r"一户\s*(?:在|住)?\s*(?:我家|我们家|我这|我们这)?\s*的?\s*(\d{3,4})")
# A number in Chinese numerals right before a house unit: "十二幢", "二十六号", "五零二".
_CHINESE_HOUSE_NUMBER = re.compile(
    r"[零〇一二两三四五六七八九十百]+\s*(?:号(?!码)|幢|栋|单元|室)"
    r"|(?<=[幢栋元])\s*[零〇一二三四五六七八九]{3,4}(?![零〇一二三四五六七八九十百])"
)


def unsure(work: str, values: Values) -> set[str]:
    """The fields whose value `work` leaves open, to be emptied and asked."""
    asked: set[str] = set()
    if values.phone is not None and _phone_hedged(work, values.phone):
        asked.add("phone")
    if values.arrival is not None and (
        _two_weekdays(work) or _GUESSED_CLOCK.search(work) is not None
    ):
        asked.add("arrival")
    if values.count is not None and _OTHERS_LATER.search(work):
        asked.add("count")
    if values.origin is not None and (
        _mostly_from(work, values.origin) or county_follows(work, values.origin, _FILLER)
    ):
        asked.add("origin")
    if values.address is not None and len(set(_HOUSEHOLD_FLAT.findall(work))) >= 2:
        asked.add("address")
    return asked


# Round 28: an address that ends at a building while the room is said not to be known
# ("房号不知道", "几单元几室没问到"): the building is right, the flat is missing.
_BUILDING_END = re.compile(r"(?:幢|栋|号楼|单元)$")
_ROOM_UNKNOWN = re.compile(
    r"(?:房号|房间号?|门牌号?|几零几|几室|几楼|哪间)[^，,。；;\n]{0,4}?"
    r"(?:不知道|不清楚|不晓得|不记得|记不清|忘了|忘记了|没问|没说)"
)


def to_confirm(work: str, values: Values) -> set[str]:
    """The fields whose value is kept but asked: the reporter confirms or completes it."""
    address = values.address
    if address is None:
        return set()
    if OWNED_DWELLING.fullmatch(address) or (
        _CHINESE_HOUSE_NUMBER.search(work) and _said_in_words(work, address)
    ):
        return {"address"}
    if _BUILDING_END.search(address) and _ROOM_UNKNOWN.search(work):
        return {"address"}  # round 28: "…春晗一区8幢 乘客具体房号不知道"
    return set()


def _phone_hedged(work: str, phone: str) -> bool:
    """Whether the phone is said after a hedge (电话可能是…) or with doubt after it."""
    pattern = r"[\s-]?".join(phone.replace("-", ""))
    for found in re.finditer(pattern, work):
        if _PHONE_HEDGE_BEFORE.search(work, max(0, found.start() - 8), found.start()):
            return True
        if _PHONE_HEDGE_AFTER.match(work[found.end() :]):
            return True
    return False


def _two_weekdays(work: str) -> bool:
    return any(first != second for first, second in _TWO_WEEKDAYS.findall(work))


def _mostly_from(work: str, origin: str) -> bool:
    """Whether the origin's place is said as where most of them came from."""
    for hit in find_places(work):
        if contains(origin, hit.text) and _MOSTLY_FROM.search(work, 0, hit.start):
            return True
    return False


def _said_in_words(work: str, address: str) -> bool:
    """Whether a number of `address` stands in the message in Chinese numerals."""
    found = re.search(as_typed(address, capture=True), work)
    return found is not None and any(
        group is not None and not group.isdigit() for group in found.groups()
    )
