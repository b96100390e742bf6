"""A claimed reminder or escalation made current in its claim's transaction (the
sender's `MakeCurrent` port, cascade/naming.py), on the real database: rewritten, its
naming read back as written; dropped, gone; and a claim that fails half-way leaves
the row as it was, pending and unchanged (nothing half-written)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cascade.outgoing import MessageRef, Naming, OutboxRow, OutgoingMessage, Priority
from storage.db import Database

NEVER = 10**12  # far enough ahead that every row is due
GROUP_CHAT = -1009000000001


def escalation(*pending: str) -> OutgoingMessage:
    return OutgoingMessage(
        chat_id=GROUP_CHAT,
        text=f"以下 {len(pending)} 个下级单元尚未完成：{'、'.join(pending)}",
        priority=Priority.ESCALATION,
        ref=MessageRef(purpose="escalation", order_id=1, unit_code="g"),
        naming=Naming(
            kind="escalation",
            order_id=1,
            group="g",
            pending=list(pending),
            ungrouped={"x": ["a", "b"]},
            span=timedelta(minutes=5),
        ),
    )


async def claim_all(db: Database) -> list[OutboxRow]:
    async with db.transaction() as tx:
        due = await tx.outbox.due(NEVER)
        return list((await tx.outbox.mark_sending_many(due)).values())


async def test_a_rewritten_row_goes_with_its_new_text_and_naming(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.outbox.add(escalation("a", "b", "c"))
    (row,) = await claim_all(db)
    assert row.message.naming is not None
    now = row.message.naming.model_copy(update={"pending": ["b"], "ungrouped": {"x": ["b"]}})
    message = row.message.model_copy(update={"text": "以下 1 个下级单元尚未完成：b", "naming": now})
    async with db.transaction() as tx:
        await tx.outbox.rewrite([OutboxRow(id=row.id, attempts=row.attempts, message=message)])
        await tx.outbox.recover_sending()  # as a restart would find it
    (again,) = await claim_all(db)
    assert again.message.text == "以下 1 个下级单元尚未完成：b"
    assert again.message.naming == now
    assert again.message.ref == row.message.ref
    assert again.message.priority is Priority.ESCALATION


async def test_a_dropped_row_is_gone_and_others_stay(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.outbox.add(escalation("a"))
        await tx.outbox.add(escalation("b"))
    first, second = sorted(await claim_all(db), key=lambda r: r.id)
    async with db.transaction() as tx:
        await tx.outbox.drop([first.id])
        await tx.outbox.recover_sending()
    assert [r.id for r in await claim_all(db)] == [second.id]


async def test_a_claim_that_fails_half_way_leaves_the_row_as_it_was(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.outbox.add(escalation("a", "b"))
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            (row,) = (await tx.outbox.mark_sending_many(await tx.outbox.due(NEVER))).values()
            await tx.outbox.drop([row.id])
            raise RuntimeError("the claim's transaction dies before its commit")
    (row,) = await claim_all(db)
    assert row.message.naming is not None and row.message.naming.pending == ["a", "b"]
