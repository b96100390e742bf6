"""Finding the messages of many refs at once gives what finding each alone gives.

The sender finds the messages its edits edit once per claimed batch
(`RefRepository.find_many`, bot/sender.py), not in a transaction per edit. Each
ref must resolve exactly as `find` resolves it alone: the newest message sent for
it, a unit or incident left unset matched as unset, a ref never sent left out;
more units than one statement takes are split.
"""

from __future__ import annotations

from cascade.outgoing import MessageRef, ref_key
from storage.db import Database
from storage.outbox_repo import FIND_CHUNK, REF_UPSERT

CHAT = -1_001_234_567_890  # a supergroup's 64-bit id


async def test_find_many_is_find_for_each_ref(db: Database) -> None:
    sent = [
        # (message id, purpose, order, unit, incident)
        (10, "order_copy", 1, "A", None),
        (11, "order_copy", 1, "B", None),
        (12, "order_copy", 1, "A", None),  # A's copy again: the newer one is meant
        (13, "order_copy", 2, "A", None),  # another order
        (14, "progress", 1, None, None),  # no unit
        (15, "incident_board", None, "A", 7),  # an incident's, no order
        (16, "incident_board", None, "A", 8),
    ]
    many_units = [f"U{n:04d}" for n in range(FIND_CHUNK + 3)]
    rows = [(CHAT, m, p, o, u, i) for m, p, o, u, i in sent]
    rows += [(CHAT, 1000 + n, "order_copy", 3, u, None) for n, u in enumerate(many_units)]
    async with db.transaction() as tx:
        await tx.conn.executemany(REF_UPSERT, rows)
    asked = [
        MessageRef(purpose="order_copy", order_id=1, unit_code="A"),
        MessageRef(purpose="order_copy", order_id=1, unit_code="B"),
        MessageRef(purpose="order_copy", order_id=1, unit_code="C"),  # never sent
        MessageRef(purpose="order_copy", order_id=2, unit_code="A"),
        MessageRef(purpose="order_copy", order_id=2, unit_code="B"),  # never sent
        MessageRef(purpose="progress", order_id=1),
        MessageRef(purpose="progress", order_id=2),  # never sent
        MessageRef(purpose="incident_board", unit_code="A", incident_id=8),
        MessageRef(purpose="incident_board", unit_code="A", incident_id=9),  # never sent
    ]
    asked += [MessageRef(purpose="order_copy", order_id=3, unit_code=u) for u in many_units]
    async with db.transaction() as tx:
        many = await tx.refs.find_many(asked)
        alone = {ref_key(ref): await tx.refs.find(ref) for ref in asked}
    assert many == {key: found for key, found in alone.items() if found is not None}
    # The cases above, spelled out.
    assert many[("order_copy", 1, "A", None)] == (CHAT, 12)
    assert many[("progress", 1, None, None)] == (CHAT, 14)
    assert many[("incident_board", None, "A", 8)] == (CHAT, 16)
    assert ("order_copy", 1, "C", None) not in many
    assert many[("order_copy", 3, many_units[-1], None)] == (CHAT, 1000 + len(many_units) - 1)
    async with db.transaction() as tx:
        assert await tx.refs.find_many([]) == {}
