"""Round 28 (parserb): a mobile read out in Chinese digits after whose it is
("电话是他女儿的一五九…", "电话是我的幺三八…") is read; the same words before a number
with a digit too many are still asked.

The sentences are written for these tests, not taken from any corpus.
"""

from __future__ import annotations

from tests.support.returnee_parse import assert_asked, parse


def test_a_voiced_mobile_after_whose_it_is_is_read() -> None:
    report = parse(
        "我女儿今天从江西鹰潭回来了一个人住后宅街道塘李村八号电话是她老公的一五九八七六五四三二一"
    )
    assert report.phone == "15987654321"
    assert "phone" not in report.questions


def test_the_reporters_own_voiced_mobile_is_read() -> None:
    report = parse("儿子昨天从湖北宜昌回来住佛堂镇田心村五号电话是我的幺三八零五七九一二三四")
    assert report.phone == "13805791234"


def test_a_voiced_number_a_digit_too_long_is_asked() -> None:
    assert_asked(
        "儿子昨天从湖北宜昌回来住佛堂镇田心村五号电话是我的幺三八零五七九一二三四五", "phone"
    )
