"""Where a careless reading gives a wrong value, the parser asks instead (issue 10).

One test per rule added for the kinds of wrong value the second held-out part
showed: names and the total said after them, relatives said before their
companions, a connective after a stop on the way, the reporter's or an
informant's own place, a place nobody went to, and approximate numbers of
relatives. Each rule has the cases it must keep reading as before.
"""

from __future__ import annotations

import pytest

from tests.support.returnee_parse import parse


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("租客小秦和小顾两个人后天从湖南回来", 2),
        ("周某、吴某两人明天到", 2),
        ("租客老李和三个老乡明天从河南回来", 4),  # 和 before a number of people: they come along
        ("小何和小罗明天回来", 2),
    ],
)
def test_a_total_after_listed_names_is_their_total(text: str, count: int) -> None:
    assert parse(text).count == count


@pytest.mark.parametrize("text", ["老何跟老陶三个人明天到", "小何和小罗一个人明天到"])
def test_names_and_a_total_that_disagree_are_asked(text: str) -> None:
    report = parse(text)
    assert report.count is None
    assert "count" in report.questions


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("我爸妈和我弟明天从河南回来", 3),
        ("我岳父母和我小舅子后天从江西过来", 3),
        ("我爸妈带着我侄子明天从河南回来", 3),
        ("两个儿子和老婆明天回来", 3),
        ("我和我爸妈明天从湖北回来", 3),  # the reporter comes too
        ("我和老婆明天回来", 2),
        ("租客带着父母和一个孩子", 4),
    ],
)
def test_relatives_before_their_companions_are_counted_as_said(text: str, count: int) -> None:
    assert parse(text).count == count


def test_relatives_of_an_unknown_number_before_companions_are_asked() -> None:
    report = parse("我爸妈和孩子们明天回来")
    assert report.count is None
    assert "count" in report.questions


@pytest.mark.parametrize(
    "number", ["两三", "七八", "十来", "二三十", "一两", "几", "十几", "好几", "二十多",
               "五六十", "大概两", "约3", "3-4", "3到5", "将近十", "差不多5"],
)  # fmt: skip
@pytest.mark.parametrize(
    "template",
    [
        "租客带{n}个儿子回来",
        "我爸妈和{n}个弟弟明天回来",
        "{n}个儿子和老婆明天回来",
        "老李和{n}个老乡明天回来",
        "小何和小罗{n}个人明天到",
        "张某和李某{n}个人明天到",
        "我和老婆带{n}个孩子回来",
        "租客带着老婆和{n}个女儿回来",
        "我和丈夫{n}人从湖北回来",
    ],
)
def test_an_approximate_number_of_companions_is_never_counted(number: str, template: str) -> None:
    report = parse(template.format(n=number))
    assert report.count is None, template.format(n=number)
    assert "count" in report.questions


@pytest.mark.parametrize(
    ("text", "via"),
    [
        ("租客从河南信阳坐高铁到杭州然后再转车回来", ["杭州"]),
        ("租客小钟从贵州六盘水坐火车到贵阳然后再坐高铁回来", ["贵阳"]),
        ("员工从江西上饶坐车到金华之后再打车回厂", ["金华"]),
        ("从四川飞到杭州萧山再坐大巴回来", ["杭州萧山"]),  # a district stays a district
    ],
)
def test_a_connective_after_a_stop_is_not_part_of_its_name(text: str, via: list[str]) -> None:
    assert parse(text).via == via


@pytest.mark.parametrize(
    "text",
    [
        "五区铺长：一百零五个商户已经全部回来，都没有去过湖北",
        "商户们都没去过湖北，昨天全部到齐了",
        "租客说他从没到过武汉，昨天回来的",
    ],
)
def test_a_place_nobody_went_to_is_no_origin(text: str) -> None:
    report = parse(text)
    assert report.origin is None
    assert "origin" in report.questions


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("员工老石不是从湖北回来的，是从河南回来的，一个人", "河南"),
        ("租客说她从来没有去过武汉，是从安徽宣城回来的", "安徽宣城"),
        ("租客从湖北孝感回来", "湖北孝感"),
    ],
)
def test_the_origin_is_the_place_they_did_come_from(text: str, origin: str) -> None:
    assert parse(text).origin == origin


@pytest.mark.parametrize(
    "text",
    [
        "商贸城一区店主：本人明天从江苏常州回来",
        "篁园市场三区摊主：本人后天从湖南株洲回来",
        "二区5街店主反映，隔壁店的老板今天从江西回来了",
        "辖区内柳青新村12幢3单元的住户反映，他家邻居家里回来了人",
        "幸福小区8幢2单元的业主反映，楼上邻居家有人从湖北回来了",
        "我住在丹溪小区3幢，对门那家昨天从湖北回来了三个人",
    ],
)
def test_the_reporters_or_an_informants_own_place_is_asked(text: str) -> None:
    report = parse(text)
    assert report.address is None
    assert "address" in report.questions


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("二区5街店主小王今天从江西回来", "二区5街"),
        ("我是宗泽东路12号的房东，楼上租客两口子明天到", "宗泽东路12号"),
        ("我住在荷花村，我老公今天从湖南回来", "荷花村"),
        ("租客住塔山小区3幢2单元501，隔壁也有人回来", "塔山小区3幢2单元501"),
    ],
)
def test_a_place_where_the_returnees_live_is_still_read(text: str, address: str) -> None:
    assert parse(text).address == address
