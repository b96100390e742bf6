"""bot/order_form_presenter.py: the `/order` form's questions, buttons and preview, in both locales."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks import FormCallback
from bot.formatting import Formatter
from bot.i18n import Texts
from bot.order_form_presenter import (
    DURATIONS,
    ask_text,
    duration_question,
    kind_question,
    preview,
)
from cascade.orders import OrderKind
from cascade.targeting import OrderFilter
from cascade.tower import Role

TEXTS = Texts()
FMT = Formatter(TEXTS)
CANCEL = FormCallback(step="cancel", value="-").pack()


def test_first_question_asks_for_the_text_and_explains_the_scope_words() -> None:
    zh = ask_text(TEXTS, "zh-Hans")
    assert zh.startswith("📝 请<b>回复本消息</b>写下指令内容。\n")
    assert zh.endswith("不写则发往全部下级单元。")
    en = ask_text(TEXTS, "en")
    assert en.startswith("📝 <b>Reply to this message</b> with the order's text.\n")
    assert en.endswith("without one it goes to every unit below.")
    for text in (zh, en):  # the scope words are explained once
        assert text.count("#shop_row") == 1


def test_kind_question_has_one_button_per_kind_and_a_cancel_row() -> None:
    zh = kind_question(TEXTS, "zh-Hans")
    assert zh.text == "指令类型？"
    kinds, [cancel] = zh.buttons
    assert [b.text for b in kinds] == ["通知", "统计数字", "清单"]
    assert [b.callback_data for b in kinds] == [
        FormCallback(step="kind", value=k.value).pack() for k in OrderKind
    ]
    assert (cancel.text, cancel.callback_data) == ("✖ 取消", CANCEL)
    en = kind_question(TEXTS, "en")
    assert en.text == "Which kind of order?"
    assert [b.text for b in en.buttons[0]] == ["notice", "count", "list"]


def test_duration_question_offers_the_durations_in_the_locale() -> None:
    zh = duration_question(TEXTS, FMT, "zh-Hans")
    assert zh.text == "时限？"
    assert [b.text for b in zh.buttons[0]] == ["10分钟", "15分钟", "20分钟", "30分钟", "1小时"]
    assert [b.callback_data for b in zh.buttons[0]] == [
        FormCallback(step="duration", value=d).pack() for d in DURATIONS
    ]
    en = duration_question(TEXTS, FMT, "en")
    assert en.text == "Time allowed?"
    assert en.buttons[0][-1].text == "1 hour"
    assert en.buttons[1][0].text == "✖ Cancel"


def test_preview_of_an_order_to_every_unit_below() -> None:
    args = (OrderKind.NOTICE, timedelta(hours=1), "x", OrderFilter(), {3: 2}, 0)
    zh = preview(TEXTS, FMT, "zh-Hans", *args)
    assert (
        zh.text
        == "请确认指令（通知，1小时内）：\nx\n\n将发往 2 个单元：3级 2 个\n范围：全部下级单元"
    )
    assert [[b.text for b in row] for row in zh.buttons] == [["✅ 下达", "✖ 取消"]]
    assert zh.buttons[0][0].callback_data == FormCallback(step="confirm", value="-").pack()
    en = preview(TEXTS, FMT, "en", *args)
    assert en.text == (
        "Please confirm the order (notice, within 1 hour):\nx\n\n"
        "It goes to 2 units: level 3: 2\nScope: all units below"
    )
    assert [[b.text for b in row] for row in en.buttons] == [["✅ Issue", "✖ Cancel"]]


def test_preview_of_a_role_filtered_order_escapes_the_text_and_counts_holders() -> None:
    flt = OrderFilter(levels=[3], roles=[Role.PATROLLER])
    args = (OrderKind.COUNT, timedelta(minutes=20), "报<人数>", flt, {3: 2, 4: 5}, 4)
    assert preview(TEXTS, FMT, "zh-Hans", *args).text == (
        "请确认指令（统计数字，20分钟内）：\n报&lt;人数&gt;\n\n"
        "将发往 7 个单元：3级 2 个、4级 5 个\n范围：L3 @patroller（巡查员 4 人回复）"
    )
    assert preview(TEXTS, FMT, "en", *args).text == (
        "Please confirm the order (count, within 20 minutes):\n报&lt;人数&gt;\n\n"
        "It goes to 7 units: level 3: 2, level 4: 5\n"
        "Scope: L3 @patroller (patroller: 4 people answer)"
    )
