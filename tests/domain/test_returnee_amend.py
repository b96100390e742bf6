"""A reply to a returnee draft amends it field by field (`amended`).

"还缺：住址（可回复补充）" invited a reply with the address alone; read as a new report
it emptied the count, the origin, the arrival and the phone the draft had.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cascade.returnee.amend import amended
from cascade.returnee.report import parse_report

NOW = datetime(2026, 2, 20, 8, 0, tzinfo=UTC)
TEXT = "我表哥带老婆孩子一共3人从湖北孝感经停武汉回来，明天下午到，住3幢2单元501，电话13912345678"


def amend(reply: str) -> dict[str, object]:
    draft = parse_report(TEXT, NOW)
    return amended(draft, TEXT, reply, NOW).model_dump()


def test_the_reply_replaces_what_it_says_and_keeps_the_rest() -> None:
    after = amend("住址是宾王小区3幢2单元501")
    assert after["address"] == "宾王小区3幢2单元501"
    assert after["count"] == 3 and after["origin"] == "湖北孝感" and after["via"] == ["武汉"]
    assert after["phone"] == "13912345678" and after["arrival_part"] == "afternoon"
    assert after["questions"] == []


@pytest.mark.parametrize("reply", ["人数改成4人", "不对，是4个人", "4人"])
def test_a_corrected_count_stands(reply: str) -> None:
    after = amend(reply)
    assert after["count"] == 4
    assert after["origin"] == "湖北孝感" and after["phone"] == "13912345678"


def test_a_day_corrected_carries_its_part_of_day() -> None:
    after = amend("明天上午到")
    assert after["arrival_part"] == "morning" and after["count"] == 3


def test_a_reply_that_says_nothing_new_changes_nothing() -> None:
    draft = parse_report(TEXT, NOW)
    assert amended(draft, TEXT, "好的", NOW) == draft
