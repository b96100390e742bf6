"""The sender at paid-broadcast rates: several requests in flight, batch records.

Against the real sandbox (in this process, its limits on): `Sender.run()` keeps
several requests in flight at their paced slots, one per chat, so a chat's
second message never overtakes its first; every row ends `sent`, exactly once,
and none draws a 429. The limiter keeps a share of a group's budget for replies.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import ReactionTypeEmoji

from bot.app import telegram_session
from bot.ratelimit import STALE, SWEEP, RateLimiter
from bot.sender import Sender
from bot.settings import SenderLimits
from cascade.outgoing import MessageRef, OutgoingMessage, Priority, Rendered
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


def test_the_limiter_forgets_chats_only_once_their_limits_are_past() -> None:
    limits = SenderLimits(per_second=1000, chat_interval=1.0, group_per_minute=20)
    limiter = RateLimiter(limits, now=100.0)
    now = 100.0
    for _ in range(20):  # the HQ group's whole minute
        limiter.record(-1, now)
        now += 0.01
    for chat in range(-2, -5002, -1):  # a city order: one copy to each of 5,000 groups
        limiter.record(chat, now)
        now += 0.001
    assert limiter.remembered() == 5001
    # A sweep inside the minute keeps what still limits: the HQ group stays capped.
    now = 100.0 + SWEEP + 1
    limiter.record(7, now)
    assert limiter.wait_for(-1, now) > 0
    assert limiter.remembered() == 5002
    # Past the window, the chats sent to once are forgotten, and may send again at once.
    now += STALE + limits.chat_interval + 1  # chat 7's spacing is past too
    limiter.record(8, now)
    assert limiter.remembered() == 1
    assert limiter.wait_for(-1, now) == 0 and limiter.wait_for(-2, now) == 0
    assert limiter.wait_for(8, now) > 0  # the chat just sent to keeps its spacing


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


async def test_a_confirmation_is_a_reaction_and_falls_back_to_text(tmp_path: Path) -> None:
    """setMessageReaction as the Bot API has it (the sandbox checks the emoji and the
    message); where the message to react to is gone, the text goes instead."""
    state = SandboxState()
    state.add_user(6000000001, "王建")
    state.add_chat(FIRST, "楼栋", "supergroup", [6000000001])
    person = state.post_message(FIRST, 6000000001, "5")
    async with SandboxServer(state=state) as server:
        db = await Database(tmp_path / "react.db").open()
        bot = Bot(TOKEN, session=telegram_session(server.base_url))
        try:
            async with db.transaction() as tx:
                for reply_to in (person["message_id"], 999):
                    await tx.outbox.add(
                        OutgoingMessage.of(
                            FIRST,
                            Rendered(text="✅ 已记录", reaction="👌"),
                            Priority.INTERACTIVE,
                            MessageRef(purpose="answer_recorded", order_id=1, unit_code="u"),
                            reply_to,
                        )
                    )
            async with db.transaction() as tx:
                rows = await tx.outbox.due(0.0 + 10**12)
            assert [r.priority for r in rows] == [Priority.CONFIRMATION] * 2
            limits = SenderLimits(per_second=1000, chat_interval=0, group_per_minute=10**6)
            reach = ReachabilityService(db.transaction, presenter=None)  # type: ignore[arg-type]
            sender = Sender(bot, db.transaction, db.commit_event(), limits, reach)
            for _ in range(5):
                await sender.drain_once()
            (message,) = [
                m for m in state.chat_messages(FIRST) if m["message_id"] == person["message_id"]
            ]
            assert message["reactions"] == {
                str(int(TOKEN.split(":")[0])): [{"type": "emoji", "emoji": "👌"}]
            }
            assert [m["text"] for m in state.bot_messages(FIRST)] == ["✅ 已记录"]  # the fallback
            assert sender.stats.reacted == 1 and sender.stats.sent == 1
            async with db.transaction() as tx:
                ref = await tx.refs.lookup(FIRST, person["message_id"])
            assert ref is not None and ref.purpose == "answer_recorded"
        finally:
            await bot.session.close()
            await db.close()


async def test_the_sandbox_refuses_a_reaction_bots_cannot_set() -> None:
    state = SandboxState()
    state.add_user(6000000001, "王建")
    state.add_chat(FIRST, "楼栋", "supergroup", [6000000001])
    person = state.post_message(FIRST, 6000000001, "5")
    async with SandboxServer(state=state) as server:
        bot = Bot(TOKEN, session=telegram_session(server.base_url))
        try:
            with pytest.raises(TelegramBadRequest, match="REACTION_INVALID"):
                await bot.set_message_reaction(
                    FIRST, person["message_id"], [ReactionTypeEmoji(emoji="✅")]
                )
            with pytest.raises(TelegramBadRequest, match="message to react not found"):
                await bot.set_message_reaction(FIRST, 424242, [ReactionTypeEmoji(emoji="👌")])
            assert await bot.set_message_reaction(FIRST, person["message_id"], [])
        finally:
            await bot.session.close()
