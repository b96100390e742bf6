"""Three bot tokens on one tower: each sender sends only its own groups, none twice, none lost.

A city's order goes to ~37,000 groups; at 30 messages a second per token it takes
several tokens, each serving some subtrees (the primary: the rest and the private
chats). Each sender reads its own page of due rows, beside the writers (a page
read never waits for a decision being written), and claims a row before sending
it, so a row goes out once, through the bot that serves its group.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from aiogram import Bot

from bot.sender import Sender
from bot.settings import SenderLimits
from cascade.outgoing import Lane, MessageRef, OutgoingMessage, Priority
from cascade.tower import Unit
from tests.support.tgfake import HQ_CHAT, HQ_COMMANDER, FakeSession, Harness, tower_units

SECOND_TOKEN = "7000000002:SANDBOXsecondBOTxxxxxxxxxxxxxxxxxx"
THIRD_TOKEN = "7000000003:SANDBOXthirdBOTxxxxxxxxxxxxxxxxxxx"
FAST = SenderLimits(per_second=1000, chat_interval=0, group_per_minute=10**6)


def chats_under(units: tuple[Unit, ...], codes: list[str]) -> set[int]:
    by_code = {u.code: u for u in units}

    def inside(unit: Unit) -> bool:
        while True:
            if unit.code in codes:
                return True
            if unit.parent is None:
                return False
            unit = by_code[unit.parent]

    return {u.chat_id for u in units if u.chat_id is not None and inside(u)}


def extra_sender(h: Harness, token: str, lane: Lane) -> tuple[Sender, FakeSession]:
    session = FakeSession()
    sender = Sender(
        Bot(token, session=session),
        h.app.db.transaction,
        h.app.db.commit_event(),
        FAST,
        h.app.reach,
        lane,
        reads=h.app.db.pages,
    )
    return sender, session


async def drain_all(h: Harness, senders: list[Sender]) -> None:
    """Every sender drains its lane until no row is pending or being sent."""
    for _ in range(2000):
        results = await asyncio.gather(*(s.drain_once() for s in senders))
        if any(progressed for progressed, _ in results):
            continue
        counts = await h.outbox_counts()
        if not counts.get("pending") and not counts.get("sending"):
            return
        await asyncio.sleep(min(max(min(wait for _, wait in results), 0.001), 0.05))
    raise AssertionError(f"rows left after draining: {await h.outbox_counts()}")


async def test_three_tokens_each_send_their_own_groups_and_every_copy_goes_once(
    harness: Harness,
) -> None:
    h = harness
    units = tower_units("tashan")
    level2 = [u.code for u in units if u.level == 2]
    second, third = level2[6:9], level2[9:]
    h.app.sender.lane = Lane(avoid=second + third)
    sender2, session2 = extra_sender(h, SECOND_TOKEN, Lane(serves=second))
    sender3, session3 = extra_sender(h, THIRD_TOKEN, Lane(serves=third))
    senders = [h.app.sender, sender2, sender3]
    try:
        for sender in senders:
            await sender.recover()
        await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m count 三个机器人")
        await drain_all(h, senders)
    finally:
        await sender2.bot.session.close()
        await sender3.bot.session.close()

    targets = {u.chat_id for u in units if u.chat_id is not None and u.parent is not None}
    copies = [
        Counter(c.chat_id for c in session.copies()) for session in (h.session, session2, session3)
    ]
    assert set(copies[1]) == chats_under(units, second)
    assert set(copies[2]) == chats_under(units, third)
    assert set(copies[0]) == targets - chats_under(units, second + third)
    every = copies[0] + copies[1] + copies[2]
    assert set(every) == targets and set(every.values()) == {1}  # none lost, none twice
    # Everything else the order caused (its confirmation at HQ, boards) came from the
    # bot that serves the group it went to.
    for session, mine in ((session2, second), (session3, third)):
        assert {c.chat_id for c in session.sends()} <= chats_under(units, mine)
    assert not {c.chat_id for c in h.session.sends()} & chats_under(units, second + third)
    counts = await h.outbox_counts()
    assert set(counts) == {"sent"}
    assert sum(s.stats.sent for s in senders) == counts["sent"]


async def test_a_page_is_read_while_a_decision_is_being_written(harness: Harness) -> None:
    """The page read is not behind the writers' lock: a sender reads its page while
    another transaction is open (before, it waited for that one to commit)."""
    h = harness
    async with h.app.db.transaction() as tx:
        await tx.outbox.add(
            OutgoingMessage(
                chat_id=HQ_CHAT, text="已提交", priority=Priority.ORDER, ref=MessageRef(purpose="t")
            )
        )
    async with h.app.db.transaction():  # a decision being written holds the lock
        # The wait is only a guard against waiting forever (the lock is held right here).
        page = await asyncio.wait_for(h.app.sender.read_page(), timeout=30)
    assert [row.chat_id for row in page] == [HQ_CHAT]
