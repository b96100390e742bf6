"""Round 23: one person named by role and name, and no one else, is a count of one.

Workplaces report a returnee by role and name ("司机刘建军，由山东济南发车…", "快递员黄伟
今天从江西吉安回来", "商户陈丽回来了") and say no number, because one person named is one
person. The count reader wants a number or a kin word and left every such report to ask
(17 of tuned25's and tuned26's count abstentions, 13 of tuned23's and tuned24's in round
22). A careful reader counts one only when the message pins it down: exactly one role
word right before a name, and nothing in the message that could be more people (a number
of people, a relative or companion, a plural, a second name, a list or a batch).
"""

from __future__ import annotations

import re

from cascade.returnee.people import SINGLE_KIN, SURNAMES
from cascade.returnee.text import HAN, HEAD_UNIT, NUM

_ROLE = (
    r"司机|快递员|配送员|收派员|分拣工|员工|租客|租户|商户|店主|老板娘|老板|学生|工人|保安|厨师|"
    r"服务员|营业员|店员"
)
_NAMED = re.compile(
    rf"(?:{_ROLE})\s*(?!周[一二三四五六日天末])([{SURNAMES}][{HAN}]{{1,2}})"  # not 租客周日
    rf"(?![{HAN}]{{0,1}}(?:等|们|一家|夫妻|两口))"
)
# Anything that could be more than the one named: a number of people, kin or companions,
# a plural, a list, a batch.
_MORE = re.compile(
    rf"{NUM}\s*{HEAD_UNIT}|{SINGLE_KIN}|父母|爸妈|孩子|小孩|家人|家里人|家里的人|家眷|家小|老小|家属|一家|全家|夫妻|两口|俩|仨|"
    r"们|都|均|大家|一起|一批|几个|等|名单|同行|同事|老乡|朋友|亲戚|还有|另外|另有|以及|和|跟|与|及|、"
)


def named_one(work: str) -> int | None:
    """1 when `work` names one person by role and name and no one else, else None."""
    named = list(_NAMED.finditer(work))
    if len(named) != 1 or _MORE.search(work):
        return None
    return 1
