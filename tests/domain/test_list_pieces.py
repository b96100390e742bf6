"""Which list entries may be several, in both languages (cascade/list_entries.py).

"Zhang San, Li Si", "12 Main St, 14 Main St" and "John Smith and Mary Smith" were
silently one entry each: only 、 between Chinese names or numbered addresses asked. A
comma (, ，) or "and" now asks too when every piece is whole and of one kind, never
when a piece is the rest of its neighbour ("Flat 3, 12 Main St" is one address).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cascade import masking
from cascade.list_entries import marks, pieces


@pytest.mark.parametrize(
    ("entry", "split"),
    [
        # English names and addresses, by a comma, "and" or "&".
        ("Zhang San, Li Si", ["Zhang San", "Li Si"]),
        ("John Smith and Mary Smith", ["John Smith", "Mary Smith"]),
        ("12 Main St, 14 Main St", ["12 Main St", "14 Main St"]),
        ("12 Main St and 14B Baker Street", ["12 Main St", "14B Baker Street"]),
        ("John Park, Sarah Hall", ["John Park", "Sarah Hall"]),  # surnames, not places
        # The rest of its neighbour: one entry.
        ("Flat 3, 12 Main St", None),
        ("12, 14 Main St", None),
        ("12 Main St, Apt 3", None),
        ("12 Main St, Springfield", None),
        ("Tom and Jerry", None),
        ("Smith, John", None),
        ("Smith and Sons", None),
        # A person and where he lives, or his phone: one entry.
        ("John Smith, 12 Main St", None),
        ("John Smith, New York", None),
        ("John Smith, 13800000000", None),
        # Chinese by the Chinese comma.
        ("张三，李四", ["张三", "李四"]),
        ("张三，李四，王五", ["张三", "李四", "王五"]),
        ("Zhang San，Li Si", ["Zhang San", "Li Si"]),
        ("塔山路5号，溪西村12号", ["塔山路5号", "溪西村12号"]),
        ("3幢1单元，3幢2单元", ["3幢1单元", "3幢2单元"]),  # numbered alike
        ("塔山路5号，3幢2单元", None),  # a house and the rest of it
        ("3幢1单元，2单元", None),
        ("张三，溪西村12号", None),
        ("张三，男", None),
        ("明天，下午的车", None),  # a day and a bus, not two people: no surname
        ("老李，小王", ["老李", "小王"]),
        ("还没到，在路上了", None),
        ("一户两个人，一户三个人", None),  # a report's clauses
        ("一户住东河村5号，一户住东河村12号", None),
        ("张三，35岁", None),
        ("张三、李四，溪西村12号", None),  # two people at one address
        # 、 as before: it only ever lists.
        ("张三、李四", ["张三", "李四"]),
        ("张三、3幢1单元", ["张三", "3幢1单元"]),
        ("张三 、 3幢1单元", ["张三", "3幢1单元"]),
        ("3幢1、2单元", None),
        ("John Smith", None),
        ("John Smith,", None),
    ],
)
def test_pieces_in_both_languages(entry: str, split: list[str] | None) -> None:
    assert pieces(entry) == split


def test_three_word_names_are_names() -> None:
    assert pieces("Mary Ann Smith, John O'Brien") == ["Mary Ann Smith", "John O'Brien"]
    assert pieces("Jean-Luc Picard & Ann McDonald") == ["Jean-Luc Picard", "Ann McDonald"]


def test_the_marks_as_typed() -> None:
    assert marks("张三、李四") == ["、"]
    assert marks("Zhang San, Li Si and Wang Wu") == [",", "and"]
    assert marks("张三，李四") == ["，"]


def test_masked_in_both_languages() -> None:
    assert masking.list_entry("Zhang San, Li Si") == "Z**** S**, L* S*"
    assert masking.list_entry("John Smith and Mary Smith") == "J*** S**** and M*** S****"
    assert masking.list_entry("12 Main St, 14 Main St") == "** Main St, ** Main St"
    assert masking.list_entry("张三，溪西村12号") == "张*，溪西村**号"
    assert masking.list_entry("张三、李四") == "张*、李*"


def test_a_name_is_masked_whatever_characters_wrap_it() -> None:
    assert masking.list_entry('李四<b>&"') == '李*<b>&"'
    assert masking.list_entry("(张三)") == "(张*)"
    assert masking.list_entry("<i>欧阳娜娜</i>") == "<i>欧阳**</i>"
    assert masking.list_entry("王五 13812345678") == "王* ***********"
    assert masking.list_entry("12 塔山路") == "** 塔山路"  # a place, not a name
    assert masking.list_entry("3幢1、2单元") == "*幢*、*单元"  # numbered words
    assert masking.list_entry("单元2") == "单元*"


_word = st.sampled_from(["Zhang", "Li", "Wang", "John", "Mary", "Smith", "Brown", "Chen"])
_name = st.tuples(_word, _word).map(" ".join)
_street = st.tuples(
    st.integers(1, 999),
    st.sampled_from(["Main", "Baker", "Oak", "Tashan"]),
    st.sampled_from(["St", "Street", "Road", "Ave"]),
).map(lambda t: f"{t[0]} {t[1]} {t[2]}")
_mark = st.sampled_from([", ", "，", " and ", " & ", ","])


@given(st.lists(_name, min_size=2, max_size=5), _mark)
def test_whole_names_are_always_offered(names: list[str], mark: str) -> None:
    assert pieces(mark.join(names)) == names


@given(st.lists(_street, min_size=2, max_size=4), _mark)
def test_whole_addresses_are_always_offered(streets: list[str], mark: str) -> None:
    assert pieces(mark.join(streets)) == streets


@given(
    st.sampled_from(["Flat", "Apt", "Unit", "Room", "Floor", "Block"]),
    st.integers(1, 99),
    _street,
    _mark,
)
def test_a_part_of_an_address_is_never_offered(
    part: str, number: int, street: str, mark: str
) -> None:
    assert pieces(f"{part} {number}{mark}{street}") is None
    assert pieces(f"{street}{mark}{part} {number}") is None
    assert pieces(f"{number}{mark}{street}") is None


@given(_name, _street, _mark)
def test_a_person_and_his_address_is_never_offered(name: str, street: str, mark: str) -> None:
    assert pieces(f"{name}{mark}{street}") is None
