"""The issuer sees the final report at once, however many units finish with it.

In the Yiwu drill all 152 level-1 units finished in the last minute, so 152
"☑️ … 及其下级已全部完成" notices were queued in the HQ group ahead of the 📊 final
report, at the group's 20 messages a minute: a minute after 100 % the report still
had 118 in front of it. The notices still queued when the last answer comes are now
taken from the outbox and follow the report as one merged notice, each unit with its
total; the ones already sent are not repeated. Both engines, each answer alone and
(SQLite) the whole tower answering at once in shared transactions.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.formatting import Formatter
from bot.i18n import Texts
from bot.presenter import BotPresenter
from cascade.clock import FakeClock
from cascade.order_service import OrderService
from cascade.orders import Order, OrderKind, OrderStatus, TargetState
from cascade.outgoing import OutboxRow
from cascade.tower import Person, Unit, UnitRef
from storage.db import Database
from storage.importer import import_units

UNITS = 30  # level-1 units under HQ, each with two bottom units
HQ_CHAT = -1_004_000_000_000


def code(n: int, leaf: int | None = None) -> str:
    return f"s{n:02d}" if leaf is None else f"s{n:02d}-{leaf}"


def chat(index: int) -> int:
    return HQ_CHAT - 1 - index


def commander(index: int) -> int:
    return 7_100_000_000 + index


def tower() -> list[Unit]:
    units = [
        Unit(
            code="hq",
            name="指挥部",
            level=0,
            commander=Person(name="指挥hq", telegram_id=commander(0)),
            chat_id=HQ_CHAT,
        )
    ]
    index = 0
    for n in range(UNITS):
        for leaf in (None, 1, 2):
            index += 1
            units.append(
                Unit(
                    code=code(n, leaf),
                    name=f"第{n}街道" if leaf is None else f"第{n}街道{leaf}组",
                    level=1 if leaf is None else 2,
                    parent="hq" if leaf is None else code(n),
                    commander=Person(name=f"指挥{index}", telegram_id=commander(index)),
                    chat_id=chat(index),
                )
            )
    return units


async def due_in_hq(db: Database) -> list[OutboxRow]:
    async with db.transaction() as tx:
        rows = await tx.outbox.read(await tx.outbox.due(now=10**12, limit=10_000))
    return [r for r in rows if r.message.chat_id == HQ_CHAT]


@pytest.mark.parametrize("together", [False, True], ids=["alone", "together"])
async def test_the_final_report_is_first_in_the_hq_group_and_no_done_notice_is_lost(
    db: Database, together: bool
) -> None:
    units = tower()
    await import_units(db, units)
    index = {u.code: i for i, u in enumerate(units)}
    texts = Texts()
    clock = FakeClock()
    orders = OrderService(
        db.transaction, clock, BotPresenter(texts, Formatter(texts)), batch_answers=together
    )
    order = await orders.issue(
        HQ_CHAT, commander(0), OrderKind.COUNT, "统计外地返回人数", timedelta(minutes=15)
    )
    async with db.transaction() as tx:  # the copies went out long ago
        for row in await tx.outbox.read(await tx.outbox.due(now=10**12, limit=10_000)):
            await tx.outbox.mark_sent(row, 1)

    async def answer(n: int, leaf: int) -> None:
        i = index[code(n, leaf)]
        await orders.acknowledge(order.id, chat(i), commander(i))
        await orders.report(order.id, chat(i), commander(i), str(n + leaf), None)

    # The first three streets finish early and their notices are sent.
    for n in range(3):
        for leaf in (1, 2):
            await answer(n, leaf)
    for n in range(3):
        i = index[code(n)]
        await orders.acknowledge(order.id, chat(i), commander(i))
    # Queued together, their three notices are one merged notice (every group's are).
    early = await due_in_hq(db)
    assert len(early) == 1
    assert all(f"「第{n}街道」合计 <b>{2 * n + 3}</b>。" in early[0].message.text for n in range(3))
    async with db.transaction() as tx:
        for row in early:
            await tx.outbox.mark_sent(row, 2)
    # Then the rest all finish in the last minute.
    rest = [(n, leaf) for n in range(3, UNITS) for leaf in (1, 2)]
    heads = [index[code(n)] for n in range(3, UNITS)]
    if together:
        await asyncio.gather(*(orders.acknowledge(order.id, chat(i), commander(i)) for i in heads))
        await asyncio.gather(*(answer(n, leaf) for n, leaf in rest))
    else:
        for i in heads:
            await orders.acknowledge(order.id, chat(i), commander(i))
        for n, leaf in rest:
            await answer(n, leaf)

    due = await due_in_hq(db)
    assert due[0].message.text.startswith("📊"), [r.message.text[:30] for r in due[:3]]
    assert "完成 90/90" in due[0].message.text
    # The rest: one merged notice naming every street not told yet, with its total.
    merged = [r.message.text for r in due[1:]]
    assert len(merged) == 1
    assert f"以下 {UNITS - 3} 个单元及其下级已全部完成" in merged[0]
    for n in range(UNITS):
        line = f"「第{n}街道」合计 <b>{2 * n + 3}</b>。"
        assert (line in merged[0]) == (n >= 3), n


async def test_a_long_list_of_done_units_is_split_and_nothing_is_left_out() -> None:
    texts = Texts()
    presenter = BotPresenter(texts, Formatter(texts))
    clock = FakeClock()
    order = Order(
        id=7,
        issuer_unit="hq",
        issuer_user=commander(0),
        kind=OrderKind.COUNT,
        text="统计",
        created_at=clock.now(),
        deadline_at=clock.now() + timedelta(minutes=15),
        status=OrderStatus.DONE,
    )
    hq = UnitRef(
        code="hq", name="指挥部", level=0, kind="hq", parent=None, chat_id=HQ_CHAT, locale="zh-Hans"
    )
    done = [
        (
            UnitRef(
                code=code(n),
                name=f"义乌市某某镇街道第{n}网格工作站",
                level=1,
                kind="street",
                parent="hq",
                chat_id=chat(n),
                locale="zh-Hans",
            ),
            TargetState(order_id=7, unit_code=code(n), level=1, parent_code="hq", subtotal=n),
        )
        for n in range(400)
    ]
    parts = presenter.children_done(order, hq, done)
    assert len(parts) > 1
    assert all(len(p.text) <= 4096 for p in parts)
    text = "\n".join(p.text for p in parts)
    assert all(f"第{n}网格工作站」合计 <b>{n}</b>" in text for n in range(400))
    assert sum(int(p.text.split("以下 ")[1].split(" 个")[0]) for p in parts) == 400
