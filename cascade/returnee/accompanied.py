"""Round 28: one person's report with the people who came with them counted apart.

Forms, 12345 records and hotel desks write the returnee first and then those with them:
"来电人称，其…抵达义乌，随行妻子一人", "本人…同行子女2人", "入住客人符某某…同行一人",
"住户王某某…同行家属2人". The number said is the companions', not the total, yet it was
the only number of people in the message, so it was read as the count (one short, and
without a question) or nothing was read. The total is that number and the one who
reports them, when the message pins this down: one companion phrase, no total said
(共3人, 同行3人（含本人）), at most one person named, and no couple or family word that
would make the subject more than one.
"""

from __future__ import annotations

import re

from cascade.returnee.text import NUM, to_int

_KIN = (
    r"妻子|丈夫|老婆|老公|爱人|妻|夫|儿子|女儿|子女|孩子|小孩|父亲|母亲|父母|家属|家人|亲属"
    r"|朋友|同事|老乡"
)
_WITH = re.compile(
    rf"(?:同行|随行)(?:人员|的人|家属)?\s*[:：]?\s*(?:{_KIN})?\s*({NUM})\s*(?:个人|人|位|名)"
)
# The total said elsewhere, or the reporter counted in the number itself.
_TOTAL_SAID = re.compile(
    rf"含本人|包括本人|含自己|包括自己|连同本人|本人\s*\+|共\s*(?:计|有)?\s*{NUM}|一共|总共|合计"
)
# A subject of more than one: a couple, a family, two people.
_MANY = re.compile(r"夫妻|夫妇|两口|俩|仨|一家|全家|们")


def accompanied_total(work: str, names: int) -> int | None:
    """The companions said apart plus the one they came with, or None."""
    said = list(_WITH.finditer(work))
    if len(said) != 1 or names > 1 or _TOTAL_SAID.search(work) or _MANY.search(work):
        return None
    companions = to_int(said[0].group(1))
    if companions is None or companions < 1:
        return None
    return companions + 1
