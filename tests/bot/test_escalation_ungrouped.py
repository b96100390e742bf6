"""The deadline's escalation for a unit without a group reaches the group above it.

At an order's deadline each parent group is told which of its units are pending. A
parent without a group of its own was skipped: its pending units were named only a
round (5 minutes) later, one level higher, and nobody heard of them at the deadline.
They are now named in the nearest group above, in the one message that group gets
anyway in that round, with a line saying whose units they are.
"""

from __future__ import annotations

import pytest
from aiogram.methods import SendMessage

from bot.html import plain
from tests.support.tgfake import HQ_CHAT, HQ_COMMANDER, Harness

HEADINGS = ("⚠️ 指令", "⚠️ Order")
NOTE = {
    "zh-Hans": "（「塔山村」没有绑定群，它的未完成下级单元也列在上面，可联系 李强。）",
    "en": '("塔山村" has no group of its own, so its pending units are listed above too; '
    "its commander is 李强.)",
}


def escalations(h: Harness) -> list[SendMessage]:
    return [c for c in h.session.sends() if c.text.startswith(HEADINGS)]


async def village_without_group(h: Harness, locale: str) -> list[str]:
    """塔山村 (ts-01) loses its group; HQ reads `locale`; HQ's count order is issued.
    Returns the names of 塔山村's own units."""
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute("UPDATE units SET chat_id = NULL WHERE code = 'ts-01'")
        await tx.tower.conn.execute("UPDATE units SET locale = ? WHERE code = 'tashan'", (locale,))
        below = (await tx.tower.subtree("ts-01"))[1:]  # its units, in path order
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m count 统计外地人数")
    await h.drain()
    return [u.name for u in below]


@pytest.mark.parametrize("locale", ["zh-Hans", "en"])
async def test_a_parent_without_a_group_is_escalated_in_the_group_above_at_the_deadline(
    harness: Harness, locale: str
) -> None:
    h = harness
    names = await village_without_group(h, locale)
    h.session.clear()
    h.clock.advance(minutes=15, seconds=1)
    await h.app.deadlines.fire_due()
    await h.drain()
    (told,) = [c for c in escalations(h) if c.chat_id == HQ_CHAT]  # one message, merged
    text = plain(told.text)
    heading = text.splitlines()[0]
    # HQ's own 12 pending units and 塔山村's, counted together in the one heading.
    assert f" {12 + len(names)} " in heading
    assert "塔山村" in text and names[0] in text  # the first of 塔山村's units, in path order
    assert text.splitlines()[-1] == NOTE[locale]
    assert told.text.count('tg://user?id=6000000007"') == 2  # 李强: his line and the note


async def test_the_next_round_climbs_as_before(
    harness: Harness,
) -> None:
    h = harness
    await village_without_group(h, "zh-Hans")
    h.clock.advance(minutes=15, seconds=1)
    await h.app.deadlines.fire_due()
    await h.drain()
    h.session.clear()
    h.clock.advance(minutes=5)  # round 1: two levels up, HQ for every pending group
    await h.app.deadlines.fire_due()
    await h.drain()
    (again,) = [c for c in escalations(h) if c.chat_id == HQ_CHAT]
    assert "已超时5分" in again.text
    assert "没有绑定群" not in again.text  # HQ is 塔山村's units' own level-2 ancestor
    assert len(escalations(h)) == 1
