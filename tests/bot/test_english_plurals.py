"""English counts of one read in the singular: "1 unit not done", not "1 units".

A unit's `/pending` with one unit left said "⏳ Order #1: 1 units not done:", and the
deadline's escalation "these 1 units below are not done, please chase them".
"""

from __future__ import annotations

import pytest

from bot.html import plain
from bot.i18n import Texts
from tests.support.tgfake import TS01_CHAT, TS01_COMMANDER, Harness, tower_units

ONE_OR_MORE = [
    ("pending-head", {"order": "1"}, "⏳ Order #1: 1 unit not done:", "2 units not done"),
    ("answer-list", {"unit": "U", "items": "x", "late": ""}, "list of 1 item for", "2 items"),
    ("children-done", {"order": "1"}, "this unit and all its sub-units are done", "these 2 units"),
    ("rank-head", {"scope": "S", "period": "P"}, "(P, 1 landlord)", "(P, 2 landlords)"),
    ("rank-weekly-head", {"scope": "S", "period": "P"}, "(P, 1 landlord)", "(P, 2 landlords)"),
    ("export-caption", {"order": "1", "unit": "U"}, "(U and below): 1 unit", "2 units"),
    (
        "cancel-done",
        {"order": "1", "issuer": "U"},
        "cancelled; 1 unit not done was told.",
        "2 units not done were told.",
    ),
    ("escalation", {"order": "1", "text": "T", "units": "· U", "late": ""}, "this unit", "these 2"),
    (
        "escalation-again",
        {"order": "1", "text": "T", "units": "· U", "late": "", "overdue": "5 minutes"},
        "this unit is still not done",
        "these 2 units are still",
    ),
]


@pytest.mark.parametrize(
    ("key", "args"),
    [
        ("total-list", {}),
        ("report-total-list", {"distinct": 1}),
        ("status-total-list", {}),
    ],
)
def test_a_list_total_of_one_is_one_item(key: str, args: dict[str, object]) -> None:
    texts = Texts()
    assert "<b>1</b> item" in texts.get("en", key, value=1, **args)
    assert "<b>1</b> items" not in texts.get("en", key, value=1, **args)
    assert "<b>2</b> items" in texts.get("en", key, value=2, **args)


@pytest.mark.parametrize(("key", "args", "one", "two"), ONE_OR_MORE)
def test_one_is_singular_and_two_plural(key: str, args: dict[str, str], one: str, two: str) -> None:
    texts = Texts()
    assert one in plain(texts.get("en", key, count=1, **args))
    assert two in plain(texts.get("en", key, count=2, **args))


def test_one_order_target_is_singular() -> None:
    texts = Texts()
    args = {"order": "1", "kind": "count", "duration": "15 minutes", "deadline": "16:15"}
    issued = plain(texts.get("en", "order-issued", targets=1, levels="level 3: 1", **args))
    assert "Sent to 1 unit: level 3: 1" in issued


@pytest.mark.parametrize("key", ["daily-day", "daily-total", "daily-report-today"])
def test_one_returnee_report_is_singular(key: str) -> None:
    texts = Texts()
    args = {"day": "02-20", "returnees": 3, "unknown": 0, "central": 3, "home": 0}
    one = plain(texts.get("en", key, incidents=1, registered=0, **args))
    assert "(1 report)" in one
    assert "(2 reports)" in plain(texts.get("en", key, incidents=2, registered=0, **args))


async def test_pending_with_one_unit_left_is_singular(harness: Harness) -> None:
    h = harness
    village = [u for u in tower_units("tashan") if u.parent == "ts-01"]
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute("UPDATE units SET locale = 'en' WHERE code = 'ts-01'")
    await h.send(TS01_CHAT, TS01_COMMANDER, "/order 15m count Count the tenants")
    await h.drain()
    for unit in village[1:]:
        assert unit.chat_id is not None and unit.commander is not None
        commander = unit.commander.telegram_id or 0
        await h.send(unit.chat_id, commander, "2", reply_to=h.copy_in(unit.chat_id))
    await h.send(TS01_CHAT, TS01_COMMANDER, "/pending")
    await h.drain()
    assert (await h.last(TS01_CHAT)).startswith("⏳ Order #1: 1 unit not done:")
