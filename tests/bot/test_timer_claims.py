"""Timers any worker can fire, exactly once (issue 14, item 3).

Two workers share one database and one clock; both wake at the same moment
and fire what is due. Each order timer, each incident's 20-minute escalation
and each day's tally goes out once, whichever worker takes it.
"""

from __future__ import annotations

import asyncio

from tests.support.tgfake import (
    DEFAULT_ORDER,
    HQ_CHAT,
    HQ_COMMANDER,
    TS0101_CHAT,
    TS0101_MEMBER,
    Harness,
)

REPORT = "租客老李带5位家人从湖北回来，住溪西村12号"


async def _rows(h: Harness, sql: str) -> list[tuple[object, ...]]:
    async with h.app.db.transaction() as tx:
        return [tuple(r) for r in await tx.conn.execute_fetchall(sql)]


async def test_each_order_timer_fires_once_when_two_workers_wake_together(
    workers: list[Harness],
) -> None:
    first, second = workers
    await first.send(HQ_CHAT, HQ_COMMANDER, DEFAULT_ORDER)
    await first.drain()
    first.clock.advance(minutes=16)  # the reminder and the deadline are due
    fired = await asyncio.gather(first.app.deadlines.fire_due(), second.app.deadlines.fire_due())
    keys = [(t.order_id, t.kind, t.round) for batch in fired for t in batch]
    assert len(keys) == len(set(keys)) == 2, keys
    assert await _rows(first, "SELECT COUNT(*) FROM order_timers WHERE fired_at IS NULL") == [(1,)]
    twice = await _rows(
        first,
        'SELECT chat_id, COUNT(*) FROM outbox WHERE payload LIKE \'%"purpose":"escalation"%\' '
        "GROUP BY chat_id HAVING COUNT(*) > 1",
    )
    assert twice == []
    first.clock.advance(minutes=30)  # the next escalation round, made by one of them
    again = await asyncio.gather(first.app.deadlines.fire_due(), second.app.deadlines.fire_due())
    assert sum(len(batch) for batch in again) >= 1
    keys += [(t.order_id, t.kind, t.round) for batch in again for t in batch]
    assert len(keys) == len(set(keys))


async def test_an_incident_escalates_once_when_two_workers_sweep_together(
    workers: list[Harness],
) -> None:
    first, second = workers
    draft = await first.app.incidents.draft(TS0101_CHAT, TS0101_MEMBER, REPORT, None)
    await second.app.incidents.confirm(draft.id, TS0101_CHAT, TS0101_MEMBER)
    first.clock.advance(minutes=20)
    escalated = await asyncio.gather(
        first.app.incidents.fire_due(), second.app.incidents.fire_due()
    )
    assert sum(len(batch) for batch in escalated) == 1
    async with first.app.db.transaction() as tx:
        incident = await tx.incidents.get(draft.id)
    assert incident is not None and incident.escalations == 1


async def test_the_daily_tally_goes_once_when_every_worker_wakes_at_the_hour(
    workers: list[Harness],
) -> None:
    first, second = workers
    sent = await asyncio.gather(first.app.daily.run(), second.app.daily.run())
    assert sorted(sent) == [False, True]
    rows = await _rows(first, "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'daily%'")
    assert rows == [(2,)]  # the text and its chart, once
    assert not await first.app.daily.run()
