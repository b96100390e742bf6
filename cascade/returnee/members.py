"""Round 22: a number of people said beside the members it sums, read when the two agree.

The count reader abstains when a total is said with the people it counts spelled out
("夫妻俩 加 老汉儿 3个", "老汉 跟他 婆娘 跟 两个娃 4个人", "租客4人（夫妻+2孩）"): it cannot
tell whether the total includes the ones listed or adds to them. A careful reader adds
the members up and sees they make the total: two readings of the same people, one said
as a number and one as kinds of people, that agree. This module reads the second one
(pairs, a family of N, N of a kind, one relative, the reporter himself) and gives the
total only when the sum is that total exactly; when they differ, or the message says
more than one total, nothing is read and the count stays a question.
"""

from __future__ import annotations

import re

from cascade.returnee.text import NUM, blank, to_int

# "我两口子", "夫妻二人", "小两口": two people.
_PAIR = re.compile(
    r"(?:我们?|他们?|她们?)?(?:夫妻俩|夫妻二人|夫妻两人|夫妻两个|夫妇俩|夫妇二人|两口子|俩口子"
    r"|小两口|老两口|小夫妻|夫妻|夫妇|我爸妈|爸妈|父母)"
)
# "一家三口", "一家五口人": the household's own size.
_FAMILY = re.compile(rf"(?:一家|全家)\s*({NUM})\s*口人?")
# "两个娃", "一个小孩", "+2孩", "子女二人", "2个孩子": so many of a kind.
_KIND = r"(?:大人|小孩|孩子|娃儿|娃|老人|儿子|女儿|侄儿)"
_COUNTED = re.compile(
    rf"(?<![\d一二两三四五六七八九十])({NUM})\s*个?\s*{_KIND}"
    rf"|[+＋]\s*(\d)\s*[孩子娃]"
    rf"|(?:子女|儿女|孩子|小孩)\s*({NUM})\s*(?:人|个|名|位)"
)
# One relative, said with whose they are: "小孩外婆", "孩子爷爷", "他们的妈妈", "我姑娘".
_OWNER = r"(?:(?:小孩|孩子|娃儿|他们|她们|他|她|我)的?\s*)?"
_ONE = re.compile(
    rf"(?:(?:带|加|还有|再加)\s*)?(?:一个|个)?\s*{_OWNER}"
    r"(?:婆娘|老汉儿|老汉|老婆|媳妇|老公|丈夫|妻子|女儿|姑娘|妮儿|儿子|外婆|外公|奶奶|爷爷|妈妈"
    r"|丈母娘|岳母|侄儿|小孩|孩子|娃儿|娃)"
)
# The reporter among them: "我跟我老婆", "，我，女儿", "加他自己".
_SELF = re.compile(r"他自己|她自己|我自己|(?<![\u4e00-\u9fff])我(?=\s*[,，、跟和加]|\s+)")
# A number of people said as a total: "4个人", "共四人", "3个 下周二", "四口人，".
_TOTAL = re.compile(
    rf"(?<![\d第])({NUM})\s*(?:个人|口人|人|口|位|名|个)"
    r"(?=[\s,，。;；、)）(（]|$)"
)


def agreed_total(work: str) -> int | None:
    """The one total said in `work` when the members spelled out beside it add up to it."""
    members = 0
    family: list[int] = []
    for match in _FAMILY.finditer(work):
        family.append(to_int(match.group(1)) or 0)
        work = blank(work, *match.span())
    for pattern, size in ((_PAIR, 2), (_COUNTED, 0), (_ONE, 1), (_SELF, 1)):
        for match in pattern.finditer(work):
            said = next((group for group in match.groups() if group), None)
            members += size or (to_int(said) if said else None) or 0
            work = blank(work, *match.span())
    totals = {to_int(match.group(1)) for match in _TOTAL.finditer(work)}
    if None in totals or len(totals) > 1 or len(family) > 1:
        return None
    total = totals.pop() if totals else None
    if total is None:  # "一家三口，我，我老婆，儿子": the family's size is the total
        return family[0] if family and family[0] > 1 and members == family[0] else None
    members += sum(family)  # "一家三口加我爸妈，5个人"
    return total if total > 1 and members == total else None
