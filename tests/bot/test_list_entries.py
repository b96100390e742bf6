"""A list answer typed with 、: the reply says what was recorded, and asks when unsure.

"张三、李四" was one entry, silently; splitting on 、 would break "3幢1、2单元". A
list answer's line now shows how many entries were recorded and which, and where
the pieces between 、 each look like a whole entry it asks, with two buttons.
"""

from __future__ import annotations

import json

import pytest

from cascade.list_entries import pieces
from tests.support.tgfake import HQ_CHAT, HQ_COMMANDER, TS0101_CHAT, TS0101_COMMANDER, Harness


@pytest.mark.parametrize(
    ("entry", "split"),
    [
        ("张三、李四", ["张三", "李四"]),
        ("3幢1单元、3幢2单元", ["3幢1单元", "3幢2单元"]),
        ("张三、3幢1单元", ["张三", "3幢1单元"]),
        ("3幢1、2单元", None),  # 3幢1 is the rest of 2单元
        ("501、502室", None),
        ("一区、二区", None),  # places, not names
        ("张三、13800000000", None),
        ("张三", None),
    ],
)
def test_pieces_that_each_look_whole_are_offered(entry: str, split: list[str] | None) -> None:
    assert pieces(entry) == split


async def answered(h: Harness, text: str) -> None:
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m list 统计返回人员姓名")
    await h.drain()
    await h.send(TS0101_CHAT, TS0101_COMMANDER, text, reply_to=h.copy_in(TS0101_CHAT))
    await h.drain()


async def items(h: Harness) -> list[str]:
    return list(json.loads((await h.row_status("ts-01-01"))["items"]))


async def test_names_between_the_mark_are_asked_and_split_on_the_button(
    harness: Harness,
) -> None:
    h = harness
    await answered(h, "张三、李四\n王五")
    line = h.prompt_in(TS0101_CHAT)
    assert line.text is not None
    assert "清单 2 条：张*、李*；王*" in line.text  # masked, as in every group message
    assert "「张*、李*」中的「、」隔开了 2 项，是 2 条还是 1 条？" in line.text
    assert line.reply_markup is not None
    split, keep = line.reply_markup.inline_keyboard[0]
    assert (split.text, keep.text) == ("分成 2 条", "算作 1 条")
    assert await items(h) == ["张三、李四", "王五"]
    await h.press(line, TS0101_COMMANDER, split.callback_data or "")
    await h.drain()
    assert await items(h) == ["张三", "李四", "王五"]
    assert "清单 3 条：张*；李*；王*（已更正，以本次为准）" in await h.last(TS0101_CHAT)
    # The button again, once split: the entry is no longer there to split.
    await h.press(line, TS0101_COMMANDER, split.callback_data or "")
    await h.drain()
    assert await items(h) == ["张三", "李四", "王五"]


async def test_kept_whole_changes_nothing(harness: Harness) -> None:
    h = harness
    await answered(h, "张三、李四")
    line = h.prompt_in(TS0101_CHAT)
    assert line.reply_markup is not None
    _split, keep = line.reply_markup.inline_keyboard[0]
    await h.press(line, TS0101_COMMANDER, keep.callback_data or "")
    await h.drain()
    assert await items(h) == ["张三、李四"]
    assert any(a.text == "已按 1 条记录" for a in h.session.answers())


async def test_an_address_with_the_mark_inside_is_one_entry_and_says_so(
    harness: Harness,
) -> None:
    h = harness
    await answered(h, "3幢1、2单元")
    line = h.prompt_in(TS0101_CHAT)
    assert line.text is not None and "清单 1 条：*幢*、*单元" in line.text
    assert line.reply_markup is None
    assert await items(h) == ["3幢1、2单元"]
