"""Rows read back without validation are what validation would give.

The units' refs are pydantic models built without validation (storage/trusted.py);
the order's rows are plain records (`TargetState`, a slotted dataclass) that storage
fills itself. On both engines a ref so built must be indistinguishable from a
validated one (equal, same dump, same fields set), an order row must hold every
field as its declared type (strict validation gives it back unchanged), copies are
independent, and building a ref from anything but every field fails loudly.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import get_type_hints

import pytest
from pydantic import TypeAdapter

from cascade.orders import OrderKind, TargetState
from cascade.tower import Unit, UnitRef
from storage.db import Database
from storage.importer import import_units
from storage.trusted import trusted
from tests.storage.test_orders_storage import HQ_CHAT, HQ_COMMANDER, service

# An order row's fields as declared: each value read back must pass strict
# validation as its field's type unchanged (a timestamp no string, a flag no 0/1).
FIELD_TYPES = get_type_hints(TargetState)


def _typed(state: TargetState) -> None:
    values = asdict(state)
    assert values.keys() == FIELD_TYPES.keys()
    for name, value in values.items():
        kind = TypeAdapter(FIELD_TYPES[name])
        assert kind.validate_python(value, strict=True) == value, name
        if FIELD_TYPES[name] in (bool, int, str):  # strict still takes True for an int
            assert type(value) is FIELD_TYPES[name], name


def _same(built: UnitRef) -> None:
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
    for state in [*chain, *rows]:
        _typed(state)
    for ref in refs.values():
        _same(ref)
    copy = chain[0].copy()
    assert copy == chain[0]
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
