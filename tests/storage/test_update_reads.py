"""The reads every update makes before its handler, for many updates at once
(storage/update_reads.py), give what each middleware's own lookup gives."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from cascade.outgoing import MessageRef
from cascade.tower import Unit
from storage import processed
from storage.db import Database
from storage.form_repo import FormRow, SqliteFormRepository
from storage.importer import import_units
from storage.update_reads import UpdateQuestion, UpdateReader, read_updates

BOT = 7_000_000_001
AT = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
# Message ids are per chat: the same id in another chat is another message.
REFS = [
    (-1001, 10, "order_copy", 4),
    (-1002, 11, "reminder", 5),
    (-1002, 10, "board", 6),
]


async def _stored(db: Database, tashan: list[Unit]) -> list[Unit]:
    await import_units(db, tashan)
    async with db.transaction() as tx:
        await processed.record(
            tx.conn,
            [
                processed.UpdateMark(BOT, 100, "msg:-1001:1:0"),
                processed.UpdateMark(BOT + 1, 101, "press:q101"),  # another bot's
            ],
        )
        await tx.conn.executemany(
            "INSERT INTO message_refs (chat_id, message_id, purpose, order_id) VALUES (?, ?, ?, ?)",
            REFS,
        )
        await SqliteFormRepository(tx.conn).set_state("form:a", "OrderForm:kind", AT)
    return [u for u in tashan if u.chat_id is not None]


async def test_many_updates_read_at_once_as_each_alone(db: Database, tashan: list[Unit]) -> None:
    grouped = await _stored(db, tashan)
    questions = [
        # seen by id, and by key under another id (a re-delivery)
        UpdateQuestion(BOT, 100, "msg:-1001:9:0"),
        UpdateQuestion(BOT, 555, "msg:-1001:1:0", chat_id=grouped[0].chat_id),
        # the other bot's record does not count for this bot
        UpdateQuestion(BOT, 101, "press:q101", chat_id=grouped[1].chat_id, form_key="form:a"),
        # a reply: the pair, not the chat of one and the message id of another
        UpdateQuestion(BOT, 102, None, chat_id=-1001, form_key="form:b", replied=(-1001, 10)),
        UpdateQuestion(BOT, 103, None, replied=(-1001, 11)),
        UpdateQuestion(BOT, 104, None, chat_id=grouped[0].chat_id, replied=(-1002, 10)),
    ]
    async with db.lookup() as conn:
        reads = await read_updates(conn, questions)

    assert [r.seen for r in reads] == [True, True, False, False, False, False]
    async with db.transaction() as tx:
        for question, got in zip(questions, reads, strict=True):
            assert got.question == question
            if question.chat_id is not None:
                assert got.unit_of(question.chat_id) == (
                    True,
                    await tx.tower.by_chat(question.chat_id),
                )
            if question.replied is not None:
                assert got.ref_of(*question.replied) == (
                    True,
                    await tx.refs.lookup(*question.replied),
                )
    assert reads[1].unit is not None and reads[1].unit.code == grouped[0].code
    assert reads[3].unit is None  # a chat that is no unit's group
    assert reads[3].ref == MessageRef(purpose="order_copy", order_id=4)
    assert reads[4].ref is None
    assert reads[5].ref == MessageRef(purpose="board", order_id=6)
    assert reads[2].take_form("form:a") == FormRow(state="OrderForm:kind", touched_at=AT)
    assert reads[3].take_form("form:b") == FormRow()  # no row: no form
    # A form is handed over once, and only for the key asked about.
    assert reads[2].take_form("form:a") is None and reads[3].take_form("form:a") is None
    # What a question did not ask about is not claimed as read.
    assert reads[0].unit_of(-1001) == (False, None)
    assert reads[0].ref_of(-1001, 10) == (False, None)


async def test_updates_in_flight_together_share_one_read(db: Database, tashan: list[Unit]) -> None:
    grouped = await _stored(db, tashan)
    reader = UpdateReader(db.lookup)
    reads = await asyncio.gather(
        *(
            reader.read(UpdateQuestion(BOT, 200 + i, f"press:q{i}", chat_id=unit.chat_id))
            for i, unit in enumerate(grouped[:40])
        )
    )
    assert reader.batches == 1
    assert [r.unit.code if r.unit else None for r in reads] == [u.code for u in grouped[:40]]
    # Alone, at an idle moment, it is read at once.
    alone = await reader.read(UpdateQuestion(BOT, 100, None))
    assert alone.seen and reader.batches == 2


async def test_a_failed_read_fails_every_update_of_its_batch(db: Database) -> None:
    reader = UpdateReader(db.lookup)
    await db.close()  # every read now fails
    with pytest.raises(RuntimeError, match="not open"):
        await asyncio.gather(
            reader.read(UpdateQuestion(BOT, 1, None)), reader.read(UpdateQuestion(BOT, 2, None))
        )
    await db.open()
    assert not (await reader.read(UpdateQuestion(BOT, 1, None))).seen
