"""What a report says with doubt or takes back: hedges, abandoned plans, arrivals in batches.

The readers find values; this module finds the words that make a found value
unsafe to record without a question. A reporter who writes 好像是昨天到的 or
可能是江西的 does not know; 原计划途经武汉，现在改走合肥 no longer passes through
Wuhan; 两个今天到，两个明天到 has no one arrival day and, unless a total is said
that the batches add up to, no one count. The bot then asks rather than guesses
(issue 10: never a wrong value where it could have asked).
"""

from __future__ import annotations

import re
from datetime import date

from cascade.returnee.people import MARKED_TOTAL
from cascade.returnee.text import CLAUSE_END, NUM, PERSON_UNIT, blank, clause_start, to_int

# A hedge makes what follows it, to the end of its clause, a guess: "好像是前天到的",
# "可能是江西的吧", "听说是昨天回来的", "据了解大约于2月17日返回".
_HEDGE = re.compile(
    r"好像|好象|大概|大约|可能(?!性)|应该是|应该|估计|听说|据说|据了解|似乎|也许|或许|貌似|说不定"
    r"|听[^,，。；;说]{1,4}说|像是|口音像|听口音"  # "听他们说是后天", "口音像是河南的"
    # round 7: "说不准是X还是Y", "不一定是四川", "估摸着是前天" (预计 and 自称 are not
    # hedges by the tuning parts' labels: "预计2月24日到" is that day)
    r"|说不准|说不清|不一定|估摸|我猜|记不清|吃不准"
    r"|疑似|怀疑"  # round 28: "疑似从河南过来": suspected, not told
)
# Doubt said after the words it doubts: "…福建莆田回来，待核实" doubts its own clause;
# suspicion ("…从温州回来，但我觉得口音不对劲") doubts the clause before it too.
_CHECK_LATER = re.compile(
    r"待核实|待核查|待确认|待查|有待核实|需核实|要核实"
    r"|(?:还|也)?(?:没|没有|未)(?:核实|核对|确认)"  # round 11: "今天到了没到我还没核实"
)
_SUSPICION = re.compile(
    r"不对劲|有问题|不太放心|不大放心|不放心|可疑|不像是真的|不太信|不相信|不信|存疑|有疑问"
)
# Before a check or a suspicion, words that leave it a clause of its own: "我觉得有问题".
_ALONE = re.compile(
    r"\s*(?:[到来回]了?没[到来回])?"  # round 11: "到没到我还没核实" asks of the clause before
    r"\s*(?:但是?|可是|不过)?\s*(?:还需要|需要|请)?\s*(?:我|我们)?\s*(?:也|还|总|都)?\s*"
    r"(?:觉得|感觉|认为|看)?\s*(?:有点|有些|还是)?\s*"
)
# Doubt said after a clause, as a clause of its own: "说是江西来的，不太确定，也可能是安徽".
_DOUBT_WORDS = (
    r"(?:不太确定|不确定|不敢确定|不敢肯定|不敢说|不好说|说不好|拿不准|吃不准|没把握"
    # round 8: "我也搞不清", "记不清了", "我不知道算哪里"
    r"|搞不清楚?|弄不清楚?|分不清楚?|记不清楚?|说不清楚?|没听清楚?|不知道算哪(?:里|儿|个))了?"
)
_DOUBT_AFTER = re.compile(
    rf"(?<=[,，。;；\s])(?:但|也|还)?\s*(?:我|他|她|我们)?\s*(?:也|还|都|实在)?\s*{_DOUBT_WORDS}"
    r"(?=\s*(?:$|[,，。;；!！]))"
)
# The same said by the reporter inside a run-on clause (voice input with no commas):
# "他本来说是前天回来后来又说是大前天我也搞不清楚了反正就一个人" doubts what came before.
_DOUBT_RUNON = re.compile(rf"(?:我|我们)\s*(?:也|还|都|实在)?\s*{_DOUBT_WORDS}")
# A number of people said before such a doubt is not what it doubts: "一个小伙子说是安徽的
# 但是又好像是江苏的我也没听清楚" doubts the places, not the one young man.
_PEOPLE_SAID = re.compile(
    rf"{NUM}\s*(?:个人|个|名|位|口人|口|人)(?:小伙子|小伙|姑娘|租客|租户|房客|工人|员工|人)?"
)
_RUNON_REACH = 16  # characters a doubt said inside a run-on clause looks back over
_HEDGE_REACH = 12  # characters: a hedge governs the words right after it, not the whole message
# A hedge that looks back: "从湖北回来的可能性不大，应该是湖南" doubts what its clause said
# before it, from the clause's start.
_HEDGE_BACK = re.compile(
    r"的?(?:可能性|几率|概率)\s*(?:不大|很小|较小|极小|不高|很低|小)|不太可能|不大可能"
    # round 11: the day someone was seen is not the day they came ("今天早上看到的")
    r"|(?:看到|看见|碰到|遇到|撞见)的"
    # round 11: others who will come later ("大后天家里人也会过来") say no arrival of these
    r"|(?:也|还)(?:会|要|准备|打算)(?:过来|回来|来|到)"
)
# A hedged number of people ends the reach: in "大约八个人明天回来" the day is certain.
_COUNT_WORD = re.compile(r"[个名位人口]")

# A plan given up: "原计划途经武汉，现在改走合肥", "本来要从杭州转车，后来买到直达的票",
# "原本说下周回，现在改成明天回了". What lies between the plan word and the change
# word is no longer true and is not read.
_PLAN = re.compile(
    r"原计划|原定|原打算|本打算|(?:原本|本来|原来|原先|起初|一开始)\s*(?:是)?\s*"
    r"(?:打算|计划|准备|想|说|要|定|讲)"
)
_CHANGE = re.compile(
    r"改为|改成|改走|改道|改从|改在|改经|改乘|改坐|改到|改了|现改|已改|后来|现在|又说|结果|最后"
)
_PLAN_REACH = 40

# People who come in batches: "两个今天到，两个明天到", "他先回，老婆孩子昨天到",
# "第一批6个人今天到，第二批5个人后天到"; more still on the way ("还有几个在路上",
# "孩子过几天再来"); one more batch among others ("今天新到一批"): no one day, no one count.
LATER = (
    r"过[一两几二三]?[天日]|过些天|过段时间|过阵子|过一阵|以后|晚些|晚点|之后|随后|下周|下个月"
    r"|下个?礼拜|下个?星期"  # round 8: "还有两个下礼拜到"
)
_BATCH_WORD = re.compile(
    rf"先(?:回来|回|到|来|过来)|第[二三四五\d]批|另外(?:还有)?\s*(?:{NUM})\s*{PERSON_UNIT}"
    rf"|还有\s*(?:{NUM}|几|一些|些|部分|人)?\s*{PERSON_UNIT}?\s*(?:还)?\s*"
    r"(?:在路上|在来的路上|没到|没回|未到|未回|没有到|没有回|要来|要回|陆续)"
    rf"|(?:{LATER})\S{{0,3}}?再(?:来|回|过来|回来|到)|(?:新|又)?(?:回来|过来|到|来|回)了?一批|陆续"
    # "还有两个江西的下周回": others come on a later day
    rf"|还有[^,，。；;]{{0,10}}?(?:{LATER}|明天|明日|后天|大后天|月底)\s*(?:再)?(?:回来|回|到|来|返)"
    # round 15: "分三批回", "后面还有一批木工", "另有1人今天…", "其余2名未定"
    rf"|分[两二三四五六几\d]批|(?:后面|后边|后头)还有|还有[一1]?批|另有\s*{NUM}\s*{PERSON_UNIT}"
    rf"|其余\s*(?:{NUM})?\s*{PERSON_UNIT}?\s*(?:未定|未到|没到|没回|未回|在路上|还没)"
)
# Days said as alternatives ("明天或者后天") are one unsure day, not two batches.
_PIECE_END = re.compile(rf"[{re.escape(CLAUSE_END)};；\s]")
_ALTERNATIVE = re.compile(r"或者|或是|或|还是|也可能|要么")
_PART_COUNT = re.compile(rf"(?<![\d第])({NUM})\s*{PERSON_UNIT}(?![\u4e00-\u9fff]*?月)")


# A return said to be unlikely: "回来的可能性不大了" — no one is coming yet, so no count.
_UNLIKELY_RETURN = re.compile(
    r"(?:回来|回|来|返回|过来)的?(?:可能性|几率|概率)\s*(?:不大|很小|较小|极小|不高|很低|小)"
    r"|不(?:太|大)可能(?:回来|回|来|过来)"
)


# A hedge right before the arrival verb, with no clock time said ("今天下午可能到义",
# "估计中午到"): the day is a guess. "大概下午3点到" is read like 3点左右 (the convention).
_HEDGED_ARRIVAL = re.compile(
    r"(?:可能|估计|大概|大约|应该|也许|或许|说不定)\s*(?:会|要|能)?\s*"
    r"(?:[上中下]午|晚上|傍晚|早上|凌晨|夜里)?\s*(?:到|回到|抵达|回来|过来)"
)


def arrival_hedged(text: str) -> bool:
    """Whether the arrival verb itself is hedged ("可能到", "估计中午到")."""
    return _HEDGED_ARRIVAL.search(text) is not None


def return_unlikely(text: str) -> bool:
    """Whether the message says the people are unlikely to come at all."""
    return _UNLIKELY_RETURN.search(text) is not None


def hedged_spans(text: str) -> list[tuple[int, int]]:
    """Where each hedge's reach lies: from the hedge word to the end of its clause."""
    spans = []
    for match in _HEDGE.finditer(text):
        end = match.end()
        limit = min(len(text), end + _HEDGE_REACH)
        while end < limit and text[end] not in CLAUSE_END and not text[end].isspace():
            end += 1
            number = re.search(rf"(还有)?\s*{NUM}\s*[多几来余]?\s*.$", text[:end])
            if _COUNT_WORD.match(text, end - 1) and number and not number.group(1):
                break  # "大约八个人明天回来": the day is certain ("可能明天还有两个朋友要从…" is not)
        spans.append((match.start(), end))
    for match in _DOUBT_AFTER.finditer(text):
        # said as a clause of its own, it doubts the clauses before it (round 8: the places
        # said two clauses back in "说是四川的，不过身份证是重庆的，我也搞不清")
        spans.append((_clauses_back(text, match.start(), 3), match.end()))
    for match in _DOUBT_RUNON.finditer(text):  # the words right before, not the whole run
        start = max(_clauses_back(text, match.start(), 1), match.start() - _RUNON_REACH)
        space = text.rfind(" ", start, match.start())
        start = start if space < 0 else space + 1
        people = list(_PEOPLE_SAID.finditer(text, max(0, start - 6), match.start()))
        spans.append((max(start, people[-1].end()) if people else start, match.end()))
    for pattern, clauses in ((_CHECK_LATER, 1), (_SUSPICION, 2)):
        for match in pattern.finditer(text):
            start = _clauses_back(text, match.start(), 1)
            if _ALONE.fullmatch(text, start, match.start()):  # "…，待核实", "我觉得有问题" alone
                start = _clauses_back(text, match.start(), 3)
            elif clauses > 1:
                start = _clauses_back(text, match.start(), clauses)
            spans.append((start, match.end()))
    for match in _HEDGE_BACK.finditer(text):
        spans.append((clause_start(text, match.start()), match.end()))
    return spans


def _clauses_back(text: str, end: int, clauses: int) -> int:
    """Where the `clauses`-th clause before `end` starts (its own clause counts as one)."""
    start = end
    for step in range(clauses):
        if step:
            if start == 0:
                break
            start -= 1  # over the stop, into the clause before
        start = clause_start(text, start)
    return start


def drop_abandoned(text: str) -> str:
    """`text` with every plan that a later change replaced blanked out (offsets kept)."""
    for plan in _PLAN.finditer(text):
        change = _CHANGE.search(text, plan.end(), plan.end() + _PLAN_REACH)
        if change is not None:
            text = blank(text, plan.start(), change.start())
    return text


def in_batches(text: str, days: list[tuple[int, date]]) -> bool:
    """Whether people arrive at different times: a batch word, or different arrival `days`
    (position, day) said in different clauses ("两个今天到，两个明天到")."""
    if _BATCH_WORD.search(text):
        return True
    pieces: dict[int, set[date]] = {}
    for start, day in days:
        piece = len(_PIECE_END.findall(text, 0, start))
        pieces.setdefault(piece, set()).add(day)
    values = {day for _start, day in days}
    return len(pieces) > 1 and len(values) > 1 and not _ALTERNATIVE.search(text)


def counted_in_parts(text: str, days: list[tuple[int, date]], people_at: list[int]) -> bool:
    """Whether people come in parts the message counts apart (two counts, or a count, a
    relative or a name (`people_at`) said with one of the days), or a batch word says some
    are still to come. Round 8: "今晚的车，明早到，湖南一人" is one trip of one person,
    whose count stands; "老汤今天回来，他说明天他老婆也回来" is not."""
    counts = list(_PART_COUNT.finditer(text))
    if _BATCH_WORD.search(text) is not None or len(counts) > 1:
        return True
    pieces = {len(_PIECE_END.findall(text, 0, start)) for start, _day in days}
    said = [match.start() for match in counts] + people_at
    return any(len(_PIECE_END.findall(text, 0, start)) in pieces for start in said)


def batch_total(text: str) -> int | None:
    """The total said for people who come in batches, when the batches add up to it.

    "一共四个人，两个今天到，两个明天到" is four; "两个今天到，两个明天到" has no
    total said and "一共五个，两个今天到，两个明天到" does not add up: both are asked.
    """
    totals = list(MARKED_TOTAL.finditer(text))
    if len(totals) != 1:
        return None
    total = to_int(totals[0].group(1))
    rest = blank(text, *totals[0].span())
    parts = [to_int(match.group(1)) for match in _PART_COUNT.finditer(rest)]
    if total is None or not parts or None in parts:
        return None
    return total if sum(part for part in parts if part is not None) == total else None
