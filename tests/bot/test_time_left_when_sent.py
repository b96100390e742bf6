"""A reminder that waited in the outbox tells the time left as it is when it goes
(issue 10 item 6).

A group takes about 20 messages a minute, so a reminder may wait behind its group's
budget: one sent two minutes late still said 还剩4分59秒. Now its text carries
where the time left stands (`Countdown`) and the sender's claim writes it anew from
the domain's clock and the deadline it counts down to (its `expires_at`). The clocks
are moved by hand: the domain's (`h.clock`) and the sender's (`Minutes`).
"""

from __future__ import annotations

from datetime import timedelta

from bot.presenter import TIME_LEFT_MARK
from tests.bot.test_expired_reminders import own_reminder_behind_the_budget
from tests.bot.test_named_while_queued import reminder_behind_the_budget, send_what_may_go, told
from tests.support.tgfake import TS01_CHAT, TS0101_CHAT, Harness


async def test_a_queued_reminder_tells_the_time_left_when_it_goes(issued: Harness) -> None:
    h = issued
    clocks = await own_reminder_behind_the_budget(h)
    h.clock.advance(minutes=2)
    clocks.now += 61  # the group's minute is over
    await send_what_may_go(h.app.sender, clocks)
    (reminder,) = told(h, TS0101_CHAT, "⏰")
    assert "还剩2分59秒：" in reminder.text
    assert "4分59秒" not in reminder.text


async def test_a_queued_reminder_naming_units_tells_the_time_left_when_it_goes(
    harness: Harness,
) -> None:
    h = harness
    clocks = await reminder_behind_the_budget(h)
    h.clock.advance(minutes=3, seconds=30)
    clocks.now += 61
    await send_what_may_go(h.app.sender, clocks)
    (reminder,) = told(h, TS01_CHAT, "⏰")
    assert "还剩1分29秒：以下 2 个下级单元尚未完成" in reminder.text


async def test_a_reminder_knows_where_its_time_left_stands(issued: Harness) -> None:
    """In either language, and not where an order's own text says the same words."""
    h = issued
    async with h.app.db.transaction() as tx:
        order = await tx.orders.get(1)
        unit = (await tx.tower.refs(["ts-01-01"]))["ts-01-01"]
    assert order is not None
    presenter = h.app.presenter
    left = timedelta(minutes=4, seconds=59)
    for locale, words in (("zh-Hans", "4分59秒"), ("en", "4 min 59 s")):
        order = order.model_copy(update={"text": f"{words} 内上报"})
        here = unit.model_copy(update={"locale": locale})
        rendered = presenter.reminder(order, here, left, late=False)
        assert rendered.countdown is not None
        at, length = rendered.countdown.at, rendered.countdown.length
        assert rendered.text[at : at + length] == words
        assert rendered.text.count(words) == 2
        assert rendered.text.index(words) < at
    marked = order.model_copy(update={"text": f"统计{TIME_LEFT_MARK}人数"})
    rendered = presenter.reminder(marked, unit, left, late=False)
    assert rendered.countdown is None  # its place is not known: the words stay as fired
    assert "4分59秒" in rendered.text
