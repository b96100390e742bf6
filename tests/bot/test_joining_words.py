"""bot/joining_presenter.py: the `/invite` sheet (rows, links, BOM, file name) and
caption, the move question and the bind/claim lines, in both locales."""

from __future__ import annotations

import csv
import io

from bot.callbacks import MoveCallback
from bot.formatting import Formatter
from bot.i18n import Texts
from bot.joining_presenter import (
    SHEET_HEADER,
    bound_text,
    claimed_text,
    invite_file,
    invite_none,
    move_question,
)
from cascade.invites import Slot
from cascade.joining import InviteLine
from cascade.tower import Position, UnitRef

TEXTS = Texts()
HERE = UnitRef(
    code="ts", name="塔山<区>", level=2, kind="block", parent=None, chat_id=-1, locale="zh-Hans"
)
VILLAGE = UnitRef(
    code="ts-01", name="塔山村", level=3, kind="village", parent="ts", chat_id=None, locale="en"
)
SLOT = Slot(seq=1, position=Position.DEPUTY, name="王五", telegram_id=None)
SHEET = [
    InviteLine(unit=VILLAGE, group_token="G1", people=[(SLOT, "P1")]),
    InviteLine(
        unit=HERE.model_copy(update={"code": "ts-02", "name": "二村"}), group_token="G2", people=[]
    ),
]


def rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read the Chinese names"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_invite_sheet_has_a_group_row_per_unit_and_a_person_row_per_empty_slot() -> None:
    built = invite_file(TEXTS, "zh-Hans", "towerbot", SHEET, None, HERE)
    assert rows(built.data) == [
        SHEET_HEADER,
        ["ts-01", "塔山村", "3", "https://t.me/towerbot?startgroup=G1", "", "", ""],
        ["ts-01", "塔山村", "3", "", "王五", "deputy", "https://t.me/towerbot?start=P1"],
        ["ts-02", "二村", "2", "https://t.me/towerbot?startgroup=G2", "", "", ""],
    ]
    assert built.filename == "invites-ts.csv"


def test_invite_file_is_named_by_the_code_asked_else_the_unit_else_tower() -> None:
    assert invite_file(TEXTS, "en", "b", SHEET, "ts-01", HERE).filename == "invites-ts-01.csv"
    assert invite_file(TEXTS, "en", "b", SHEET, None, None).filename == "invites-tower.csv"


def test_invite_caption_counts_units_and_people_in_both_locales() -> None:
    zh = invite_file(TEXTS, "zh-Hans", "b", SHEET, None, HERE).caption
    assert zh.startswith("🔗「塔山&lt;区&gt;」下属 2 个单元的入群链接")
    assert zh.endswith("和 1 个待登记人员的个人链接（?start=）。")
    en = invite_file(TEXTS, "en", "b", SHEET, None, HERE).caption
    assert en.startswith('🔗 Join links for the 2 units under "塔山&lt;区&gt;"')
    assert en.endswith("and 1 personal links (?start=) for people not registered yet.")


def test_invite_none_in_both_locales() -> None:
    assert invite_none(TEXTS, "zh-Hans", HERE) == "「塔山&lt;区&gt;」下面没有单元。"
    assert invite_none(TEXTS, "en", HERE) == '"塔山&lt;区&gt;" has no units below it.'


def test_move_question_carries_confirm_and_cancel_for_the_unit() -> None:
    asked = move_question(TEXTS, "zh-Hans", VILLAGE)
    assert asked.text.startswith("⚠️「塔山村」已有正在使用的群。")
    [[go, stay]] = asked.buttons
    assert (go.text, stay.text) == ("确认迁移到本群", "取消")
    assert go.callback_data == MoveCallback(code="ts-01", go=True).pack()
    assert stay.callback_data == MoveCallback(code="ts-01", go=False).pack()
    assert move_question(TEXTS, "en", VILLAGE).buttons[0][0].text == "Move to this group"


def test_bound_names_the_level_in_the_units_language() -> None:
    fmt = Formatter(TEXTS)
    assert bound_text(TEXTS, fmt, "zh-Hans", VILLAGE) == "✅ 本群已绑定为「塔山村」（level 3）。"
    assert (
        bound_text(TEXTS, fmt, "en", HERE)
        == '✅ This group is now bound to "塔山&lt;区&gt;" (2级).'
    )


def test_claimed_names_the_position_in_both_locales() -> None:
    assert (
        claimed_text(TEXTS, "zh-Hans", VILLAGE, SLOT)
        == "✅ 您已登记为「塔山村」的副指挥长（王五）。"
    )
    assert claimed_text(TEXTS, "en", VILLAGE, SLOT) == (
        '✅ You are registered as deputy of "塔山村" (王五).'
    )
