"""Command arguments parsed in one module (bot/parsing.py): `/colour` and `/incidents`.

A bad argument is one `Refused` whose key names the command's usage line, so the
person reads the right form; a good one reaches the service as it was meant."""

from __future__ import annotations

import pytest

from bot.parsing import parse_colour_args, parse_incidents_which
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
