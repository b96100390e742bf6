"""Several bot tokens on one tower: a group's message is handled by the bot serving it.

A group holding several of our bots delivers each member's message to each of
them. Each bot used to handle it: the three-token Yiwu drill issued three city
orders for one `/order` (benchmarks/RESULTS.md, "three city orders"). Now only
the bot that sends to the group's unit (storage/lanes.py) handles it; chats bound
to no unit (private chats) go to whichever bot received them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram.types import Chat, Update

from bot.app import TowerBot
from cascade.outgoing import Lane
from tests.support.tgfake import HQ_CHAT, HQ_COMMANDER, FakeSession, Harness, tower_units

SECOND_TOKEN = "7000000002:SANDBOXsecondBOTxxxxxxxxxxxxxxxxxx"
THIRD_TOKEN = "7000000003:SANDBOXthirdBOTxxxxxxxxxxxxxxxxxxx"
PRIVATE_USER = 6000000004


def serving_bot(h: Harness, token: str, codes: list[str]) -> TowerBot:
    """A bot of its own token serving `codes`, on the harness's database and clock."""
    return TowerBot(
        h.app.settings,
        FakeSession(),
        token=token,
        clock=h.clock,
        db=h.app.db,
        lane=Lane(serves=codes),
        runs_timers=False,
    )


@pytest.fixture
async def three(harness: Harness) -> AsyncIterator[list[TowerBot]]:
    """The harness's bot (primary) and two serving bots, sharing its database."""
    h = harness
    level2 = [u.code for u in tower_units("tashan") if u.level == 2]
    second, third = level2[6:9], level2[9:]
    h.app.sender.lane = Lane(avoid=second + third)
    bots = [h.app]
    for token, codes in ((SECOND_TOKEN, second), (THIRD_TOKEN, third)):
        bots.append(serving_bot(h, token, codes))
    try:
        for bot in bots:
            await bot.sender.recover()  # each bot's lane written, as at its start
        yield bots
    finally:
        for bot in bots[1:]:
            await bot.bot.session.close()


async def to_every(bots: list[TowerBot], update: Update) -> None:
    """The same update, as each bot in the group receives it."""
    for bot in bots:
        await bot.dispatcher.feed_update(bot.bot, update)


async def count(h: Harness, sql: str, *params: object) -> int:
    async with h.app.db.transaction() as tx:
        rows = list(await tx.conn.execute_fetchall(sql, params))
    return int(rows[0][0])


async def handled_by(h: Harness, chat_id: int, message_id: int) -> list[int]:
    async with h.app.db.transaction() as tx:
        rows = await tx.conn.execute_fetchall(
            "SELECT bot_id FROM processed_updates WHERE key = ?", (f"msg:{chat_id}:{message_id}:0",)
        )
    return sorted(int(r[0]) for r in rows)


async def test_an_order_in_hq_is_issued_once_by_the_primary(
    harness: Harness, three: list[TowerBot]
) -> None:
    h = harness
    message = h.message(HQ_CHAT, HQ_COMMANDER, "/order 15m count 三个机器人")
    await to_every(three, Update(update_id=1, message=message))
    assert await count(h, "SELECT COUNT(*) FROM orders") == 1
    assert await handled_by(h, HQ_CHAT, message.message_id) == [h.app.bot.id]
    for _ in range(100):  # the primary sends its lane (HQ among it)
        progressed, _ = await h.app.sender.drain_once()
        if not progressed and h.session.sends(HQ_CHAT):
            break
    # One confirmation to HQ (the other bots queued nothing there).
    issued = [t for t in await h.said(HQ_CHAT) if "已下达" in t]
    assert len(issued) == 1 and "#1 已下达" in issued[0]


async def test_a_served_group_is_handled_by_its_bot_and_private_chats_by_any(
    harness: Harness, three: list[TowerBot]
) -> None:
    h = harness
    second = three[1]
    lane = second.sender.lane
    assert lane is not None
    served = {lane.serves[0]}
    unit = next(u for u in tower_units("tashan") if u.code in served)
    assert unit.chat_id and unit.commander and unit.commander.telegram_id
    before = await count(h, "SELECT COUNT(*) FROM outbox WHERE chat_id = ?", unit.chat_id)
    message = h.message(unit.chat_id, unit.commander.telegram_id, "/help")
    await to_every(three, Update(update_id=2, message=message))
    assert await handled_by(h, unit.chat_id, message.message_id) == [second.bot.id]
    after = await count(h, "SELECT COUNT(*) FROM outbox WHERE chat_id = ?", unit.chat_id)
    assert after == before + 1

    private = h.message(PRIVATE_USER, PRIVATE_USER, "/help").model_copy(
        update={"chat": Chat(id=PRIVATE_USER, type="private")}
    )
    await second.dispatcher.feed_update(second.bot, Update(update_id=3, message=private))
    assert await handled_by(h, PRIVATE_USER, private.message_id) == [second.bot.id]
    assert await count(h, "SELECT COUNT(*) FROM outbox WHERE chat_id = ?", PRIVATE_USER) == 1


async def test_a_group_whose_bot_has_not_started_waits_for_it(harness: Harness) -> None:
    """The primary marks a unit of a bot not started yet (0): nobody handles its
    group's messages then; that bot receives them from Telegram when it starts."""
    h = harness
    served = [u.code for u in tower_units("tashan") if u.level == 2][6:]
    h.app.sender.lane = Lane(avoid=served)
    await h.app.sender.recover()
    late = serving_bot(h, SECOND_TOKEN, served)
    try:
        unit = next(u for u in tower_units("tashan") if u.code == served[0])
        assert unit.chat_id and unit.commander and unit.commander.telegram_id
        message = h.message(unit.chat_id, unit.commander.telegram_id, "/help")
        await to_every([h.app], Update(update_id=4, message=message))
        assert await handled_by(h, unit.chat_id, message.message_id) == []
        await late.sender.recover()  # it starts
        await to_every([late], Update(update_id=4, message=message))
        assert await handled_by(h, unit.chat_id, message.message_id) == [late.bot.id]
    finally:
        await late.bot.session.close()
