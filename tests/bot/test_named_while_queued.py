"""A reminder or an escalation that waits in the outbox names only who is still
pending when it goes (cascade/naming.py, the sender's `MakeCurrent` port).

Behind a full group budget (a group takes about 20 messages a minute) a queued
reminder or escalation waited while the units it named answered, and still named
them when it went: the product promises only what is true, by name. Now a unit
that answered meanwhile is not named (the count follows), one naming no one is
not sent at all, and the slot it would have used goes to the group's next row.
"""

from __future__ import annotations

from typing import Any

from aiogram.methods import SendMessage

from bot.sender import Sender
from bot.settings import SenderLimits
from cascade.naming import CurrentNames
from cascade.outgoing import MessageRef, Naming, OutboxRow, OutgoingMessage, Priority
from cascade.ports import UnitOfWork
from tests.support.tgfake import (
    HQ_CHAT,
    HQ_COMMANDER,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    Harness,
)

ONE_A_MINUTE = SenderLimits(per_second=1000, chat_interval=0, group_per_minute=1)


class Minutes:
    """The sender's clocks, moved by hand: a group's minute passes only when told."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def monotonic(self) -> float:
        self.now += 0.001
        return self.now

    def wall(self) -> float:
        return self.now


def one_a_minute(h: Harness) -> Minutes:
    """The harness's sender on clocks moved by hand, each group one message a minute."""
    clocks = Minutes()
    h.app.sender.monotonic = clocks.monotonic
    h.app.sender.wall = clocks.wall
    h.app.sender.limiter.limits = ONE_A_MINUTE
    return clocks


async def send_what_may_go(sender: Sender, clocks: Minutes) -> None:
    """Drain until the limits hold everything left back: the clocks move a hundredth
    of a second when only the bot's pace holds rows (a second at most), never a
    group's minute."""
    for _ in range(1000):
        progressed, wait = await sender.drain_once()
        if not progressed:
            if wait > 1.0:
                return
            clocks.now += 0.01
    raise AssertionError("the sender never settled")


async def unit_names(h: Harness, *codes: str) -> list[str]:
    async with h.app.db.transaction() as tx:
        refs = await tx.tower.refs(list(codes))
    return [refs[code].name for code in codes]


def told(h: Harness, chat_id: int, start: str) -> list[SendMessage]:
    return [c for c in h.session.sends(chat_id) if c.text.startswith(start)]


async def test_a_queued_escalation_does_not_name_a_unit_that_answered(issued: Harness) -> None:
    h = issued
    await h.press(h.copy_in(TS01_CHAT), TS01_COMMANDER, "ack:1")  # 塔山村's own 收到 is in
    await h.drain()
    clocks = one_a_minute(h)
    h.app.sender.limiter.record(TS01_CHAT, clocks.monotonic())  # its minute is spent
    h.session.clear()
    h.clock.advance(minutes=15, seconds=1)
    await h.app.deadlines.fire_due()
    await send_what_may_go(h.app.sender, clocks)
    assert told(h, TS01_CHAT, "⚠️") == []  # queued behind the group's budget
    (first,) = await unit_names(h, "ts-01-01")
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=h.copy_in(TS0101_CHAT))
    clocks.now += 61  # the group's minute is over
    await send_what_may_go(h.app.sender, clocks)
    (escalation,) = told(h, TS01_CHAT, "⚠️")
    assert first not in escalation.text
    assert "以下 21 个下级单元尚未完成" in escalation.text  # 22 named when it was queued
    assert "塔山村第二村民小组" in escalation.text
    assert (await h.row_status("ts-01-01"))["value"] == 5


UNGROUPED = {"ts-01-02": -1002000000004, "ts-01-03": -1002000000005}


async def reminder_behind_the_budget(h: Harness) -> Minutes:
    """塔山村's one reminder naming its two units without a group (their groups
    unbound, its own 收到 in), queued behind its spent minute and not sent."""
    async with h.app.db.transaction() as tx:
        for code in UNGROUPED:
            await tx.tower.conn.execute("UPDATE units SET chat_id = NULL WHERE code = ?", (code,))
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m count 统计外地人数")
    await h.drain()
    await h.press(h.copy_in(TS01_CHAT), TS01_COMMANDER, "ack:1")
    await h.drain()
    clocks = one_a_minute(h)
    h.app.sender.limiter.record(TS01_CHAT, clocks.monotonic())
    h.session.clear()
    h.clock.advance(minutes=10, seconds=1)
    await h.app.deadlines.fire_due()
    await send_what_may_go(h.app.sender, clocks)
    assert told(h, TS01_CHAT, "⏰") == []
    return clocks


async def bind_and_answer(h: Harness, code: str) -> None:
    """The unit binds its group and reports 3 there."""
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute(
            "UPDATE units SET chat_id = ? WHERE code = ?", (UNGROUPED[code], code)
        )
        commander = (await tx.tower.refs([code]))[code].commander_id
    assert commander is not None
    await h.send(UNGROUPED[code], commander, "/report 3")
    assert (await h.row_status(code))["value"] == 3


async def test_a_queued_reminder_naming_only_units_that_answered_is_not_sent(
    harness: Harness,
) -> None:
    h = harness
    clocks = await reminder_behind_the_budget(h)
    for code in UNGROUPED:
        await bind_and_answer(h, code)
    clocks.now += 61
    await send_what_may_go(h.app.sender, clocks)
    assert told(h, TS01_CHAT, "⏰") == []  # no one left to name: not sent
    assert h.app.sender.stats.dropped == 1


async def test_a_queued_reminder_names_the_unit_still_pending_alone(harness: Harness) -> None:
    h = harness
    clocks = await reminder_behind_the_budget(h)
    await bind_and_answer(h, "ts-01-02")
    clocks.now += 61
    await send_what_may_go(h.app.sender, clocks)
    (reminder,) = told(h, TS01_CHAT, "⏰")
    second, third = await unit_names(h, "ts-01-02", "ts-01-03")
    assert second not in reminder.text
    assert f"下级单元「{third}」尚未完成，它没有绑定群" in reminder.text


async def test_a_queued_reminder_claimed_after_its_deadline_is_not_sent(
    harness: Harness,
) -> None:
    """Its time left is no longer true, even before the deadline's timer has fired
    (which drops the reminders still queued, and names the units itself)."""
    h = harness
    clocks = await reminder_behind_the_budget(h)
    h.clock.advance(minutes=5)  # past the deadline, its escalation not fired yet
    clocks.now += 61
    await send_what_may_go(h.app.sender, clocks)
    assert told(h, TS01_CHAT, "⏰") == []
    assert h.app.sender.stats.dropped == 1


async def test_a_dropped_row_gives_its_slot_to_the_groups_next_row(issued: Harness) -> None:
    """Without the slot given back, the group's next row waited a minute more."""
    h = issued

    async def drop_every_named(
        tx: UnitOfWork, rows: list[OutboxRow]
    ) -> dict[int, OutgoingMessage | None]:
        await tx.outbox.drop([row.id for row in rows])
        return {row.id: None for row in rows}

    clocks = one_a_minute(h)
    h.app.sender.current = drop_every_named
    h.session.clear()
    naming = Naming(kind="reminder", order_id=1, group="ts-01", pending=["ts-01-02"], span=0)
    async with h.app.db.transaction() as tx:
        for text, named in (("⏰ dropped", naming), ("next", None)):
            message: Any = OutgoingMessage(
                chat_id=TS01_CHAT,
                text=text,
                priority=Priority.REMINDER,
                ref=MessageRef(purpose="reminder", order_id=1, unit_code="ts-01"),
                naming=named,
            )
            await tx.outbox.add(message)
    await send_what_may_go(h.app.sender, clocks)
    assert [c.text for c in h.session.sends(TS01_CHAT)] == ["next"]
    assert clocks.now < 1_000_000.0 + 60  # within the same minute


async def test_rows_that_name_no_one_go_as_they_were_queued(issued: Harness) -> None:
    """A row that names no one (a copy, a board) goes as it was queued."""
    h = issued
    assert isinstance(h.app.sender.current, CurrentNames)
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=h.copy_in(TS0101_CHAT))
    await h.drain()
    assert h.app.sender.stats.dropped == 0
