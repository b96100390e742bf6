"""Rows read back without validation (storage/trusted.py) are the models validation gives.

The order's rows and the units' refs are built without pydantic's validation, on
both engines; a model so built must be indistinguishable from a validated one
(equal, same dump, same fields set, copies independent), and building one from
anything but every field must fail loudly.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from cascade.orders import OrderKind, TargetState
from cascade.tower import Unit, UnitRef
from storage.db import Database
from storage.importer import import_units
from storage.trusted import trusted
from tests.storage.test_orders_storage import HQ_CHAT, HQ_COMMANDER, service


def _same(built: TargetState | UnitRef) -> None:
    validated = type(built).model_validate(built.model_dump())
    assert built == validated
    assert built.model_dump() == validated.model_dump()
    assert built.model_dump_json() == validated.model_dump_json()
    assert built.model_fields_set == validated.model_fields_set


async def test_rows_read_back_equal_validated_models(db: Database, tashan: list[Unit]) -> None:
    await import_units(db, tashan)
    orders = service(db)
    order = await orders.issue(HQ_CHAT, HQ_COMMANDER, OrderKind.COUNT, "数", timedelta(minutes=15))
    await orders.report(order.id, -1002000000003, 6000000009, "五", reply_to=None)
    async with db.transaction() as tx:
        chain = await tx.orders.chain(order.id, "ts-01-01")
        rows = await tx.orders.targets(order.id)
        refs = await tx.tower.refs(s.unit_code for s in rows)
    assert chain[0].value == 5 and chain[0].answered_at is not None
    assert len(refs) == len(rows) == order.total_targets + 1
    for built in [*chain, *rows, *refs.values()]:
        _same(built)
    copy = chain[0].model_copy()
    copy.value = 9
    assert chain[0].value == 5


def test_every_field_or_nothing() -> None:
    values = UnitRef(code="a", name="A", level=1, kind="k", parent=None, chat_id=1, locale="zh")
    whole = values.model_dump()
    assert trusted(UnitRef, dict(whole)) == values
    with pytest.raises(TypeError, match="unreachable"):
        trusted(UnitRef, {k: v for k, v in whole.items() if k != "unreachable"})
    with pytest.raises(TypeError, match="colour"):
        trusted(UnitRef, {**whole, "colour": "red"})
