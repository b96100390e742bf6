"""A group's "☑️ … 及其下级已全部完成" notices still queued are one merged notice.

At Yiwu a community (level 1) has dozens of grid stations (level 2); near the end
they finish together, and each queued one notice in the community's group, sent at
the group's 20 messages a minute (40 stations: two minutes of the group's budget,
ahead of replies to people). Now a notice queued while others wait in the same
group is merged with them: every station listed once with its total, in a message
per 30 stations; notices already sent are not repeated, and a station finishing
alone still gets its own one-line notice. Both engines, each answer alone and
(SQLite) all at once in shared transactions.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.formatting import Formatter
from bot.i18n import Texts
from bot.presenter import BotPresenter
from cascade.clock import FakeClock
from cascade.loop_report import FOLD_UNITS
from cascade.order_service import OrderService
from cascade.orders import OrderKind
from cascade.outgoing import OutboxRow
from cascade.tower import Person, Unit
from storage.db import Database
from storage.importer import import_units

STATIONS = 40  # level-2 units of the one community, two bottom units each
HQ_CHAT = -1_005_000_000_000
COMMUNITY_CHAT = HQ_CHAT - 1


def code(n: int, leaf: int | None = None) -> str:
    return f"c-{n:02d}" if leaf is None else f"c-{n:02d}-{leaf}"


def tower() -> list[Unit]:
    """HQ, one community, its stations and their two bottom units each; chat and
    commander ids follow the unit's place in the list."""
    units = [
        Unit(code="hq", name="指挥部", level=0, chat_id=HQ_CHAT),
        Unit(code="c", name="某社区", level=1, parent="hq", chat_id=COMMUNITY_CHAT),
    ]
    for n in range(STATIONS):
        for leaf in (None, 1, 2):
            units.append(
                Unit(
                    code=code(n, leaf),
                    name=f"第{n}网格站" if leaf is None else f"第{n}网格站{leaf}组",
                    level=2 if leaf is None else 3,
                    parent="c" if leaf is None else code(n),
                    chat_id=COMMUNITY_CHAT - 1 - len(units),
                )
            )
    for i, unit in enumerate(units):
        unit.commander = Person(name=f"指挥{i}", telegram_id=7_200_000_000 + i)
    return units


async def due_in(db: Database, chat_id: int) -> list[OutboxRow]:
    async with db.transaction() as tx:
        rows = await tx.outbox.read(await tx.outbox.due(now=10**12, limit=10_000))
    return [r for r in rows if r.message.chat_id == chat_id]


async def send_all(db: Database) -> None:
    async with db.transaction() as tx:
        for row in await tx.outbox.read(await tx.outbox.due(now=10**12, limit=10_000)):
            await tx.outbox.mark_sent(row, 1)


def line(n: int) -> str:
    return f"「第{n}网格站」合计 <b>{2 * n + 1}</b>。"


@pytest.mark.parametrize("together", [False, True], ids=["alone", "together"])
async def test_a_communitys_queued_done_notices_are_merged(db: Database, together: bool) -> None:
    units = tower()
    await import_units(db, units)
    by_code = {u.code: u for u in units}
    texts = Texts()
    orders = OrderService(
        db.transaction, FakeClock(), BotPresenter(texts, Formatter(texts)), batch_answers=together
    )

    async def say(unit_code: str, value: str | None) -> None:
        unit = by_code[unit_code]
        assert unit.chat_id is not None and unit.commander is not None
        who = unit.commander.telegram_id or 0
        await orders.acknowledge(order.id, unit.chat_id, who)
        if value is not None:
            await orders.report(order.id, unit.chat_id, who, value, None)

    async def finish(stations: range) -> None:
        heads = [say(code(n), None) for n in stations]
        leaves = [say(code(n, leaf), str(n + leaf - 1)) for n in stations for leaf in (1, 2)]
        if together:
            await asyncio.gather(*heads)
            await asyncio.gather(*leaves)
        else:
            for step in [*heads, *leaves]:
                await step

    order = await orders.issue(
        HQ_CHAT, 7_200_000_000, OrderKind.COUNT, "统计外地返回人数", timedelta(minutes=15)
    )
    await send_all(db)  # the copies and boards went out long ago

    # One station finishes alone: its own one-line notice, as before.
    await finish(range(1))
    (alone,) = await due_in(db, COMMUNITY_CHAT)
    assert alone.message.text == "☑️ 指令 #1：「第0网格站」及其下级已全部完成。合计 <b>1</b>。"
    await send_all(db)

    # Four more, their notices still queued together: one merged notice.
    await finish(range(1, 5))
    (merged,) = [r.message.text for r in await due_in(db, COMMUNITY_CHAT)]
    assert "以下 4 个单元及其下级已全部完成" in merged
    assert [n for n in range(STATIONS) if line(n) in merged] == [1, 2, 3, 4]
    await send_all(db)

    # The other 35 finish in a burst: merged, 30 a message, each station once.
    await finish(range(5, STATIONS))
    due = [r.message.text for r in await due_in(db, COMMUNITY_CHAT)]
    assert len(due) == -(-(STATIONS - 5) // FOLD_UNITS) == 2
    text = "\n".join(due)
    assert [n for n in range(STATIONS) if text.count(line(n)) == 1] == list(range(5, STATIONS))
    assert not any(line(n) in text for n in range(5))  # sent already: not repeated
    assert sum(int(t.split("以下 ")[1].split(" 个")[0]) for t in due) == STATIONS - 5
    assert all(len(t) <= 4096 for t in due)
    # The community itself is not done (its commander has not said 收到): nothing to HQ.
    assert not any("及其下级已全部完成" in r.message.text for r in await due_in(db, HQ_CHAT))
