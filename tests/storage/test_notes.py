"""A note's outbox row is the message it stands for (cascade/outgoing.py `Note`).

A note (the "recorded" confirmation of every answer) is written from a template
of its shape's JSON instead of a validated `OutgoingMessage`. The sender must
read back exactly the message `OutgoingMessage.of` would have queued: whatever
the text (quotes, backslashes, control characters, HTML already escaped, any
script), ids and refs present or not, with or without a reaction. Checked on the
payload itself for any such note, and through both engines' outbox alone and
through the batched answer path.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cascade.clock import FakeClock
from cascade.order_service import OrderService
from cascade.orders import OrderKind
from cascade.outgoing import MessageRef, Note, OutgoingMessage, Priority, Rendered
from cascade.tower import Unit
from storage.db import Database
from storage.importer import import_units
from storage.outbox_repo import note_payload
from tests.storage.test_orders_storage import HQ_CHAT, HQ_COMMANDER, PlainPresenter

ids = st.integers(-(2**63), 2**63 - 1)
texts = st.text() | st.sampled_from(
    ['"', "\\", "\x1ftext\x1f", "a&lt;b&gt; \"c\" 'd'", "✅ 已记录"]
)


@given(
    chat=ids,
    text=texts,
    priority=st.sampled_from(list(Priority)),
    purpose=st.sampled_from(["answer_recorded", "p", 'a"b']),
    order_id=st.none() | ids,
    unit_code=st.none() | st.text(),
    reply_to=st.none() | ids,
    reaction=st.none() | st.sampled_from(["👌", "🎉"]),
)
def test_a_notes_payload_is_its_message(
    chat: int,
    text: str,
    priority: Priority,
    purpose: str,
    order_id: int | None,
    unit_code: str | None,
    reply_to: int | None,
    reaction: str | None,
) -> None:
    rendered = Rendered(text=text, reaction=reaction)
    note = Note.of(chat, rendered, priority, purpose, order_id, unit_code, reply_to)
    ref = MessageRef(purpose=purpose, order_id=order_id, unit_code=unit_code)
    expected = OutgoingMessage.of(chat, rendered, priority, ref, reply_to)
    assert note.message() == expected
    assert OutgoingMessage.model_validate_json(note_payload(note)) == expected


def test_a_note_is_text_alone() -> None:
    with pytest.raises(ValueError, match="text alone"):
        Note.of(1, Rendered(text="t", force_reply=True), Priority.INTERACTIVE, "p")


async def _queued(db: Database) -> list[OutgoingMessage]:
    async with db.transaction() as tx:
        due = await tx.outbox.due(now=1e12, limit=10_000)
        return [row.message for row in await tx.outbox.read(due)]


async def test_the_outbox_gives_a_note_back_as_its_message(db: Database) -> None:
    note = Note.of(
        -1001,
        Rendered(text='已记录 "a\\b" &lt;x&gt;\n', reaction="👌"),
        Priority.INTERACTIVE,
        "answer_recorded",
        7,
        "ts-01",
        42,
    )
    async with db.transaction() as tx:
        await tx.outbox.add(note)
    assert await _queued(db) == [note.message()]


@pytest.mark.parametrize("batched", [False, True])
async def test_an_answer_queues_its_recorded_message(
    db: Database, tashan: list[Unit], batched: bool
) -> None:
    """The answer path (alone, and in a batch) queues the
    confirmation `OutgoingMessage.of` would have made."""
    await import_units(db, tashan)
    presenter = PlainPresenter()
    orders = OrderService(db.transaction, FakeClock(), presenter, batch_answers=batched)
    order = await orders.issue(HQ_CHAT, HQ_COMMANDER, OrderKind.COUNT, "数", timedelta(minutes=15))
    await orders.report(order.id, -1002000000003, 6000000009, "五", reply_to=77)
    recorded = [m for m in await _queued(db) if m.ref and m.ref.purpose == "answer_recorded"]
    assert len(recorded) == 1
    message = recorded[0]
    async with db.transaction() as tx:
        unit = await tx.tower.by_chat(-1002000000003)
        own = (await tx.orders.chain(order.id, unit.code))[0] if unit else None
    assert unit is not None and own is not None and own.value == 5
    rendered = presenter.answer_recorded(order, unit, own, False)
    ref = MessageRef(purpose="answer_recorded", order_id=order.id, unit_code=unit.code)
    assert message == OutgoingMessage.of(
        -1002000000003, rendered, Priority.INTERACTIVE, ref, reply_to=77
    )
