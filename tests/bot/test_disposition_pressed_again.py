"""A disposition pressed again changes nothing and tells nobody again.

A commander who pressed 居家观察 twice (a slow network, a second look) sent the
reporter's group "➡️ #1 …已安排：居家观察" twice and moved the decision's time and
decider to the second press.
"""

from __future__ import annotations

from datetime import datetime

from tests.support.tgfake import TS01_CHAT, TS01_COMMANDER, TS0101_CHAT, TS0101_MEMBER, Harness


async def disposed_at(h: Harness, incident_id: int) -> datetime | None:
    async with h.app.db.transaction() as tx:
        incident = await tx.incidents.get(incident_id)
    assert incident is not None
    return incident.disposed_at


async def test_the_same_disposition_pressed_twice_is_told_once(harness: Harness) -> None:
    h = harness
    await h.send(TS0101_CHAT, TS0101_MEMBER, "/returnee 租客老李带2位家人从温州回来，住溪西村12号")
    await h.drain()
    incident = int((await h.confirm_draft(TS0101_CHAT, TS0101_MEMBER)).split(":")[1])
    alert = h.session.sent_messages(TS01_CHAT)[-1]
    await h.press(alert, TS01_COMMANDER, f"inc:{incident}:home")
    await h.drain()
    decided_at = await disposed_at(h, incident)
    h.clock.advance(minutes=3)
    await h.press(alert, TS01_COMMANDER, f"inc:{incident}:home")
    await h.drain()
    told = [t for t in await h.said(TS0101_CHAT) if t.startswith(f"➡️ #{incident}")]
    assert len(told) == 1
    assert await disposed_at(h, incident) == decided_at
