"""Times as people read them: deadlines with their date when not today, spans in words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.formatting import Formatter
from bot.i18n import Texts
from tests.support.tgfake import HQ_CHAT, HQ_COMMANDER, TS0101_CHAT, Harness

FMT = Formatter(Texts())


@pytest.mark.parametrize(
    ("seconds", "zh", "en"),
    [
        (0, "0秒", "0 s"),
        (45, "45秒", "45 s"),
        (59.6, "1分钟", "1 minute"),
        (600, "10分钟", "10 minutes"),
        (558, "9分18秒", "9 min 18 s"),
        (3600, "1小时", "1 hour"),
        (5400, "1小时30分钟", "1 hour 30 minutes"),
        (5459, "1小时30分钟", "1 hour 30 minutes"),
        (99 * 3600, "99小时", "99 hours"),
        (8 * 86400 + 2 * 3600, "8天2小时", "8 days 2 hours"),
        (-5, "0秒", "0 s"),
    ],
)
def test_spans_are_words(seconds: float, zh: str, en: str) -> None:
    assert FMT.seconds("zh-Hans", seconds) == zh
    assert FMT.seconds("en", seconds) == en
    assert FMT.duration("zh-Hans", timedelta(seconds=seconds)) == zh


def test_no_span_is_a_dash() -> None:
    assert FMT.seconds("zh-Hans", None) == "—"


def test_a_deadline_shows_its_date_when_it_is_not_today() -> None:
    # 2020-02-20 08:00 UTC is 16:00 in Asia/Shanghai.
    now = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)
    assert FMT.moment("zh-Hans", now + timedelta(hours=1), now) == "17:00"
    assert FMT.moment("zh-Hans", now + timedelta(hours=7, minutes=59), now) == "23:59"
    # Past local midnight: tomorrow, even though it is the same UTC date.
    assert FMT.moment("zh-Hans", now + timedelta(hours=8), now) == "2月21日 00:00"
    assert FMT.moment("zh-Hans", now + timedelta(hours=99), now) == "2月24日 19:00"
    assert FMT.moment("en", now + timedelta(hours=99), now) == "Feb 24 19:00"
    assert FMT.moment("zh-Hans", now + timedelta(days=330), now) == "2021年1月15日 16:00"


async def test_a_long_order_says_its_date_and_hours_in_every_group(harness: Harness) -> None:
    h = harness
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 99h count 统计")
    await h.drain()
    confirmation = (await h.said(HQ_CHAT))[0]
    copy = (await h.said(TS0101_CHAT))[0]
    assert "99小时内，截止 2月24日 19:00" in confirmation
    assert "截止 2月24日 19:00（99小时内）" in copy
    for text in (confirmation, copy):
        assert "99h" not in text and "m00s" not in text


async def test_status_says_time_left_in_words(harness: Harness) -> None:
    h = harness
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 10m count 统计")
    await h.drain()
    h.clock.advance(seconds=42)
    await h.send(HQ_CHAT, HQ_COMMANDER, "/status")
    await h.drain()
    status = await h.last(HQ_CHAT)
    assert "已用时42秒 · 剩余9分18秒" in status
