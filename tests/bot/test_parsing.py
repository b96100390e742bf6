"""Command arguments parsed in one module (bot/parsing.py): `/order`, `/colour`, `/incidents`.

A bad argument is one `Refused` whose key names the command's usage line, so the
person reads the right form; a good one reaches the service as it was meant."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.parsing import parse_colour_args, parse_incidents_which, parse_order_args
from cascade.errors import Refused


@pytest.mark.parametrize(
    ("args", "parsed"),
    [
        ("ts-01 red 发现湖北返回人员", ("ts-01", "red", "发现湖北返回人员")),
        ("ts-01 green", ("ts-01", "green", None)),
        ("red ts-01 两人 发烧", ("ts-01", "red", "两人 发烧")),  # the colour first is forgiven
        ("塔山村 黄 有异常", ("塔山村", "黄", "有异常")),
        ("ts-01 purple why", ("ts-01", "purple", "why")),  # the service names the bad colour
    ],
)
def test_colour_args(args: str, parsed: tuple[str, str, str | None]) -> None:
    assert parse_colour_args(args) == parsed


@pytest.mark.parametrize("args", [None, "", "   ", "ts-01"])
def test_colour_without_a_colour_shows_the_usage(args: str | None) -> None:
    with pytest.raises(Refused) as refused:
        parse_colour_args(args)
    assert refused.value.key == "colour-usage"


@pytest.mark.parametrize(
    ("args", "which"),
    [
        (None, "all"),
        ("", "all"),
        (" 全部 ", "all"),
        ("OPEN", "open"),
        ("未处置", "open"),
        ("today", "today"),
        ("今日", "today"),
    ],
)
def test_incidents_which(args: str | None, which: str) -> None:
    assert parse_incidents_which(args) == which


@pytest.mark.parametrize("args", ["closed", "open today", "7"])
def test_incidents_with_another_word_shows_the_usage(args: str) -> None:
    with pytest.raises(Refused) as refused:
        parse_incidents_which(args)
    assert refused.value.key == "inclist-usage"


@pytest.mark.parametrize(
    "args",
    [
        "1.5h count 统计",
        "1h30m count 统计",
        "1小时30分 count 统计",
        "15 count 统计",
        "２.５h list 名单",
    ],
)
def test_a_time_allowed_the_bot_cannot_read_is_refused_not_taken_as_text(args: str) -> None:
    """ "/order 1.5h count 统计" went out as a 15-minute *notice* reading "1.5h count 统计":
    no number was ever asked for, and nobody was told."""
    with pytest.raises(Refused) as refused:
        parse_order_args(args)
    assert refused.value.key == "bad-duration"


@pytest.mark.parametrize(
    ("args", "duration", "text"),
    [
        ("3号楼今晚停水", timedelta(minutes=15), "3号楼今晚停水"),
        ("20m 3 个小区今晚停水", timedelta(minutes=20), "3 个小区今晚停水"),
        ("１５m count 全角", timedelta(minutes=15), "全角"),
    ],
)
def test_an_order_text_that_starts_with_a_number_stays_text(
    args: str, duration: timedelta, text: str
) -> None:
    parsed = parse_order_args(args)
    assert (parsed.duration, parsed.text) == (duration, text)


@pytest.mark.parametrize(
    ("args", "kind"),
    [
        ("15m 数字 统计人数", "count"),
        ("统计数字 统计人数", "count"),
        ("清单 20m 名单", "list"),
        ("通知 今晚开会", "notice"),
        ("LIST 名单", "list"),
    ],
)
def test_the_kind_in_the_words_the_bot_shows_it(args: str, kind: str) -> None:
    parsed = parse_order_args(args)
    assert parsed.kind.value == kind
    assert parsed.text in ("统计人数", "名单", "今晚开会")
