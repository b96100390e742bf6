"""When returnees arrive, read from the words people use: 明天下午, 17号, 下周一, 正月十五.

The 14-day observation is counted from the arrival day, so a wrong day is worse
than none: anything vague (过两天, 近日, 下周, 元宵节后), contradictory (two
different days) or open to two readings ("3点" — morning or afternoon? "17号"
when today is the 20th — last week or next month?) is returned as unknown with
a question, never as a guess. A part of day alone (今晚, 明天下午) gives the date
but no time; with no day word (下午到, 傍晚到家) it is today's, as long as that
part of today is not over or the clause says it happened ("凌晨到的"). A clock
time gives a tz-aware datetime in Asia/Shanghai; minutes may be words (五点四十,
七点零五). The day a report came in ("今天上午接到村民反映") is not an arrival.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from cascade.returnee.text import CLAUSE_END, NUM, blank, clause_after, to_int


def _shanghai() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Shanghai")
    except Exception:  # no tz database (slim containers, Windows): China has no DST since 1991
        return timezone(timedelta(hours=8), "Asia/Shanghai")


SHANGHAI = _shanghai()

# Gregorian date of the first day of the lunar year, and the length of 正月 (29/30 days).
_LUNAR_NEW_YEAR = {
    2000: (2, 5, 30), 2001: (1, 24, 30), 2002: (2, 12, 30), 2003: (2, 1, 30),
    2004: (1, 22, 29), 2005: (2, 9, 29), 2006: (1, 29, 30), 2007: (2, 18, 29),
    2008: (2, 7, 30), 2009: (1, 26, 30), 2010: (2, 14, 30), 2011: (2, 3, 30),
    2012: (1, 23, 30), 2013: (2, 10, 30), 2014: (1, 31, 29), 2015: (2, 19, 29),
    2016: (2, 8, 30), 2017: (1, 28, 29), 2018: (2, 16, 29), 2019: (2, 5, 30),
    2020: (1, 25, 29), 2021: (2, 12, 29), 2022: (2, 1, 30), 2023: (1, 22, 29),
    2024: (2, 10, 29), 2025: (1, 29, 30), 2026: (2, 17, 30), 2027: (2, 6, 30),
    2028: (1, 26, 30), 2029: (2, 13, 30), 2030: (2, 3, 29), 2031: (1, 23, 29),
    2032: (2, 11, 30), 2033: (1, 31, 29), 2034: (2, 19, 29), 2035: (2, 8, 30),
    2036: (1, 28, 30), 2037: (2, 15, 30), 2038: (2, 4, 30), 2039: (1, 24, 30),
    2040: (2, 12, 30),
}  # fmt: skip

_REL_DAYS = {
    "大后天": (3, None), "大前天": (-3, None),
    "今天": (0, None), "今日": (0, None), "今儿": (0, None),
    "今早": (0, "morning"), "今晨": (0, "morning"), "今晚": (0, "evening"), "今夜": (0, "evening"),
    "明天": (1, None), "明日": (1, None), "明儿": (1, None),
    "明早": (1, "morning"), "明晨": (1, "morning"), "明晚": (1, "evening"),
    "后天": (2, None), "后日": (2, None),
    "昨天": (-1, None), "昨日": (-1, None), "昨儿": (-1, None),
    "昨晚": (-1, "evening"), "昨夜": (-1, "evening"),
    "前天": (-2, None),
    # dialect: 北方话 昨个/明儿个, 吴语 今朝/明朝, 粤语 听日 (tomorrow), 琴日/寻日 (yesterday)
    "昨个": (-1, None), "昨儿个": (-1, None), "今个": (0, None), "今儿个": (0, None),
    "明个": (1, None), "明儿个": (1, None), "前儿个": (-2, None), "后儿个": (2, None),
    "大后儿": (3, None), "大后日": (3, None), "前日": (-2, None),
    "今朝": (0, None), "明朝": (1, None), "听日": (1, None), "聽日": (1, None),
    "琴日": (-1, None), "寻日": (-1, None), "尋日": (-1, None), "噚日": (-1, None),
    # round 8: 北方话 夜儿个/夜个 (yesterday), 粤语 琴晚/寻晚 (last night)
    "夜儿个": (-1, None), "夜个": (-1, None), "琴晚": (-1, "evening"), "寻晚": (-1, "evening"),
}  # fmt: skip
_REL_DAY = re.compile("|".join(sorted(_REL_DAYS, key=len, reverse=True)))
# (round 16: also off a train or plane, "刚下火车", "刚落地")
_JUST = re.compile(r"刚(?:刚|才)?(?=从|回|到|返|来|抵|下(?:火车|高铁|动车|飞机|大巴)|落地)")
# Round 14: a gate or a driver seeing them come in just now ("刚才进来一辆车", "刚才在义乌站
# 接了一个乘客"): today, when no other day is said.
_JUST_SEEN = re.compile(r"(?:刚才|刚刚)(?=进|在\S{1,6}?接|拉|送)")  # round 16: 刚刚进来
_DAYS_AFTER = re.compile(rf"({NUM})天(以后|之后|后|以前|之前|前)")
_FULL_DATE = re.compile(rf"(?:(\d{{4}})年)?({NUM})月({NUM})[日号]?")
_ISO_DATE = re.compile(r"(?<!\d)(20\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_THIS_MONTH = re.compile(rf"本月\s*({NUM})\s*[日号]")  # round 8: "于本月18日返义"
_DOTTED = re.compile(r"(?<![\d.:/])(\d{1,2})[./](\d{1,2})(?![\d./:])")
# A number after these is a house number, not a day: "溪西村12号", "5幢3单元".
_HOUSE = "村路街巷弄幢栋楼区元室组苑园场城里庄铺店摊位"
_NAME_MARKS = ("老", "小", "阿", "姓")
_DAY_ONLY = re.compile(rf"(?<![\d月.{_HOUSE}])({NUM})[号日]")
_DAY_ONLY_NEXT = re.compile(
    r"\s*(?:回|到|返|抵|来|从|出发|凌晨|早|上午|中午|下午|傍晚|晚|夜|左右|前后|之前|以前|"
    r"之后|以后|前|后|的|[,.;!?，。；！？\s]|$)"
)
# round 23: 落个礼拜三 is Wu for 下个礼拜三
_WEEKDAY = re.compile(
    r"(下下|下个|落个|下|这个|这|本|上个|上)?(?:周|星期|礼拜)([一二三四五六日天1-7])"
)
_LUNAR = re.compile(
    r"(?:农历)?正月(初[一二三四五六七八九十]|十[一二三四五六七八九]?|二十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十)"
)
# Round 16: a day of the second lunar month ("农历二月初二", "二月初二"; the tables give
# 正月's length, so 二月 starts the day after it ends).
_LUNAR_SECOND = re.compile(
    r"(?:农历二月(初[一二三四五六七八九十]|十[一二三四五六七八九]?|二十[一二三四五六七八九]?"
    r"|廿[一二三四五六七八九]|三十)|(?<![\d一二三四五六七八九十])二月(初[一二三四五六七八九十]))"
)
_LANTERN = re.compile(r"元宵节?")
_NEW_YEAR_DAY = re.compile(
    r"(?<![月年当起最])初([一二三四五六七八九十])(?![中级班年(（]|学生)"  # "初二(1)班": a grade
)
# "下周一起回来": 一起 is "together", not Monday (unless "从下周一起", from Monday on).
_TOGETHER = re.compile(r"起\s*(?:回|来|过来|到|返|走|出发|动身|坐|开车|搭)")
_WEEKDAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
# Words that put the day off into the unknown.
_VAGUE = re.compile(
    r"过[一两几二三]{1,2}天|过些天|过段时间|过阵子|过一阵|这两天|这几天|近日|近期|近两天|近几天|最近|"
    r"改天|回头再|下周(?![一二三四五六日天1-7])|下个?星期(?![一二三四五六日天1-7])|"
    r"下个?礼拜(?![一二三四五六日天1-7])|下个?月|月底|(?<!正)月初(?![一二三四五六七八九十])|月中|月末|年后|节后|过完年|周末|解封|"
    r"不确定|没确定|未确定|不一定|说不准|说不好|待定|未定|不知道哪天|不知道什么时候|不清楚什么时候|"
    r"明后天|今明两天|"
    # round 8: a day said not to be known, or only as "a few days ago"
    r"(?:到达|抵达|返回|回来|到的|到)?时间\s*(?:不详|不清楚|未知|不明|待查|待核实)|"
    r"没几天|前几天|几天前|前些天|前些日子|前段时间|没定|推迟|延迟|延后|改期"
)
# "人数待定", "几个人还不确定": what is open is the count, not the day.
_ABOUT_COUNT = re.compile(r"(?:人数|几个人|多少人|几个|多少)\S{0,3}$")
# After a day: "3月1日以后", "元宵节后" — a bound, not a day.
_BOUND_AFTER = re.compile(r"\s*(?:以后|之后|以前|之前|前后|左右|过后|后(?!天)|前(?!天))")
_BOUND_BEFORE = re.compile(r"(?:过完|过了|等到|等|之后|以后)\s*$")
# (not 出发地, 出发点: a form's label for where they came from, "2月19日 出发地：安徽")
# round 28: and a day visitors go back ("明天就回去", "明天看完就回去"; a returnee's own
# "我明天回去" is going back to work here, so a bare 回去 is not)
_DEPARTURE = re.compile(r"出发(?![地点])|动身|离开|启程|走的|就回去")
# "今天上午接到村民反映": the day the news came, not the day anyone arrived.
_REPORTING = re.compile(r"接到|收到|发现|反映|得知|排查|通知|打电话|来电")
_ARRIVAL_VERB = re.compile(r"到|回来|抵达|返回|返义|回义乌")
_PAST = re.compile(r"的|已|了")

_PARTS = {
    "凌晨": "dawn", "清晨": "morning", "早上": "morning", "早晨": "morning", "一早": "morning",
    "上午": "morning", "今早": "morning", "今晨": "morning", "明早": "morning", "明晨": "morning",
    "早": "morning", "中午": "noon", "正午": "noon", "下午": "afternoon", "傍晚": "dusk",
    "晚上": "evening", "夜里": "evening", "夜间": "evening", "今晚": "evening", "今夜": "evening",
    "明晚": "evening", "昨晚": "evening", "昨夜": "evening", "夜晚": "evening", "晚": "evening",
    "半夜": "night", "深夜": "night",
    "后晌": "afternoon", "晌午": "noon", "琴晚": "evening", "寻晚": "evening",  # dialect
}  # fmt: skip
_PART = "|".join(sorted(_PARTS, key=len, reverse=True))
# The day a report was made, with its part of day and hour: "今天新增一人", "今日上午排查",
# "2月20日，我村新增…", "2月20日上午10时许接到群众反映". It says when the news came,
# not when anyone arrived, so it is dropped before the arrival is read.
_RECORD_TIME = (
    rf"(?:\d{{4}}年)?{NUM}月{NUM}[日号]\s*(?:{_PART})?\s*"
    r"(?:\d{1,2}\s*[时点]\s*(?:\d{1,2}\s*分)?|\d{1,2}:\d{2})"
)
_REPORTED_DAY = re.compile(
    rf"(?:{_REL_DAY.pattern}|(?:\d{{4}}年)?{NUM}月{NUM}[日号])\s*(?:{_PART})?\s*"
    r"(?:[\d一二三四五六七八九十]{1,3}\s*[时点](?:\d{1,2}分)?\s*许?)?\s*[,，]?\s*"
    r"[^\s,，。；;()到回返抵来达\d]{0,4}?"
    r"(?:新增|上报|报送|登记|排查|摸排|核查|接到|收到|通报|报告|报备|发现"
    # round 7: a visit or a jab on that day is not the arrival ("今日上门测温", "明天来打针")
    r"|(?:来|去)?(?:测温|测体温|量体温|打针|打疫苗|体检)|走访|入户|随访|复测|上门"
    # round 17: a visit to a clinic on that day ("今天上午来看病的一个病人", "今天接诊一人")
    r"|(?:来|去)?(?:看病|就诊|看过病)|接诊"
    # round 8: the end of a quarantine is not the arrival ("明天隔离期满")
    r"|隔离期满|隔离结束|解除隔离|观察期满|解除观察|满14天|满十四天|(?:做了?|去做)?核酸)"
    # round 28: a call's time, at the head of its record ("热线记录 2月20日9时35分", "受理时间:
    # …") or said with the call ("2月20日8:50来电"): when the call came, not when anyone
    # arrived (a gate's log, "卡口记录 2月20日 03:20", keeps its hour: README, "Conventions")
    rf"|(?:热线|来电|受理时间)\S{{0,3}}?\s*[:：]?\s*{_RECORD_TIME}"
    rf"|{_RECORD_TIME}\s*(?:来电|致电)"
)
# A day word the readers do not know, right before a part of day or an hour: "头天晚上",
# "次日上午", "当天夜里", an unknown dialect word ("X个晚上"). Its root says a day is
# meant, so the part of day alone must not be read as today's: the arrival is asked.
_UNREAD_DAY = re.compile(r"(?:[昨今明前后听聽琴寻尋噚翌隔头次落当][个儿日天朝]?|第.[天日])\s*$")
_NOT_A_DAY_BEFORE = "以之饭午天随然过最"  # "之后下午", "饭后", "3天前": a bound, not a day word

# Parts of day that name a time of today when no day is said, and the hour each ends.
_BARE_PART = re.compile(r"凌晨|清晨|早上|早晨|上午|中午|正午|下午|傍晚|晚上|夜里|半夜|深夜")
_PART_ENDS = {
    "dawn": 6, "morning": 12, "noon": 14, "afternoon": 18, "dusk": 19, "evening": 24, "night": 24,
}  # fmt: skip
_CLOCK = re.compile(
    rf"(?:({_PART})\s*)?(\d{{1,2}}|[零一二两三四五六七八九十]{{1,3}})\s*(?:点钟?|(时))\s*"
    r"(?:(\d{1,2}|[零一二三四五六七八九十]{1,3})\s*分|(半)|(一刻)|(三刻)|(\d{2}|"
    r"[二三四五]?十[一二三四五六七八九]?(?![个人位名口号日天])|零[一二三四五六七八九]))?"
    r"\s*(以后|之后|以前|之前|后|前(?!后))?"
)
_COLON_CLOCK = re.compile(rf"(?:({_PART})\s*)?(?<!\d)(\d{{1,2}}):(\d{{2}})(?!\d)")
_NOT_CLOCK_BEFORE = tuple("早晚快慢多少好大小有差第")
_ROUGHLY = re.compile(r"\s*(?:大概|大约|差不多|约莫|约|估计)\s*(?:是|在)?\s*$")
# A clock time of the train or the flight taken is when it left (round 8: "下午三点的高铁，五点到").
_VEHICLE_AFTER = re.compile(
    r"\s*(?:多|左右)?\s*的\s*(?:高铁|火车|动车|列车|车|飞机|航班|大巴|汽车|班车|票)"
    # round 21: "十点十五的火车到", "…的动车到义乌": the hour the train arrives
    r"(?!\s*(?:到|抵达|进站)\s*(?:义乌|了|站|[，,。；;\s]|$))"
)


# The parts of day a reporter says in so many words, for the part shown beside a day
# ("今晚到": 2月20日晚上); the lone 早/晚 of `_PARTS` are left out ("早就到了", "晚了").
_SAID_PART = re.compile(
    "|".join(sorted((word for word in _PARTS if len(word) > 1), key=len, reverse=True))
)


@dataclass(frozen=True)
class Arrival:
    """The arrival as read: a date, a datetime, or None; `ask` when the bot should ask.
    `part` is the part of day (`_PARTS`' values) said with a date and no clock time:
    shown beside the day, never part of its value."""

    value: date | datetime | None
    ask: bool
    part: str | None = None


@dataclass
class _Day:
    start: int
    end: int
    value: date | None  # None: a day was named but cannot be pinned down


def parse_arrival(text: str, now: datetime) -> Arrival:
    """Read the arrival day (and time of day) from `text` against `now`."""
    local = now.astimezone(SHANGHAI) if now.tzinfo else now.replace(tzinfo=SHANGHAI)
    today = local.date()
    text = without_reported_days(text)
    days, vague = _days(text, today)
    values = {day.value for day in days}
    if None in values or len(values) > 1 or (values and vague) or _unread_day(text):
        return Arrival(None, True)
    clock, clock_unclear = _clock(text)
    if not values:
        if vague:
            return Arrival(None, True)
        if clock is None:
            part_day = None if clock_unclear else _bare_part_of_day(text, local)
            if part_day is None:
                return Arrival(None, True)
            return Arrival(part_day, False, _part_said(text, []))
        day = today  # "下午三点到": a clock time alone is today's
    else:
        (only,) = values
        assert only is not None
        day = only
    if clock is None:
        return Arrival(day, clock_unclear, None if clock_unclear else _part_said(text, days))
    return Arrival(datetime.combine(day, clock, tzinfo=SHANGHAI), False)


def _part_said(text: str, days: list[_Day]) -> str | None:
    """The part of day said of the arrival day: in its word (今晚, 明早) or right after it
    (明天下午, 2月21日上午, 周三晚上), or alone when no day is said (下午到). None when
    a part of day said elsewhere differs ("昨晚出发，今天到", "明天上午或下午"): no
    guess is shown beside a day."""
    said = {_PARTS[m.group()] for m in _SAID_PART.finditer(text)}
    if not days:
        return said.pop() if len(said) == 1 else None
    beside: set[str] = set()
    for day in days:
        inside = _SAID_PART.search(text, day.start, day.end)
        after = _SAID_PART.match(text, day.end)
        beside |= {_PARTS[found.group()] for found in (inside, after) if found is not None}
    return beside.pop() if len(beside) == 1 and said == beside else None


def arrival_days(text: str, now: datetime) -> list[tuple[int, date]]:
    """Each arrival day `text` names, with where it starts (reported-on and departure days,
    and days that cannot be pinned down, left out)."""
    local = now.astimezone(SHANGHAI) if now.tzinfo else now.replace(tzinfo=SHANGHAI)
    days, _vague = _days(without_reported_days(text), local.date())
    return [(day.start, day.value) for day in days if day.value is not None]


# Round 8: other days that are not the arrival. The time of another event given as a field
# ("上报时间今天上午九点半", "（测温时间2月20日）", "登记时间2月20日"); a day with a visit
# to someone ("明天上午给新回来的5人测温"); a list to be sent ("具体名单明天报"); a day
# compared with ("人数跟昨天差不多").
_DAY_WORD = rf"(?:{_REL_DAY.pattern}|(?:\d{{4}}年)?{NUM}月{NUM}[日号]|(?<![\d.])\d{{1,2}}[./]\d{{1,2}}(?![\d./]))"
_OTHER_DAYS = re.compile(
    r"(?:上报|登记|填报|报告|测温|体温|核查|排查|走访|随访|检测|录入)(?:时间|日期)\s*[:：为是]?"
    r"[^,，。；;)）\s]*"
    rf"|(?:{_DAY_WORD}\s*(?:{_PART})?|{_PART})\s*(?:要|去|来|再|统一)?\s*(?:给|对|为|帮)"
    r"[^,，。；;]{0,12}?(?:测温|测体温|量体温|打针|体检|登记|检测|核酸)"
    rf"|{_DAY_WORD}\s*(?:测温|测体温|量体温|体温|体检|复测)"  # "2.20测温36.8"
    # "截至2月20日共计15人": a running total's day; round 19: with its hour (截至2月20日10时);
    # round 20: and its part of day (截至2月20日中午12时)
    rf"|(?:截至|截止)\s*(?:到)?\s*{_DAY_WORD}"
    rf"(?:\s*(?:{_PART})?\s*\d{{1,2}}\s*[时点](?:\s*\d{{1,2}}\s*分)?)?"
    # round 20: those come back up to today, counted ("到今天回来的商户一共是…九家")
    # (not 到 after a place blanked before: "1幢到12幢今天一共回来了六户")
    r"|(?<![回来返飞开坐\s])到今天(?:为止)?\s*(?=回来的|返回的|到的|一共|共|累计)"
    # round 19: the date of a daily or weekly report, in brackets after its name (日报（2.20）)
    r"|(?:日报|周报|报告|通报|情况|汇总)\s*[（(]\s*"
    rf"{_DAY_WORD}\s*[）)]"
    rf"|{_DAY_WORD}\s*(?:再|统一|会|一起|才)?\s*(?:上报|报送|报)(?![到道])"
    rf"|(?:跟|和|比|同|与|较)\s*{_DAY_WORD}\s*(?:相比|比)?\s*(?:差不多|一样|相同|持平|多|少)"
)


def without_reported_days(text: str) -> str:
    """`text` with the days (and hours) of reporting and of other events blanked."""
    for pattern in (_OTHER_DAYS, _REPORTED_DAY):  # "2月19日（测温时间2月20日）": the field first
        for match in pattern.finditer(text):
            text = blank(text, *match.span())
    return text


def _unread_day(text: str) -> bool:
    """Whether a part of day comes right after a day word that was not read.

    The part of day is fully read only with its day: "昨个晚上" read as 晚上 alone
    would be tonight, a day off. The words "夜晚早" between are part of the part of
    day ("听日夜晚八点"); known day words ("前天夜里", "明儿晚上") are read, not this.
    """
    for match in re.finditer(_PART, text):
        if match.group() in _REL_DAYS:
            continue  # "今晨", "昨晚": the day is in the word ("内蒙古包头 今晨6时15分")
        end = match.start()
        while end > 0 and (text[end - 1] in "夜晚早" or text[end - 1].isspace()):
            end -= 1
        token = _UNREAD_DAY.search(text, max(0, end - 3), end)
        if token is None:
            continue
        word = token.group().strip()
        if any(_REL_DAY.fullmatch(text, j, end) for j in range(max(0, end - 4), end)):
            continue  # a day word that is read ("前天夜里", "大后天晚上")
        if word[0] in "前后" and text[token.start() - 1 : token.start()] in _NOT_A_DAY_BEFORE:
            continue
        if token.start() > 0 and text[token.start() - 1] in "星礼":
            continue  # "礼拜天晚上": a weekday, read by the weekday rule
        return True
    return False


def _bare_part_of_day(text: str, local: datetime) -> date | None:
    """Today, for a part of day said with no day ("下午到", "傍晚到家", "凌晨到的").

    Only while that part of today is still to come or under way, or when the
    clause says it has happened; "凌晨到" said at ten in the morning could be
    tonight's or tomorrow's small hours, and is asked.
    """
    found = list(_BARE_PART.finditer(text))
    if not found:
        return None
    for match in found:
        if local.hour >= _PART_ENDS[_PARTS[match.group()]] and not _PAST.search(
            clause_after(text, match.end())
        ):
            return None
    return local.date()


def _days(text: str, today: date) -> tuple[list[_Day], bool]:
    """Every day named in `text` (bounds and departures dropped), and whether it is vague."""
    vague = any(
        not _ABOUT_COUNT.search(text, max(0, match.start() - 6), match.start())
        for match in _VAGUE.finditer(text)
    )
    found: list[_Day] = []
    work = text

    def take(match: re.Match[str], value: date | None) -> None:
        nonlocal work, vague
        start, end = match.span()
        work = work[:start] + "\x00" * (end - start) + work[end:]
        if _BOUND_AFTER.match(text, end) or _BOUND_BEFORE.search(text, 0, start):
            vague = True
            return
        rest = clause_after(text, end)
        arrival = _ARRIVAL_VERB.search(rest)
        if _departs(text, end):
            return  # "2月18日从湖北出发", "27号出发28号到": the day they left
        reporting = _REPORTING.search(rest)
        if reporting and (arrival is None or reporting.start() < arrival.start()):
            return  # "今天上午接到村民反映": the day of the report
        found.append(_Day(start, end, value))

    # before the Gregorian dates: 农历二月十五 is not 2月15日
    for match in _LUNAR_SECOND.finditer(work):
        take(match, _lunar(today, _lunar_day(match.group(1) or match.group(2)), month=2))
    for match in _FULL_DATE.finditer(work):
        year, month, day = (to_int(g) if g else None for g in match.groups())
        take(match, _month_day(today, month, day, year))
    for match in _ISO_DATE.finditer(work):
        year, month, day = (int(g) for g in match.groups())
        take(match, _month_day(today, month, day, year))
    for match in _THIS_MONTH.finditer(work):
        take(match, _month_day(today, today.month, to_int(match.group(1)), today.year))
    for match in _DOTTED.finditer(work):
        if not 1 <= int(match.group(1)) <= 12:
            continue  # "体温36.5": a temperature, not a date
        take(match, _month_day(today, int(match.group(1)), int(match.group(2)), None))
    for match in _LUNAR.finditer(work):
        take(match, _lunar(today, _lunar_day(match.group(1))))
    for match in _LANTERN.finditer(work):
        take(match, _lunar(today, 15))
    for match in _NEW_YEAR_DAY.finditer(work):
        value = _lunar(today, to_int(match.group(1)) or 0, strict=True)
        take(match, value)
    for match in _DAYS_AFTER.finditer(work):
        if text[max(0, match.start() - 1) : match.start()] in ("过", "这", "近"):
            continue
        amount = to_int(match.group(1))
        sign = 1 if "后" in match.group(2) else -1
        value = (
            today + timedelta(days=sign * amount) if amount is not None and amount < 400 else None
        )
        start, end = match.span()
        work = work[:start] + "\x00" * (end - start) + work[end:]
        found.append(_Day(start, end, value))
    for match in _REL_DAY.finditer(work):
        offset, _part = _REL_DAYS[match.group()]
        take(match, today + timedelta(days=offset))
    for match in _JUST.finditer(work):
        take(match, today)
    for match in _WEEKDAY.finditer(work):
        if (
            match.group(1) is None
            and text[max(0, match.start() - 1) : match.start()] in _NAME_MARKS
        ):
            continue  # "老周一家": 周 is a surname
        if match.group(2) == "一" and _TOGETHER.match(text, match.end()):
            vague = vague or match.group(1) is not None  # "下周一起回来": next week, together
            continue
        value = _weekday(today, match.group(1), match.group(2))
        if value is None and _said_past(text, match.start(), match.end()):
            value = _weekday(today, "这", match.group(2))  # "礼拜三下午到的": this week's
        take(match, value)
    for match in _DAY_ONLY.finditer(work):
        if not _DAY_ONLY_NEXT.match(text, match.end()):
            continue  # "3号店铺", "5号楼": a number, not a day
        take(match, _day_of_month(today, to_int(match.group(1)), text, match.end()))
    if not found:
        for match in _JUST_SEEN.finditer(work):
            take(match, today)
    return found, vague


def _said_past(text: str, start: int, end: int) -> bool:
    """Whether the clause says the arrival has happened ("星期二到的", "已于星期二晚上到达")."""
    return bool(
        re.search(r"[^的]*(?:到|回|来|返)[^,，。；;]{0,2}?(?:的|了)", clause_after(text, end))
        or re.search(r"已(?:经)?(?:于|在)?\s*$", text[max(0, start - 4) : start])
    )


def _departs(text: str, end: int) -> bool:
    """Whether the clause after a day or hour says people left then, before it says they came."""
    rest = clause_after(text, end)
    departure = _DEPARTURE.search(rest)
    arrival = _ARRIVAL_VERB.search(rest)
    return departure is not None and (arrival is None or departure.start() < arrival.start())


def _month_day(today: date, month: int | None, day: int | None, year: int | None) -> date | None:
    if month is None or day is None or not 1 <= month <= 12:
        return None
    if year is not None:
        return _safe_date(year, month, day)
    options = [
        d for y in (today.year - 1, today.year, today.year + 1) if (d := _safe_date(y, month, day))
    ]
    if not options:
        return None
    return min(options, key=lambda d: (abs((d - today).days), d < today))


def _day_of_month(today: date, day: int | None, text: str, end: int) -> date | None:
    if day is None or not 1 <= day <= 31:
        return None
    if day >= today.day:
        return _safe_date(today.year, today.month, day)
    if _PAST.search(clause_after(text, end)):
        return _safe_date(today.year, today.month, day)  # "18号回来的": this month, past
    return None  # "17号回来" on the 20th: last week, or next month?


def _safe_date(year: int, month: int, day: int) -> date | None:
    if (
        not 1900 <= year <= 2100
        or not 1 <= month <= 12
        or not 1 <= day <= calendar.monthrange(year, month)[1]
    ):
        return None
    return date(year, month, day)


def _weekday(today: date, prefix: str | None, name: str) -> date | None:
    target = _WEEKDAY_INDEX.get(name, int(name) - 1 if name.isdigit() else 0)
    monday = today - timedelta(days=today.weekday())
    if prefix in ("下", "下个", "落个"):
        return monday + timedelta(days=7 + target)
    if prefix == "下下":
        return monday + timedelta(days=14 + target)
    if prefix in ("上", "上个"):
        return monday + timedelta(days=-7 + target)
    if prefix is None and target < today.weekday():
        return None  # "周一" on a Thursday: this past Monday or the next one?
    return monday + timedelta(days=target)


def _lunar_day(word: str) -> int:
    if word.startswith("初"):
        return to_int(word[1:]) or 0
    return to_int(word) or 0


def _lunar(today: date, day: int, *, strict: bool = False, month: int = 1) -> date | None:
    """Day `day` of the first (or, with `month=2`, the second) lunar month nearest to `today`.

    `strict` (a bare "初八"): only while the first month is near, since 初八 is
    the eighth of every lunar month.
    """
    if not 1 <= day <= 30:
        return None
    options = []
    for year in (today.year - 1, today.year, today.year + 1):
        if year not in _LUNAR_NEW_YEAR:
            continue
        new_month, first, length = _LUNAR_NEW_YEAR[year]
        if month == 1 and day > length:
            continue
        later = length if month == 2 else 0
        options.append(date(year, new_month, first) + timedelta(days=later + day - 1))
    if not options:
        return None
    best = min(options, key=lambda d: abs((d - today).days))
    if strict and abs((best - today).days) > 30:
        return None
    return best


def _clock(text: str) -> tuple[time | None, bool]:
    """The one clock time in `text`, and whether a clock time was there but unclear."""
    times: set[time] = set()
    unclear = False
    for match in _clock_words(text):
        part_word, hour_raw, official, minute_raw, half, quarter, *rest = match.groups()
        three_quarters, bare, bound = rest
        hour = to_int(hour_raw)
        minute = 0
        if minute_raw or bare:
            minute_text = (minute_raw or bare).removeprefix("零")  # "五点零五": 5 past
            read = to_int(minute_text) if minute_text else 0
            if read is None:
                unclear = True
                continue
            minute = read
        elif half:
            minute = 30
        elif quarter:
            minute = 15
        elif three_quarters:
            minute = 45
        if _departs(text, match.end()) or _VEHICLE_AFTER.match(text, match.end()):
            continue  # "晚9时许乘坐K1234次列车从黄冈出发", "下午三点的高铁": when they left
        part = _part_before(text, match.start(2), part_word)
        # "8时30分", "10时": the official register counts hours on a 24-hour clock
        on_24h = official is not None
        resolved = _hour24(hour, part, zero_padded=on_24h) if hour is not None else None
        if bound or resolved is None or not 0 <= minute <= 59:
            unclear = unclear or resolved is None
            continue
        times.add(time(resolved, minute))
    for match in _COLON_CLOCK.finditer(text):
        part_word, hour_raw, minute_raw = match.groups()
        part = _part_before(text, match.start(2), part_word)
        hour, minute = int(hour_raw), int(minute_raw)
        # round 14: "9:40", "10:20到店": written with a colon, an hour is on the 24-hour
        # clock (every corpus labels it so); a part of day said with it still rules
        resolved = _hour24(hour, part, zero_padded=True)
        if resolved is None or minute > 59:
            unclear = True
            continue
        times.add(time(resolved, minute))
    if len(times) == 1:
        return times.pop(), False
    return None, unclear or len(times) > 1


def clock_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` says a clock time that could be the arrival's (clear or not): the times
    of other events and of departures left out, as `parse_arrival` leaves them out."""
    text = without_reported_days(text)
    spans = [
        match.span()
        for match in _clock_words(text)
        if not (_departs(text, match.end()) or _VEHICLE_AFTER.match(text, match.end()))
        and not match.group(9)  # "10点前到了": a bound, not the hour
    ]
    spans.extend(match.span() for match in _COLON_CLOCK.finditer(text))
    return spans


def _clock_words(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_CLOCK` that are clock times at all."""
    for match in _CLOCK.finditer(text):
        if match.group(1) is None and text[: match.start(2)].endswith(_NOT_CLOCK_BEFORE):
            continue  # "晚一点到": a little later, not one o'clock
        if text[match.end() : match.end() + 1] in ("儿", "会", "间"):
            continue  # "一点儿", "一时半会", "时间"
        yield match


def _part_before(text: str, start: int, part_word: str | None) -> str | None:
    """The part of day said right before the hour, possibly as 今晚/明早 a little earlier."""
    if part_word:
        return _PARTS[part_word]
    before = text[max(0, start - 8) : start]
    for ch in CLAUSE_END:
        before = before.rsplit(ch, 1)[-1]
    before = _ROUGHLY.sub("", before.rstrip())  # round 8: "今天晚上大概十点到"
    for word in sorted(_PARTS, key=len, reverse=True):
        if len(word) > 1 and before.endswith(word):
            return _PARTS[word]
    return None


def _hour24(hour: int, part: str | None, *, zero_padded: bool) -> int | None:
    """The hour on a 24-hour clock, or None when it cannot be told (3点: 03:00 or 15:00?)."""
    if hour > 24:
        return None
    if part is None:
        if hour >= 13 or hour == 0 or zero_padded:
            return hour if hour < 24 else None
        return None
    if part == "dawn":
        return 0 if hour == 12 else hour if hour <= 6 else None
    if part == "morning":
        return hour if 4 <= hour <= 12 else None
    if part == "noon":
        return hour if hour in (11, 12) else hour + 12 if 1 <= hour <= 3 else None
    if part == "afternoon":
        return hour + 12 if 1 <= hour <= 11 else hour if 12 <= hour <= 19 else None
    if part == "dusk":
        return hour + 12 if 4 <= hour <= 8 else hour if 16 <= hour <= 20 else None
    if part == "evening":
        return hour + 12 if 6 <= hour <= 11 else hour if 18 <= hour <= 23 else None
    if part == "night":
        return 23 if hour in (11, 23) else None
    return None
