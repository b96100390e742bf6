"""A message's expiry and countdown (where its text shows the time left) are kept by
the outbox on both engines, as queued (one by one or several at once) and as
rewritten at a claim, so that the sender's claim drops it after its deadline and
writes its time left; a row queued before messages had them goes as it was."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from cascade.outgoing import Countdown, MessageRef, OutboxRow, OutgoingMessage, Priority
from storage.db import Database

NEVER = 10**12  # far enough ahead that every row is due
GROUP_CHAT = -1009000000001
DEADLINE = datetime(2026, 2, 20, 9, 15, tzinfo=UTC)


def reminder(unit: str) -> OutgoingMessage:
    return OutgoingMessage(
        chat_id=GROUP_CHAT,
        text=f"⏰ 还剩5分钟：「{unit}」尚未完成",
        priority=Priority.REMINDER,
        ref=MessageRef(purpose="reminder", order_id=1, unit_code=unit),
        expires_at=DEADLINE,
        countdown=Countdown(at=4, length=3, locale="zh-Hans"),
    )


async def claim_all(db: Database) -> list[OutboxRow]:
    async with db.transaction() as tx:
        due = await tx.outbox.due(NEVER)
        claimed = await tx.outbox.mark_sending_many(due)
    return sorted(claimed.values(), key=lambda row: row.id)


async def test_an_expiry_and_a_countdown_are_kept_as_queued_and_rewritten(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.outbox.add(reminder("a"))
        await tx.outbox.add_many([reminder("b"), reminder("c")])
    rows = await claim_all(db)
    assert [row.message for row in rows] == [reminder("a"), reminder("b"), reminder("c")]
    first = rows[0]
    now = Countdown(at=4, length=5, locale="zh-Hans")
    message = first.message.model_copy(
        update={"text": "⏰ 还剩2分41秒：「a」尚未完成", "countdown": now}
    )
    async with db.transaction() as tx:
        await tx.outbox.rewrite([OutboxRow(id=first.id, attempts=first.attempts, message=message)])
        await tx.outbox.recover_sending()  # as a restart would find them
    again = await claim_all(db)
    assert again[0].message == message
    assert again[0].message.expires_at == DEADLINE


async def test_a_row_queued_before_expiries_goes_as_it_was(db: Database) -> None:
    async with db.transaction() as tx:
        row_id = await tx.outbox.add(reminder("a"))
        old = json.loads(reminder("a").model_dump_json(exclude={"document"}))
        del old["expires_at"], old["countdown"]
        await tx.outbox.conn.execute(
            "UPDATE outbox SET payload = ? WHERE id = ?", (json.dumps(old), row_id)
        )
    (row,) = await claim_all(db)
    assert row.message.expires_at is None
    assert row.message.countdown is None
    assert row.message.text == reminder("a").text
