"""Two bots, one tower, one database: each sends to its own part of the tower.

A city beyond one bot's budget runs extra bots, each serving some subtrees. The
HQ order's copies for those subtrees go out through the extra bot, the rest
through the primary; answers come back through whichever bot the group talks to
and land in the same order.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import TowerBot, telegram_session
from bot.settings import SenderLimits
from bot.world import DRILL_TOKEN, SandboxWorld
from cascade.outgoing import Lane
from fixtures import fixture_path
from tests.support.pgserver import Engine

FAST = SenderLimits(per_second=1000.0, chat_interval=0.0, group_per_minute=10**6)
SECOND_TOKEN = "7000000002:SANDBOXsecondBOTxxxxxxxxxxxxxxxxxx"
PRIMARY_ID, SECOND_ID = int(DRILL_TOKEN.split(":")[0]), int(SECOND_TOKEN.split(":")[0])


async def test_extra_bot_serves_its_subtrees(engine: Engine, tmp_path: Path) -> None:
    async with SandboxWorld(
        fixture_path("tashan"), tmp_path, db=await engine.new_target(tmp_path), limits=FAST
    ) as world:
        tower, state = world.tower, world.state
        served = [u.code for u in tower.walk() if u.level == 2][6:]
        world.bot.sender.lane = Lane(avoid=served)
        second = TowerBot(
            world.bot.settings,
            telegram_session(world.server.base_url),
            token=SECOND_TOKEN,
            db=world.bot.db,
            lane=Lane(serves=served),
            runs_timers=False,
        )
        await second.start()
        try:
            root = tower.root()
            assert root.chat_id and root.commander and root.commander.telegram_id
            state.post_message(
                root.chat_id, root.commander.telegram_id, "/order 15m notice 双机器人演练"
            )
            targets = [u for u in tower.walk() if u.parent is not None]

            def delivered() -> bool:
                return all(world.order_copies(u.chat_id or 0, 1) for u in targets)

            await state.wait_for(delivered, timeout=30)
            under = {c for code in served for c in (u.code for u in tower.walk(code))}
            for unit in targets:
                (copy,) = world.order_copies(unit.chat_id or 0, 1)
                expected = SECOND_ID if unit.code in under else PRIMARY_ID
                assert copy["from_id"] == expected, unit.code

            unit = tower.units[served[0]]
            assert unit.chat_id and unit.commander and unit.commander.telegram_id
            (copy,) = world.order_copies(unit.chat_id, 1)
            query = state.press_button(
                unit.chat_id, copy["message_id"], unit.commander.telegram_id, "ack:1"
            )
            await state.wait_for(lambda: state.callback_answer(query), timeout=10)
            async with world.bot.db.transaction() as tx:
                (own,) = [s for s in await tx.orders.targets(1) if s.unit_code == unit.code]
            assert own.acked_at is not None
        finally:
            await second.stop()
            await asyncio.sleep(0)
