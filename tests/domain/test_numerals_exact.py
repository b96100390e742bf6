"""A count is read only when it is exact (issue 10, item 1).

cn2an's "normal" mode joins adjacent digits, so a commander's 七八 ("seven or
eight") once summed as 78 into a city's total. These properties generate exact
numerals the way people write them (Arabic, grouped, Chinese with 两 and 零,
with classifiers) and ranges or estimates (两三个, 十几, 二十多, 五六十, 3-5,
约5, 大概五个): the first must read back exactly, the second must raise
`ApproximateCount` so the bot asks for the exact number instead of guessing.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cascade.numerals import ApproximateCount, is_approximate, parse_count

DIGITS = "零一二三四五六七八九"
SUFFIXES = ("", "个", "人", "位", "名", "户", "个人")


def chinese(n: int, *, liang: bool = False) -> str:
    """`n` (0 ≤ n < 10^8) in standard Chinese numerals, written independently of cn2an."""
    if n == 0:
        return "零"
    high, low = divmod(n, 10_000)
    if high:
        text = _section(high, liang) + "万"
        if low:
            text += ("零" if low < 1000 else "") + _section(low, liang)
    else:
        text = _section(low, liang)
    if text.startswith("一十"):
        text = text[1:]  # 十二, not 一十二
    return text


def _section(n: int, liang: bool) -> str:
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        word = "两" if liang and digit == 2 and unit in ("千", "百") else DIGITS[digit]
        out += word + unit
    return out


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("5", 5),
        ("五", 5),
        ("十二", 12),
        ("两百零三", 203),
        ("1,024", 1024),
        ("二十三位", 23),
        ("十个", 10),
        ("三千五", 3500),
        ("两万", 20000),
        ("一万零五百", 10500),
        ("共计十二人", 12),
    ],
)
def test_exact_forms_keep_working(raw: str, value: int) -> None:
    assert parse_count(raw) == value
    assert not is_approximate(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "两三个", "七八人", "一两", "三四", "十几", "二十多", "五六十", "3到5", "3-5", "约5",
        "大概五个", "好几个", "几十", "十来个", "5人左右", "十一二", "三五个", "3~5", "三到五",
        "3或4", "十来人", "20来个", "将近20人", "20多人", "100余人", "上百人", "一二十个", "30人以上", "最多8个",
    ],
)  # fmt: skip
def test_ranges_and_estimates_are_refused_as_estimates(raw: str) -> None:
    with pytest.raises(ApproximateCount):
        parse_count(raw)


@given(st.integers(min_value=0, max_value=10_000_000), st.booleans(), st.sampled_from(SUFFIXES))
def test_every_exact_chinese_numeral_reads_back(n: int, liang: bool, suffix: str) -> None:
    text = chinese(n, liang=liang)
    assert parse_count(text + suffix) == n
    assert parse_count("共" + text + suffix) == n
    assert not is_approximate(text + suffix)


@given(st.integers(min_value=0, max_value=10_000_000), st.sampled_from(SUFFIXES))
def test_every_exact_arabic_numeral_reads_back(n: int, suffix: str) -> None:
    assert parse_count(f"{n}{suffix}") == n
    assert parse_count(f"{n:,}{suffix}") == n


@given(
    st.integers(min_value=1, max_value=8),
    st.sampled_from(["", "十", "百", "千", "万"]),
    st.sampled_from(["", "十"]),
    st.sampled_from(SUFFIXES),
)
def test_two_neighbouring_digits_are_a_range(low: int, unit: str, tens: str, suffix: str) -> None:
    """两三, 七八人, 三四十, 十五六个, 五六百: "two or three", never 23."""
    pair = ("两" if low == 2 and unit else DIGITS[low]) + DIGITS[low + 1]
    for text in (pair + unit + suffix, tens + pair + suffix):
        with pytest.raises(ApproximateCount):
            parse_count(text)


@given(
    st.integers(min_value=1, max_value=9999),
    st.sampled_from(
        ["约", "大约", "大概", "差不多", "估计", "将近", "至少", "最多", "不到", "超过"]
    ),
    st.sampled_from(["多", "余", "左右", "上下", "多个", "几", "以上"]),
    st.sampled_from(SUFFIXES),
    st.booleans(),
)
def test_estimate_words_make_any_number_an_estimate(
    n: int, before: str, after: str, suffix: str, arabic: bool
) -> None:
    number = str(n) if arabic else chinese(n)
    with pytest.raises(ApproximateCount):
        parse_count(before + number + suffix)
    with pytest.raises(ApproximateCount):
        parse_count(number + after + suffix)
    with pytest.raises(ApproximateCount):
        parse_count(number + suffix + "左右")


@given(
    st.integers(min_value=0, max_value=9999),
    st.integers(min_value=1, max_value=9999),
    st.sampled_from(["-", "~", "～", "到", "至", "或", "、", "—"]),
    st.booleans(),
    st.sampled_from(SUFFIXES),
)
def test_written_ranges_are_refused(
    low: int, span: int, sep: str, arabic: bool, suffix: str
) -> None:
    high = low + span
    a, b = (str(low), str(high)) if arabic else (chinese(low), chinese(high))
    with pytest.raises(ApproximateCount):
        parse_count(f"{a}{sep}{b}{suffix}")


@given(st.sampled_from(["几", "十几", "几十", "好几", "几百", "二十几", "一百多", "几千"]))
def test_ji_and_duo_are_never_numbers(word: str) -> None:
    for suffix in SUFFIXES:
        with pytest.raises(ApproximateCount):
            parse_count(word + suffix)
