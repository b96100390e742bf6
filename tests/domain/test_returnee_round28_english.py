"""Round 28 (parsera): an English report's count said plainly, and its address typed in
Chinese, are read; what is rough, several or in English words alone is still asked."""

from __future__ import annotations

from cascade.returnee.english import english_count
from tests.support.returnee_parse import parse

_TWO_TENANTS = (
    "Two tenants, Mr Wang and his wife, came back from Wuhan yesterday evening, "
    "room 301 Building 5, phone 13800138000"
)


def test_a_count_said_in_english_words_is_read() -> None:
    report = parse(_TWO_TENANTS)
    assert report.count == 2
    assert "count" not in report.questions
    assert report.phone == "13800138000"


def test_an_address_in_english_words_alone_is_still_asked() -> None:
    # "room 301 Building 5" names no estate or street: nothing is guessed
    report = parse(_TWO_TENANTS)
    assert report.address is None
    assert "address" in report.questions


def test_an_address_typed_in_chinese_inside_english_is_read() -> None:
    report = parse(
        "Hello, I am Ahmed, back from Cairo via Guangzhou today, alone, "
        "live 稠城街道 丹溪北路 56号 701, phone 15857912345"
    )
    assert report.count == 1
    assert report.address == "稠城街道丹溪北路56号701"
    assert "address" not in report.questions


def test_adults_and_children_in_english_add_up() -> None:
    assert english_count("2 adults and 1 child came back from Wuhan") == 3


def test_rough_or_several_numbers_in_english_are_not_read() -> None:
    assert english_count("About 5 workers came back from Anhui today") is None
    assert english_count("Several workers and 2 students came back") is None
    assert english_count("3 workers today, 2 more workers tomorrow") is None
    report = parse("About 5 workers came back from Anhui today, address 稠城街道宾王路8号")
    assert report.count is None
    assert "count" in report.questions


def test_chinese_text_is_not_read_by_the_english_reader() -> None:
    assert english_count("租客两个人从湖南回来") is None
