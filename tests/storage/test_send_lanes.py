"""Several bot tokens, one tower: each outbox row knows its bot from the moment it is written.

A city beyond one token's budget runs extra bots, each serving some subtrees; the
primary bot sends the rest (private chats too). The lane of a row is resolved once,
when it is written (or when the lanes or a group's binding change), so each
sender's page is an indexed read. Whatever the order of events, every row is in
exactly one bot's pages, and never in a page of a bot that does not serve its group.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from cascade.clock import FakeClock
from cascade.order_service import OrderService
from cascade.orders import OrderKind
from cascade.outgoing import Lane, MessageRef, OutgoingMessage, Priority
from cascade.tower import Unit
from storage.db import Database
from storage.importer import import_units
from tests.support.plain_words import PlainWords

HQ_CHAT, HQ_COMMANDER = -1002000000001, 6000000001
PERSON = 6000000010
SECOND, THIRD = 7000000002, 7000000003
NEVER = 10**12  # far enough ahead that every row is due


@pytest.fixture
async def loaded(db: Database, tashan: list[Unit]) -> Database:
    await import_units(db, tashan)
    return db


def level2(tashan: list[Unit]) -> list[str]:
    return [u.code for u in tashan if u.level == 2]


def chats_under(tashan: list[Unit], codes: list[str]) -> set[int]:
    by_code = {u.code: u for u in tashan}

    def inside(unit: Unit) -> bool:
        while unit.parent is not None:
            if unit.code in codes:
                return True
            unit = by_code[unit.parent]
        return unit.code in codes

    return {u.chat_id for u in tashan if u.chat_id is not None and inside(u)}


async def queue(db: Database, *chat_ids: int) -> None:
    async with db.transaction() as tx:
        for chat_id in chat_ids:
            await tx.outbox.add(
                OutgoingMessage(
                    chat_id=chat_id,
                    text=f"to {chat_id}",
                    priority=Priority.ORDER,
                    ref=MessageRef(purpose="test"),
                )
            )


async def start(db: Database, lane: Lane) -> None:
    """What a sender does when it starts."""
    async with db.transaction() as tx:
        await tx.outbox.resolve_lanes(lane)


async def page(db: Database, lane: Lane | None) -> list[int]:
    """The chats of one sender's page of due rows (on the senders' read connection)."""
    async with db.pages() as tx:
        return [row.chat_id for row in await tx.outbox.due(NEVER, limit=10_000, lane=lane)]


def lanes(tashan: list[Unit]) -> tuple[Lane, Lane, Lane]:
    codes = level2(tashan)
    second, third = codes[6:9], codes[9:]
    return (
        Lane(avoid=second + third),
        Lane(serves=second, bot_id=SECOND),
        Lane(serves=third, bot_id=THIRD),
    )


async def all_started(db: Database, tashan: list[Unit]) -> tuple[Lane, Lane, Lane]:
    """The three bots' lanes, each sender started."""
    started = lanes(tashan)
    for lane in started:
        await start(db, lane)
    return started


async def test_each_bot_pages_only_its_own_groups_and_every_row_is_in_one_page(
    loaded: Database, tashan: list[Unit]
) -> None:
    primary, second, third = await all_started(loaded, tashan)
    everyone = [u.chat_id for u in tashan if u.chat_id is not None]
    await queue(loaded, *everyone, PERSON)  # a private chat is the primary's

    pages = [await page(loaded, lane) for lane in (primary, second, third)]
    assert set(pages[1]) == chats_under(tashan, second.serves)
    assert set(pages[2]) == chats_under(tashan, third.serves)
    assert PERSON in pages[0] and HQ_CHAT in pages[0]
    assert sorted(c for p in pages for c in p) == sorted([*everyone, PERSON])  # none twice
    assert sorted(await page(loaded, None)) == sorted([*everyone, PERSON])  # one bot: all


async def test_an_orders_copies_carry_their_lane_as_they_are_written(
    loaded: Database, tashan: list[Unit]
) -> None:
    primary, second, third = await all_started(loaded, tashan)
    service = OrderService(loaded.transaction, FakeClock(), PlainWords())
    await service.issue(HQ_CHAT, HQ_COMMANDER, OrderKind.COUNT, "统计", timedelta(minutes=15))
    async with loaded.transaction() as tx:
        due = await tx.outbox.read(await tx.outbox.due(NEVER, limit=10_000))
    copies = {
        r.message.chat_id for r in due if r.message.ref and r.message.ref.purpose == "order_copy"
    }
    assert len(copies) == 236
    assert set(await page(loaded, second)) & copies == chats_under(tashan, second.serves)
    assert set(await page(loaded, third)) & copies == chats_under(tashan, third.serves)
    assert set(await page(loaded, primary)) & copies == (
        copies - chats_under(tashan, second.serves + third.serves)
    )


async def test_rows_queued_before_a_bot_starts_wait_for_it_and_then_are_its_own(
    loaded: Database, tashan: list[Unit]
) -> None:
    primary, second, third = lanes(tashan)
    everyone = [u.chat_id for u in tashan if u.chat_id is not None]
    await queue(loaded, *everyone)  # written before any lane was known
    await start(loaded, primary)
    mine = set(await page(loaded, primary))
    # The other bots have not started: their groups are nobody's yet, not the primary's.
    assert mine == set(everyone) - chats_under(tashan, second.serves + third.serves)
    await start(loaded, second)
    assert set(await page(loaded, second)) == chats_under(tashan, second.serves)
    assert set(await page(loaded, primary)) == mine
    await start(loaded, third)
    assert set(await page(loaded, third)) == chats_under(tashan, third.serves)


async def test_a_bot_dropped_from_the_configuration_gives_its_groups_back(
    loaded: Database, tashan: list[Unit]
) -> None:
    primary, second, third = await all_started(loaded, tashan)
    await queue(loaded, *chats_under(tashan, third.serves))
    assert await page(loaded, primary) == []
    # Restarted with the second bot only: the third's groups are the primary's again.
    await start(loaded, Lane(avoid=second.serves))
    await start(loaded, second)
    assert set(await page(loaded, primary)) == chats_under(tashan, third.serves)
    assert await page(loaded, third) == []


async def test_a_group_bound_while_running_takes_its_units_bot_with_its_queued_rows(
    loaded: Database, tashan: list[Unit]
) -> None:
    primary, second, _ = await all_started(loaded, tashan)
    unit = next(
        u for u in tashan if u.level == 3 and u.chat_id in chats_under(tashan, second.serves)
    )
    assert unit.chat_id is not None
    new_group = -1009999999999
    await queue(loaded, new_group, unit.chat_id)  # a group no unit has yet: the primary's
    assert new_group in await page(loaded, primary)
    async with loaded.transaction() as tx:
        await tx.tower.bind_chat(unit.code, new_group)
    assert new_group in await page(loaded, second)
    assert new_group not in await page(loaded, primary)
    # The unit's old group belongs to no unit now: what waits for it is the primary's.
    assert unit.chat_id in await page(loaded, primary)
    assert unit.chat_id not in await page(loaded, second)


async def test_a_serving_lane_without_its_bot_is_refused(loaded: Database) -> None:
    with pytest.raises(ValueError, match="bot's id"):
        await start(loaded, Lane(serves=["ts-01"]))
