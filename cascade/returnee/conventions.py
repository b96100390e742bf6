"""Round 24: checks keyed to the labelling conventions the newer parts' headers state.

tuned27's and tuned29's headers (heldout27 and heldout29, written by writer21 and writer23)
add conventions where the older parts are silent, and 39 of their 89 silent wrong values
were values a reader gives by the older parts' habits that these conventions ask. Each
check below is keyed to a kind of evidence a header names, not to one message's words:

- members counted by age ("大人2小孩1老人1", "大人4个，还带了3个小孩") whose sum is not the
  count read: the reader took one of the numbers, so the count is asked;
- a dormitory named only by the kind of workplace ("住仓库宿舍", "专线宿舍", "基地宿舍"):
  the address is asked (emptied);
- a word of the message glued to the address's ends ("回城市花园…", "公司北苑街道…",
  "店号1区5门…", "…5幢整栋", "…15号7" with the next row's number): kept, and asked;
- a day said of counting, checking or reporting ("名单明天汇总", "今天问清楚了", "今天退房走了")
  read as the arrival: kept, and asked.

Each check's catch and price on every tuning part is in README "Round 24".
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from cascade.returnee.evidence import Values
from cascade.returnee.provenance import Weak
from cascade.returnee.text import NUM, to_int

# --- count -----------------------------------------------------------------------------
# Members counted by age, the adults first and in digits or numerals after the word
# ("大人2小孩1老人1", "大人 4 个，还带了 3 个小孩"): their sum is what the headers count
# (大人3小孩2 = 5).
_AGE = r"(?:大人|成人|老人|小孩|孩子|儿童|奶奶|爷爷|外婆|外公)"
_ADULTS = re.compile(rf"(?:大人|成人)\s*({NUM})\s*个?")
_HEAD_BEFORE = re.compile(rf"{NUM}\s*[人个口]\s*[（(]?\s*$")


def _aged_groups(work: str) -> list[int]:
    """The sums of the runs of members counted by age, each run not already headed by its
    total ("4 人（大人 2 小孩 2）")."""
    groups: list[int] = []
    for adults in _ADULTS.finditer(work):
        if _HEAD_BEFORE.search(work[max(0, adults.start() - 8) : adults.start()]):
            continue
        total, end = to_int(adults.group(1)) or 0, adults.end()
        while (said := _match_at(work, end)) is not None:
            total += to_int(said.group(1) or said.group(2)) or 0
            end = said.end()
        if end > adults.end():
            groups.append(total)
    return groups


def _match_at(work: str, end: int) -> re.Match[str] | None:
    return _AGED_NEXT.match(work, end)


_AGED_NEXT = re.compile(rf"[^\d（）()]{{0,6}}?(?:{_AGE}\s*({NUM})\s*个?|({NUM})\s*个\s*{_AGE})")


# --- address ---------------------------------------------------------------------------
# A dormitory named only by the kind of workplace ("住仓库宿舍", "专线宿舍", "基地宿舍",
# "工厂宿舍", "学生宿舍"): the headers ask it. (Not 厂里宿舍, 公司宿舍, 员工宿舍 nor a hotel
# with no street number: the older parts keep those, README "Round 24".)
_UNNAMED_DORM = re.compile(r"^(?:住)?(?:仓库|专线|工厂|基地|学生|园区)宿舍$")

# A word of the message glued to the address's ends: a verb or the workplace's name before
# it ("回城市花园13幢", "公司北苑街道…", "店号1区5门…"), a word for the whole building after
# it ("5幢整栋"), or a bare number after its house number, from the next line ("15号7").
_GLUED_ENDS = re.compile(
    r"^(?:回|去|到|公司(?!宿舍|员工|安排)|店号|厂址|仓库在|在)(?=[\u4e00-\u9fff\d])|(?:整栋|整幢)$|号\d{1,2}$"
)


# --- arrival ---------------------------------------------------------------------------
# The day said is the day of counting, checking or reporting, not of arriving ("名单明天汇总",
# "明天再细分", "今天统计到的", "今天问清楚了", "今天退房走了"), with no word of arriving in
# its clause: the day read is not their arrival.
_DAY_WORDS = {"今天": 0, "今日": 0, "明天": 1, "昨天": -1}
_DAY_OF_COUNTING = re.compile(
    r"(今天|今日|明天|昨天)[^，,。；;!！?？\n到回来抵]{0,6}?(?:汇总|统计|细分|再报|问清楚|核实|退房|看了)"
)


def _counting_day(work: str, arrival: date, today: date) -> bool:
    return any(
        today + timedelta(days=_DAY_WORDS[said.group(1)]) == arrival
        for said in _DAY_OF_COUNTING.finditer(work)
    )


def disagreements(work: str, values: Values, now: datetime) -> list[Weak]:
    """The fields a round-24 convention check asks in `work` (read at `now`)."""
    found: list[Weak] = []
    if values.count is not None:
        groups = _aged_groups(work)
        if groups and values.count not in groups and values.count != sum(groups):
            found.append(Weak("count", "members by age summed otherwise", keep=True))
    if values.arrival is not None and not isinstance(values.arrival, datetime):
        if _counting_day(work, values.arrival, now.date()):
            found.append(Weak("arrival", "the day of counting or checking", keep=True))
    if values.address is not None:
        if _UNNAMED_DORM.match(values.address):
            found.append(Weak("address", "a dormitory of a place not named", keep=False))
        if _GLUED_ENDS.search(values.address):
            found.append(Weak("address", "a word glued to its ends", keep=True))
    return found
