"""A city-sized escalation still renders: the unit list fits one Fluent placeable.

At Yiwu scale the second escalation to HQ listed 40 pending units with their
commanders' mentions, 2,522 characters in one placeable; Fluent refuses more than
2,500, so the text raised, the timer was retried every 30 s and the escalation was
never sent. The list now stops where it would not fit and counts the rest.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.formatting import Formatter
from bot.i18n import SUPPORTED, Texts
from bot.presenter import MAX_LINES, BotPresenter
from cascade.orders import Order, OrderKind, OrderStatus
from cascade.tower import UnitRef
from sandbox.entities import parse_html

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
TEXTS = Texts()


def unit(n: int, locale: str) -> UnitRef:
    return UnitRef(
        code=f"yw-{n:03d}",
        name=f"义乌市望道线业有限公司注塑车间第{n}班组",  # a long name, as Yiwu's are
        level=2,
        kind="group",
        parent="yiwu",
        chat_id=-1002001000000 - n,
        locale=locale,
        commander_name="骆芳",
        commander_id=6001000000 + n,
    )


@pytest.mark.parametrize("locale", SUPPORTED)
@pytest.mark.parametrize("round_", [0, 1])
def test_an_escalation_of_hundreds_of_units_lists_what_fits_and_counts_the_rest(
    locale: str, round_: int
) -> None:
    hq = unit(0, locale)
    order = Order(
        id=1,
        issuer_unit="yiwu",
        issuer_user=6001000001,
        kind=OrderKind.COUNT,
        text="统计本单元外地返回人数",
        created_at=NOW,
        deadline_at=NOW + timedelta(minutes=15),
        status=OrderStatus.OPEN,
    )
    pending = [unit(n, locale) for n in range(1, 301)]
    rendered = BotPresenter(TEXTS, Formatter(TEXTS)).escalation(
        order, hq, pending, round_, timedelta(minutes=5), late=False
    )
    text, _ = parse_html(rendered.text)  # as Telegram shows it: valid HTML, within its limit
    assert len(text) <= 4096
    listed = sum(1 for n in range(1, 301) if f"第{n}班组" in text)
    assert 10 <= listed < MAX_LINES
    assert str(300 - listed) in text.splitlines()[-1]  # "……另有 N 个未列出"
    assert "300" in text.splitlines()[0]


@pytest.mark.parametrize("locale", SUPPORTED)
def test_one_reminder_for_hundreds_of_ungrouped_units_lists_what_fits(locale: str) -> None:
    """The reminder naming every pending unit without a group (to the group above
    them) stops where the escalation's list stops, and counts the rest."""
    group = unit(0, locale)
    order = Order(
        id=1,
        issuer_unit="yiwu",
        issuer_user=6001000001,
        kind=OrderKind.COUNT,
        text="统计本单元外地返回人数",
        created_at=NOW,
        deadline_at=NOW + timedelta(minutes=15),
        status=OrderStatus.OPEN,
    )
    ungrouped = [unit(n, locale).model_copy(update={"chat_id": None}) for n in range(1, 301)]
    rendered = BotPresenter(TEXTS, Formatter(TEXTS)).reminder_ungrouped(
        order, ungrouped, group, timedelta(minutes=5), late=False
    )
    text, _ = parse_html(rendered.text)
    assert len(text) <= 4096
    listed = sum(1 for n in range(1, 301) if f"第{n}班组" in text)
    assert 10 <= listed < MAX_LINES
    assert str(300 - listed) in text.splitlines()[-1]
    assert "300" in text.splitlines()[0]
