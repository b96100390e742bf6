"""What round 19 of the returnee parser reads and asks (issue 10, heldout18's misses).

The report's own date (日报（2.21）, 截至…9时) is no arrival.

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.returnee_parse import assert_asked, parse


@pytest.mark.parametrize(
    "text",
    [
        "网格员日报（2.21）：新增返义人员3名，均为河南周口籍",
        "村里情况（2月20日）：新增2人，从安徽亳州回来",
    ],
)
def test_the_date_of_a_report_is_no_arrival(text: str) -> None:
    assert_asked(text, "arrival")


def test_the_hour_a_running_total_is_counted_to_is_no_arrival() -> None:
    report = parse("情况汇总（截至2月20日9时）：新增2人，从安徽亳州回来，昨天到，住青岩刘村8号")
    assert report.arrival == date(2020, 2, 19)
