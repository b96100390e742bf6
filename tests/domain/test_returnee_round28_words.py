"""Round 28 (parserb): words that say a day is not an arrival or a place not told.

"明天就回去" is the day visitors leave, not come (a returnee's own "我明天回去" is going back
to work here and stays the arrival); "明天上门问" is the day of a visit; "疑似从河南过来"
is suspected, so the origin is asked.

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

from datetime import date

from tests.support.returnee_parse import assert_asked, parse


def test_a_day_visitors_go_back_is_not_their_arrival() -> None:
    assert_asked("我们从丽水过来走亲戚，三个人，住江东街道青口村6号，后天就回去", "arrival")


def test_a_returnees_own_going_back_is_the_arrival() -> None:
    report = parse("我和老公两个人后天从四川宜宾回去，住江东街道青口村6号")
    assert report.arrival == date(2020, 2, 22)


def test_a_day_of_a_visit_is_not_the_arrival() -> None:
    report = parse("村里有户亲戚前天从安徽宿州过来，几个人不清楚，我明天上门看看")
    assert report.arrival == date(2020, 2, 18)


def test_a_suspected_origin_is_asked() -> None:
    assert_asked("邻居反映对面楼住进来几个外地人，疑似从湖北过来，住稠城街道城中路5号", "origin")


def test_a_told_origin_is_given() -> None:
    report = parse("对面楼住进来两个人，从湖北黄石过来，住稠城街道城中路5号")
    assert report.origin == "湖北黄石"
