"""The sender at paid-broadcast rates: several requests in flight, batch records.

Against the real sandbox (in this process, its limits on): `Sender.run()` keeps
several requests in flight at their paced slots, one per chat, so a chat's
second message never overtakes its first; every row ends `sent`, exactly once,
and none draws a 429. The limiter keeps a share of a group's budget for replies.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiogram import Bot

from bot.app import telegram_session
from bot.ratelimit import RateLimiter
from bot.sender import Sender
from bot.settings import SenderLimits
from cascade.outgoing import MessageRef, OutgoingMessage, Priority
from cascade.reachability import ReachabilityService
from sandbox import SandboxServer, SandboxState
from sandbox.limits import SandboxLimits
from storage.db import Database

TOKEN = "7000000077:SANDBOXpacingTOKENxxxxxxxxxxxxxxxxx"
FIRST = -1007000000000


def test_board_edits_leave_room_for_replies() -> None:
    limiter = RateLimiter(SenderLimits(per_second=1000, chat_interval=0, group_per_minute=20))
    now = 100.0
    sent = 0
    while limiter.wait_for(-1, now, background=True) == 0:
        limiter.record(-1, now)
        sent += 1
        now += 0.01
    assert sent == 15  # boards stop at three quarters of the group's minute
    for _ in range(5):  # while replies to people still go
        assert limiter.wait_for(-1, now) == 0
        limiter.record(-1, now)
        now += 0.01
    assert limiter.wait_for(-1, now) > 0  # and the group's own limit holds


async def test_paid_rate_in_flight_loses_nothing_and_keeps_chat_order(tmp_path: Path) -> None:
    limits = SandboxLimits(per_second=30, chat_per_second=5, group_per_minute=300)
    state = SandboxState(limits=limits)
    groups = [FIRST - i for i in range(300)]
    state.add_bulk(
        chats=[{"id": g, "title": f"g{i}", "type": "supergroup"} for i, g in enumerate(groups)]
    )
    async with SandboxServer(state=state) as server:
        db = await Database(tmp_path / "pacing.db").open()
        bot = Bot(TOKEN, session=telegram_session(server.base_url))
        try:
            async with db.transaction() as tx:
                for g in groups:
                    for n in (1, 2):
                        await tx.outbox.add(
                            OutgoingMessage(
                                chat_id=g,
                                text=f"{n}",
                                priority=Priority.ORDER,
                                ref=MessageRef(purpose="test", unit_code=f"{g}:{n}"),
                            )
                        )
            settings = SenderLimits(
                per_second=30, chat_interval=0.2, group_per_minute=300, paid_broadcast=True
            ).model_copy(update={"paid_per_second": 1000.0})
            reach = ReachabilityService(db.transaction, presenter=None)  # type: ignore[arg-type]
            sender = Sender(bot, db.transaction, db.commit_event(), settings, reach)
            assert sender.max_in_flight > 1
            task = asyncio.create_task(sender.run())
            try:
                for _ in range(600):
                    async with db.transaction() as tx:
                        counts = await tx.outbox.counts()
                    if counts.get("sent") == 600:
                        break
                    await asyncio.sleep(0.05)
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
            assert counts == {"sent": 600}
            stats = state.limiter.stats()
            assert stats["too_many_requests"]["total"] == 0
            assert stats["accepted"]["paid"] == 600
            for g in groups:
                assert [m["text"] for m in state.bot_messages(g)] == ["1", "2"]
            async with db.conn.execute("SELECT COUNT(*) FROM message_refs") as cur:
                row = await cur.fetchone()
            assert row is not None and row[0] == 600
        finally:
            await bot.session.close()
            await db.close()
