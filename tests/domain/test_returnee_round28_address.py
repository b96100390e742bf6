"""Round 28's address rules (parsera): a works' numbered shed is part of the address, a
report's opening verb is not, and a building whose room is said not to be known is kept
for the reporter to complete.

Messages of the kinds tuned28 showed, in our own wording; each rule beside a neighbour it
must not read.
"""

from __future__ import annotations

from tests.support.returnee_parse import parse


def test_a_numbered_shed_after_the_house_number_is_part_of_the_address() -> None:
    report = parse("厂里报：员工2人从河南周口回来，住厂里，厂址佛堂镇兴业路66号4号厂房")
    assert report.address == "佛堂镇兴业路66号4号厂房"


def test_a_shed_said_apart_from_the_address_is_not_taken() -> None:
    report = parse("员工2人从河南周口回来，住佛堂镇兴业路66号，厂房后面的宿舍")
    assert report.address is not None
    assert "厂房" not in report.address


def test_the_reports_opening_verb_is_not_part_of_the_address() -> None:
    # typed word by word, as voice input does: the words are joined before they are read
    report = parse(
        "报 廿三里街道 何宅村 5组 12号 外地 租户 刘小燕 一家 三个人 江西 鹰潭 今天 下午 两点 到 "
        "电话 13905791234"
    )
    assert report.address == "廿三里街道何宅村5组12号"


def test_a_town_that_starts_with_the_same_character_is_kept() -> None:
    report = parse("报恩镇东村8号 租户一个人 江西鹰潭 今天到")
    assert report.address is not None
    assert report.address.startswith("报恩镇")


def test_a_building_whose_room_is_not_known_is_kept_and_asked() -> None:
    report = parse("网约车司机报备 今早送一位乘客从安徽宿州来 到江东街道青口小区6幢 房号不知道")
    assert report.address == "江东街道青口小区6幢"
    assert "address" in report.questions


def test_a_building_with_no_word_on_its_room_is_not_asked_for_that() -> None:
    report = parse("租户一个人从安徽宿州来 今天到 住江东街道青口小区6幢 电话13905791234")
    assert report.address == "江东街道青口小区6幢"
    assert "address" not in report.questions
