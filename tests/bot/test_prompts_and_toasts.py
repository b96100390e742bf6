"""Small words moved out of the routers: the "收到" toast (bot/presenter.py), the
`/returnee` form's questions (bot/incident_presenter.py) and `/help`
(bot/help_presenter.py), in both locales."""

from __future__ import annotations

import pytest

from bot.callbacks import ReturneeFormCallback
from bot.formatting import Formatter
from bot.help_presenter import help_text
from bot.i18n import Texts
from bot.incident_presenter import form_question
from bot.presenter import BotPresenter
from cascade.order_service import AckOutcome
from cascade.orders import OrderKind

TEXTS = Texts()
PRESENTER = BotPresenter(TEXTS, Formatter(TEXTS))


def outcome(kind: OrderKind, first: bool, needs_value: bool) -> AckOutcome:
    return AckOutcome(
        order_id=1, kind=kind, unit_code="ts-01", first=first, needs_value=needs_value
    )


@pytest.mark.parametrize(
    ("locale", "needs_value", "first", "again"),
    [
        (
            "zh-Hans",
            "已收到。请回复指令消息上报统计数字。",
            "已收到，谢谢！",
            "本单元已确认收到。",
        ),
        (
            "en",
            "Received. Please reply to the order message with the count.",
            "Received, thank you!",
            "Your unit has already confirmed.",
        ),
    ],
)
def test_ack_toast_thanks_once_then_says_already_or_asks_for_the_value(
    locale: str, needs_value: str, first: str, again: str
) -> None:
    assert PRESENTER.ack_toast(locale, outcome(OrderKind.COUNT, True, True)) == needs_value
    assert PRESENTER.ack_toast(locale, outcome(OrderKind.NOTICE, True, False)) == first
    assert PRESENTER.ack_toast(locale, outcome(OrderKind.NOTICE, False, False)) == again


def test_returnee_form_asks_the_count_by_force_reply_and_the_rest_with_skip() -> None:
    count = form_question(TEXTS, "zh-Hans", "count")
    assert count.text == "👥 几个人回来？请<b>回复本消息</b>（如：带5位家人、一家三口、3人）。"
    assert (count.buttons, count.force_reply) == ([], True)
    via = form_question(TEXTS, "zh-Hans", "via")
    assert via.text == "🛣 途经哪里？（没有就点「跳过」）"
    assert not via.force_reply
    [[skip]] = via.buttons
    assert (skip.text, skip.callback_data) == ("跳过", ReturneeFormCallback(step="via").pack())
    en = form_question(TEXTS, "en", "via")
    assert en.text == '🛣 Through where? (press "Skip" if nowhere)'
    assert en.buttons[0][0].text == "Skip"
    assert form_question(TEXTS, "en", "count").text.startswith("👥 How many people are back?")


def test_help_is_the_command_block_then_the_people_block() -> None:
    for locale in ("zh-Hans", "en"):
        head, people = TEXTS.get(locale, "help"), TEXTS.get(locale, "help-people")
        assert help_text(TEXTS, locale) == head + "\n" + people
    assert help_text(TEXTS, "zh-Hans").startswith("<b>塔群机器人</b>：指令一级一级下达")
    assert help_text(TEXTS, "en").startswith("<b>Tower bot</b>: orders go down the tower")
    assert "/whoami — 亮身份、亮职责、亮地图" in help_text(TEXTS, "zh-Hans")
    for locale in ("zh-Hans", "en"):  # each command is explained once
        lines = help_text(TEXTS, locale).splitlines()
        for command in ("/whoami ", "/member ", "/score ", "/rank ", "/card "):
            explained = [
                line
                for line in lines
                if f"{command}" in line.split("—")[0]
                or f"；{command}" in line
                or f"; {command}" in line
            ]
            assert len(explained) == 1, (locale, command, explained)
