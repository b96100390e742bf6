"""What round 21 of the returnee parser asks: a second, independent reading of a field.

`cascade/returnee/second.py` reads the message a second time, plainly, and asks a field
when that reading finds more than the parser chose or something else: names listed or
members enumerated beyond the count, the ones living with a named one, a total and a
part of it, households times their size, a reply about another field; a hedged day, an
arriving hour not read, days on the road, people arriving one by one, a landing at
another city; a journey said to start inside the origin, an airport's district; a city
the route changes at left out of the stops, a stop holding the origin, a province passed
without stopping; a floor or word going on after the address, a time or verb glued
before it, a market stall beside a home or among several shops, a numbered place said
elsewhere, a building of several households. Each check's near neighbour, where both
readings agree, is still given without a question. Reader fixes: 身份证后四位 is no count;
十点十五的火车到 is the hour the train arrives, not the hour it left.

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

import pytest

from tests.support.returnee_parse import assert_asked, parse


def _asked(text: str, field: str) -> None:
    report = parse(text)
    assert field in report.questions, (field, getattr(report, field), report.questions)


def _given(text: str, field: str, value: object) -> None:
    report = parse(text)
    assert getattr(report, field) == value, (field, getattr(report, field))
    assert field not in report.questions, report.questions


@pytest.mark.parametrize(
    "text",
    [
        "房东报 租客 钱大海 钱小海 钱红 从江西赣州回来 明天到 住岩口村5号",
        "房东：租客一家四口（两个大人，两个小孩），江西赣州，明天到，住岩口村5号",
        "房东：租客一男一女带个小孩，江西赣州人，明天到，住岩口村5号",
        "网格登记 租客：钱大海 江西赣州 明天到 住岩口村5号 同住2人（妻子和儿子）",
        "房东 出租房住了两户 一户两个人 都从江西赣州来 明天到 住岩口村5号",
        "厂里报：员工共十人，今天回来七人，都是江西赣州的，住岩口村5号",
    ],
)
def test_a_count_the_people_enumerated_disagree_with_is_asked(text: str) -> None:
    _asked(text, "count")


def test_a_count_agreeing_with_the_people_enumerated_is_given() -> None:
    _given("房东：租客夫妻俩带两个小孩，江西赣州，明天到，住岩口村5号", "count", 4)
    _given("房东报 租客2人 钱大海 钱小海 从江西赣州回来 明天到 住岩口村5号", "count", 2)


@pytest.mark.parametrize(
    "text",
    [
        "更正一下，刚才报的岩口村5号的租客是从安徽六安来的，其他不变",
        "@小王 你刚才问从哪里来的，安徽六安",
    ],
)
def test_a_reply_about_another_field_gives_no_count(text: str) -> None:
    assert_asked(text, "count")


def test_the_digits_of_an_id_are_no_count() -> None:
    report = parse("租客钱大海 身份证后四位3517 江西赣州 明天到 住岩口村5号")
    assert report.count != 4


@pytest.mark.parametrize(
    "text",
    [
        "房东：租客2人，江西赣州，约2.18到的，住岩口村5号",
        "房东：租客2人，江西赣州，明天三点二十到，住岩口村5号",
        "房东：租客2人从江西赣州开车来，明天出发，路上要开两天，住岩口村5号",
        "房东：租客2人从江西赣州坐飞机到杭州萧山，今晚八点落地，住岩口村5号",
    ],
)
def test_an_arrival_a_second_reading_doubts_is_asked(text: str) -> None:
    _asked(text, "arrival")


def test_an_arrival_on_a_day_said_plainly_is_given() -> None:
    _given("房东：租客2人，江西赣州，2.18到的，住岩口村5号", "arrival", parse("2月18日到").arrival)


@pytest.mark.parametrize(
    "text",
    [
        "房东：租客2人老家江西的，过年在赣州，今天开车回来，住岩口村5号",
        "租客2人，成都双流飞杭州，明天到，住岩口村5号",
    ],
)
def test_an_origin_a_second_reading_doubts_is_asked(text: str) -> None:
    _asked(text, "origin")


def test_an_origin_said_as_the_start_is_given() -> None:
    _given("房东：租客2人从江西赣州开车回来，今天到，住岩口村5号", "origin", "江西赣州")


@pytest.mark.parametrize(
    "text",
    [
        "房东：租客2人从甘肃兰州先飞西安 再飞杭州 明天到 住岩口村5号",
        "房东：租客2人 四川广安的 坐大巴 四川到义乌 明天到 住岩口村5号",
        "房东：租客2人从四川广安开车，经过 湖南 没下车，明天到，住岩口村5号",
    ],
)
def test_stops_a_second_reading_of_the_route_doubts_are_asked(text: str) -> None:
    _asked(text, "via")


def test_a_changed_plan_is_no_stop_left_out() -> None:
    text = "房东：租客2人从甘肃兰州回来，原计划在西安转车，现在改为在郑州转车，明天到，住岩口村5号"
    _given(text, "via", ["郑州"])


@pytest.mark.parametrize(
    "text",
    [
        "房东：租客2人 江西赣州 明天 住义亭镇岩口村二区5号 座机85651234",
        "网格 访 租客2人 赣州 返 2/19 晚 岩口村 二区 5号",
        "铺长：国际商贸城三区 5街 商户 钱某 从江西赣州回来 明天 住店里",
        "物流园报：司机2人江西赣州来，明天到，住园区宿舍，园区在稠江街道物流园区9号",
        "网格员：岩口新村4幢 两户 一户 江西赣州 2人 明天到 另一户 安徽六安 1人 今天到",
    ],
)
def test_an_address_a_second_reading_of_its_ends_doubts_is_asked(text: str) -> None:
    _asked(text, "address")


def test_an_address_with_clean_ends_is_given() -> None:
    _given(
        "房东：租客2人 江西赣州 明天 住义亭镇岩口村二区5号 电话13857912345",
        "address",
        "义亭镇岩口村二区5号",
    )


def test_the_hour_of_the_train_that_arrives_is_the_arrival() -> None:
    text = "房东：租客2人，江西赣州，今天晚上十点十五的火车到，住岩口村5号"
    _given(text, "arrival", parse("今天晚上10点15分到").arrival)


def test_the_hour_of_the_train_taken_to_another_city_is_no_arrival() -> None:
    report = parse("房东：租客2人，江西赣州，今天下午三点的高铁到杭州，晚上到义乌，住岩口村5号")
    assert report.arrival != parse("今天下午3点到").arrival
