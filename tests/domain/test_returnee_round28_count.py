"""Round 28's count rules (parsera): children said by their spoken and dialect words beside
the adults, and names read apart from the number or the kin word beside them.

Messages of the kinds tuned28 and tuned30 showed, in our own wording; each rule beside a
neighbour it must not read.
"""

from __future__ import annotations

from tests.support.returnee_parse import parse


def test_adults_and_little_ones_by_their_spoken_words_add_up() -> None:
    assert parse("房东你好 我们后天回来 两个大人 一个小宝宝 从安徽阜阳坐大巴").count == 3
    assert parse("我家租客一家江西九江的 两个大人 三个小伢 昨天夜里到").count == 5
    assert parse("四川达州回来的 大人两个 细娃儿一个 住我这里").count == 3


def test_a_little_one_beside_no_adults_is_not_added() -> None:
    # only the children are numbered: who else came is not said
    assert parse("一个小宝宝跟着爷爷奶奶从安徽阜阳回来，还有几个亲戚").count is None


def test_a_numeral_before_its_classifier_ends_a_given_name() -> None:
    report = parse("租客李四一个人从湖南岳阳回来，住稠城街道宾王路8号")
    assert report.names == ["李四"]
    assert report.count == 1


def test_a_given_name_ending_in_a_numeral_with_no_classifier_is_kept() -> None:
    report = parse("租客王一从湖南岳阳回来，住稠城街道宾王路8号")
    assert report.names == ["王一"]


def test_the_reporters_relative_named_after_the_kin_word() -> None:
    report = parse("我表哥王大锤带老婆从湖南岳阳回来了")
    assert report.names == ["王大锤"]
    assert report.count == 2


def test_another_familys_relative_named_after_the_kin_word_is_not_read_apart() -> None:
    # their son is counted with the two named before him, not as a name of his own
    report = parse("租客赵明、钱芳和他们儿子赵子轩三人，从广西桂林回来")
    assert report.names == ["赵明", "钱芳"]
    assert report.count == 3


def test_the_writer_listed_first_before_relatives_is_counted() -> None:
    assert parse("我们今天从江西抚州开车回来，车上我、老公和女儿，住我家老房子").count == 3


def test_the_writer_asked_about_relatives_is_not_counted() -> None:
    # 我 here is whom the landlord asked, not one of a list
    assert parse("房东问我、老公和女儿哪天回来，我们从江西抚州出发").count != 3


def test_parents_who_fetch_the_returnee_are_asked_about() -> None:
    report = parse("我在宁波读大学，爸妈开车来宁波接我，昨天晚上到家，住稠江街道新屋村8号")
    assert report.count is None
    assert "count" in report.questions


def test_a_relatives_home_where_someone_is_fetched_is_not_that() -> None:
    report = parse("我开车从江西鹰潭出发，路上去我哥家接了我侄子，两个人今天下午到")
    assert report.count == 2


def test_households_and_people_broken_down_after_their_total_are_the_total() -> None:
    report = parse("村里报：今天新到4户11人（江西3户8人，安徽1户3人），都在家观察")
    assert report.count == 11


def test_households_each_with_its_people_still_add_up() -> None:
    assert parse("今天回来的：一户3人，一户2人，一户1人，都是江西上饶的").count == 6


def test_companions_said_apart_are_added_to_the_one_who_reports() -> None:
    report = parse(
        "市民来电：本人2月18日从安徽蚌埠坐高铁回义乌，同行子女2人，住北苑街道雪峰西路9号"
    )
    assert report.count == 3


def test_companions_counted_with_the_reporter_are_not_added_again() -> None:
    assert parse("本人2月18日从安徽蚌埠回义乌，同行3人（含本人），住北苑街道雪峰西路9号").count != 4
    assert parse("夫妻俩2月18日从安徽蚌埠回义乌，同行子女2人，住北苑街道雪峰西路9号").count != 3
