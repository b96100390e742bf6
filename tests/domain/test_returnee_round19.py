"""What round 19 of the returnee parser asks by the path a value was read by (issue 10).

`cascade/returnee/provenance.py` names the weak paths: a stop naming two cities, a
stop said inside another, a count that adds in the ones who stay, an origin read only
from a native place, an address that is a building without its estate, a unit without
its flat, with the reporter's words in it, or a shop's place while 住 says more. Each
one asks the field, emptied or kept for the reporter to confirm. Each path's near
neighbour, read by a sound path, is still given without a question. Also tested here:
the report's own date (日报（2.21）, 截至…9时) is no arrival, and the correction words
shared by report and unpinned.

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from cascade.returnee.evidence import Values
from cascade.returnee.provenance import weak_paths
from tests.support.returnee_parse import assert_asked, parse


def _values(
    *, count: int | None = None, via: list[str] | None = None, address: str | None = None
) -> Values:
    return Values(count, None, via or [], None, address, None)


@pytest.mark.parametrize(
    ("via", "path"),
    [
        (["荆州宜昌"], "a stop naming two cities"),
        (["广州白云", "广州"], "a stop said inside another"),
    ],
)
def test_a_stop_read_by_a_weak_path_is_asked(via: list[str], path: str) -> None:
    weak = weak_paths("途经", _values(via=via))
    assert [(found.field, found.path, found.keep) for found in weak] == [("via", path, False)]


# 湖北宜昌 and 杭州萧山 (a stop with more than its city) are kept and asked since round 20.
@pytest.mark.parametrize("via", [["宜昌"], ["郑州", "武汉"], ["杭州"]])
def test_a_stop_read_soundly_is_given(via: list[str]) -> None:
    assert weak_paths("途经", _values(via=via)) == []


def test_a_count_adding_in_the_ones_who_stay_is_asked() -> None:
    assert_asked("一家4口，其中1人今天从贵州毕节到，另3人留在老家，住岩口村5号", "count")


def test_a_count_beside_one_who_stays_is_given() -> None:
    report = parse("房东：原来报的4个人改成3个，有一个不来了，从湖南益阳回来，后天到")
    assert report.count == 3
    assert "count" not in report.questions


def test_an_origin_read_only_from_a_native_place_is_kept_and_asked() -> None:
    report = parse("租客两个，河南信阳人，明天到，住岩口村5号")
    assert report.origin == "河南信阳"
    assert "origin" in report.questions


# "河南信阳人，从信阳坐车回来" (a native place, the journey from inside it) is kept and
# asked since round 20: the parts label it 河南信阳 or 信阳.
@pytest.mark.parametrize(
    "text",
    ["租客两个从河南信阳回来，明天到，住岩口村5号", "租客两个，河南信阳人，从河南信阳坐车回来"],
)
def test_an_origin_said_as_where_the_journey_began_is_given(text: str) -> None:
    report = parse(text)
    assert report.origin is not None
    assert "origin" not in report.questions


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("租客1人从江西吉安回来，明天到，住8幢2单元301", "8幢2单元301"),
        ("租客1人从江西吉安回来，明天到，住荷叶塘小区8幢2单元", "荷叶塘小区8幢2单元"),
    ],
)
def test_an_address_read_by_a_weak_path_is_kept_and_asked(text: str, address: str) -> None:
    report = parse(text)
    assert report.address == address
    assert "address" in report.questions


def test_an_address_whole_is_given() -> None:
    report = parse("租客1人从江西吉安回来，明天到，住荷叶塘小区8幢2单元301，电话13957912345")
    assert report.address == "荷叶塘小区8幢2单元301"
    assert report.questions == []


@pytest.mark.parametrize(
    ("work", "address", "path"),
    [
        ("今天回来一个，住我们小区3号楼2单元401", "我们小区3号楼2单元401", "the reporter's words"),
        (
            "小工从安徽宿州回来，摊位在农贸城二区18号，他住摊位后面",
            "农贸城二区18号",
            "a shop's place, 住 said after",
        ),
    ],
)
def test_an_address_with_words_of_another_place_is_kept_and_asked(
    work: str, address: str, path: str
) -> None:
    weak = weak_paths(work, _values(address=address))
    assert [(found.field, found.keep) for found in weak] == [("address", True)]
    assert weak[0].path.startswith(path)


def test_a_shop_with_no_home_said_is_the_address() -> None:
    assert weak_paths("摊位在农贸城二区18号", _values(address="农贸城二区18号")) == []


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


def test_a_value_said_wrong_without_le_is_put_right() -> None:
    """说错 with or without 了 marks a correction (text.SAID_WRONG)."""
    report = parse("明天到，说错，是后天，1人从湖南回来")
    assert report.arrival == date(2020, 2, 22)
