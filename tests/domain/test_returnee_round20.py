"""What round 20 of the returnee parser reads and asks (issue 10).

New weak paths (`cascade/returnee/provenance.py`): a stop with more than its city or
passed by on the road, a native place said with 佬, a province whose place inside is not
known, no one on the way yet, one more added to a household, only some of it coming, N
brought without the one who brings them, an hour guessed or said for another place, a
running total's day, a mobile typed in odd groups, an address of generic words, a zone
with no house in it, or after the reporter's own 本 or beside a shop said after 住. Each
path's near neighbour, read by a sound path, is still given without a question. Reader
fixes: 返义 after a place, 截至 with a part of day, 到今天回来的, 肆拾伍号, 房子 and 地址
before an address, a landline run into the house number.

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.support.returnee_parse import TZ, assert_asked, parse


def _kept_and_asked(text: str, field: str, value: object) -> None:
    report = parse(text)
    assert getattr(report, field) == value, (field, getattr(report, field))
    assert field in report.questions, report.questions


def _given(text: str, field: str, value: object) -> None:
    report = parse(text)
    assert getattr(report, field) == value, (field, getattr(report, field))
    assert field not in report.questions, report.questions


@pytest.mark.parametrize(
    ("text", "via"),
    [
        ("租客2人从甘肃兰州飞回来，飞到广州白云，再坐高铁，今天到，住岩口村5号", ["广州白云"]),
        ("租客2人从河北保定出发，在江苏徐州上的高铁，今天到，住岩口村5号", ["江苏徐州"]),
        ("租客2人从贵州遵义开车回来，路过湖南邵阳没下车，今天到，住岩口村5号", ["湖南邵阳"]),
    ],
)
def test_a_stop_with_more_than_its_city_or_passed_by_is_kept_and_asked(
    text: str, via: list[str]
) -> None:
    _kept_and_asked(text, "via", via)


def test_a_stop_said_as_its_city_is_given() -> None:
    _given("租客2人从甘肃兰州飞回来，在西安转机，今天到，住岩口村5号", "via", ["西安"])


def test_a_place_before_returnee_words_is_the_place_alone() -> None:
    _given("报备：湖南岳阳返义人员2名，从岳阳坐车，今天到，住岩口村5号", "origin", "湖南岳阳")


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("隔壁来了个湖南佬，就一个，明天到，住岩口村5号", "湖南"),
        ("租客是安徽人，安徽哪里他没说，明天到，两个，住岩口村5号", "安徽"),
    ],
)
def test_an_origin_of_weak_words_is_kept_and_asked(text: str, origin: str) -> None:
    _kept_and_asked(text, "origin", origin)


def test_people_not_on_the_way_are_kept_and_asked() -> None:
    report = parse("我是5楼的租客，还在老家河南周口，走不了，这个月不回来")
    assert "origin" in report.questions


@pytest.mark.parametrize(
    "text",
    [
        "租客一家两口加他舅舅，从江西赣州回来，今天到，住岩口村5号",
        "租客家一共五口人，这次只回来两个，从江西赣州回来，今天到，住岩口村5号",
        "快递站报备：站长李明带三个快递员从江西赣州回来，今天到，住岩口村5号",
    ],
)
def test_a_count_that_may_leave_someone_out_is_asked(text: str) -> None:
    assert_asked(text, "count")


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("租客一家四口，夫妻两个加两个孩子，从江西赣州回来，今天到，住岩口村5号", 4),
        ("租客这次只回来两个，从江西赣州回来，今天到，住岩口村5号", 2),
    ],
)
def test_a_count_said_whole_is_given(text: str, count: int) -> None:
    _given(text, "count", count)


@pytest.mark.parametrize(
    ("text", "arrival"),
    [
        ("租客2人今天要回来，从江西赣州开车，大概晚上都能到，住岩口村5号", date(2020, 2, 20)),
        (
            "租客2人从江西赣州开车回来，今天晚上大概十点到，住岩口村5号",
            datetime(2020, 2, 20, 22, 0, tzinfo=TZ),
        ),
        (
            "租客2人从吉林长春飞杭州，今天上午11点到杭州，晚上到义乌，住岩口村5号",
            datetime(2020, 2, 20, 11, 0, tzinfo=TZ),
        ),
    ],
)
def test_an_hour_guessed_or_said_for_another_place_is_kept_and_asked(
    text: str, arrival: object
) -> None:
    _kept_and_asked(text, "arrival", arrival)


def test_an_hour_said_for_yiwu_is_given() -> None:
    _given(
        "租客2人从江西赣州开车回来，今天下午3点到义乌，住岩口村5号，电话13957912345",
        "arrival",
        datetime(2020, 2, 20, 15, 0, tzinfo=TZ),
    )


def test_the_day_of_a_running_total_is_asked() -> None:
    report = parse("截至2月20日下午5时，我村返乡人员共十二人，其中今日到村三人，均来自河南")
    assert "arrival" in report.questions
    assert report.arrival != datetime(2020, 2, 20, 17, 0, tzinfo=TZ)


def test_those_come_back_up_to_today_give_no_day() -> None:
    assert_asked("我那片到今天回来的一共是六家，从哪里来的都有", "arrival")


def test_a_mobile_typed_in_odd_groups_is_kept_and_asked() -> None:
    _kept_and_asked("租客1人从江西赣州回来，今天到，电话1395 7912 345", "phone", "13957912345")


def test_a_mobile_typed_three_four_four_is_given() -> None:
    _given("租客1人从江西赣州回来，今天到，电话139 5791 2345", "phone", "13957912345")


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("今天工地来了4个工人，从四川南充来，住工地板房", "工地板房"),
        ("今天工地来了4个工人，从四川南充来，住在上溪镇工地宿舍", "上溪镇工地宿舍"),
        ("商贸城三区的商户2人，从四川南充来，今天到", "商贸城三区"),
        ("酒店：今天入住一位客人，从四川南充来，住本酒店812", "本酒店812"),
        ("我们店小工1人从四川南充来，今天到，住店后面，店在稠城街道工人路8号", "稠城街道工人路8号"),
    ],
)
def test_an_address_that_may_not_be_their_home_is_kept_and_asked(text: str, address: str) -> None:
    _kept_and_asked(text, "address", address)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("租客2人从江西赣州回来，今天到，住稠江街道何里村贰拾叁号", "稠江街道何里村23号"),
        ("租客2人从江西赣州回来，今天到，我房子稠江街道何里村23号", "稠江街道何里村23号"),
        ("员工2人从江西赣州回来，今天到，公司地址经济开发区春晗路9号", "经济开发区春晗路9号"),
        ("外来人员 江西 2人 今天 稠江街道 何里村23号 85271234", "稠江街道何里村23号"),
    ],
)
def test_an_address_is_read_without_what_stands_around_it(text: str, address: str) -> None:
    assert parse(text).address == address


@pytest.mark.parametrize(
    "text",
    [
        "租客2人从河南信阳回来，途经合肥？不是，途经南京、上海，今天到，住岩口村5号",
        "途经：合肥（没下车）、南京\n人数：2\n来源地：河南信阳\n今天到，住岩口村5号",
        "租客1人从英国伦敦回国，上海入境，上海转机到杭州，今天到，住岩口村5号",
        "工人4人 从湖南益阳来 经长沙南 株洲西 中转 今天到 住岩口村5号",
    ],
)
def test_stops_read_in_part_are_asked(text: str) -> None:
    assert "via" in parse(text).questions


def test_stops_said_whole_are_given() -> None:
    report = parse("租客2人从河南信阳回来，途经南京、上海，今天到，住岩口村5号，电话13957912345")
    assert report.via == ["南京", "上海"]
    assert "via" not in report.questions


@pytest.mark.parametrize(
    "text",
    [
        "单元长：3幢的住户有人回来，敲门没人开",
        "租客说明天到，从江西来，一起来的有他老婆，还有他老婆的弟弟，住岩口村5号",
    ],
)
def test_a_count_of_someone_or_of_kin_of_kin_is_asked(text: str) -> None:
    assert_asked(text, "count")


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("租客2人从安徽那边回来的，今天到，住岩口村5号", "安徽"),
        ("我叫王明，江苏徐州人，今天从徐州出发，晚上到，住岩口村5号", "江苏徐州"),
    ],
)
def test_an_origin_of_a_region_or_beside_a_journey_inside_it_is_kept_and_asked(
    text: str, origin: str
) -> None:
    _kept_and_asked(text, "origin", origin)


def test_a_name_that_begins_a_place_is_no_person() -> None:
    report = parse("我叫王明，江苏连云港人，今天从连云港出发，晚上到，住岩口村5号")
    assert report.names == ["王明"]
    assert report.count == 1


@pytest.mark.parametrize(
    "text",
    [
        "租客1人 从安徽 今天到 住 稠江 杨村 8号 电话13957912345",
        "租客1人从安徽来，今天到，工地是上溪镇溪华村安置房项目，住项目部宿舍",
    ],
)
def test_an_address_read_after_a_word_apart_or_with_words_inside_is_asked(text: str) -> None:
    assert "address" in parse(text).questions


def test_a_house_number_in_hundreds_is_read_and_no_day() -> None:
    report = parse("房东：租客二月初一到，广东东莞来，一个人，住稠城街道城北路五百五十号")
    assert report.arrival == date(2020, 2, 23)
    assert report.address == "稠城街道城北路550号"


def test_the_reporters_kin_and_a_total_one_more_count_the_reporter() -> None:
    report = parse("本人王军，从福建泉州开车回来，同车有我老婆和两个小孩，一共四个人，今天到")
    assert report.count == 4
    assert "count" not in report.questions


def test_kin_and_a_total_one_more_without_the_reporter_are_asked() -> None:
    assert_asked("夫妻俩和两个孩子，共5人，从湖南回来，今天到", "count")


def test_a_native_place_beside_a_journey_from_the_place_holding_it_is_kept_and_asked() -> None:
    text = "外甥（四川宜宾人），从四川坐飞机到杭州，再坐大巴回义乌，今天到，住岩口村5号"
    _kept_and_asked(text, "origin", "四川宜宾")


def test_an_address_after_a_pointer_word_is_kept_and_asked() -> None:
    text = "租客1人从安徽来，今天到，地址楼下朱村40号"
    _kept_and_asked(text, "address", "朱村40号")
