"""Round 14: people counted in parts, each part labelled by its place, add up.

"湖南常德的3个，江西萍乡的2个", "601从江西赣州3人，602从江西赣州2人", "一户是河南驻马店的，
两个人…另一户安徽亳州的三个人": no total is said, but each number of people is said for
one group named by where it comes from or where it lives, and a careful reader adds
them (5). The count reader takes one number of people, so it asked.

The parts add up only when every number of people in the message is one of them:
a number said for no group ("回来5个人，湖南的3个，江西的2个": is 5 the total?), a
total word (共, 一共), a part of a whole (其中, 里面, 另外), an estimate or a range,
or a group named twice leaves the count to the reader's other rules, which ask.
"""

from __future__ import annotations

import re

from cascade.returnee.places import find_places
from cascade.returnee.text import NUM, to_int

_PART_COUNT = re.compile(
    rf"(?<![\d第])({NUM})\s*(?:个人|个|名|位|口人|口(?![\u4e00-\u9fff])|人)(?![\d月天号日点])"
)
# Words that make the numbers not parts of an unsaid whole, or not exact.
_NOT_PARTS = re.compile(
    r"共|合计|总计|总共|加起来|其中|里面|之中|中有|另外|还有|以上|左右|多|几|约|大概|差不多|估计"
    r"|各|分别|批|在路上|没回|还在|先回|后回"
)
# What labels a part: a room or a building, or a household word.
_UNIT_LABEL = re.compile(r"\d{3,4}(?!\d)|\d+\s*(?:幢|栋|楼|号|室)|一户|另一户|一家|另一家")
_SEPARATOR = re.compile(r"[，,；;。\n]|(?:^|\s)\d+\s*[、.]")


def parts_total(text: str) -> int | None:
    """The sum of two or more numbers of people, each said for its own labelled group,
    or None when the message does not say its count that way (see the module)."""
    if _NOT_PARTS.search(text):
        return None
    labelled = _labelled(text)
    if len(labelled) < 2 or any(label is None or value is None for label, value in labelled):
        return None
    labels = [label for label, _value in labelled]
    if len(set(labels)) != len(labels):
        return None  # a group named twice: two parts of it, or the same part said again?
    return sum(value for _label, value in labelled if value is not None)


def parts_said(text: str) -> int:
    """How many numbers of people are said for a labelled group ("湖南的3个"): with two
    or more and no sum of them (a number said for no group beside them), the count
    is not one number said twice."""
    return sum(1 for label, _value in _labelled(text) if label is not None)


def _labelled(text: str) -> list[tuple[str | None, int | None]]:
    """Each number of people with the label of its group, if any."""
    found: list[tuple[str | None, int | None]] = []
    previous_end = 0
    for match in _PART_COUNT.finditer(text):
        value = to_int(match.group(1))
        # the number's own clause, or (when it starts the clause: "河南的，两个人") the one before
        cuts = [previous_end] + [
            sep.end() for sep in _SEPARATOR.finditer(text, previous_end, match.start())
        ]
        label = _label(text[cuts[-1] : match.start()])
        if label is None and len(cuts) > 1 and not text[cuts[-1] : match.start()].strip():
            label = _label(text[cuts[-2] : cuts[-1]])
        found.append((label, value if value else None))
        previous_end = match.end()
    return found


def _label(before: str) -> str | None:
    """What names the group whose number follows: its place or its room, or None."""
    unit = _UNIT_LABEL.findall(before)
    if unit:
        return unit[-1]
    places = find_places(before)
    return places[-1].text if places else None
