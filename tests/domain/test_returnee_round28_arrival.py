"""What round 28 of the returnee parser reads of the arrival (parserb).

A form's label 出发地 ("place of departure") after a day is no departure: the day stays the
arrival's. A call's own time, at the head of a hotline record or said with the call
("热线记录 2月20日9时35分", "2月20日8:50来电"), is when the call came, not when anyone
arrived; a gate's log keeps its hour (the older parts' convention).

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

from datetime import date, datetime

from tests.support.returnee_parse import TZ, parse


def test_a_form_label_of_departure_keeps_the_day_before_it() -> None:
    report = parse("收费站 2月18日21:40 轿车 2人 出发地：江西抚州 目的地：北苑街道春华路6号")
    assert report.arrival == datetime(2020, 2, 18, 21, 40, tzinfo=TZ)


def test_a_day_said_with_leaving_is_still_no_arrival() -> None:
    report = parse("他们2月18日出发，开了两天车，住北苑街道春华路6号")
    assert report.arrival is None
    assert "arrival" in report.questions


def test_a_calls_time_at_the_head_of_a_hotline_record_is_not_the_arrival() -> None:
    report = parse(
        "便民热线记录 2月20日8时15分 市民李先生来电：其弟2月18日晚从贵州遵义坐火车回义，"
        "住稠城街道北门街12号，电话13905791234"
    )
    assert report.arrival == date(2020, 2, 18)
    assert "arrival" not in report.questions


def test_a_calls_time_said_with_the_call_is_not_the_arrival() -> None:
    report = parse("2月20日7:45来电，租户两人今天早上从江西鹰潭开车到义乌，住后宅街道塘李村5号")
    assert report.arrival == date(2020, 2, 20)
    assert "arrival" not in report.questions


def test_a_gates_logged_hour_is_still_the_arrival() -> None:
    report = parse("高速卡口记录：2月20日 05:10，小车3人，湖南邵阳出发，去佛堂镇田心村8号")
    assert report.arrival == datetime(2020, 2, 20, 5, 10, tzinfo=TZ)
