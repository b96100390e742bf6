"""What round 24 of the returnee parser asks: values the newer headers' conventions doubt.

tuned27 and tuned29 gave 89 values wrong without a question; 39 followed a convention
their own header states and 50 were misreads. Four checks are kept: members counted by
age ("大人2小孩1老人1") whose sum is not the count read ask the count; a dormitory named
only by the kind of workplace ("住仓库宿舍") empties the address; a word of the message
glued to the address's ends ("回…", "公司…", "店号…", "…整栋", "…15号7") asks it; a day
said of counting or checking ("名单明天汇总") read as the arrival asks it. The same shapes
with the evidence agreeing are given as read.

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

from datetime import date

from cascade.returnee.conventions import _aged_groups, disagreements
from cascade.returnee.evidence import Values
from tests.support.returnee_parse import NOW, parse


def _values(count: int | None = None, address: str | None = None) -> Values:
    return Values(count=count, origin=None, via=[], arrival=None, address=address, phone=None)


def _asked(text: str, field: str) -> bool:
    return field in parse(text).questions


# --- count ---------------------------------------------------------------------------


def test_members_by_age_are_summed() -> None:
    assert _aged_groups("大人3小孩1老人2") == [6]
    assert _aged_groups("大人 2 个，还带了 2 个小孩") == [4]
    assert _aged_groups("5人（大人3小孩2）") == []  # the run is headed by its total


def test_a_count_other_than_the_members_by_age_is_asked() -> None:
    report = parse(
        "社区登记：人员：大人3小孩1老人2，从湖南岳阳自驾，今天上午到，住稠城街道新华路12号"
    )
    assert report.count != 6
    assert "count" in report.questions


def test_a_count_equal_to_the_members_by_age_is_not_doubted() -> None:
    work = "人员：大人3小孩1老人2，从湖南岳阳自驾，今天上午到"
    assert not disagreements(work, _values(count=6), NOW)
    assert [weak.field for weak in disagreements(work, _values(count=3), NOW)] == ["count"]


# --- address -------------------------------------------------------------------------


def test_a_dormitory_named_only_by_the_kind_of_workplace_is_asked() -> None:
    report = parse("打包工王建林，从河南信阳坐火车回来，昨天到，住仓库宿舍")
    assert report.address is None
    assert "address" in report.questions


def test_a_workplace_dormitory_with_its_address_is_not_doubted() -> None:
    work = "住仓库宿舍，仓库在苏溪镇兴业路18号"
    assert not disagreements(work, _values(address="苏溪镇兴业路18号"), NOW)
    assert not disagreements(work, _values(address="苏溪镇兴业路18号仓库宿舍"), NOW)


def test_a_verb_glued_before_the_address_is_asked() -> None:
    assert _asked(
        "门岗：今天上午，业主一家3口从江西南昌开车回来，回绣湖小区8幢2单元301，电话13857912345",
        "address",
    )


def test_a_word_for_the_whole_building_after_the_address_is_asked() -> None:
    assert _asked(
        "二房东报：稠江街道 杨村 路 新村 7幢 整 栋 租 出\n2F 河南 南阳 3 人 2月18日", "address"
    )


def test_an_address_with_nothing_glued_is_given_unasked() -> None:
    report = parse(
        "业主一家3口从江西南昌开车回来，今天上午到，住绣湖小区8幢2单元301，电话13857912345"
    )
    assert report.address == "绣湖小区8幢2单元301"
    assert "address" not in report.questions


# --- arrival -------------------------------------------------------------------------


def test_the_day_of_counting_read_as_the_arrival_is_asked() -> None:
    work = "三区问了一圈，回来十几个人，名单明天汇总"
    values = Values(
        count=None, origin=None, via=[], arrival=date(2020, 2, 21), address=None, phone=None
    )
    assert [weak.field for weak in disagreements(work, values, NOW)] == ["arrival"]


def test_a_day_of_arriving_is_not_doubted() -> None:
    work = "名单明天汇总，他们是昨天到的"
    values = Values(
        count=None, origin=None, via=[], arrival=date(2020, 2, 19), address=None, phone=None
    )
    assert not disagreements(work, values, NOW)
