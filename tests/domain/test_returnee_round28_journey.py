"""What round 28 of the returnee parser asks of the route and the day (parserb): words of
the journey that the stop or the day read does not fit (`cascade/returnee/journey.py`).

A stop said passed without stopping ("途经X未下车") is kept and asked; a time they have been
back ("回来两天了") that does not end today at the day read asks the day, kept; "到没到"
(whether they came at all) asks it. The same shapes with the evidence agreeing are given.

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

from datetime import date

from tests.support.returnee_parse import assert_asked, parse


def test_a_stop_passed_without_stopping_is_kept_and_asked() -> None:
    report = parse("一家三口从河南南阳开车回来，经过合肥没下车，今天上午到，住稠城街道新马路8号")
    assert report.via == ["合肥"]
    assert "via" in report.questions


def test_a_stop_where_they_stayed_is_given() -> None:
    report = parse("一家三口从河南南阳开车回来，在合肥住了一晚，今天上午到，住稠城街道新马路8号")
    assert report.via == ["合肥"]
    assert "via" not in report.questions


def test_a_time_back_the_day_does_not_fit_asks_the_day() -> None:
    report = parse("租户今天回来的，从贵州安顺，两个人，听隔壁说他们回来三天了")
    assert report.arrival == date(2020, 2, 20)
    assert "arrival" in report.questions


def test_a_time_back_that_fits_the_day_is_given() -> None:
    report = parse("租户2月18日从贵州安顺回来，两个人，回来两天了，住北苑街道凌云三区4幢")
    assert report.arrival == date(2020, 2, 18)
    assert "arrival" not in report.questions


def test_whether_they_came_at_all_asks_the_day() -> None:
    assert_asked("表哥一家从福建三明回来，今天到没到我也不清楚，住后宅街道李宅村9号", "arrival")


def test_a_day_said_as_come_is_given() -> None:
    report = parse("表哥一家从福建三明回来，今天到了，住后宅街道李宅村9号")
    assert report.arrival == date(2020, 2, 20)
