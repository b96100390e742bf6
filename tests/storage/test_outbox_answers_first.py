"""A sender's page holds the answers to people even behind a city order's copies.

The page used to be one list in priority order: with more copies pending than a
page holds (200 at 30/s), a confirmation at priority 45 was not on it, and the
sender could not send it before the last copy. The page is now two parts, the
answers to people and the bulk, each in (priority, id) order, so the sender can
give the answers their share (bot/sender.py). Rows queued before the priorities
moved are moved too (by the migration that moved them), in their column and their payload.
"""

from __future__ import annotations

from pathlib import Path

from cascade.outgoing import MessageRef, OutgoingMessage, Priority, Rendered, answers_person
from storage import migrations, pgschema
from storage.db import Database
from tests.support.pgserver import Engine

NEVER = 10**12  # far enough ahead that every row is due
FIRST = -1007000000000


def copy(chat_id: int) -> OutgoingMessage:
    return OutgoingMessage(
        chat_id=chat_id, text="order", priority=Priority.ORDER, ref=MessageRef(purpose="t")
    )


def confirmation(chat_id: int, reply_to: int) -> OutgoingMessage:
    ref = MessageRef(purpose="answer_recorded", order_id=1, unit_code="u")
    rendered = Rendered(text="✅ 已记录", reaction="👌")
    return OutgoingMessage.of(chat_id, rendered, Priority.INTERACTIVE, ref, reply_to)


async def test_the_page_holds_answers_behind_more_copies_than_it_holds(db: Database) -> None:
    async with db.transaction() as tx:
        for n in range(300):
            await tx.outbox.add(copy(FIRST - n))
        await tx.outbox.add(
            OutgoingMessage(
                chat_id=FIRST - 1, text="board", priority=Priority.PROGRESS, dedupe_key="b"
            )
        )
        late = await tx.outbox.add(confirmation(FIRST - 7, 42))
        refusal = await tx.outbox.add(OutgoingMessage(chat_id=FIRST - 8, text="无权"))
    async with db.pages() as tx:
        page = await tx.outbox.due(NEVER, limit=200)
    answers = [row for row in page if answers_person(row.priority)]
    bulk = [row for row in page if not answers_person(row.priority)]
    # Both answers are on the page, the refusal (a reply) before the confirmation,
    # and the page still holds a full part of copies, in their order.
    assert [row.id for row in answers] == [refusal, late]
    assert [row.priority for row in answers] == [Priority.INTERACTIVE, Priority.CONFIRMATION]
    assert len(bulk) == 200
    assert [row.priority for row in bulk] == [Priority.ORDER] * 200
    assert [row.id for row in bulk] == sorted(row.id for row in bulk)
    assert page == answers + bulk


async def test_a_confirmation_and_an_acknowledgement_answer_a_person() -> None:
    assert confirmation(FIRST, 42).priority is Priority.CONFIRMATION
    for priority in (Priority.INTERACTIVE, Priority.CONFIRMATION, Priority.ACKNOWLEDGED):
        assert answers_person(priority)
    for priority in (
        Priority.ORDER,
        Priority.ESCALATION,
        Priority.REPORT,
        Priority.REMINDER,
        Priority.PROGRESS,
    ):
        assert not answers_person(priority)


async def test_rows_queued_before_the_move_are_moved(engine: Engine, tmp_path: Path) -> None:
    """A confirmation queued at 45 and an 已收到 line queued at 50 (their payloads
    saying so too) are read back as answers to people after the upgrade."""
    (moving,) = [m for m in migrations.MIGRATIONS if '"priority":45' in m]
    path = await engine.new_target(tmp_path, "old.db")
    old_confirmation = confirmation(FIRST, 42).model_dump_json()
    old_confirmation = old_confirmation.replace('"priority":4,', '"priority":45,')
    old_mark = OutgoingMessage(
        chat_id=FIRST - 1,
        text="✅ 已收到",
        priority=Priority.PROGRESS,
        edit_of=MessageRef(purpose="order_copy", order_id=1, unit_code="u"),
        dedupe_key="acked:1:u",
    )
    board = old_mark.model_copy(update={"dedupe_key": "progress:1:u", "chat_id": FIRST - 2})
    async with Database(path) as db, db.transaction() as tx:
        for chat_id, priority, payload, key in (
            (FIRST, 45, old_confirmation, None),
            (FIRST - 1, 50, old_mark.model_dump_json(), "acked:1:u"),
            (FIRST - 2, 50, board.model_dump_json(), "progress:1:u"),
        ):
            await tx.outbox.conn.execute(
                "INSERT INTO outbox (created_at, priority, chat_id, payload, dedupe_key, status) "
                "VALUES ('2020-02-20', ?, ?, ?, ?, 'pending')",
                (priority, chat_id, payload, key),
            )
    async with Database(path) as db, db.transaction() as tx:
        for statement in pgschema.statements(moving):  # the upgrade, as migrate() runs it
            await tx.outbox.conn.execute(
                pgschema.to_postgres(statement) if engine.is_postgres else statement
            )
    async with Database(path) as db:
        async with db.pages() as tx:
            page = await tx.outbox.due(NEVER)
        assert [(row.chat_id, row.priority) for row in page] == [
            (FIRST, Priority.CONFIRMATION),
            (FIRST - 1, Priority.ACKNOWLEDGED),
            (FIRST - 2, Priority.PROGRESS),  # a board stays bulk
        ]
        async with db.transaction() as tx:
            rows = await tx.outbox.read(page)
        assert [row.message.priority for row in rows] == [
            Priority.CONFIRMATION,
            Priority.ACKNOWLEDGED,
            Priority.PROGRESS,
        ]
        assert rows[0].message.reaction == "👌"
