"""A batch's chains: read in one query, saved by rowid, never a wrong row.

A batch of answers (storage/answer_repo.py) reads each answering unit's chain. The
unit's path in the order is guessed from its path in the tower (read with the
unit), so only the chains' rows are read; the guess is checked against the unit's
own row in the order. Where the tower changed after the order was written, or a
targeted order skipped units, the chain is still exactly `OrderRepository.chain`.
On SQLite the rows are saved at the rowids they were read from, their keys still
matched: a row not matched fails the batch rather than lose its write (PostgreSQL
has no rowid: its rows are saved by their keys).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest

from cascade.clock import FakeClock
from cascade.order_service import OrderService
from cascade.orders import OrderKind
from cascade.ports import AnswerKey, AnswerReads, AnswerWrites
from storage.db import Database
from storage.importer import import_units
from storage.pg import PgConnection
from tests.storage.test_answer_batches import (
    Presenter,
    chat,
    commander,
    tower,
)

ANSWERING = ["a1", "b11", "b12", "b1", "hq"]


async def issued(db: Database) -> int:
    await import_units(db, tower())
    orders = OrderService(
        db.transaction, FakeClock(), Presenter(), batch_answers=True, batch_uow=db.answer_batch
    )
    order = await orders.issue(
        chat("hq"), commander("hq"), OrderKind.COUNT, "统计", timedelta(hours=1)
    )
    return order.id


async def read(db: Database, order_id: int) -> tuple[AnswerReads, list[str]]:
    """One batch's read of the answering units' chains, and its SQL statements."""
    keys = [AnswerKey(order_id, chat(c), commander(c)) for c in ANSWERING]
    statements: list[str] = []
    if isinstance(db.conn, PgConnection):
        conn = db.conn
        real = conn.execute_fetchall

        async def traced(sql: str, params: Sequence[Any] = ()) -> list[Any]:
            statements.append(sql)
            return await real(sql, params)

        async with db.transaction() as tx:
            conn.execute_fetchall = traced  # type: ignore[method-assign]
            try:
                return await tx.answers.read(keys), statements
            finally:
                del conn.execute_fetchall
    raw = db.conn._conn
    async with db.transaction() as tx:
        await db.conn._execute(raw.set_trace_callback, statements.append)  # type: ignore[union-attr]
        try:
            return await tx.answers.read(keys), statements
        finally:
            await db.conn._execute(raw.set_trace_callback, None)  # type: ignore[union-attr]


async def alone(db: Database, order_id: int) -> dict[str, list[str]]:
    """Each answering unit's chain as `OrderRepository.chain` reads it."""
    async with db.transaction() as tx:
        return {
            code: [s.unit_code for s in await tx.orders.chain(order_id, code)] for code in ANSWERING
        }


def chains(reads: AnswerReads) -> dict[str, list[str]]:
    return {code: [s.unit_code for s in chain] for (_, code), chain in reads.chains.items()}


def reads_of_paths(statements: list[str]) -> int:
    return sum(1 for s in statements if s.startswith("SELECT unit_code, path FROM order_units"))


async def test_a_batch_reads_its_chains_in_one_query(db: Database) -> None:
    order_id = await issued(db)
    reads, statements = await read(db, order_id)
    assert chains(reads) == await alone(db, order_id)
    assert chains(reads)["b11"] == ["b11", "b1", "b", "hq"]
    assert reads_of_paths(statements) == 0
    # A row that chains share is one object.
    assert reads.chains[(order_id, "b11")][1] is reads.chains[(order_id, "b12")][1]


async def test_a_unit_moved_after_the_order_keeps_its_chain_in_the_order(db: Database) -> None:
    order_id = await issued(db)
    before = await alone(db, order_id)
    # b1 (and b11, b12 under it) now hang under a; the order keeps the tower it was issued on.
    async with db.transaction() as tx:
        await tx.conn.execute("UPDATE units SET parent = 'a' WHERE code = 'b1'")
        for code in ("b1", "b11", "b12"):
            await tx.conn.execute(
                "UPDATE units SET path = REPLACE(path, '/hq/b/', '/hq/a/') WHERE code = ?",
                (code,),
            )
    reads, statements = await read(db, order_id)
    assert chains(reads) == before == await alone(db, order_id)
    assert chains(reads)["b11"] == ["b11", "b1", "b", "hq"]
    assert reads_of_paths(statements) == 1  # the three moved units' real paths


async def test_a_targeted_order_skipping_units_gives_the_order_s_chains(db: Database) -> None:
    order_id = await issued(db)
    # As a targeted order writes them: b1 was not picked, b11 hangs under b.
    async with db.transaction() as tx:
        await tx.conn.execute(
            "UPDATE order_units SET path = '/hq/b/b11/', parent_code = 'b' "
            "WHERE order_id = ? AND unit_code = 'b11'",
            (order_id,),
        )
    reads, statements = await read(db, order_id)
    assert chains(reads) == await alone(db, order_id)
    assert chains(reads)["b11"] == ["b11", "b", "hq"]
    assert reads_of_paths(statements) == 1


async def test_a_unit_that_is_no_target_has_no_chain(db: Database) -> None:
    order_id = await issued(db)
    async with db.transaction() as tx:
        await tx.conn.execute(
            "DELETE FROM order_units WHERE order_id = ? AND unit_code = 'a1'", (order_id,)
        )
    reads, _ = await read(db, order_id)
    assert chains(reads)["a1"] == [] == (await alone(db, order_id))["a1"]


async def test_a_batch_saves_its_chains_at_the_rows_it_read(db: Database) -> None:
    order_id = await issued(db)
    keys = [AnswerKey(order_id, chat(c), commander(c)) for c in ANSWERING]
    async with db.transaction() as tx:
        reads = await tx.answers.read(keys)
        b11, b1, b, hq = reads.chains[(order_id, "b11")]
        b11.value = b11.subtotal = 5
        b1.subtotal = b.subtotal = hq.subtotal = 5
        await tx.answers.write(AnswerWrites(states=[b11, b1, b, hq]))
    async with db.transaction() as tx:
        saved = await tx.orders.chain(order_id, "b11")
    assert [(s.unit_code, s.subtotal) for s in saved] == [
        ("b11", 5),
        ("b1", 5),
        ("b", 5),
        ("hq", 5),
    ]
    assert saved[0].value == 5


async def test_a_row_not_where_the_batch_read_it_fails_the_batch(db: Database) -> None:
    if db.is_postgres:
        pytest.skip("rowids are SQLite's")
    order_id = await issued(db)
    keys = [AnswerKey(order_id, chat(c), commander(c)) for c in ANSWERING]
    with pytest.raises(RuntimeError, match="not where the batch read it"):
        async with db.transaction() as tx:
            reads = await tx.answers.read(keys)
            a1 = reads.chains[(order_id, "a1")][0]
            # As if a1's row had moved since the read: its rowid now b11's.
            tx.answers.rowids[(order_id, "a1")] = tx.answers.rowids[(order_id, "b11")]
            a1.value = a1.subtotal = 3
            await tx.answers.write(AnswerWrites(states=[a1]))
    async with db.transaction() as tx:
        a1_row = (await tx.orders.chain(order_id, "a1"))[0]
        b11_row = (await tx.orders.chain(order_id, "b11"))[0]
    assert a1_row.value is None and b11_row.value is None
