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


async def in_english(h: Harness, code: str) -> None:
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute("UPDATE units SET locale = 'en' WHERE code = ?", (code,))


async def test_english_names_after_a_comma_are_asked_in_english_and_split(
    harness: Harness,
) -> None:
    h = harness
    await in_english(h, "ts-01-01")
    await answered(h, "Zhang San, Li Si\nWang Wu")
    line = h.prompt_in(TS0101_CHAT)
    assert line.text is not None
    # Masked by their initials, as a Chinese name by its surname.
    assert 'Recorded list of 2 items for "' in line.text
    assert "Z**** S**, L* S*; W*** W*" in line.text
    assert '❓ The "," in "Z**** S**, L* S*" separates 2 parts: 2 items, or 1?' in line.text
    assert "Zhang" not in line.text and "Li Si" not in line.text
    assert line.reply_markup is not None
    split, keep = line.reply_markup.inline_keyboard[0]
    assert (split.text, keep.text) == ("Split into 2", "Count as 1")
    assert await items(h) == ["Zhang San, Li Si", "Wang Wu"]
    await h.press(line, TS0101_COMMANDER, split.callback_data or "")
    await h.drain()
    assert await items(h) == ["Zhang San", "Li Si", "Wang Wu"]
    assert any(a.text == "Recorded as 2" for a in h.session.answers())


async def test_chinese_names_after_the_chinese_comma_are_asked(harness: Harness) -> None:
    h = harness
    await answered(h, "张三，李四")
    line = h.prompt_in(TS0101_CHAT)
    assert line.text is not None
    assert "「张*，李*」中的「，」隔开了 2 项，是 2 条还是 1 条？" in line.text
    assert line.reply_markup is not None
    split, _keep = line.reply_markup.inline_keyboard[0]
    await h.press(line, TS0101_COMMANDER, split.callback_data or "")
    await h.drain()
    assert await items(h) == ["张三", "李四"]


@pytest.mark.parametrize(
    ("entry", "shown"),
    [
        ("Flat 3, 12 Main St", "Flat *, ** Main St"),
        ("12, 14 Main St", "**, ** Main St"),
        ("John Smith, 12 Main St", "J*** S****, ** Main St"),
        ("塔山路5号，3幢2单元", "塔山路*号，*幢*单元"),
    ],
)
async def test_one_address_or_a_person_with_a_comma_is_one_entry_not_asked(
    harness: Harness, entry: str, shown: str
) -> None:
    h = harness
    await answered(h, entry)
    line = h.prompt_in(TS0101_CHAT)
    assert line.text is not None and f"清单 1 条：{shown}" in line.text
    assert line.reply_markup is None
    assert await items(h) == [entry]


async def test_a_name_with_markup_characters_after_it_is_masked_and_escaped_once(
    harness: Harness,
) -> None:
    """李四<b>&" was shown whole while 张三 was 张*: what trails a name never shows it."""
    h = harness
    await answered(h, '张三\n李四<b>&"')
    said = await h.last(TS0101_CHAT)
    assert said.endswith('清单 2 条：张*；李*&lt;b&gt;&amp;"')
    assert "李四" not in said
