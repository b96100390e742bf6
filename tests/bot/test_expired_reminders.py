"""No reminder that waited in the outbox goes out once its order's deadline has
passed (issue 10 item 6).

A group takes about 20 messages a minute, so a reminder may wait behind its group's
budget: a unit's own reminder claimed after the deadline, before the deadline's
timer had fired (which discards the reminders still queued), still went out
announcing time left. Now a reminder expires at the deadline: the sender drops any
row claimed at or after its `expires_at`, its slot given back. The clocks are moved
by hand: the domain's (`h.clock`) and the sender's (`Minutes`).
"""

from __future__ import annotations

from cascade.outgoing import MessageRef, OutgoingMessage, Priority
from tests.bot.test_named_while_queued import (
    Minutes,
    one_a_minute,
    send_what_may_go,
    told,
)
from tests.support.tgfake import TS01_CHAT, TS0101_CHAT, Harness


async def own_reminder_behind_the_budget(h: Harness) -> Minutes:
    """塔山村第一村民小组's own reminder of order #1 (15 minutes), fired with 4分59秒
    left and queued behind its group's spent minute, not sent."""
    clocks = one_a_minute(h)
    h.app.sender.limiter.record(TS0101_CHAT, clocks.monotonic())
    h.session.clear()
    h.clock.advance(minutes=10, seconds=1)
    await h.app.deadlines.fire_due()
    await send_what_may_go(h.app.sender, clocks)
    assert told(h, TS0101_CHAT, "⏰") == []
    return clocks


async def test_a_queued_reminder_is_not_sent_after_the_deadline(issued: Harness) -> None:
    """Claimed past the deadline, before the deadline's timer has fired."""
    h = issued
    clocks = await own_reminder_behind_the_budget(h)
    h.clock.advance(minutes=5)
    clocks.now += 61
    await send_what_may_go(h.app.sender, clocks)
    assert told(h, TS0101_CHAT, "⏰") == []
    assert h.app.sender.stats.dropped == 1


async def test_an_expired_row_is_not_sent_and_its_slot_goes_to_the_next(issued: Harness) -> None:
    """Any message may expire (not only a reminder): without the slot given back, the
    group's next row waited a minute more."""
    h = issued
    clocks = one_a_minute(h)
    h.session.clear()
    async with h.app.db.transaction() as tx:
        for text, expires in (("expired", h.clock.now()), ("next", None)):
            await tx.outbox.add(
                OutgoingMessage(
                    chat_id=TS01_CHAT,
                    text=text,
                    priority=Priority.REPORT,
                    ref=MessageRef(purpose="report", order_id=1),
                    expires_at=expires,
                )
            )
    await send_what_may_go(h.app.sender, clocks)
    assert [c.text for c in h.session.sends(TS01_CHAT)] == ["next"]
    assert clocks.now < 1_000_000.0 + 60  # within the same minute
    assert h.app.sender.stats.dropped == 1
