"""Ask, do not guess (issue 10, round 7): the kinds of wrong value the sixth held-out
part gave without a question.

One hedge lexicon for every field (说不准, 不一定, 估摸, 我猜, 记不清 doubt what follows;
待核实 doubts its clause, or the clauses before it when said on its own; 不对劲 and
有问题 doubt the clause before too, even past a correction); pairs of kin (外公外婆)
never read as one person; a total and the part of it that did not come
(共5口人，其中3口人没走); an arrow correction (3→4) keeps the new value; a visit or a
jab on a day (测温, 打针, 走访) is not the arrival; Latin letters for a day (zr晚上)
or before a place (HN邵阳) make that field a question; a place on an ID card or a
number plate is no origin; a number of people or 出发 is not part of a place;
不下二十个 and 人数没问 leave the count asked; someone who never left is no
returnee; two house numbers give no one address.
The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from cascade.returnee.guards import part_that_came
from tests.support.returnee_parse import parse


@pytest.mark.parametrize(
    "text",
    [
        "房客说不准是江西还是福建的，一个人，昨天到",
        "租客不一定是从贵州回来的，三个人",
        "租户一个人，我猜是河南的",
        "租客三个，记不清是湖南还是湖北的",
    ],
)
def test_hedge_words_ask_the_origin(text: str) -> None:
    report = parse(text)
    assert report.origin is None and "origin" in report.questions


@pytest.mark.parametrize(
    "text",
    [
        "二楼住户估摸着是大前天回来的，广西，两个人",
        "租客说不一定明天到，可能后天，四川，一个",
    ],
)
def test_hedge_words_ask_the_arrival(text: str) -> None:
    report = parse(text)
    assert report.arrival is None and "arrival" in report.questions


def test_a_check_later_said_alone_doubts_the_clauses_before() -> None:
    report = parse("有个人说是从云南玉溪来的，没有行程码，待核实，住前洪村8号")
    assert report.origin is None and "origin" in report.questions
    assert report.address == "前洪村8号"


def test_a_check_later_doubts_its_own_clause_only() -> None:
    report = parse("人数：2；来源：河北邢台；到达：待核实")
    assert report.origin == "河北邢台" and report.count == 2
    assert report.arrival is None


def test_suspicion_reaches_past_a_correction() -> None:
    report = parse("这位先说从宁波来，后来又说其实是从湖北过来的，我觉得有问题，一个人")
    assert report.origin is None and "origin" in report.questions


def test_the_date_an_expected_arrival_gives_stays() -> None:
    """预计 is not a hedge: the tuning parts read "预计2月24日到" as that day."""
    assert parse("租户两个，预计2月23日到，安徽蚌埠").arrival == date(2020, 2, 23)


@pytest.mark.parametrize(
    ("text", "least"),
    [
        ("家里来了姥姥姥爷，河北唐山的，今天到", 2),
        ("他说他姥姥姥爷和舅舅都从河北来了", 3),
    ],
)
def test_kin_pairs_are_never_one_person(text: str, least: int) -> None:
    report = parse(text)
    assert report.count is None or report.count >= least
    if report.count is None:
        assert "count" in report.questions


def test_a_child_and_its_father_are_one_person() -> None:
    assert parse("娃他爸明天从江西上饶来，就他一个人").count == 1


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("这户一共6口人，其中4口人一直在义乌，2口人昨天从贵州回来", 2),
        ("车间共9名工人，其中本地6名，3名今天从四川回来", 3),
    ],
)
def test_a_total_counts_only_the_part_that_came(text: str, count: int) -> None:
    assert parse(text).count == count


def test_a_total_split_into_places_is_not_cut() -> None:
    """Only a part said to have stayed is taken off: groups by place all came."""
    assert part_that_came("今日新增返乡人员9人，其中河南4人、安徽5人") is None
    assert part_that_came("共7人，其中2人没回，5人今天到") == 5


@pytest.mark.parametrize(
    "text", ["更正：人数2→3，山东临沂", "人数 二->三 山东临沂", "人数2 → 3，山东临沂"]
)
def test_an_arrow_correction_keeps_the_new_value(text: str) -> None:
    assert parse(text).count == 3


@pytest.mark.parametrize(
    "text",
    [
        "今天上午入户走访，新回来两个人，陕西汉中，住东塘村4号",
        "返乡的两位后天来打针，陕西汉中的，住东塘村4号",
        "今日复测体温正常，两个人，陕西汉中",
    ],
)
def test_a_visit_or_a_jab_is_not_the_arrival(text: str) -> None:
    report = parse(text)
    assert report.arrival is None and "arrival" in report.questions


@pytest.mark.parametrize("text", ["mt下午到两个，湖南", "租客zt到的，两个，湖南", "jt晚上回来一个"])
def test_a_day_in_latin_letters_is_asked(text: str) -> None:
    report = parse(text)
    assert report.arrival is None and "arrival" in report.questions


def test_a_province_in_latin_letters_is_asked() -> None:
    report = parse("租户两个，JX赣州，今天到")
    assert report.origin is None and "origin" in report.questions


def test_latin_words_around_a_place_are_not_initials() -> None:
    assert parse("Tenant 小周 今天到 from 南京").origin == "南京"


@pytest.mark.parametrize(
    "text", ["入住一位，身份证四川成都，今天到", "外地车一辆，车牌是安徽的，两个人"]
)
def test_a_document_place_is_no_origin(text: str) -> None:
    report = parse(text)
    assert report.origin is None and "origin" in report.questions


def test_a_document_place_gives_way_to_where_they_came_from() -> None:
    assert parse("客人身份证是江西的，说刚从上海过来，一位，今天到").origin == "上海"


@pytest.mark.parametrize(
    ("text", "origin"),
    [("租户后天到，贵州遵义两个人", "贵州遵义"), ("他说是从合肥出发的，一个人", "合肥")],
)
def test_a_count_or_a_start_word_is_not_part_of_the_place(text: str, origin: str) -> None:
    assert parse(text).origin == origin


@pytest.mark.parametrize(
    "text",
    [
        "车队说不下三十个人要回来，河南的",
        "回来的老乡不止十个，江西的",
        "有户人家从安徽回来，人数还没问",
        "楼上回来了人，不知道几个，湖南的",
    ],
)
def test_an_unsaid_or_open_count_is_asked(text: str) -> None:
    report = parse(text)
    assert report.count is None and "count" in report.questions


def test_someone_who_never_left_is_no_returnee() -> None:
    report = parse("租户是湖南籍，一个人，过年没回老家")
    assert report.count is None and report.origin is None


def test_two_house_numbers_give_no_one_address() -> None:
    report = parse("两户从江西回来，住塘下村5号和7号，共5人")
    assert report.address is None and "address" in report.questions
