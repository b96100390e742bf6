"""`/pending` tells same-named parents apart by the units above them.

Towers repeat names (every street its 第1小区, every compound its 1号房东): HQ's
`/pending` headed two groups of pending landlords 「房东群」 and 「房东群」, and nobody
could tell which work team's landlords they were.
"""

from __future__ import annotations

from tests.support.people_ids import CC_ADMIN
from tests.support.tgfake import Harness, tower_units

CHANGCHUN = {u.code: u for u in tower_units("changchun")}
HQ = CHANGCHUN["changchun"]


async def test_same_named_parents_are_headed_with_the_units_above_them(cc: Harness) -> None:
    h = cc
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute(
            "UPDATE units SET name = '房东群' WHERE code IN ('cc-01-01', 'cc-02-01')"
        )
    assert HQ.chat_id is not None
    await h.send(HQ.chat_id, CC_ADMIN, "/order 15m count 统计租客人数")
    await h.send(HQ.chat_id, CC_ADMIN, "/pending")
    await h.drain()
    headings = [line for line in (await h.last(HQ.chat_id)).splitlines() if line.startswith("<b>")]
    first, second = CHANGCHUN["cc-01"].name, CHANGCHUN["cc-02"].name
    assert f"<b>{first} › 房东群</b>：" in headings
    assert f"<b>{second} › 房东群</b>：" in headings
    assert f"<b>{CHANGCHUN['cc-community'].name}</b>：" in headings  # unique: its name alone
    assert len(headings) == len(set(headings))
