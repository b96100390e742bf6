"""Counts and durations as officials type them on a phone.

A count reported as "五" or "1,024" must be read right, and anything that could
be read two ways ("12,34", "十一二", "1.5") must be refused: a wrong number in a
sum sent to HQ is worse than asking again.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cascade.numerals import (
    CountTooLarge,
    format_duration,
    looks_like_duration,
    parse_count,
    parse_duration,
)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("5", 5),
        ("0", 0),
        ("1,024", 1024),
        ("1,000,000", 1_000_000),
        (" 12 ", 12),
        ("五", 5),
        ("零", 0),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("两百零三", 203),
        ("一千零一", 1001),
        ("共12人", 12),
        ("合计8户", 8),
        ("3人", 3),
        ("共计十二人", 12),
        ("１２", 12),
        ("５", 5),
        ("１，０２４", 1024),
        ("1 024", 1024),
        ("5 人", 5),
        ("共 12 人", 12),
    ],
)
def test_parse_count_reads_what_people_type(raw: str, value: int) -> None:
    assert parse_count(raw) == value


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "-3",
        "1.5",
        "12,34",
        "",
        "   ",
        "十一二",
        "1,2345",
        "五个半",
        "人",
        "共",
        "12ab",
        "+3",
        "8 9",  # "/report 1 8 9" once summed 89
        "十 二",
        "３ ４",
        "12 34",
        "一百零",  # cut short: not 100
        "两千零",
    ],
)
def test_parse_count_refuses_anything_ambiguous(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_count(raw)


@pytest.mark.parametrize("raw", ["99999999999", "两千万", "10000001"])
def test_parse_count_refuses_absurdly_large_numbers_as_too_large(raw: str) -> None:
    with pytest.raises(CountTooLarge, match="too large"):
        parse_count(raw)


@given(st.integers(min_value=0, max_value=10_000_000))
def test_parse_count_round_trips_arabic_and_grouped(n: int) -> None:
    assert parse_count(str(n)) == n
    assert parse_count(f"{n:,}") == n


@pytest.mark.parametrize(
    ("raw", "delta"),
    [
        ("15m", timedelta(minutes=15)),
        ("20m", timedelta(minutes=20)),
        ("1h", timedelta(hours=1)),
        ("2d", timedelta(days=2)),
        ("1m", timedelta(minutes=1)),
        ("30d", timedelta(days=30)),
        ("90分钟", timedelta(minutes=90)),
        ("2小时", timedelta(hours=2)),
        ("1H", timedelta(hours=1)),
    ],
)
def test_parse_duration(raw: str, delta: timedelta) -> None:
    assert parse_duration(raw) == delta
    assert looks_like_duration(raw)


@pytest.mark.parametrize("raw", ["0m", "45d", "31d", "abc", "", "15", "m", "1.5h", "-5m", "99x"])
def test_parse_duration_refuses(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(raw)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(minutes=15), "15m"),
        (timedelta(hours=1), "1h"),
        (timedelta(minutes=90), "1h30m"),
    ],
)
def test_format_duration(delta: timedelta, text: str) -> None:
    assert format_duration(delta) == text


@pytest.mark.parametrize("text", ["15m", "20m", "1h", "2h"])
def test_format_duration_round_trips_simple_durations(text: str) -> None:
    assert format_duration(parse_duration(text)) == text
