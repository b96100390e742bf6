"""`ColourWords`: the four texts of a colour change (notice/confirmation × set/cleared)
share one shape; pin each, in both locales, so the shared code keeps every branch."""

from __future__ import annotations

from bot.colour_presenter import ColourWords
from bot.i18n import Texts
from cascade.colours import ColourChange
from cascade.incidents import Colour
from cascade.tower import UnitRef

UNIT = UnitRef(
    code="ts-01", name="塔山村", level=3, kind="village", parent="ts", chat_id=-1, locale="zh-Hans"
)
SETTER = UnitRef(
    code="ts", name="塔山区块", level=2, kind="block", parent=None, chat_id=-2, locale="en"
)


def change(
    colour: Colour, reason: str | None, effective: Colour, open_incidents: int = 0
) -> ColourChange:
    return ColourChange(
        unit=UNIT,
        colour=colour,
        reason=reason,
        set_by=7,
        setter_unit=SETTER,
        previous=None,
        effective=effective,
        open_incidents=open_incidents,
    )


def test_set_notice_and_confirmation() -> None:
    words = ColourWords(Texts())
    red = change(Colour.RED, "发现返回人员", Colour.RED)
    assert words.colour_notice(red, UNIT).text == (
        "🔴 上级「塔山区块」将本单元「塔山村」设为红色。原因：发现返回人员"
    )
    assert words.colour_confirmation(red, "en").text == (
        '🔴 "塔山村" is now red. Reason: 发现返回人员'
    )


def test_cleared_notice_and_confirmation_with_and_without_reason() -> None:
    words = ColourWords(Texts())
    cleared = change(Colour.GREEN, "已整改", Colour.GREEN)
    assert words.colour_notice(cleared, SETTER).text == (
        '🟢 Your superior "塔山区块" cleared the colour of this unit "塔山村". Note: 已整改'
    )
    assert words.colour_confirmation(change(Colour.GREEN, None, Colour.GREEN), "zh-Hans").text == (
        "🟢 已解除「塔山村」的颜色标记。"
    )


def test_hq_setter_and_a_colour_still_shown_by_open_incidents() -> None:
    words = ColourWords(Texts())
    by_hq = change(Colour.GREEN, None, Colour.YELLOW, open_incidents=2).model_copy(
        update={"setter_unit": None}
    )
    assert words.colour_notice(by_hq, UNIT).text == (
        "🟢 上级「指挥部管理员」已解除本单元「塔山村」的颜色标记。\n"
        "（「塔山村」仍有 2 起未结事件，仍显示为黄色。）"
    )
