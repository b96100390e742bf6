"""What round 22 of the returnee parser reads: fields a careful reader reads exactly,
where the parser abstained.

A table pasted one person a row under a 姓名 column (an HR roster from Excel, tabs
between the cells) is read as one person a row, and not when a row is cut, a name cell
holds a place or a number of people is said besides. A number of people said beside the
members it sums ("夫妻俩 加 老汉儿 3个", "租客4人（夫妻+2孩）") is read when the members add
up to it exactly, and left to ask when they do not or two totals are said. An address
typed in pieces after its town ("住 稠江街道 下车门 二区 5号") is read whole, and not across
a day, a verb or a phone.

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

import pytest

from tests.support.returnee_parse import parse


def test_a_roster_pasted_one_person_a_row_counts_its_rows() -> None:
    report = parse(
        "工号\t姓名\t手机\t出发地\n"
        "2011\t钱大海\t13957912345\t江西赣州\n"
        "2012\t钱小海\t13957912346\t江西赣州\n"
        "住厂宿舍"
    )
    assert report.count == 2
    assert "count" not in report.questions
    one = parse("姓名\t到岗\t出发地\n孙小红\t2.21\t安徽阜阳\n住岩口村5号")
    assert one.count == 1


def test_a_roster_with_a_row_cut_or_a_number_said_besides_is_not_counted_by_rows() -> None:
    cut = parse("姓名\t到岗\t出发地\n钱大海\t2.21\t江西赣州\n钱小海\t2.21 上午\t江西赣州")
    assert cut.count is None
    besides = parse("姓名\t到岗\t出发地\n钱大海\t2.21\t江西赣州\n另有3人明天到")
    assert besides.count != 1
    place = parse("姓名\t到岗\t人\n赣州\t2.21\t钱大海")
    assert place.count is None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("房东：租客 江西赣州 两口子 加 他丈母娘 3个 明天到 住岩口村5号", 3),
        ("网格入户 租客5人（夫妻+3孩）江西赣州返 昨天到 住岩口村5号", 5),
        ("房东：租客 江西赣州 老汉 跟他 婆娘 跟 一个娃 3个人 明天到 住岩口村5号", 3),
        ("租客一家四口，老公，我，儿子，女儿，从江西赣州回来，明天到", 4),
    ],
)
def test_a_total_the_members_said_beside_it_add_up_to_is_read(text: str, count: int) -> None:
    report = parse(text)
    assert report.count == count, report


@pytest.mark.parametrize(
    "text",
    [
        "房东：租客 江西赣州 两口子 加 两个娃 3个 明天到 住岩口村5号",
        "网格入户 租客5人（夫妻+2孩）江西赣州返 昨天到 住岩口村5号",
    ],
)
def test_a_total_the_members_do_not_add_up_to_is_not_read(text: str) -> None:
    assert parse(text).count is None


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("房东：租客 江西赣州 1个 今天到 住 稠江街道 岩口 二区 5号", "稠江街道岩口二区5号"),
        (
            "房东报：租客一个人，江西赣州，今天到，住福田街道银桂花园7幢2单元301",
            "福田街道银桂花园7幢2单元301",
        ),
    ],
)
def test_an_address_typed_in_pieces_after_its_town_is_read_whole(text: str, address: str) -> None:
    assert parse(text).address == address


def test_pieces_across_a_verb_are_not_joined() -> None:
    from cascade.returnee.pieces import joined

    assert joined("稠江街道 走访 岩口二区5号", "岩口二区5号") == "岩口二区5号"
    assert joined("住 稠江街道 岩口 二区 5号 二楼", "二区5号二楼") == "二区5号二楼"
