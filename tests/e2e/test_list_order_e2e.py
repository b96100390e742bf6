"""A list order's loop through the sandbox over real HTTP, with units in the middle.

A work team (changchun's cc-01) orders a list: its three landlord groups' units are in
the middle, each says 无 or 收到 its own way (a reply, /report) and none presses; the
tenants' groups reply with entries, one with two names after a Chinese comma, which
the bot asks about and the split button answers. The loop closes and the work team
gets the final report and the merged, de-duplicated list.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.settings import SenderLimits
from bot.world import SandboxWorld
from fixtures import fixture_path
from tests.support.pgserver import Engine

FAST = SenderLimits(per_second=1000.0, chat_interval=0.0, group_per_minute=10**6)
ISSUER = "cc-01"


@pytest.fixture
async def world(engine: Engine, tmp_path: Path):
    async with SandboxWorld(
        fixture_path("changchun"), tmp_path, db=await engine.new_target(tmp_path), limits=FAST
    ) as started:
        yield started


def reply_to(world: SandboxWorld, message_id: int, chat_id: int) -> list[dict]:
    return [m for m in world.state.bot_messages(chat_id) if m["reply_to_message_id"] == message_id]


async def test_middle_units_say_无_and_the_merged_list_reaches_the_issuer(
    world: SandboxWorld,
) -> None:
    state, tower = world.state, world.tower
    issuer = tower.units[ISSUER]
    assert issuer.chat_id is not None and issuer.commander and issuer.commander.telegram_id
    state.add_chat(issuer.commander.telegram_id, type="private")  # he has started the bot
    state.post_message(issuer.chat_id, issuer.commander.telegram_id, "/order 1h list 列出空房")
    await state.wait_for(lambda: state.bot_messages(issuer.chat_id or 0), timeout=15)
    async with world.bot.db.transaction() as tx:
        order = await tx.orders.latest_for_unit(ISSUER)
    assert order is not None
    middle = [tower.units[code] for code in tower.children[ISSUER]]
    bottom = [tower.units[code] for unit in middle for code in tower.children[unit.code]]
    await state.wait_for(
        lambda: all(world.order_copies(u.chat_id or 0, order.id) for u in middle + bottom),
        timeout=30,
    )

    said = {}
    for unit, word in zip(middle, ["无", "收到", "/report 无"], strict=True):
        assert unit.chat_id is not None and unit.commander and unit.commander.telegram_id
        copy = world.order_copies(unit.chat_id, order.id)[0]
        to = None if word.startswith("/") else copy["message_id"]
        said[unit.code] = state.post_message(
            unit.chat_id, unit.commander.telegram_id, word, reply_to_message_id=to
        )
    entries = ["溪西村12号\n塔山路3号", "塔山路3号"]
    for index, unit in enumerate(bottom):  # the second with two names, the rest addresses
        assert unit.chat_id is not None and unit.commander and unit.commander.telegram_id
        copy = world.order_copies(unit.chat_id, order.id)[0]
        state.post_message(
            unit.chat_id,
            unit.commander.telegram_id,
            "张三，李四" if index == 1 else entries[index % 2],
            reply_to_message_id=copy["message_id"],
        )

    # Each unit in the middle: 👌 on its word and its copy's button line names who.
    def reacted(chat_id: int, message_id: int) -> object:
        return (state.message(chat_id, message_id) or {}).get("reactions")

    def acked(chat_id: int) -> bool:
        (copy,) = world.order_copies(chat_id, order.id)
        return str(copy["reply_markup"]["inline_keyboard"][0][0]["text"]).startswith("✅ 已收到 · ")

    for unit in middle:
        assert unit.chat_id is not None
        message_id = said[unit.code]["message_id"]
        await state.wait_for(functools.partial(reacted, unit.chat_id, message_id), timeout=15)
        await state.wait_for(functools.partial(acked, unit.chat_id), timeout=15)
        assert not reply_to(world, message_id, unit.chat_id)  # no refusal

    # "张三，李四" is asked about; the split button makes it two entries.
    asker = bottom[1]
    assert asker.chat_id is not None and asker.commander and asker.commander.telegram_id
    (line,) = await state.wait_for(
        lambda: [m for m in state.bot_messages(asker.chat_id or 0) if m["reply_markup"]][1:],
        timeout=15,
    )
    assert "「张*，李*」中的「，」隔开了 2 项" in line["text"]
    split = line["reply_markup"]["inline_keyboard"][0][0]
    assert split["text"] == "分成 2 条"
    state.press_button(
        asker.chat_id, line["message_id"], asker.commander.telegram_id, split["callback_data"]
    )

    def merged(chat_id: int, last: str) -> Callable[[], str]:
        def find() -> str:
            head = f"📋 指令 #{order.id} 合并清单"
            texts = [m["text"] or "" for m in state.bot_messages(chat_id)]
            return next((t for t in reversed(texts) if t.startswith(head) and last in t), "")

        return find

    # The issuer gets it whole in his private chat; his group sees it masked.
    text = await state.wait_for(merged(issuer.commander.telegram_id, "· 李四（"), timeout=30)
    assert text.startswith(f"📋 指令 #{order.id} 合并清单（去重后 4 条")
    for entry in ("溪西村12号", "塔山路3号", "张三", "李四"):
        assert text.count(entry) == 1, entry
    assert "张三，李四" not in text
    shown = await state.wait_for(merged(issuer.chat_id, "· 李*（"), timeout=30)
    for entry in ("溪西村**号", "塔山路*号"):
        assert shown.count(entry) == 1, entry
    assert "张三" not in shown and "李四" not in shown and f"/export {order.id}" in shown
